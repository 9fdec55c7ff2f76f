package io.sparsefit.security;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.Caller;
import io.sparsefit.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authentication by API key and the per-key request rate, as one servlet filter rather than Spring
 * Security: the whole need is "which configured key is this, if any", and Spring Security would add a
 * filter chain, its own 401/403 rendering beside ProblemAdvice, CSRF and session defaults to switch off,
 * and a lock-down of every endpoint (health probes, the page, the OpenAPI document) to undo, for no
 * feature we use. A filter keeps it in about a hundred lines and one place.
 *
 * <p>With no key configured (the default) it only applies the rate limit, to the anonymous caller.
 * With keys, {@code /v1}, {@code /v2} and {@code /actuator} (except the health probes of both and
 * actuator info, so probes stay open) need {@code Authorization: Bearer <key>} or {@code X-API-Key: <key>}; without a valid one the
 * answer is 401 problem+json. The page, its static files and the OpenAPI document stay open: they hold
 * no data. Runs after the security headers and before the body size limit, so a request without a
 * key is refused before its body is read.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 5)
class ApiKeyFilter extends OncePerRequestFilter {

    private final ApiKeys keys;
    private final RateLimits rates;
    private final JsonMapper json;

    ApiKeyFilter(SparsefitProperties properties, JsonMapper json) {
        this.keys = new ApiKeys(properties.security().apiKeys());
        this.rates = new RateLimits(properties.security().perKey());
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!isProtected(request.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        Caller caller = Caller.ANONYMOUS;
        if (keys.enabled()) {
            Optional<Caller> found = keys.authenticate(presentedKey(request));
            if (found.isEmpty()) {
                response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"sparsefit\"");
                problem(request, response, HttpStatus.UNAUTHORIZED, "Unauthorized",
                        "A valid API key is required: send Authorization: Bearer <key> or X-API-Key: <key>");
                return;
            }
            caller = found.get();
            request.setAttribute(Caller.ATTRIBUTE, caller);
        }
        if (rates.enabled()) {
            OptionalLong wait = rates.tryAcquire(caller.keyId());
            if (wait.isPresent()) {
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait.getAsLong()));
                problem(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                        "This API key's request rate limit is reached; retry after " + wait.getAsLong() + " s");
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /** The API and the actuator, except the probes (actuator health, /v2/health) and info. */
    static boolean isProtected(String uri) {
        if (uri == null) {
            return false;
        }
        if (uri.startsWith("/v2/health/")) {
            return false; // the Open Inference Protocol's liveness and readiness probes
        }
        if (uri.equals("/v1") || uri.startsWith("/v1/") || uri.equals("/v2") || uri.startsWith("/v2/")) {
            return true;
        }
        if (uri.equals("/actuator") || uri.startsWith("/actuator/")) {
            return !(uri.equals("/actuator/health") || uri.startsWith("/actuator/health/") || uri.equals("/actuator/info"));
        }
        return false;
    }

    private static String presentedKey(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return request.getHeader("X-API-Key");
    }

    private void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String title, String detail)
            throws IOException {
        // Written here, not through sendError: the error dispatch would run the filters again. The fields are
        // those of ProblemDetail (a Map, as the plain mapper has not the converter's ProblemDetail mix-in).
        ProblemDetail problem = Problems.of(status, title, detail, request.getRequestURI(), List.of());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
