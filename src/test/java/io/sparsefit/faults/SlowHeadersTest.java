package io.sparsefit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.SparsefitApplication;
import io.sparsefit.support.Http;
import io.sparsefit.support.RestartableService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Clients that send a request's line or headers a byte at a time (every 200 ms, so that Tomcat's per-read
 * {@code connection-timeout} never fires) are cut off once {@code sparsefit.limits.header-read-timeout} (2 s here, 10 s
 * with 50 clients in bench/faults)
 * has passed since their first byte, while other clients are answered as usual, and a keep-alive connection whose
 * requests are each quick is not cut however long it lives. Figures go to target/faults/slow-headers.txt.
 */
class SlowHeadersTest {

    /** The configured deadline: 2 s here, the default 10 s in bench/faults. */
    private static final long DEADLINE_MS = Long.getLong("sparsefit.faults.header-deadline-ms", 2000);
    /** Slow connections at once: 5 here, 50 in bench/faults. */
    private static final int SLOW_CLIENTS = Integer.getInteger("sparsefit.faults.slow-clients", 5);

    @TempDir
    Path dir;

    /**
     * Sends {@code head} a byte every 200 ms, then {@code filler} over and over, and returns the ms until the server
     * closed the connection.
     */
    private static long trickle(int port, String head, String fillerText) throws IOException {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(200);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] bytes = head.getBytes(StandardCharsets.US_ASCII);
            byte[] filler = fillerText.getBytes(StandardCharsets.US_ASCII);
            long start = System.nanoTime();
            for (int i = 0; System.nanoTime() - start < 8 * DEADLINE_MS * 1_000_000; i++) {
                try {
                    out.write(i < bytes.length ? bytes[i] : filler[(i - bytes.length) % filler.length]);
                    out.flush();
                    if (in.read() == -1) {
                        break; // closed by the server
                    }
                    throw new AssertionError("the server answered a request whose headers never ended");
                } catch (SocketTimeoutException stillOpen) {
                    // nothing to read yet: the connection is open
                } catch (IOException reset) {
                    break;
                }
            }
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private static String requestOn(Socket s) throws IOException {
        s.getOutputStream().write("GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[1024];
        while (!sb.toString().endsWith("\r\n0\r\n\r\n")) { // the end of a chunked answer
            int n = s.getInputStream().read(buf);
            if (n < 0) {
                break;
            }
            sb.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return sb.toString();
    }

    @Test
    void slowHeadersAreCutOffAtTheDeadlineAndOthersAreServed() throws Exception {
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SparsefitApplication.class).run(
                "--server.port=0", "--sparsefit.data-dir=" + dir, "--spring.jmx.enabled=false", "--sparsefit.fits.threads=1",
                "--sparsefit.limits.header-read-timeout=" + DEADLINE_MS + "ms")) {
            int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            Http http = RestartableService.http(app);
            ExecutorService pool = Executors.newFixedThreadPool(SLOW_CLIENTS);
            try {
                List<Future<Long>> slow = new ArrayList<>();
                for (int i = 0; i < SLOW_CLIENTS; i++) {
                    // Endless headers, or an endless request line (a URI that never ends).
                    boolean headers = i % 2 == 0;
                    slow.add(pool.submit(() -> headers
                            ? trickle(port, "GET /actuator/health/liveness HTTP/1.1\r\nHost: localhost\r\n", "X-Slow: 0123456789\r\n")
                            : trickle(port, "GET /v1/datasets?limit=1&q=", "a")));
                }
                // Meanwhile a keep-alive connection with three quick requests over more than the deadline, and other clients.
                try (Socket keepAlive = new Socket("localhost", port)) {
                    keepAlive.setSoTimeout(10_000);
                    for (int i = 0; i < 3; i++) {
                        assertThat(requestOn(keepAlive)).startsWith("HTTP/1.1 200").contains("\"UP\"");
                        assertThat(http.get("/v1/datasets?limit=1").status()).isEqualTo(200);
                        Http.sleep(DEADLINE_MS * 3 / 4);
                    }
                }
                List<Long> cutOff = new ArrayList<>();
                for (Future<Long> f : slow) {
                    cutOff.add(f.get());
                }
                assertThat(cutOff).as("ms from the first byte until the server closed").allSatisfy(ms ->
                        assertThat(ms).isBetween(DEADLINE_MS - 250, 4 * DEADLINE_MS));
                Path out = Path.of("target", "faults", "slow-headers.txt");
                Files.createDirectories(out.getParent());
                Files.writeString(out, SLOW_CLIENTS + " slow-header connections (a byte every 200 ms), header-read-timeout " + DEADLINE_MS
                        + " ms: closed after " + cutOff.stream().mapToLong(Long::longValue).min().orElse(0) + " to "
                        + cutOff.stream().mapToLong(Long::longValue).max().orElse(0)
                        + " ms from their first byte; other clients and a keep-alive connection answered 200 meanwhile\n");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
