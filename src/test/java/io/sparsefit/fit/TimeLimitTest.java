package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code solver.timeLimit}: a fit whose wall-clock budget runs out ends SUCCEEDED with the network
 * reached so far (finished) and stopReason TIME_LIMIT, instead of holding a worker until maxIter; the
 * budget is checked against the configured maximum (1 h by default).
 */
class TimeLimitTest extends ServiceTestBase {

    private static final String DATA = "\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,0,1,0,1,0,1]}";

    @Test
    void aFitThatRunsOutOfTimeEndsWithItsNetworkAndStopReasonTimeLimit() {
        // 10^8 adam steps would take minutes; one second is the budget.
        Http.Answer a = http.postJson("/v1/fits", "{" + DATA + ",\"architecture\":{\"hiddenLayers\":[16]},"
                + "\"solver\":{\"type\":\"adam\",\"maxIter\":100000000,\"tol\":1e-300,\"learningRate\":0.001,\"timeLimit\":1}}");
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        assertThat(a.json().get("request").get("solver").get("timeLimit").asDouble()).isEqualTo(1.0);
        JsonNode fit = http.awaitFinal(a.json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
        Duration ran = Duration.between(Instant.parse(fit.get("startedAt").asString()), Instant.parse(fit.get("finishedAt").asString()));
        assertThat(ran).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(Duration.ofSeconds(30));
        JsonNode diagnostics = http.get("/v1/models/" + fit.get("modelId").asString() + "/diagnostics").json();
        assertThat(diagnostics.get("stopReason").asString()).isEqualTo("TIME_LIMIT");
        assertThat(diagnostics.get("iterations").asInt()).isBetween(1, 99_999_999);
        Http.Answer predict = http.postJson("/v1/models/" + fit.get("modelId").asString() + "/predict", "{\"x\":[[0.5]]}");
        assertThat(predict.status()).isEqualTo(200);
    }

    @Test
    void aFitWithinItsBudgetIsUntouchedAndBadBudgetsAre422() {
        Http.Answer quick = http.postJson("/v1/fits", "{" + DATA + ",\"solver\":{\"type\":\"exact\",\"timeLimit\":600}}");
        JsonNode fit = http.awaitFinal(quick.json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(fit.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(http.get("/v1/models/" + fit.get("modelId").asString() + "/diagnostics").json().get("stopReason").asString())
                .isEqualTo("CONVERGED");
        for (String bad : new String[] {"0", "-1", "3601", "1e9"}) {
            Http.Answer a = http.postJson("/v1/fits", "{" + DATA + ",\"solver\":{\"type\":\"exact\",\"timeLimit\":" + bad + "}}");
            assertThat(a.status()).as(bad + ": " + a.body()).isEqualTo(422);
            assertThat(a.json().get("errors").get(0).get("field").asString()).isEqualTo("solver.timeLimit");
        }
    }
}
