package io.sparsefit.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What deleting does to what used the deleted resource (documented in the README), and retention: the
 * cleanup deletes finished fits, paths (with their points), models and datasets past their time to live, and keeps a dataset a
 * queued or running fit still needs. Its own context, as the cleanup deletes everything old.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sparsefit.fits.threads=1",
        "sparsefit.limits.max-iter=100000000",
        "sparsefit.retention.datasets=1d",
        "sparsefit.retention.fits=1d",
        "sparsefit.retention.models=1d",
        "sparsefit.retention.paths=1d",
        "sparsefit.retention.interval=1d",
        "logging.level.io.sparsefit.fit.FitRunner=ERROR"})
class RetentionAndDeletionTest {

    static final String DATASET = "{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]}";

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws java.io.IOException {
        String dir = Files.createTempDirectory("sparsefit-retention-").toString();
        registry.add("sparsefit.data-dir", () -> dir);
    }

    @LocalServerPort
    int port;
    @Autowired
    RetentionCleanup cleanup;
    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;
    Http http;

    @BeforeEach
    void client() {
        http = Http.onPort(port);
    }

    private String[] fitOn(String dataset) {
        Http.Answer submitted = http.postJson("/v1/fits", "{\"datasetId\":\"" + dataset + "\",\"architecture\":{\"hiddenLayers\":[4]},"
                + "\"solver\":{\"maxIter\":200}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode done = http.awaitFinal(submitted.json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return new String[] {done.get("id").asString(), done.get("modelId").asString()};
    }

    /** A small finished exact path (3 points, 2 folds); returns its id and its last point's model id. */
    private String[] pathOn(String dataset) {
        Http.Answer submitted = http.postJson("/v1/paths", "{\"datasetId\":\"" + dataset + "\",\"solver\":{\"type\":\"exact\"},"
                + "\"grid\":{\"count\":3},\"validation\":{\"folds\":2}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        JsonNode done = http.awaitFinalAt("/v1/paths/" + id, Duration.ofSeconds(60));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        return new String[] {id, done.get("points").get(2).get("modelId").asString()};
    }

    private int pathRows(String pathId) {
        return jdbc.sql("select count(*) from path_point where path_id = ?").param(pathId).query(Integer.class).single()
                + jdbc.sql("select count(*) from path_result where path_id = ?").param(pathId).query(Integer.class).single();
    }

    @Test
    void deletingAFinishedPathDeletesItsPointsAndKeepsTheirModels() {
        String dataset = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3],[4],[5]],\"y\":[0,1,0,2,1,3]}").json().get("id").asString();
        String[] path = pathOn(dataset);
        assertThat(pathRows(path[0])).isEqualTo(4);
        assertThat(http.delete("/v1/paths/" + path[0]).status()).isEqualTo(204);
        assertThat(http.get("/v1/paths/" + path[0]).status()).isEqualTo(404);
        assertThat(http.delete("/v1/paths/" + path[0]).status()).isEqualTo(404);
        assertThat(pathRows(path[0])).isZero();
        assertThat(http.postJson("/v1/models/" + path[1] + "/predict", "{\"x\":[[1]]}").status()).isEqualTo(200);
    }

    @Test
    void deletingADatasetAModelOrAFinishedFitLeavesTheOthersAsTheyAre() {
        String dataset = http.postJson("/v1/datasets", DATASET).json().get("id").asString();
        String[] fm = fitOn(dataset);

        // Dataset deleted: the fit keeps its datasetId (now 404), the model still predicts.
        assertThat(http.delete("/v1/datasets/" + dataset).status()).isEqualTo(204);
        assertThat(http.get("/v1/datasets/" + dataset).status()).isEqualTo(404);
        assertThat(http.get("/v1/fits/" + fm[0]).json().get("request").get("datasetId").asString()).isEqualTo(dataset);
        assertThat(http.postJson("/v1/models/" + fm[1] + "/predict", "{\"x\":[[1]]}").status()).isEqualTo(200);
        // The plot without its training data still renders (the network only).
        assertThat(http.get("/v1/models/" + fm[1] + "/plot.svg").status()).isEqualTo(200);

        // Finished fit deleted: 204, then 404; the model stays and keeps its fitId.
        assertThat(http.delete("/v1/fits/" + fm[0]).status()).isEqualTo(204);
        assertThat(http.get("/v1/fits/" + fm[0]).status()).isEqualTo(404);
        assertThat(http.get("/v1/models/" + fm[1]).json().get("fitId").asString()).isEqualTo(fm[0]);

        // Model deleted: a fit that produced it keeps its modelId (now 404).
        String dataset2 = http.postJson("/v1/datasets", DATASET).json().get("id").asString();
        String[] fm2 = fitOn(dataset2);
        assertThat(http.delete("/v1/models/" + fm2[1]).status()).isEqualTo(204);
        assertThat(http.get("/v1/models/" + fm2[1]).status()).isEqualTo(404);
        assertThat(http.get("/v1/fits/" + fm2[0]).json().get("modelId").asString()).isEqualTo(fm2[1]);
    }

    @Test
    void theCleanupDeletesWhatExpiredAndKeepsDataAQueuedOrRunningFitNeeds() {
        String dataset = http.postJson("/v1/datasets", DATASET).json().get("id").asString();
        String[] fm = fitOn(dataset);
        // A finished scoring of that dataset: it follows the fits' time to live, its predictions with it.
        String scoring = http.postJson("/v1/scorings", java.util.Map.of("modelId", fm[1], "datasetId", dataset)).json().get("id").asString();
        assertThat(http.awaitFinalAt("/v1/scorings/" + scoring, Duration.ofSeconds(60)).get("state").asString()).isEqualTo("SUCCEEDED");
        String[] path = pathOn(http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3],[4],[5]],\"y\":[0,1,0,2,1,3]}")
                .json().get("id").asString());
        // A fit that runs for minutes, on its own (inline) dataset.
        String running = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,0,1,0,1,0,1]},"
                + "\"architecture\":{\"hiddenLayers\":[16]},"
                + "\"solver\":{\"type\":\"adam\",\"maxIter\":100000000,\"tol\":1e-300,\"learningRate\":0.001}}").json().get("id").asString();
        JsonNode live = http.awaitRunning(running, Duration.ofSeconds(60));
        String runningData = live.get("request").get("datasetId").asString();
        try {
            // Nothing is a day old yet.
            assertThat(cleanup.run(Instant.now())).isEqualTo(new RetentionCleanup.Deleted(java.util.Map.of("FIT", 0, "PATH", 0, "SCORING", 0), 0, 0));
            assertThat(http.get("/v1/models/" + fm[1]).status()).isEqualTo(200);

            RetentionCleanup.Deleted deleted = cleanup.run(Instant.now().plus(Duration.ofDays(2)));
            assertThat(deleted.jobs().get("FIT")).isGreaterThanOrEqualTo(1);
            assertThat(deleted.jobs().get("SCORING")).isGreaterThanOrEqualTo(1);
            assertThat(deleted.jobs().get("PATH")).isGreaterThanOrEqualTo(1);
            assertThat(http.get("/v1/paths/" + path[0]).status()).isEqualTo(404);
            assertThat(pathRows(path[0])).isZero();
            assertThat(http.get("/v1/models/" + path[1]).status()).isEqualTo(404);
            assertThat(http.get("/v1/fits/" + fm[0]).status()).isEqualTo(404);
            assertThat(http.get("/v1/scorings/" + scoring).status()).isEqualTo(404);
            assertThat(jdbc.sql("select count(*) from scoring_block where scoring_id = ?").param(scoring).query(Integer.class).single())
                    .isZero();
            assertThat(http.get("/v1/models/" + fm[1]).status()).isEqualTo(404);
            assertThat(http.get("/v1/datasets/" + dataset).status()).isEqualTo(404);
            // The running fit and its data stay.
            assertThat(http.get("/v1/fits/" + running).json().get("state").asString()).isEqualTo("RUNNING");
            assertThat(http.get("/v1/datasets/" + runningData).status()).isEqualTo(200);
        } finally {
            http.delete("/v1/fits/" + running);
        }
    }
}
