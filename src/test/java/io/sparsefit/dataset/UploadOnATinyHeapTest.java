package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceProcess;
import io.sparsefit.support.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A CSV upload larger than the heap, in a real process on a small heap (a child JVM at -Xmx256m, as
 * {@link ServiceProcess} starts it; max-rows raised so that only the heap stops it): {@value #ROWS} rows of {@value #COLS}
 * inputs are {@value #ROWS} x {@value #COLS} x 8 bytes = 240 MB once parsed. The answer is a 413 problem+json saying that
 * the table does not fit in the heap (it was a 500 before), and the service stays healthy: readiness, a small upload and a
 * fit work afterwards, and no out-of-memory error reached the log as an unexpected error.
 */
class UploadOnATinyHeapTest {

    private static final int ROWS = 600_000;
    private static final int COLS = 50;

    @TempDir
    Path dataDir;

    private static final byte[] HEAD;
    private static final byte[] ROW;

    static {
        StringBuilder header = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (int j = 0; j < COLS; j++) {
            header.append('x').append(j).append(',');
            line.append(j % 10).append(".5,");
        }
        HEAD = header.append("y\n").toString().getBytes(StandardCharsets.US_ASCII);
        ROW = line.append("1\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The CSV, generated as it is sent (the test's heap never holds it): a header, then ROWS equal lines. */
    private static InputStream bigCsv() {
        byte[] head = HEAD;
        byte[] row = ROW;
        return new InputStream() {
            private long position;
            private final long length = head.length + (long) ROWS * row.length;

            @Override
            public int read() {
                if (position >= length) {
                    return -1;
                }
                long p = position++;
                return p < head.length ? head[(int) p] : row[(int) ((p - head.length) % row.length)];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= length) {
                    return -1;
                }
                int n = 0;
                while (n < len && position < length) {
                    b[off + n++] = (byte) read();
                }
                return n;
            }
        };
    }

    /**
     * POSTs the big CSV over a plain socket, reading the answer while the body is still being sent, as curl does: the service
     * answers 413 before the body ends and closes the connection, which makes a client that reads only after sending (the
     * JDK's HttpClient) fail with a broken pipe. Returns the status line, the headers and the body (de-chunked).
     */
    private static String[] postEarlyAnswered(int port, String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
            socket.setSoTimeout(120_000);
            long length = HEAD.length + (long) ROWS * ROW.length;
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\nContent-Length: " + length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread sender = new Thread(() -> {
                try (InputStream body = bigCsv()) {
                    body.transferTo(out);
                    out.flush();
                } catch (java.io.IOException closedByTheService) {
                    // expected once the service has answered
                }
            }, "big-csv-sender");
            sender.start();
            byte[] all = socket.getInputStream().readAllBytes();
            sender.join(120_000);
            String text = new String(all, StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head = text.substring(0, end);
            String body = text.substring(end + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                StringBuilder joined = new StringBuilder();
                int at = 0;
                while (true) {
                    int eol = body.indexOf("\r\n", at);
                    int size = Integer.parseInt(body.substring(at, eol).trim(), 16);
                    if (size == 0) {
                        break;
                    }
                    joined.append(body, eol + 2, eol + 2 + size);
                    at = eol + 2 + size + 2;
                }
                body = joined.toString();
            }
            return new String[] {head.lines().findFirst().orElse(""), head, body};
        }
    }

    @Test
    void anUploadThatCannotFitIs413AndTheServiceStaysHealthy() throws Exception {
        Assumptions.assumeFalse(TestDatabase.postgres(), "a child JVM on its embedded H2");
        try (ServiceProcess service = ServiceProcess.start("tiny-heap", dataDir, List.of("--sparsefit.limits.max-rows=1000000",
                "--sparsefit.fits.threads=1")).awaitReady(Duration.ofSeconds(120))) {
            Http http = service.http();
            String[] answer = postEarlyAnswered(Integer.parseInt(http.base().replaceAll(".*:", "")), "/v1/datasets?target=y");
            assertThat(answer[0]).as(answer[2]).contains(" 413 ");
            assertThat(answer[1].toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/problem+json");
            JsonNode problem = Http.JSON.readTree(answer[2]);
            assertThat(problem.get("detail").asString()).contains("does not fit in the service's memory").contains("-Xmx");
            assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("body");

            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            Http.Answer small = http.send("POST", "/v1/datasets?target=y", "text/csv", "a,y\n0,1\n1,0\n2,1\n3,3\n", Map.of());
            assertThat(small.status()).as(small.body()).isEqualTo(201);
            assertThat(http.succeededFit("{\"datasetId\":\"" + small.json().get("id").asString() + "\",\"solver\":{\"type\":\"exact\"}}")
                    .get("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(Files.readString(service.logFile())).doesNotContain("Unexpected error");
        }
    }
}
