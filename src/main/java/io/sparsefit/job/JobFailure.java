package io.sparsefit.job;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.DatabaseFaults;
import org.springframework.http.HttpStatus;

/**
 * The one mapping of what a job's run threw to how the job ends (the lost, cancelled and stopping cases aside, which
 * {@link JobExecution} settles first), the same for fits, paths and scorings:
 * <ul>
 * <li>{@link Kind#TRANSIENT}: the database unreachable or full, or an {@link ApiException} of status 503 or 507 (what
 *     a request would have been told to retry): the job goes back to the queue with its attempt counted, as after a
 *     lost lease, and ends FAILED with this status and detail once it used its last attempt;</li>
 * <li>{@link Kind#EXPECTED}: any other {@link ApiException} (a dataset or model deleted under the job, data it cannot
 *     use): FAILED with the exception's status and detail;</li>
 * <li>{@link Kind#REFUSED}: an {@link IllegalArgumentException} thrown by the core ({@code io.sparsefit.core}), which
 *     checks its arguments and names what does not fit: settings that do not suit the data in a way the submit checks
 *     did not catch, so the request's doing: FAILED 422 with the core's words;</li>
 * <li>{@link Kind#INTERNAL}: anything else (a bug, an error thrown by the JVM): FAILED 500 "internal error", the
 *     exception logged with its stack trace once and its message not shown.</li>
 * </ul>
 *
 * @param kind   which of the four it is
 * @param status the problem's HTTP status
 * @param detail the problem's detail (for {@link Kind#INTERNAL}, filled in by {@link #internal})
 */
record JobFailure(Kind kind, int status, String detail) {

    enum Kind { TRANSIENT, EXPECTED, REFUSED, INTERNAL }

    /** The package of the core, whose argument checks speak to the user (it knows no service type). */
    static final String CORE_PACKAGE = "io.sparsefit.core.";

    /** How a run that threw {@code error} ends. */
    static JobFailure of(Throwable error) {
        if (error instanceof ApiException api) {
            int status = api.status().value();
            boolean transientStatus = api.status() == HttpStatus.SERVICE_UNAVAILABLE || api.status() == HttpStatus.INSUFFICIENT_STORAGE;
            return new JobFailure(transientStatus ? Kind.TRANSIENT : Kind.EXPECTED, status, api.getMessage());
        }
        if (DatabaseFaults.isStorageFull(error)) {
            return new JobFailure(Kind.TRANSIENT, HttpStatus.INSUFFICIENT_STORAGE.value(),
                    "The database's storage was full while the job ran");
        }
        if (DatabaseFaults.isUnavailable(error)) {
            return new JobFailure(Kind.TRANSIENT, HttpStatus.SERVICE_UNAVAILABLE.value(),
                    "The database could not be reached while the job ran");
        }
        if (error instanceof IllegalArgumentException refused && thrownByCore(refused)) {
            return new JobFailure(Kind.REFUSED, HttpStatus.UNPROCESSABLE_CONTENT.value(),
                    "The solver refused the request's settings for this data: " + refused.getMessage());
        }
        return new JobFailure(Kind.INTERNAL, HttpStatus.INTERNAL_SERVER_ERROR.value(), null);
    }

    /** The detail of an internal error of a job of {@code kind}: what happened, never the exception's own words. */
    static String internal(JobKind kind) {
        return "Internal error: the service could not complete the " + kind.resource() + "; the error was logged";
    }

    /**
     * Whether {@code error} was thrown by the core: the first frame of its stack outside the JDK and EJML (an argument
     * check may sit in {@code java.util.Objects}, a collection, or an EJML operation the core called) is a core class.
     * An IllegalArgumentException thrown by the service's own code is a bug, not a refusal of the request.
     */
    static boolean thrownByCore(Throwable error) {
        for (StackTraceElement frame : error.getStackTrace()) {
            String type = frame.getClassName();
            if (type.startsWith("java.") || type.startsWith("jdk.") || type.startsWith("sun.") || type.startsWith("org.ejml.")) {
                continue;
            }
            return type.startsWith(CORE_PACKAGE);
        }
        return false;
    }
}
