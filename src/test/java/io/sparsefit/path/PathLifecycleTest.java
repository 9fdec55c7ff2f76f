package io.sparsefit.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Paths over real HTTP: points equal single fits, choices, models, validation errors, cancellation, fits untouched. */
class PathLifecycleTest extends ServiceTestBase {

    static Map<String, Object> data(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[n][1];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = rnd.nextDouble(-2, 2);
            y[i] = Math.abs(x[i][0]) - 0.5 * Math.max(0, x[i][0] - 1) + 0.1 * rnd.nextGaussian();
        }
        return Map.of("x", x, "y", y);
    }

    private JsonNode predict(String modelId, double[][] x) {
        return http.postJson("/v1/models/" + modelId + "/predict", Map.of("x", x)).json();
    }

    @Test
    void anExactPathsPointsEqualSingleExactFitsAndItsModelsAreServed() {
        Map<String, Object> data = data(40, 1);
        Http.Answer submitted = http.postJson("/v1/paths", Map.of("data", data, "solver", Map.of("type", "exact", "tol", 1e-12),
                "grid", Map.of("count", 6, "minRatio", 0.01), "validation", Map.of("folds", 4), "seed", 3));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        assertThat(submitted.header("Location")).isEqualTo("/v1/paths/" + id);
        JsonNode path = http.awaitFinalAt("/v1/paths/" + id, Duration.ofSeconds(60));
        assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("SUCCEEDED");
        assertThat(path.get("solver").asString()).isEqualTo("exact");
        JsonNode points = path.get("points");
        assertThat(points.size()).isEqualTo(6);
        assertThat(path.get("progress").get("points").asInt()).isEqualTo(6);
        assertThat(points.get(0).get("lambda").asDouble()).isEqualTo(path.get("lambdaMax").asDouble());
        assertThat(points.get(0).get("activeNeurons").asInt()).as("lambda_max: the affine fit (T6)").isZero();
        assertThat(path.get("breakpoints").size()).isGreaterThan(2);
        double[][] x = (double[][]) data.get("x");
        for (JsonNode point : points) {
            double lambda = point.get("lambda").asDouble();
            JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", Map.of("data", data,
                    "solver", Map.of("type", "exact", "tol", 1e-12),
                    "regularization", Map.of("type", "weight_decay", "lambda", lambda))).json().get("id").asString(),
                    Duration.ofSeconds(30));
            JsonNode single = predict(fit.get("modelId").asString(), x).get("y");
            JsonNode fromPath = predict(point.get("modelId").asString(), x).get("y");
            for (int i = 0; i < x.length; i++) {
                assertThat(fromPath.get(i).get(0).asDouble()).as("lambda " + lambda)
                        .isCloseTo(single.get(i).get(0).asDouble(), within(1e-9));
            }
            assertThat(point.get("validationMse").get("mean").asDouble()).isPositive();
            assertThat(point.get("certificate").get("gap").asDouble()).isLessThan(1e-8);
        }
        JsonNode chosen = path.get("chosen");
        assertThat(chosen.get("lambda").asDouble()).isEqualTo(path.get("oneSe").get("lambda").asDouble());
        assertThat(path.get("oneSe").get("lambda").asDouble()).isGreaterThanOrEqualTo(path.get("best").get("lambda").asDouble());
        assertThat(http.get("/v1/models/" + chosen.get("modelId").asString()).status()).isEqualTo(200);
        // A path is not a fit.
        assertThat(http.get("/v1/fits/" + id).status()).isEqualTo(404);
        assertThat(http.get("/v1/fits?limit=1000").body()).doesNotContain(id);
    }

    @Test
    void invalidRequestsAreProblemsAndNothingIsQueued() {
        Map<String, Object> data = data(10, 2);
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {Map.of("data", data, "regularization", Map.of("type", "none")), "regularization.type"});
        cases.add(new Object[] {Map.of("data", data, "grid", Map.of("count", 0)), "grid.count"});
        cases.add(new Object[] {Map.of("data", data, "grid", Map.of("minRatio", 1.5)), "grid.minRatio"});
        cases.add(new Object[] {Map.of("data", data, "lambdas", List.of(0.1, -1.0)), "lambdas[1]"});
        cases.add(new Object[] {Map.of("data", data, "lambdas", List.of(0.1), "grid", Map.of("count", 3)), "grid"});
        cases.add(new Object[] {Map.of("data", data, "validation", Map.of("folds", 1)), "validation.folds"});
        cases.add(new Object[] {Map.of("data", data, "validation", Map.of("folds", 11)), "validation.folds"});
        cases.add(new Object[] {Map.of("data", data, "choice", "worst"), "choice"});
        cases.add(new Object[] {Map.of("datasetId", "nope"), "datasetId"});
        for (Object[] c : cases) {
            Http.Answer a = http.postJson("/v1/paths", c[0]);
            assertThat(a.status()).as(a.body()).isEqualTo(422);
            assertThat(a.contentType()).startsWith("application/problem+json");
            assertThat(a.body()).contains("\"" + c[1] + "\"");
        }
        Http.Answer malformed = http.postJson("/v1/paths", "{\"data\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(http.get("/v1/paths/does-not-exist").status()).isEqualTo(404);
        assertThat(http.delete("/v1/paths/does-not-exist").status()).isEqualTo(404);
    }

    @Test
    void aCancelledPathStopsWithinOnePoint() {
        // adam points that each run for minutes: the cancel must stop the point in progress, and wins over the path's
        // time budget (CANCELLED, not a TIME_LIMIT).
        Http.Answer submitted = http.postJson("/v1/paths", Map.of("data", data(8, 3),
                "architecture", Map.of("hiddenLayers", List.of(8)),
                "solver", Map.of("type", "adam", "maxIter", 100_000_000, "tol", 1e-300, "learningRate", 0.001, "timeLimit", 600),
                "lambdas", List.of(0.1, 0.01, 0.001), "validation", Map.of("fraction", 0.25)));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!http.get("/v1/paths/" + id).json().get("state").asString().equals("RUNNING")) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Http.sleep(20);
        }
        Http.Answer cancel = http.delete("/v1/paths/" + id);
        assertThat(cancel.status()).isIn(200, 202);
        JsonNode cancelled = http.awaitFinalAt("/v1/paths/" + id, Duration.ofSeconds(5));
        assertThat(cancelled.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("points").size()).isZero();
        assertThat(cancelled.get("chosen").isNull()).isTrue();
        assertThat(cancelled.get("stopReason").isNull()).isTrue();
        assertThat(cancelled.get("error").isNull()).isTrue();
        // A second DELETE deletes the cancelled path, a third is 404 (as for fits).
        assertThat(http.delete("/v1/paths/" + id).status()).isEqualTo(204);
        assertThat(http.delete("/v1/paths/" + id).status()).isEqualTo(404);
    }

    @Test
    void eventsEndWithTheFinalPath() {
        String id = http.postJson("/v1/paths", Map.of("data", data(20, 4), "grid", Map.of("count", 3),
                "validation", Map.of("fraction", 0.25))).json().get("id").asString();
        Http.Answer events = http.get("/v1/paths/" + id + "/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.body()).contains("event:state").contains("\"state\":\"SUCCEEDED\"");
    }
}
