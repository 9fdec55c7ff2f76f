package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A dataset deleted while a fit on it waits in the queue (allowed: "fits already queued on it fail") ends the fit FAILED
 * with the dataset's own 404 problem, through the queue's one mapping of an expected error (JobExecution), as for a
 * path or a scoring. Both workers of the test service are kept busy with long fits so that the fit stays queued.
 */
class DatasetDeletedBeforeTheFitRanTest extends ServiceTestBase {

    @Test
    void theQueuedFitEndsFailedWithTheDatasets404() {
        String[] busy = new String[2];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = http.postJson("/v1/fits", FitLifecycleTest.LONG_FIT).json().get("id").asString();
            http.awaitRunning(busy[i], Duration.ofSeconds(30));
        }
        String dataset = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]}").json().get("id").asString();
        Http.Answer submitted = http.postJson("/v1/fits", "{\"datasetId\":\"" + dataset + "\",\"solver\":{\"type\":\"exact\"}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String fit = submitted.json().get("id").asString();
        assertThat(http.get("/v1/fits/" + fit).json().get("state").asString()).isEqualTo("QUEUED");
        assertThat(http.delete("/v1/datasets/" + dataset).status()).isEqualTo(204);
        for (String id : busy) {
            assertThat(http.delete("/v1/fits/" + id).status()).isIn(200, 202);
        }

        JsonNode failed = http.awaitFinal(fit, Duration.ofSeconds(60));
        assertThat(failed.get("state").asString()).as(failed.toString()).isEqualTo("FAILED");
        JsonNode error = failed.get("error");
        assertThat(error.get("status").asInt()).isEqualTo(404);
        assertThat(error.get("title").asString()).isEqualTo("Fit failed");
        assertThat(error.get("detail").asString()).isEqualTo("dataset '" + dataset + "' does not exist");
        assertThat(error.get("type").asString()).isEqualTo("https://sparsefit.io/problems/fit-failed");
        assertThat(error.get("instance").asString()).isEqualTo("/v1/fits/" + fit);
        assertThat(failed.get("modelId").isNull()).isTrue();
    }
}
