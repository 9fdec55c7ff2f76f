package io.sparsefit.web;

import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * Builds RFC 9457 problem objects the same way for the controller advice, the error page and failed
 * fits: {@code type} names the problem class, {@code instance} the request path.
 */
public final class Problems {

    /** Base of every {@code type} URI; the last segment names the kind of problem. */
    public static final String TYPE_BASE = "https://sparsefit.io/problems/";

    private Problems() {
    }

    public static ProblemDetail of(HttpStatusCode status, String title, String detail, String instance, List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(URI.create(TYPE_BASE + slug(status)));
        HttpStatus known = HttpStatus.resolve(status.value());
        problem.setTitle(title != null ? title : known != null ? known.getReasonPhrase() : "Error");
        problem.setDetail(detail);
        if (instance != null) {
            try {
                problem.setInstance(URI.create(instance.replace(" ", "%20")));
            } catch (IllegalArgumentException notAUri) {
                // a request path that is not a valid URI reference: the problem goes without instance
            }
        }
        if (errors != null && !errors.isEmpty()) {
            problem.setProperty("errors", errors);
        }
        return problem;
    }

    /** A stable, readable name per status, e.g. {@code validation} for 422, {@code not-found} for 404. */
    public static String slug(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> "bad-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 408 -> "request-timeout";
            case 409 -> "conflict";
            case 413 -> "content-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "validation";
            case 429 -> "too-many-requests";
            case 503 -> "unavailable";
            case 507 -> "insufficient-storage";
            default -> status.is5xxServerError() ? "internal" : "client-error";
        };
    }
}
