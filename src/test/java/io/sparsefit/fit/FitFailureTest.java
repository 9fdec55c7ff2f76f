package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.junit.jupiter.api.Test;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.JsonNode;

/**
 * A fit whose core call fails, through the queue's one mapping (JobFailure): the core's IllegalArgumentException (settings
 * the submit checks let through) ends it FAILED 422 in the core's words; any other exception FAILED 500 "internal error",
 * its message not shown; a 503 out of the run (a transient store fault) queues it again, and its next attempt succeeds.
 */
class FitFailureTest extends CoreFailureTestBase {

    @MockitoSpyBean
    FitRunner runner;

    private JsonNode fit(Http http, String dataset, int seed) {
        Http.Answer submitted = http.postJson("/v1/fits", "{\"datasetId\":\"" + dataset + "\",\"solver\":{\"type\":\"exact\"},\"seed\":" + seed + "}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        return http.awaitFinal(submitted.json().get("id").asString(), Duration.ofSeconds(60));
    }

    @Test
    void theCoresRefusalIs422AnyOtherErrorAnInternal500AndA503RunsTheFitAgain() {
        Http http = http();
        String dataset = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]}").json().get("id").asString();

        doAnswer(call -> refuse()).when(runner).solve(any(), any(), any(), any());
        assertRefused(fit(http, dataset, 1), "fit");

        doThrow(new IllegalStateException("secret internals")).when(runner).solve(any(), any(), any(), any());
        assertInternal(fit(http, dataset, 2), "fit", "secret internals");

        clearInvocations(runner);
        doThrow(ApiException.unavailable("the store is busy", 1)).doCallRealMethod().when(runner).solve(any(), any(), any(), any());
        JsonNode again = fit(http, dataset, 3);
        assertThat(again.get("state").asString()).as(again.toString()).isEqualTo("SUCCEEDED");
        assertThat(again.get("modelId").isNull()).isFalse();
        verify(runner, times(2)).solve(any(), any(), any(), any());
    }
}
