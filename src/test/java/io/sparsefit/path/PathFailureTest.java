package io.sparsefit.path;

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
 * A path whose core call fails ends as a fit does (JobFailure): 422 in the core's words for the core's
 * IllegalArgumentException, 500 "internal error" for anything else, and a 503 queues it again to succeed on its next attempt.
 */
class PathFailureTest extends CoreFailureTestBase {

    @MockitoSpyBean
    PathJob runner;

    private JsonNode path(Http http, String dataset) {
        Http.Answer submitted = http.postJson("/v1/paths", "{\"datasetId\":\"" + dataset + "\",\"solver\":{\"type\":\"exact\"},"
                + "\"grid\":{\"count\":3},\"validation\":{\"folds\":2}}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        return http.awaitFinalAt("/v1/paths/" + submitted.json().get("id").asString(), Duration.ofSeconds(60));
    }

    @Test
    void theCoresRefusalIs422AnyOtherErrorAnInternal500AndA503RunsThePathAgain() {
        Http http = http();
        String dataset = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3],[4],[5]],\"y\":[0,1,0,2,1,3]}").json().get("id").asString();

        doAnswer(call -> refuse()).when(runner).trace(any(), any(), any(), any());
        assertRefused(path(http, dataset), "path");

        doThrow(new IllegalStateException("secret internals")).when(runner).trace(any(), any(), any(), any());
        assertInternal(path(http, dataset), "path", "secret internals");

        clearInvocations(runner);
        doThrow(ApiException.unavailable("the store is busy", 1)).doCallRealMethod().when(runner).trace(any(), any(), any(), any());
        JsonNode again = path(http, dataset);
        assertThat(again.get("state").asString()).as(again.toString()).isEqualTo("SUCCEEDED");
        assertThat(again.get("points")).hasSize(3);
        verify(runner, times(2)).trace(any(), any(), any(), any());
    }
}
