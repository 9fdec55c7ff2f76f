package io.sparsefit.inference;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.stream.Collectors;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The Open Inference Protocol's error answer, {@code {"error": "..."}} as {@code application/json},
 * for the /v2 controllers only (the rest of the service answers problem+json through
 * {@code web.ProblemAdvice}, which this advice precedes). Invalid requests and tensors are 400 as the
 * protocol says (the service's 422 becomes 400), unknown models and versions 404, too large 413.
 * Errors raised before a /v2 handler is chosen (404, 405, 406, 415 at mapping time) take the same shape through
 * {@link InferenceErrorShape}, which {@code web.ProblemAdvice} consults; so do the exceptions this advice has no
 * handler for (a database that cannot be reached is 503 with Retry-After, anything unexpected 500), which Spring
 * passes on to {@code web.ProblemAdvice}, the one place that maps them.
 */
@RestControllerAdvice(assignableTypes = InferenceController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class InferenceErrors {

    @ExceptionHandler(ApiException.class)
    ResponseEntity<InferenceTypes.ErrorResponse> api(ApiException ex) {
        HttpStatus status = ex.status() == HttpStatus.UNPROCESSABLE_CONTENT ? HttpStatus.BAD_REQUEST : ex.status();
        String message = ex.errors().isEmpty() ? ex.getMessage()
                : ex.errors().stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return error(status, message);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<InferenceTypes.ErrorResponse> unreadable(HttpMessageNotReadableException ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        ApiException api = find(ex, ApiException.class);
        if (api != null) {
            return api(api);
        }
        String detail = root instanceof tools.jackson.core.JacksonException j ? j.getOriginalMessage() : "the body is missing or unreadable";
        return error(HttpStatus.BAD_REQUEST, "malformed inference request: " + detail);
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<InferenceTypes.ErrorResponse> mismatch(MethodArgumentTypeMismatchException ex) {
        return error(HttpStatus.BAD_REQUEST, "invalid value '" + ex.getValue() + "' for " + ex.getName());
    }

    static ResponseEntity<InferenceTypes.ErrorResponse> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(new InferenceTypes.ErrorResponse(message));
    }

    private static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
