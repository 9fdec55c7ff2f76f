package io.sparsefit.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceProcess;
import io.sparsefit.support.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A RUNNING scoring in a real process (a child JVM, the packaged service on its embedded H2 file, one worker):
 * <ul>
 *   <li>DELETE while it runs ends it CANCELLED within one slice, with no block of predictions left behind; its
 *       predictions are 409, and once deleted 404;</li>
 *   <li>{@code kill -9} while another one runs (some slices stored, not all), then a new process on the same data
 *       directory: the scoring is queued again at once, ends SUCCEEDED, and its CSV is exactly that of a scoring run
 *       afterwards without interruption, each block stored once; the rows equal JSON predict of the same rows.</li>
 * </ul>
 * The model is deep ({@value #WIDTH} x {@value #WIDTH} hidden units) so that scoring {@value #ROWS} rows takes a few seconds,
 * over {@code ceil(ROWS / SLICE_ROWS)} slices: long enough to be caught running.
 */
class ScoringKillTest {

    private static final int ROWS = 64_000;
    private static final int WIDTH = 384;
    private static final int SLICES = (ROWS + ScoringJob.SLICE_ROWS - 1) / ScoringJob.SLICE_ROWS;

    @TempDir
    Path dataDir;

    private ServiceProcess start() {
        return ServiceProcess.start("scoring", dataDir, List.of("--sparsefit.fits.threads=1", "--sparsefit.limits.max-rows=" + ROWS,
                "--logging.level.io.sparsefit=WARN")).awaitReady(Duration.ofSeconds(120));
    }

    private static String table(int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder(rows * 80).append("a,b,c,d,y\n");
        for (int i = 0; i < rows; i++) {
            double a = rnd.nextDouble(-1, 1);
            double b = rnd.nextDouble(-1, 1);
            double c = rnd.nextDouble(-1, 1);
            double d = rnd.nextDouble(-1, 1);
            csv.append(a).append(',').append(b).append(',').append(c).append(',').append(d).append(',')
                    .append(Math.abs(a + b) - c * d).append('\n');
        }
        return csv.toString();
    }

    private static String upload(Http http, String csv) {
        Http.Answer up = http.send("POST", "/v1/datasets?target=y", "text/csv", csv, Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        return up.json().get("id").asString();
    }

    private static String submit(Http http, String model, String dataset) {
        Http.Answer a = http.postJson("/v1/scorings", Map.of("modelId", model, "datasetId", dataset));
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        return a.json().get("id").asString();
    }

    /** Waits until scoring {@code id} is RUNNING with some slices stored but not all; fails if it finishes first. */
    private static void awaitMidRun(Http http, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode s = http.get("/v1/scorings/" + id).json();
            long rows = s.get("progress").get("rows").asLong();
            assertThat(s.get("state").asString()).as("caught before it finished: %s", s).isIn("QUEUED", "RUNNING");
            if (s.get("state").asString().equals("RUNNING") && rows > 0 && rows < ROWS) {
                return;
            }
            assertThat(System.nanoTime()).as("running after 60 s").isLessThan(deadline);
            Http.sleep(5);
        }
    }

    private static String csv(Http http, String id) {
        Http.Answer a = http.send("GET", "/v1/scorings/" + id + "/predictions", null, null, Map.of("Accept", "text/csv"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.body();
    }

    @Test
    void aRunningScoringIsCancelledWithoutLeftoversAndSurvivesKillNine() throws Exception {
        Assumptions.assumeFalse(TestDatabase.postgres(), "the embedded H2 file of a child JVM");
        String big = table(ROWS, 11);
        String cancelled;
        String killed;
        String model;
        String dataset;
        ServiceProcess first = start();
        try {
            Http http = first.http();
            String train = upload(http, table(200, 3));
            model = http.succeededFit("{\"datasetId\":\"" + train + "\",\"architecture\":{\"hiddenLayers\":[" + WIDTH + "," + WIDTH
                    + "]},\"regularization\":{\"lambda\":0.001},\"solver\":{\"type\":\"adam\",\"maxIter\":1},\"seed\":5}")
                    .get("modelId").asString();
            dataset = upload(http, big);

            cancelled = submit(http, model, dataset);
            awaitMidRun(http, cancelled);
            Http.Answer cancel = http.delete("/v1/scorings/" + cancelled);
            assertThat(cancel.status()).as(cancel.body()).isIn(200, 202);
            JsonNode end = http.awaitFinalAt("/v1/scorings/" + cancelled, Duration.ofSeconds(30));
            assertThat(end.get("state").asString()).isEqualTo("CANCELLED");
            assertThat(end.get("progress").get("rows").asLong()).as("stopped within one slice, before the end").isLessThan(ROWS);
            Http.Answer notYet = http.get("/v1/scorings/" + cancelled + "/predictions");
            assertThat(notYet.status()).isEqualTo(409);
            assertThat(notYet.contentType()).startsWith("application/problem+json");

            killed = submit(http, model, dataset);
            awaitMidRun(http, killed);
        } finally {
            first.kill();
        }
        try (Connection db = h2()) {
            assertThat(ScoringRestartTest.blocks(db, cancelled)).as("blocks of the cancelled scoring").isZero();
            assertThat(ScoringRestartTest.blocks(db, killed)).as("blocks of the scoring at the kill: some, not all").isBetween(1, SLICES - 1);
        }
        String reference;
        try (ServiceProcess second = start()) {
            Http http = second.http();
            JsonNode after = http.awaitFinalAt("/v1/scorings/" + killed, Duration.ofSeconds(60));
            assertThat(after.get("state").asString()).as(after.toString()).isEqualTo("SUCCEEDED");
            assertThat(after.get("progress").get("rows").asLong()).isEqualTo(ROWS);
            String uninterrupted = submit(http, model, dataset);
            assertThat(http.awaitFinalAt("/v1/scorings/" + uninterrupted, Duration.ofSeconds(60)).get("state").asString())
                    .isEqualTo("SUCCEEDED");
            reference = csv(http, uninterrupted);
            String survived = csv(http, killed);
            assertThat(survived.split("\r?\n")).hasSize(ROWS + 1);
            assertThat(survived).isEqualTo(reference);
            // The rows are predict's answers for the same rows (JSON rows by name), to the bit.
            List<Map<String, Double>> head = new ArrayList<>();
            String[] lines = big.split("\n", 202);
            for (int i = 1; i <= 200; i++) {
                String[] cells = lines[i].split(",");
                head.add(Map.of("a", Double.parseDouble(cells[0]), "b", Double.parseDouble(cells[1]), "c", Double.parseDouble(cells[2]),
                        "d", Double.parseDouble(cells[3])));
            }
            JsonNode y = http.postJson("/v1/models/" + model + "/predict", Map.of("rows", head)).json().get("y");
            String[] scored = survived.split("\r?\n", 202);
            for (int i = 0; i < 200; i++) {
                assertThat(Double.parseDouble(scored[i + 1])).as("row %d", i).isEqualTo(y.get(i).get(0).asDouble());
            }
            assertThat(http.delete("/v1/scorings/" + cancelled).status()).isEqualTo(204);
            assertThat(http.get("/v1/scorings/" + cancelled + "/predictions").status()).isEqualTo(404);
        }
        try (Connection db = h2()) {
            assertThat(ScoringRestartTest.blocks(db, killed)).as("blocks of the scoring killed mid-run, after its second run").isEqualTo(SLICES);
        }
    }

    /** The service's H2 file, read once no process holds it. */
    private Connection h2() throws java.sql.SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir + "/sparsefit;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
    }
}
