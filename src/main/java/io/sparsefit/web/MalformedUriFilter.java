package io.sparsefit.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 400 for a request path with malformed percent-encoding ({@code %} not followed by two hex
 * digits, e.g. {@code /v1/fits/%%5E}), which Tomcat lets through but Spring MVC cannot decode (it
 * failed with a 500 while writing any answer to such a path, the error page's included). The problem
 * is written here directly, as nothing downstream can handle the path. Likewise a wildcard
 * Content-Type ({@code *}{@code /*}) is 415 here (found by {@code FuzzTest}: Spring MVC answered 500).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class MalformedUriFilter extends OncePerRequestFilter {

    private static final byte[] PROBLEM = ("{\"type\":\"" + Problems.TYPE_BASE + "bad-request\",\"title\":\"Bad request\","
            + "\"status\":400,\"detail\":\"The request path has malformed percent-encoding\"}").getBytes(StandardCharsets.UTF_8);

    /** A wildcard Content-Type ({@code *}{@code /*}, {@code text/*}) describes no body; Spring MVC failed on it with a 500. */
    private static final byte[] WILDCARD = ("{\"type\":\"" + Problems.TYPE_BASE + "unsupported-media-type\","
            + "\"title\":\"Unsupported Media Type\",\"status\":415,\"detail\":\"A Content-Type cannot be a wildcard\"}")
            .getBytes(StandardCharsets.UTF_8);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!wellEncoded(request.getRequestURI())) {
            write(response, HttpServletResponse.SC_BAD_REQUEST, PROBLEM);
            return;
        }
        String type = request.getContentType();
        if (type != null && (type.strip().startsWith("*") || type.contains("/*"))) {
            write(response, HttpServletResponse.SC_UNSUPPORTED_MEDIA_TYPE, WILDCARD);
            return;
        }
        chain.doFilter(request, response);
    }

    private static void write(HttpServletResponse response, int status, byte[] problem) throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setContentLength(problem.length);
        response.getOutputStream().write(problem);
    }

    /** Every {@code %} is followed by two hexadecimal digits. */
    static boolean wellEncoded(String raw) {
        if (raw == null) {
            return true;
        }
        for (int i = raw.indexOf('%'); i >= 0; i = raw.indexOf('%', i + 1)) {
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0 || Character.digit(raw.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
