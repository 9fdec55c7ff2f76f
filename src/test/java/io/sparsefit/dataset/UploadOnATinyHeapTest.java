package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceProcess;
import io.sparsefit.support.TestDatabase;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A CSV upload larger than the heap, in a real process on a small heap (a child JVM at -Xmx{@value #HEAP}, the default
 * {@code sparsefit.uploads.max-rows} of 10^6): {@value #ROWS} rows of {@value #COLS} inputs are {@value #ROWS} x
 * {@value #COLS} x 8 bytes = 160 MB once parsed, as much as the whole heap (the service itself needs about 50 MB).
 * Streamed into the store a chunk at a time, it
 * is taken (201; it was a 413 when an upload was held whole), with the sha256 and column moments computed here from the
 * generated cells; then a model fitted on a small table with the same columns scores all its rows (a scoring job), and
 * the dataset downloads as CSV, both streamed from the store, and no out-of-memory error or unexpected error is logged.
 * The child runs the serial collector ({@link ServiceProcess}); with G1 at this heap H2's own write buffer (about 25 MB
 * at commit, docs/benchmarks.md) does not find room, so the heap a deployment needs for such a table is larger.
 */
class UploadOnATinyHeapTest {

    private static final String HEAP = "160m";
    private static final int ROWS = 1_000_000;
    private static final int COLS = 20;

    @TempDir
    Path dataDir;

    /** Cell (i, j) of the inputs: one of 0.5, 1.5, ..., 9.5 (short text, so the body is about 82 MB). */
    private static double cell(long i, int j) {
        return (i * 7 + j * 3 + i / 1000) % 10 + 0.5;
    }

    /** The target of row i: an integer-free kinked function of two inputs. */
    private static double target(long i) {
        return Math.abs(cell(i, 0) - 5) + 0.25 * cell(i, 1);
    }

    private static String line(long i) {
        StringBuilder line = new StringBuilder();
        for (int j = 0; j < COLS; j++) {
            line.append(cell(i, j)).append(',');
        }
        return line.append(target(i)).append('\n').toString();
    }

    private static String header() {
        StringBuilder header = new StringBuilder();
        for (int j = 0; j < COLS; j++) {
            header.append('x').append(j).append(',');
        }
        return header.append("y\n").toString();
    }

    /** The CSV of {@code rows} rows, generated as it is sent (the test's heap never holds it). */
    private static InputStream csv(int rows) {
        return new InputStream() {
            private byte[] current = header().getBytes(StandardCharsets.US_ASCII);
            private int at;
            private long next;

            private boolean fill() {
                while (at == current.length) {
                    if (next == rows) {
                        return false;
                    }
                    current = line(next++).getBytes(StandardCharsets.US_ASCII);
                    at = 0;
                }
                return true;
            }

            @Override
            public int read() {
                return fill() ? current[at++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (!fill()) {
                    return -1;
                }
                int n = 0;
                while (n < len && fill()) {
                    int k = Math.min(len - n, current.length - at);
                    System.arraycopy(current, at, b, off + n, k);
                    at += k;
                    n += k;
                }
                return n;
            }
        };
    }

    @Test
    void anUploadLargerThanTheHeapIsStoredScoredAndDownloaded() throws Exception {
        Assumptions.assumeFalse(TestDatabase.postgres(), "a child JVM on its embedded H2");
        try (ServiceProcess service = ServiceProcess.start("tiny-heap", dataDir, HEAP, List.of("--sparsefit.fits.threads=1"))
                .awaitReady(Duration.ofSeconds(120))) {
            Http http = service.http();
            HttpClient client = HttpClient.newHttpClient();
            HttpResponse<String> up = client.send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/datasets?target=y&name=big"))
                    .header("Content-Type", "text/csv").timeout(Duration.ofMinutes(5))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> csv(ROWS))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(up.statusCode()).as(up.body()).isEqualTo(201);
            JsonNode big = Http.JSON.readTree(up.body());
            assertThat(big.get("rows").asInt()).isEqualTo(ROWS);
            assertThat(big.get("inputDim").asInt()).isEqualTo(COLS);

            // The sha256 of the stored x and y and the first column's moments, from the cells as generated.
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer row = ByteBuffer.allocate(8 * COLS).order(ByteOrder.LITTLE_ENDIAN);
            sha.update(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).put(new byte[] {'S', 'F', 'M', '1'}).putInt(ROWS)
                    .putInt(COLS).array());
            double sum = 0;
            for (long i = 0; i < ROWS; i++) {
                row.clear();
                for (int j = 0; j < COLS; j++) {
                    row.putDouble(cell(i, j));
                }
                sha.update(row.array());
                sum += cell(i, 0);
            }
            double mean = sum / ROWS;
            double squares = 0;
            for (long i = 0; i < ROWS; i++) {
                squares += (cell(i, 0) - mean) * (cell(i, 0) - mean);
            }
            ByteBuffer y = ByteBuffer.allocate(12 + 8 * ROWS).order(ByteOrder.LITTLE_ENDIAN);
            y.put(new byte[] {'S', 'F', 'M', '1'}).putInt(ROWS).putInt(1);
            for (long i = 0; i < ROWS; i++) {
                y.putDouble(target(i));
            }
            sha.update(y.array());
            assertThat(big.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
            assertThat(big.get("inputs").get(0).get("mean").asDouble()).isEqualTo(mean);
            assertThat(big.get("inputs").get(0).get("std").asDouble()).isEqualTo(Math.sqrt(squares / ROWS));

            // A model of the same columns, fitted on the first 500 rows, scores every row of the big dataset.
            StringBuilder small = new StringBuilder(header());
            for (int i = 0; i < 500; i++) {
                small.append(line(i));
            }
            Http.Answer smallUp = http.send("POST", "/v1/datasets?target=y", "text/csv", small.toString(), Map.of());
            assertThat(smallUp.status()).as(smallUp.body()).isEqualTo(201);
            JsonNode fit = http.succeededFit("{\"datasetId\":\"" + smallUp.json().get("id").asString() + "\",\"architecture\":"
                    + "{\"hiddenLayers\":[4]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":30},\"seed\":1}");
            String modelId = fit.get("modelId").asString();
            Http.Answer scoring = http.postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", big.get("id").asString()));
            assertThat(scoring.status()).as(scoring.body()).isEqualTo(202);
            String scoringId = scoring.json().get("id").asString();
            assertThat(http.awaitFinalAt("/v1/scorings/" + scoringId, Duration.ofMinutes(3)).get("state").asString()).isEqualTo("SUCCEEDED");
            long lastRow = ROWS - 1;
            double[] expected = {predict(http, modelId, 0), predict(http, modelId, lastRow)};
            double[] scored = new double[2];
            long lines = readLines(client, http.base() + "/v1/scorings/" + scoringId + "/predictions", (text, i) -> {
                if (i == 1 || i == ROWS) {
                    scored[i == 1 ? 0 : 1] = Double.parseDouble(text);
                }
            });
            assertThat(lines).isEqualTo(ROWS + 1);
            assertThat(scored).containsExactly(expected);

            // The dataset's CSV download: every line as generated (numbers written back in Java's shortest form).
            long[] mismatches = {0};
            long dataLines = readLines(client, http.base() + "/v1/datasets/" + big.get("id").asString() + "/data", (text, i) -> {
                String want = i == 0 ? header().strip() : line(i - 1).strip();
                if (!text.equals(want) && mismatches[0]++ == 0) {
                    assertThat(text).as("line %d of the download", i + 1).isEqualTo(want);
                }
            });
            assertThat(dataLines).isEqualTo(ROWS + 1);
            assertThat(mismatches[0]).isZero();

            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            String log = Files.readString(service.logFile());
            assertThat(log).doesNotContain("Unexpected error").doesNotContain("OutOfMemoryError").doesNotContain("Out of memory");
        }
    }

    /** The model's JSON predict of generated row {@code i}. */
    private static double predict(Http http, String modelId, long i) {
        double[] x = new double[COLS];
        for (int j = 0; j < COLS; j++) {
            x[j] = cell(i, j);
        }
        Http.Answer answer = http.postJson("/v1/models/" + modelId + "/predict", Map.of("x", List.of(x)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("y").get(0).get(0).asDouble();
    }

    /** GETs {@code url} as text/csv (200 expected) and hands each line (numbered from 0) to {@code each}; returns the count. */
    private static long readLines(HttpClient client, String url, java.util.function.ObjLongConsumer<String> each) throws Exception {
        HttpResponse<InputStream> answer = client.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/csv")
                .timeout(Duration.ofMinutes(3)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(answer.statusCode()).isEqualTo(200);
        long n = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(answer.body(), StandardCharsets.UTF_8))) {
            for (String text = reader.readLine(); text != null; text = reader.readLine()) {
                each.accept(text, n++);
            }
        }
        return n;
    }
}
