package io.sparsefit.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Security headers on every answer: {@code X-Content-Type-Options: nosniff} (no browser guesses a
 * JSON or CSV answer into HTML), and on the API ({@code /v1}, {@code /v2}) {@code Cache-Control:
 * no-store}, so no proxy or browser cache keeps datasets, models or predictions. Set before the
 * chain runs, so error answers carry them too.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class SecurityHeadersFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        String uri = request.getRequestURI();
        if (uri != null && (uri.startsWith("/v1/") || uri.equals("/v1") || uri.startsWith("/v2/") || uri.equals("/v2"))) {
            response.setHeader("Cache-Control", "no-store");
        }
        chain.doFilter(request, response);
    }
}
