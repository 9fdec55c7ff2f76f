package io.sparsefit.job;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * Why a job failed, as an RFC 9457 problem object stored with the job: {@code type} is
 * {@code <base>/<resource>-failed} and {@code instance} the job's resource (see {@link JobRunner#resource()}). Its
 * schema keeps the name it had when only fits were jobs.
 */
@Schema(name = "FitError", description = "RFC 9457 problem describing why a fit failed.")
public record JobError(String type, String title, int status, String detail, String instance) {
}
