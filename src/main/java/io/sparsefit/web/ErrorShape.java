package io.sparsefit.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseEntity;

/**
 * A part of the URL space whose errors a protocol fixes in another shape than problem+json (the Open Inference
 * Protocol's {@code {"error": "..."}} under /v2). {@link ProblemAdvice} asks every such bean before it writes a
 * problem, so errors raised before any handler runs (404, 405, 406, 415 at mapping time) take that shape too.
 */
public interface ErrorShape {

    /** Whether errors on this request path take this shape. */
    boolean appliesTo(String path);

    /** The answer for an error: its status, the problem's detail (with its field errors) and the headers to keep. */
    ResponseEntity<Object> render(HttpStatusCode status, String message, HttpHeaders headers);
}
