package io.sparsefit.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.RestartableService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A scoring survives a restart like a path does ({@code path.PathRestartTest}): scorings are rows of the fit queue (kind
 * SCORING). With one worker and a dataset stored in many chunks (a 4 KB chunk size: {@value #ROWS} rows of 3 inputs in
 * 18 chunks, so 18 blocks of predictions):
 * <ul>
 *   <li>a queued scoring is cancelled at once by DELETE (200, CANCELLED, its predictions 409), then deleted (204);</li>
 *   <li>a scoring left RUNNING by a crashed process (owner 'crashed-process', lease expired, a block of wrong numbers
 *       and the later blocks missing, as a kill -9 mid-run leaves them) and a scoring QUEUED behind a long fit when the
 *       application stopped both end SUCCEEDED after the restart, with exactly the predictions CSV of a run that was
 *       never interrupted, every block once.</li>
 * </ul>
 */
class ScoringRestartTest {

    private static final int ROWS = 3000;
    private static final int BLOCKS = 18; // ceil(3000 / floor(4096 / (8 * 3)))

    @TempDir
    Path dataDir;

    private RestartableService service;

    private ConfigurableApplicationContext start() {
        if (service == null) {
            service = new RestartableService(dataDir);
        }
        return service.start("--sparsefit.uploads.chunk-size=4KB", "--sparsefit.limits.max-iter=100000000",
                "--logging.level.io.sparsefit.fit.FitRunner=ERROR");
    }

    private static String table() {
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder csv = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < ROWS; i++) {
            double a = rnd.nextDouble(-1, 1);
            double b = rnd.nextDouble(-1, 1);
            double c = rnd.nextDouble(-1, 1);
            csv.append(a).append(',').append(b).append(',').append(c).append(',').append(Math.abs(a + b) - c).append('\n');
        }
        return csv.toString();
    }

    private static String submit(Http http, String modelId, String datasetId, String expectedState) {
        Http.Answer a = http.postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", datasetId));
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        if (expectedState != null) {
            assertThat(a.json().get("state").asString()).isEqualTo(expectedState);
        }
        return a.json().get("id").asString();
    }

    private static String csv(Http http, String scoringId) {
        Http.Answer a = http.send("GET", "/v1/scorings/" + scoringId + "/predictions", null, null, Map.of("Accept", "text/csv"));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.body();
    }

    /** Blocks stored for a scoring, checking that each index is there once (also ScoringKillTest's). */
    static int blocks(Connection c, String scoringId) throws Exception {
        try (PreparedStatement s = c.prepareStatement("select count(*), count(distinct idx) from scoring_block where scoring_id = ?")) {
            s.setString(1, scoringId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(rs.getInt(2));
                return rs.getInt(1);
            }
        }
    }

    @Test
    void queuedAndCrashedScoringsFinishAfterARestartWithThePredictionsOfAnUninterruptedRun() throws Exception {
        String reference;
        String crashed;
        String queued;
        String longFit;
        String model;
        try (ConfigurableApplicationContext first = start()) {
            Http http = RestartableService.http(first);
            Http.Answer up = http.send("POST", "/v1/datasets?target=y", "text/csv", table(), Map.of());
            assertThat(up.status()).as(up.body()).isEqualTo(201);
            String dataset = up.json().get("id").asString();
            model = http.succeededFit("{\"datasetId\":\"" + dataset + "\",\"architecture\":{\"hiddenLayers\":[8]},"
                    + "\"regularization\":{\"lambda\":0.01},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":50},\"seed\":3}").get("modelId").asString();
            crashed = submit(http, model, dataset, null);
            assertThat(http.awaitFinalAt("/v1/scorings/" + crashed, Duration.ofSeconds(60)).get("state").asString()).isEqualTo("SUCCEEDED");
            reference = csv(http, crashed);
            assertThat(reference.split("\r?\n")).hasSize(ROWS + 1);

            // A long fit holds the only worker: scorings wait in the queue.
            longFit = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,3,2,4,1,0,2]},"
                    + "\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"adam\",\"maxIter\":50000000,\"tol\":1e-300,"
                    + "\"learningRate\":0.001},\"seed\":3}").json().get("id").asString();
            http.awaitRunning(longFit, Duration.ofSeconds(30));
            String cancelled = submit(http, model, dataset, "QUEUED");
            Http.Answer cancel = http.delete("/v1/scorings/" + cancelled);
            assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
            assertThat(cancel.json().get("state").asString()).isEqualTo("CANCELLED");
            assertThat(http.get("/v1/scorings/" + cancelled + "/predictions").status()).isEqualTo(409);
            assertThat(http.delete("/v1/scorings/" + cancelled).status()).isEqualTo(204);
            assertThat(http.get("/v1/scorings/" + cancelled).status()).isEqualTo(404);

            queued = submit(http, model, dataset, "QUEUED");
            assertThat(http.get("/v1/fits/" + longFit).json().get("state").asString()).isEqualTo("RUNNING");
        }

        try (Connection c = service.connect()) {
            assertThat(blocks(c, crashed)).isEqualTo(BLOCKS);
            // The long fit is done with (it would hold the worker again after the restart).
            try (PreparedStatement s = c.prepareStatement("update fit set state = 'CANCELLED', finished_at = ?, owner = null where id = ?")) {
                s.setTimestamp(1, Timestamp.from(Instant.now()));
                s.setString(2, longFit);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            // As a kill -9 mid-run leaves it: RUNNING, owned by a dead process whose lease ran out, some blocks written,
            // one of them with other numbers (a block of zeros), the later ones missing.
            try (PreparedStatement s = c.prepareStatement("update fit set state = 'RUNNING', owner = 'crashed-process', lease_until = ?, "
                    + "finished_at = null, attempts = 1 where id = ?")) {
                s.setTimestamp(1, Timestamp.from(Instant.now().minusSeconds(1)));
                s.setString(2, crashed);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement s = c.prepareStatement("delete from scoring_block where scoring_id = ? and idx > 5")) {
                s.setString(1, crashed);
                assertThat(s.executeUpdate()).isEqualTo(BLOCKS - 6);
            }
            try (PreparedStatement s = c.prepareStatement("update scoring_block set y_data = ? where scoring_id = ? and idx = 0")) {
                s.setBytes(1, io.sparsefit.dataset.MatrixCodec.encode(new double[170], 170, 1));
                s.setString(2, crashed);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }

        try (ConfigurableApplicationContext second = start()) {
            Http http = RestartableService.http(second);
            for (String id : new String[] {crashed, queued}) {
                var scoring = http.awaitFinalAt("/v1/scorings/" + id, Duration.ofSeconds(60));
                assertThat(scoring.get("state").asString()).as(scoring.toString()).isEqualTo("SUCCEEDED");
                assertThat(scoring.get("progress").get("rows").asLong()).isEqualTo(ROWS);
                assertThat(csv(http, id)).as("predictions of %s", id).isEqualTo(reference);
            }
        }
        try (Connection c = service.connect()) {
            assertThat(blocks(c, crashed)).isEqualTo(BLOCKS);
            assertThat(blocks(c, queued)).isEqualTo(BLOCKS);
        }
    }
}
