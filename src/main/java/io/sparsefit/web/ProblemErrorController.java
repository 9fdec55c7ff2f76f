package io.sparsefit.web;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.ServletWebRequest;

/**
 * Replaces Boot's whitelabel/JSON error page: errors that happen outside Spring MVC (a servlet filter,
 * Tomcat rejecting a request, {@code sendError}) are forwarded here by the container and leave as
 * problem+json too. Exceptions are handed to {@link ProblemAdvice} so the mapping stays in one place.
 */
@Hidden
@RestController
class ProblemErrorController implements ErrorController {

    private final ProblemAdvice advice;

    ProblemErrorController(ProblemAdvice advice) {
        this.advice = advice;
    }

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<Object> error(HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response) throws Exception {
        if (response.isCommitted()) {
            // Included into an answer that broke off after it started (StreamedDownload): nothing may be added to its
            // body; the container closes the connection next, so the client sees the transfer broken.
            return null;
        }
        Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String uri = (String) request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (exception instanceof Exception ex) {
            ResponseEntity<Object> handled = advice.unexpected(ex, new ServletWebRequest(request));
            return handled;
        }
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null && exception == null) {
            // Asked for directly (GET /error), not forwarded by the container: there is no such resource.
            uri = request.getRequestURI();
            code = HttpStatus.NOT_FOUND.value();
        }
        int status = code instanceof Integer i ? i : 500;
        HttpStatus resolved = HttpStatus.resolve(status);
        if (resolved == null || status < 400) {
            resolved = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = message instanceof String s && !s.isBlank() && !resolved.is5xxServerError()
                ? s : resolved.getReasonPhrase();
        ProblemDetail problem = Problems.of(resolved, resolved.getReasonPhrase(), detail, uri, List.of());
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return ResponseEntity.status(resolved).headers(headers).body(problem);
    }
}
