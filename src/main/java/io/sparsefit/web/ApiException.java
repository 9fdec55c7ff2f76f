package io.sparsefit.web;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * An expected failure that becomes a problem+json answer: the feature packages throw it (or a named
 * factory result), and {@link ProblemAdvice} renders it. Carries optional field errors and headers.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    /** Field errors reported in one answer at most; the problem's {@code errorCount} gives the total when there were more. */
    public static final int MAX_REPORTED_ERRORS = 100;

    private final List<FieldProblem> errors;
    private final int errorCount;
    private final HttpHeaders headers;

    public ApiException(HttpStatus status, String title, String detail, List<FieldProblem> errors, HttpHeaders headers) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errorCount = errors.size();
        this.errors = List.copyOf(errors.size() <= MAX_REPORTED_ERRORS ? errors : errors.subList(0, MAX_REPORTED_ERRORS));
        this.headers = headers == null ? new HttpHeaders() : headers;
    }

    /** All field errors found, of which {@link #errors()} holds the first {@value #MAX_REPORTED_ERRORS}. */
    public int errorCount() {
        return errorCount;
    }

    public static ApiException notFound(String what, String id) {
        return new ApiException(HttpStatus.NOT_FOUND, "Not found", what + " '" + id + "' does not exist", List.of(), null);
    }

    /** 422: well-formed but invalid values, one entry per bad field. */
    public static ApiException invalid(List<FieldProblem> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid";
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", detail, errors, null);
    }

    public static ApiException invalid(String field, String message) {
        return invalid(List.of(new FieldProblem(field, message)));
    }

    public static ApiException badRequest(String detail, List<FieldProblem> errors) {
        return new ApiException(HttpStatus.BAD_REQUEST, "Bad request", detail, errors, null);
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, "Conflict", detail, List.of(), null);
    }

    public static ApiException tooManyRequests(String detail, long retryAfterSeconds) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail, List.of(),
                retryAfter(retryAfterSeconds));
    }

    /** 503 with Retry-After: the database cannot be reached now, or a bounded resource is busy; the same request may succeed later. */
    public static ApiException unavailable(String detail, long retryAfterSeconds) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail, List.of(),
                retryAfter(retryAfterSeconds));
    }

    private static HttpHeaders retryAfter(long seconds) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return headers;
    }

    /** 507: the write did not fit in the database's storage; nothing of it was kept. */
    public static ApiException insufficientStorage(String detail) {
        return new ApiException(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", detail, List.of(), null);
    }

    public static ApiException payloadTooLarge(String detail) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", detail, List.of(), null);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    public HttpHeaders headers() {
        return headers;
    }
}
