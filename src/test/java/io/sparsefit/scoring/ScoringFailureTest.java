package io.sparsefit.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.sparsefit.support.CoreFailureTestBase;
import io.sparsefit.support.Http;
import io.sparsefit.web.ApiException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.JsonNode;

/**
 * A scoring whose core call (the model's network on a slice of rows) fails ends as a fit does (JobFailure): 422 in the
 * core's words for the core's IllegalArgumentException, 500 "internal error" for anything else, and a 503 queues it
 * again to succeed on its next attempt, with all its predictions.
 */
class ScoringFailureTest extends CoreFailureTestBase {

    @MockitoSpyBean
    ScoringJob runner;

    private JsonNode scoring(Http http, String model, String dataset) {
        Http.Answer submitted = http.postJson("/v1/scorings", Map.of("modelId", model, "datasetId", dataset));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        return http.awaitFinalAt("/v1/scorings/" + submitted.json().get("id").asString(), Duration.ofSeconds(60));
    }

    @Test
    void theCoresRefusalIs422AnyOtherErrorAnInternal500AndA503RunsTheScoringAgain() {
        Http http = http();
        String dataset = http.uploadedCsv("a,y\n0,0\n1,1\n2,0\n3,1\n4,0\n");
        String model = http.smallModel(dataset);

        doAnswer(call -> refuse()).when(runner).score(any(), any());
        assertRefused(scoring(http, model, dataset), "scoring");

        doThrow(new IllegalStateException("secret internals")).when(runner).score(any(), any());
        assertInternal(scoring(http, model, dataset), "scoring", "secret internals");

        clearInvocations(runner);
        doThrow(ApiException.unavailable("the store is busy", 1)).doCallRealMethod().when(runner).score(any(), any());
        JsonNode again = scoring(http, model, dataset);
        assertThat(again.get("state").asString()).as(again.toString()).isEqualTo("SUCCEEDED");
        // Every row predicted once, as the model's own predict answers (the requeued run started over).
        JsonNode items = http.get("/v1/scorings/" + again.get("id").asString() + "/predictions?limit=10").json().get("items");
        JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", "{\"x\":[[0],[1],[2],[3],[4]]}").json().get("y");
        assertThat(items.size()).isEqualTo(5);
        for (int i = 0; i < 5; i++) {
            assertThat(items.get(i).get(0).asDouble()).as("row %d", i).isCloseTo(predicted.get(i).get(0).asDouble(), within(1e-12));
        }
        verify(runner, times(2)).score(any(), any());
    }
}
