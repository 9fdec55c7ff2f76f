package io.sparsefit.web;

import java.io.IOException;
import org.apache.coyote.Processor;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.coyote.http11.Http11Processor;
import org.apache.tomcat.util.net.AbstractEndpoint.Handler.SocketState;
import org.apache.tomcat.util.net.SocketWrapperBase;

/**
 * Tomcat's NIO HTTP/1.1 connector with a deadline for the request line and headers as a whole
 * ({@code sparsefit.limits.header-read-timeout}). Tomcat bounds only each wait for the next bytes
 * ({@code connectionTimeout}), which every byte restarts, so a client sending its headers at one byte a second
 * held its connection for as long as it liked. Here, whenever a request's head is still incomplete when the
 * processor hands the socket back to the poller, the socket's read timeout becomes the time left until the
 * deadline (counted from the request's first byte, which Tomcat records as the request's start time), and a
 * request past it is closed. The poller checks read timeouts about once a second, so the connection closes
 * within about a second after the deadline. Bodies have their own deadline ({@code body-read-timeout}).
 */
public class HeaderDeadlineProtocol extends Http11NioProtocol {

    private volatile long headerReadTimeoutMs = 10_000;

    /** The deadline in milliseconds from a request's first byte to the end of its headers. */
    public void setHeaderReadTimeout(long milliseconds) {
        this.headerReadTimeoutMs = milliseconds;
    }

    public long getHeaderReadTimeout() {
        return headerReadTimeoutMs;
    }

    @Override
    protected Processor createProcessor() {
        return new DeadlineProcessor(this);
    }

    private static final class DeadlineProcessor extends Http11Processor {

        private final HeaderDeadlineProtocol protocol;

        DeadlineProcessor(HeaderDeadlineProtocol protocol) {
            super((AbstractHttp11Protocol<?>) protocol, protocol.getAdapter());
            this.protocol = protocol;
        }

        @Override
        public SocketState service(SocketWrapperBase<?> socket) throws IOException {
            SocketState state = super.service(socket);
            // LONG outside async processing: part of the request line or headers arrived (the request has a start
            // time), the rest is awaited. A complete request is answered before service returns.
            if (state != SocketState.LONG || isAsync() || request.getStartTimeNanos() <= 0) {
                return state;
            }
            long elapsedMs = (System.nanoTime() - request.getStartTimeNanos()) / 1_000_000;
            long leftMs = protocol.getHeaderReadTimeout() - elapsedMs;
            if (leftMs <= 0) {
                return SocketState.CLOSED;
            }
            long perRead = protocol.getConnectionTimeout();
            socket.setReadTimeout(perRead > 0 ? Math.min(perRead, leftMs) : leftMs);
            return state;
        }
    }
}
