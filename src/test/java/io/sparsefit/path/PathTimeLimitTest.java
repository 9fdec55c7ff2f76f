package io.sparsefit.path;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A path's wall-clock budget ({@code solver.timeLimit}, at most {@code sparsefit.limits.max-time-limit}) bounds the whole
 * path: when it runs out the path ends SUCCEEDED with the points done, {@code stopReason} TIME_LIMIT and its choices
 * among them, or FAILED with a 422 problem naming the budget when no point was done (a DELETE within the budget still ends
 * it CANCELLED: PathLifecycleTest).
 * No timing is asserted: only what the budget leaves behind.
 */
class PathTimeLimitTest extends ServiceTestBase {

    /**
     * 200 lambdas from 1 down: far more points than a 5 s budget holds when each runs 2 x 100000 adam steps, and the first
     * one done well within it (measured at 2 x 50000 steps in 3 s on the shared 2-core machine: 8 to 32 points, so here
     * about 0.2 to 0.75 s a point: 200 points would need a machine about 7x faster, none one about 7x slower).
     */
    private static List<Double> lambdas() {
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            out.add(Math.pow(10, -3.0 * i / 199));
        }
        return out;
    }

    private static Map<String, Object> adamPath(int maxIter, double timeLimit) {
        Map<String, Object> solver = Map.of("type", "adam", "maxIter", maxIter, "tol", 1e-300, "learningRate", 0.01, "timeLimit", timeLimit);
        return Map.of("data", PathLifecycleTest.data(40, 5), "architecture", Map.of("hiddenLayers", List.of(8)), "solver", solver,
                "lambdas", lambdas(), "validation", Map.of("fraction", 0.25), "seed", 2);
    }

    @Test
    void aPathThatRunsOutOfTimeSucceedsWithThePointsDoneAndChoosesAmongThem() {
        Http.Answer submitted = http.postJson("/v1/paths", adamPath(100_000, 5.0));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        assertThat(submitted.json().get("request").get("solver").get("timeLimit").asDouble()).isEqualTo(5.0);
        String id = submitted.json().get("id").asString();
        JsonNode path = http.awaitFinalAt("/v1/paths/" + id, Duration.ofSeconds(120));
        assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("SUCCEEDED");
        assertThat(path.get("stopReason").asString()).isEqualTo("TIME_LIMIT");
        JsonNode points = path.get("points");
        assertThat(points.size()).as("fewer points than asked, at least one").isBetween(1, 199);
        assertThat(path.get("progress").get("points").asInt()).isEqualTo(points.size());
        assertThat(path.get("progress").get("totalPoints").asInt()).isEqualTo(200);
        // The points done are the first lambdas, in order, each complete: its own model, validated.
        List<Double> asked = lambdas();
        for (int i = 0; i < points.size(); i++) {
            JsonNode p = points.get(i);
            assertThat(p.get("lambda").asDouble()).isEqualTo(asked.get(i));
            assertThat(p.get("validationMse").get("mean").asDouble()).isPositive();
            assertThat(http.get("/v1/models/" + p.get("modelId").asString()).status()).isEqualTo(200);
        }
        // The choices, recomputed here from the points done (least mean validation error; the largest lambda within one
        // standard error of it), are the path's.
        int best = 0;
        for (int i = 1; i < points.size(); i++) {
            if (points.get(i).get("validationMse").get("mean").asDouble() < points.get(best).get("validationMse").get("mean").asDouble()) {
                best = i;
            }
        }
        JsonNode bestError = points.get(best).get("validationMse");
        double bound = bestError.get("mean").asDouble() + bestError.get("standardError").asDouble();
        int oneSe = best;
        for (int i = 0; i < points.size(); i++) {
            if (points.get(i).get("validationMse").get("mean").asDouble() <= bound
                    && points.get(i).get("lambda").asDouble() > points.get(oneSe).get("lambda").asDouble()) {
                oneSe = i;
            }
        }
        assertThat(path.get("best").get("index").asInt()).isEqualTo(best);
        assertThat(path.get("oneSe").get("index").asInt()).isEqualTo(oneSe);
        assertThat(path.get("chosen").get("modelId").asString()).isEqualTo(points.get(oneSe).get("modelId").asString());
        assertThat(path.get("error").isNull()).isTrue();
    }

    @Test
    void aPathOutOfTimeBeforeItsFirstPointFailsWithAProblemNamingTheBudget() {
        // 10^8 adam steps per fit: the first point cannot be done within one second.
        Http.Answer submitted = http.postJson("/v1/paths", adamPath(100_000_000, 1.0));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode path = http.awaitFinalAt("/v1/paths/" + submitted.json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("FAILED");
        assertThat(path.get("points").size()).isZero();
        assertThat(path.get("chosen").isNull()).isTrue();
        assertThat(path.get("stopReason").isNull()).isTrue();
        JsonNode error = path.get("error");
        assertThat(error.get("status").asInt()).isEqualTo(422);
        assertThat(error.get("detail").asString()).contains("solver.timeLimit 1.0 s");
    }

    @Test
    void aPathWithinItsBudgetIsUntouchedAndABudgetAboveTheMaximumIs422() {
        Map<String, Object> data = PathLifecycleTest.data(30, 6);
        Http.Answer submitted = http.postJson("/v1/paths", Map.of("data", data, "solver", Map.of("type", "exact", "timeLimit", 600),
                "grid", Map.of("count", 4), "validation", Map.of("folds", 3)));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode path = http.awaitFinalAt("/v1/paths/" + submitted.json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("SUCCEEDED");
        assertThat(path.get("points").size()).isEqualTo(4);
        assertThat(path.get("stopReason").isNull()).isTrue();
        Http.Answer tooLong = http.postJson("/v1/paths", Map.of("data", data, "solver", Map.of("type", "exact", "timeLimit", 3601)));
        assertThat(tooLong.status()).as(tooLong.body()).isEqualTo(422);
        assertThat(tooLong.json().get("errors").get(0).get("field").asString()).isEqualTo("solver.timeLimit");
    }
}
