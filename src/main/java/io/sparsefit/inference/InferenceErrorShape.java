package io.sparsefit.inference;

import io.sparsefit.web.ErrorShape;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Every error under /v2, including those raised before a /v2 handler runs (unknown path 404, 405, 406 for an
 * Accept without JSON, 415 for a body that is not JSON), in the Open Inference Protocol's shape:
 * {@code {"error": "..."}} as application/json; the service's 422 is the protocol's 400.
 */
@Component
class InferenceErrorShape implements ErrorShape {

    @Override
    public boolean appliesTo(String path) {
        return path.equals("/v2") || path.startsWith("/v2/");
    }

    @Override
    public ResponseEntity<Object> render(HttpStatusCode status, String message, HttpHeaders headers) {
        HttpStatusCode answered = status.value() == HttpStatus.UNPROCESSABLE_CONTENT.value() ? HttpStatus.BAD_REQUEST : status;
        return ResponseEntity.status(answered).headers(headers).contentType(MediaType.APPLICATION_JSON)
                .body(new InferenceTypes.ErrorResponse(message));
    }
}
