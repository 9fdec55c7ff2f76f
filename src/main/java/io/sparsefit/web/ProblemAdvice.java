package io.sparsefit.web;

import io.sparsefit.config.SparsefitProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where exceptions become {@code application/problem+json} (RFC 9457). Spring MVC's
 * standard exceptions (404, 405, 406, 415, ...) come through {@link ResponseEntityExceptionHandler};
 * the service's own through {@link ApiException}; a database that cannot be reached is 503 with Retry-After, and a
 * write that did not fit in its storage 507 (see {@link DatabaseFaults}; logged once per episode by
 * {@link DatabaseFaultLog}, not per request); anything else is a 500 without internals.
 * Errors raised outside Spring MVC reach {@link ProblemErrorController}, which delegates here.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    private final List<ErrorShape> shapes;
    private final DatabaseFaultLog faultLog;
    private final long retryAfterSeconds;

    ProblemAdvice(List<ErrorShape> shapes, DatabaseFaultLog faultLog, SparsefitProperties properties) {
        this.shapes = List.copyOf(shapes);
        this.faultLog = faultLog;
        this.retryAfterSeconds = Math.max(1, properties.fits().retryAfter().toSeconds());
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Object> api(ApiException ex, WebRequest request) {
        rethrowIfCommitted(ex, request);
        ProblemDetail problem = Problems.of(ex.status(), ex.title(), ex.getMessage(), path(request), ex.errors());
        if (ex.errorCount() > ex.errors().size()) {
            problem.setProperty("errorCount", ex.errorCount()); // errors holds the first MAX_REPORTED_ERRORS
        }
        return problemResponse(problem, ex.headers(), request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception ex, WebRequest request) throws Exception {
        rethrowIfCommitted(ex, request);
        ApiException api = findCause(ex, ApiException.class);
        if (api != null) {
            return api(api, request);
        }
        if (findCause(ex, InvalidParameterException.class) != null) {
            // Tomcat could not decode the query string (malformed percent-encoding such as ?cursor=%%%).
            return api(ApiException.badRequest("Malformed query string: invalid percent-encoding or characters",
                    List.of(new FieldProblem("query", "is not a valid URL-encoded query string"))), request);
        }
        ApiException fault = databaseFault(ex);
        if (fault != null) {
            faultLog.record(fault.status(), ex, path(request));
            return api(fault, request);
        }
        if (findCause(ex, OutOfMemoryError.class) != null) {
            // The request that asked for the memory is abandoned and its garbage freed; the service goes on (the health
            // endpoint answers as before). Logged without the stack: the heap, not a bug, is what ran short.
            log.warn("Out of memory on {} (heap at most {} MB): answered 503", path(request), Runtime.getRuntime().maxMemory() >> 20);
            return api(ApiException.unavailable("The service ran out of memory for this request (its heap is at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MB) and abandoned it; it keeps serving. Retry after the "
                    + "Retry-After seconds, with a smaller request, or run the service with a larger heap (-Xmx).",
                    retryAfterSeconds), request);
        }
        log.error("Unexpected error on {}", path(request), ex);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "The server could not complete the request; the error was logged.", path(request), List.of());
        return problemResponse(problem, new HttpHeaders(), request);
    }

    /**
     * A failure after the answer was committed (a streamed download broken off, see {@link StreamedDownload}) cannot
     * become a problem: its status and first bytes are on the wire. The exception goes on to the container, which closes
     * the connection before the body's end, so the client sees a broken transfer rather than a problem appended to a 200.
     * Rethrowing the handled exception itself is how an exception handler declines it (Spring logs nothing more).
     */
    static <E extends Exception> void rethrowIfCommitted(E ex, WebRequest request) throws E {
        if (request instanceof ServletWebRequest servlet && servlet.getResponse() != null && servlet.getResponse().isCommitted()) {
            throw ex;
        }
    }

    /** 507 for a write the storage could not take, 503 for a database that cannot be reached, else null. */
    private ApiException databaseFault(Exception ex) {
        if (DatabaseFaults.isStorageFull(ex)) {
            return ApiException.insufficientStorage("The database's storage is full: the write was not kept. Reads "
                    + "still work; writes are taken again once space is freed.");
        }
        if (DatabaseFaults.isUnavailable(ex)) {
            return ApiException.unavailable("The database cannot be reached right now; retry after the Retry-After "
                    + "seconds.", retryAfterSeconds);
        }
        return null;
    }

    /** Validation of {@code @Valid} bodies: well-formed but invalid values are 422 with one entry per field. */
    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        for (FieldError e : ex.getBindingResult().getFieldErrors()) {
            if (errors.size() > ApiException.MAX_REPORTED_ERRORS) {
                break;
            }
            errors.add(new FieldProblem(e.getField(), e.getDefaultMessage()));
        }
        ex.getBindingResult().getGlobalErrors().forEach(e -> errors.add(new FieldProblem(e.getObjectName(), e.getDefaultMessage())));
        return api(ApiException.invalid(errors), request);
    }

    /** Validation of query parameters and path variables ({@code @Min} on a {@code @RequestParam}). */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex, HttpHeaders headers,
                                                                            HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        ex.getParameterValidationResults().forEach(r -> r.getResolvableErrors().forEach(e ->
                errors.add(new FieldProblem(r.getMethodParameter().getParameterName(), e.getDefaultMessage()))));
        return api(ApiException.invalid(errors), request);
    }

    /** Unparseable bodies are 400; a too-large body found while reading is 413; wrong types name their field. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        ApiException api = findCause(ex, ApiException.class);
        if (api != null) {
            return api(api, request);
        }
        UnrecognizedPropertyException unknown = findCause(ex, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String field = jsonPath(unknown);
            return api(ApiException.badRequest("Unknown property '" + unknown.getPropertyName() + "'",
                    List.of(new FieldProblem(field, "unknown property"))), request);
        }
        MismatchedInputException mismatch = findCause(ex, MismatchedInputException.class);
        if (mismatch != null) {
            String field = jsonPath(mismatch);
            String message = mismatch.getTargetType() != null
                    ? "cannot be read as " + describe(mismatch.getTargetType())
                    : "has the wrong type";
            return api(ApiException.badRequest("Field '" + field + "' " + message,
                    List.of(new FieldProblem(field, message))), request);
        }
        StreamReadException syntax = findCause(ex, StreamReadException.class);
        if (syntax != null) {
            String detail = "Malformed JSON: " + syntax.getOriginalMessage()
                    + (syntax.getLocation() != null ? " (line " + syntax.getLocation().getLineNr()
                    + ", column " + syntax.getLocation().getColumnNr() + ")" : "");
            return api(ApiException.badRequest(detail, List.of()), request);
        }
        JacksonException other = findCause(ex, JacksonException.class);
        String detail = other != null ? "Unreadable JSON: " + other.getOriginalMessage() : "The request body is missing or unreadable";
        return api(ApiException.badRequest(detail, List.of()), request);
    }

    /** Unknown paths: the service's own words and where to look, not the framework's "No static resource". */
    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
                                                                    HttpStatusCode status, WebRequest request) {
        String method = request instanceof ServletWebRequest servlet ? servlet.getRequest().getMethod() : "GET";
        return api(new ApiException(HttpStatus.NOT_FOUND, "Not found", "Nothing at " + method + " " + path(request)
                + ". The API is under /v1 (datasets, fits, models) and /v2 (Open Inference Protocol); it is described at "
                + "/v3/api-docs, and the page at / uses it.", List.of(), null), request);
    }

    /** A method the path does not have: which ones it does have. */
    @Override
    protected ResponseEntity<Object> handleHttpRequestMethodNotSupported(HttpRequestMethodNotSupportedException ex, HttpHeaders headers,
                                                                         HttpStatusCode status, WebRequest request) {
        String allowed = ex.getSupportedHttpMethods() == null ? "" : String.join(", ",
                ex.getSupportedHttpMethods().stream().map(Object::toString).toList());
        HttpHeaders extra = new HttpHeaders();
        if (!allowed.isEmpty()) {
            extra.set(HttpHeaders.ALLOW, allowed);
        }
        return api(new ApiException(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", ex.getMethod() + " is not allowed on "
                + path(request) + (allowed.isEmpty() ? "" : "; allowed: " + allowed), List.of(), extra), request);
    }

    /** Every problem produced by the base class gets the same type, instance and media type as ours. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ProblemDetail problem;
        if (body instanceof ProblemDetail given) {
            problem = Problems.of(status, given.getTitle(), given.getDetail(), path(request), List.of());
        } else {
            problem = Problems.of(status, null, ex.getMessage(), path(request), List.of());
        }
        return problemResponse(problem, headers, request);
    }

    private ResponseEntity<Object> problemResponse(ProblemDetail problem, HttpHeaders extra, WebRequest request) {
        HttpHeaders headers = new HttpHeaders();
        if (extra != null) {
            headers.addAll(extra);
        }
        headers.remove(HttpHeaders.CONTENT_TYPE);
        String path = path(request);
        for (ErrorShape shape : shapes) {
            if (path != null && shape.appliesTo(path)) {
                return shape.render(HttpStatusCode.valueOf(problem.getStatus()), message(problem), headers);
            }
        }
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }

    /** A problem's detail and its field errors as one line. */
    @SuppressWarnings("unchecked")
    private static String message(ProblemDetail problem) {
        String detail = problem.getDetail() != null ? problem.getDetail() : problem.getTitle();
        Object errors = problem.getProperties() == null ? null : problem.getProperties().get("errors");
        if (errors instanceof List<?> list && !list.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (Object e : list) {
                if (e instanceof FieldProblem f) {
                    sb.append(sb.isEmpty() ? "" : "; ").append(f.field()).append(": ").append(f.message());
                }
            }
            if (!sb.isEmpty() && (detail == null || !detail.contains(sb))) {
                return detail == null ? sb.toString() : detail + " (" + sb + ")";
            }
        }
        return detail;
    }

    static String path(WebRequest request) {
        if (request instanceof ServletWebRequest servlet) {
            HttpServletRequest r = servlet.getRequest();
            return r.getRequestURI();
        }
        return null;
    }

    /** {@code architecture.hiddenLayers[0]}-style path of a Jackson error. */
    static String jsonPath(JacksonException ex) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : ex.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private static String describe(Class<?> type) {
        if (type.isArray()) {
            return "an array";
        }
        if (type == double.class || type == Double.class || type == int.class || type == Integer.class
                || type == long.class || type == Long.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }

    static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
        Throwable t = ex;
        for (int depth = 0; t != null && depth < 20; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            t = t.getCause();
        }
        return null;
    }
}
