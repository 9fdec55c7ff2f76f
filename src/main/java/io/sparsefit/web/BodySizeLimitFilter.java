package io.sparsefit.web;

import io.sparsefit.config.SparsefitProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Enforces {@code sparsefit.limits.max-body-size} for every request body, except a CSV dataset upload, which is parsed
 * as it arrives and gets {@code sparsefit.uploads.max-csv-size} and {@code sparsefit.uploads.read-timeout} instead. Tomcat only limits form
 * posts, so a JSON or CSV body is checked here: by its Content-Length when declared (answered with
 * {@code sendError(413)}, which the error page turns into problem+json), and while reading otherwise
 * (the stream throws an {@link ApiException} that the advice renders).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class BodySizeLimitFilter extends OncePerRequestFilter {

    private final long bodyBytes;
    private final long bodyReadTimeoutNanos;
    private final long csvUploadBytes;
    private final long csvUploadReadTimeoutNanos;

    BodySizeLimitFilter(SparsefitProperties properties, io.sparsefit.config.UploadProperties uploads) {
        this.bodyBytes = properties.limits().maxBodySize().toBytes();
        this.bodyReadTimeoutNanos = properties.limits().bodyReadTimeout().toNanos();
        this.csvUploadBytes = uploads.maxCsvSize().toBytes();
        this.csvUploadReadTimeoutNanos = uploads.readTimeout().toNanos();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean csvUpload = isCsvUpload(request);
        long maxBytes = csvUpload ? csvUploadBytes : bodyBytes;
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, message(maxBytes));
            return;
        }
        chain.doFilter(declared == 0 ? request
                : new Limited(request, maxBytes, csvUpload ? csvUploadReadTimeoutNanos : bodyReadTimeoutNanos), response);
    }

    /** A CSV dataset upload: streamed into the store by the dataset parser, so it has limits of its own. */
    private static boolean isCsvUpload(HttpServletRequest request) {
        String type = request.getContentType();
        String path = request.getRequestURI();
        return "POST".equals(request.getMethod()) && type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("text/csv")
                && ("/v1/datasets".equals(path) || "/v1/datasets/csv".equals(path));
    }

    private static String message(long maxBytes) {
        return "The request body is larger than the limit of " + maxBytes + " bytes";
    }

    /**
     * Counts the bytes of a body and stops at the size limit (only reachable without Content-Length), and
     * ends the read with 408 when the body takes longer than {@code body-read-timeout} from its first read,
     * so a client trickling bytes cannot hold a request thread for long.
     */
    private final class Limited extends HttpServletRequestWrapper {

        private ServletInputStream stream;
        private final long maxBytes;
        private final long readTimeoutNanos;

        Limited(HttpServletRequest request, long maxBytes, long readTimeoutNanos) {
            super(request);
            this.maxBytes = maxBytes;
            this.readTimeoutNanos = readTimeoutNanos;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                ServletInputStream in = super.getInputStream();
                stream = new ServletInputStream() {
                    private long count;
                    private long started;

                    @Override
                    public int read() throws IOException {
                        start();
                        int b = in.read();
                        checkTime();
                        if (b >= 0) {
                            count(1);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buf, int off, int len) throws IOException {
                        start();
                        int n = in.read(buf, off, len);
                        checkTime();
                        if (n > 0) {
                            count(n);
                        }
                        return n;
                    }

                    private void start() {
                        if (started == 0) {
                            started = System.nanoTime() | 1;
                        }
                    }

                    private void checkTime() {
                        if (System.nanoTime() - started > readTimeoutNanos) {
                            throw new ApiException(org.springframework.http.HttpStatus.REQUEST_TIMEOUT, "Request timeout",
                                    "The request body did not arrive within " + readTimeoutNanos / 1_000_000 + " ms", java.util.List.of(),
                                    null);
                        }
                    }

                    private void count(int n) {
                        count += n;
                        if (count > maxBytes) {
                            throw ApiException.payloadTooLarge(message(maxBytes));
                        }
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return stream;
        }
    }
}
