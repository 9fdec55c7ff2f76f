package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Fit jobs over real HTTP: progress, cancellation, events, validation split, concurrency, metrics, paging. */
class FitLifecycleTest extends ServiceTestBase {

    /** An adam fit that would run for minutes: 10^8 tiny steps, unreachable tolerance. Tests cancel it. */
    static final String LONG_FIT = "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,0,1,0,1,0,1]},"
            + "\"architecture\":{\"hiddenLayers\":[16]},"
            + "\"solver\":{\"type\":\"adam\",\"maxIter\":100000000,\"tol\":1e-300,\"learningRate\":0.001}}";

    @Test
    void cancellingARunningFitStopsItWithinAnIterationAndTheNextDeleteRemovesIt() {
        Http.Answer submitted = http.postJson("/v1/fits", LONG_FIT);
        assertThat(submitted.status()).isEqualTo(202);
        assertThat(submitted.header("Retry-After")).isEqualTo("1");
        String id = submitted.json().get("id").asString();
        assertThat(submitted.header("Location")).isEqualTo("/v1/fits/" + id);

        JsonNode running = http.awaitRunning(id, Duration.ofSeconds(30));
        assertThat(running.get("progress").get("maxIter").asInt()).isEqualTo(100_000_000);
        assertThat(running.get("progress").get("fraction").asDouble()).isBetween(0.0, 1.0);
        assertThat(running.get("startedAt").isNull()).isFalse();

        Http.Answer cancel = http.delete("/v1/fits/" + id);
        assertThat(cancel.status()).isIn(200, 202);
        // Cooperative cancellation is checked every iteration; allow generous wall time on a busy machine.
        JsonNode cancelled = http.awaitFinal(id, Duration.ofSeconds(3));
        assertThat(cancelled.get("state").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.get("progress").get("iteration").asInt()).isLessThan(100_000_000);
        assertThat(cancelled.get("modelId").isNull()).isTrue();

        // A finished fit is deleted by the next DELETE (204), then it is gone.
        Http.Answer again = http.delete("/v1/fits/" + id);
        assertThat(again.status()).isEqualTo(204);
        assertThat(http.get("/v1/fits/" + id).status()).isEqualTo(404);
        assertThat(http.delete("/v1/fits/" + id).status()).isEqualTo(404);
    }

    @Test
    void aDivergingFitEndsFailedWithAProblem() {
        String body = "{\"data\":{\"x\":[[0],[1],[2],[3]],\"y\":[0,1e6,-1e6,1e6]},\"architecture\":{\"hiddenLayers\":[4]},"
                + "\"solver\":{\"type\":\"adam\",\"maxIter\":100000,\"learningRate\":1e150}}";
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", body).json().get("id").asString(), Duration.ofSeconds(30));
        assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("FAILED");
        JsonNode error = fit.get("error");
        assertThat(error.get("title").asString()).isEqualTo("Fit diverged");
        assertThat(error.get("type").asString()).startsWith("https://sparsefit.io/problems/");
        assertThat(error.get("status").asInt()).isEqualTo(422);
        assertThat(error.get("instance").asString()).isEqualTo("/v1/fits/" + fit.get("id").asString());
        assertThat(fit.get("modelId").isNull()).isTrue();
    }

    @Test
    void deletingAFinishedFitRemovesItAndKeepsItsModel() {
        String id = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]},\"solver\":{\"type\":\"exact\"}}")
                .json().get("id").asString();
        JsonNode done = http.awaitFinal(id, Duration.ofSeconds(30));
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        Http.Answer cancel = http.delete("/v1/fits/" + id);
        assertThat(cancel.status()).isEqualTo(204);
        assertThat(cancel.body()).isEmpty();
        assertThat(http.get("/v1/fits/" + id).status()).isEqualTo(404);
        assertThat(http.get("/v1/models/" + done.get("modelId").asString()).status()).isEqualTo(200);
    }

    @Test
    void eventsStreamProgressAndEndWithTheFinalState() {
        String id = http.postJson("/v1/fits", LONG_FIT).json().get("id").asString();
        http.awaitRunning(id, Duration.ofSeconds(30));
        Thread canceller = new Thread(() -> {
            Http.sleep(600);
            http.delete("/v1/fits/" + id);
        });
        canceller.start();
        Http.Answer events = http.get("/v1/fits/" + id + "/events");
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.contentType()).startsWith("text/event-stream");
        String body = events.body();
        assertThat(body).contains("event:progress");
        assertThat(body.lastIndexOf("event:state")).isGreaterThan(body.lastIndexOf("event:progress"));
        assertThat(body.substring(body.lastIndexOf("event:state"))).contains("\"state\":\"CANCELLED\"");
    }

    @Test
    void validationFractionHoldsOutRowsAndReportsTheirError() {
        String body = "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7],[8],[9]],\"y\":[0,1,2,3,4,3,2,1,0,-1]},"
                + "\"solver\":{\"type\":\"exact\"},\"regularization\":{\"lambda\":0.1},\"validationFraction\":0.3,\"seed\":5}";
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", body).json().get("id").asString(), Duration.ofSeconds(30));
        assertThat(fit.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(fit.get("request").get("validationFraction").asDouble()).isEqualTo(0.3);
        String model = fit.get("modelId").asString();
        JsonNode diagnostics = http.get("/v1/models/" + model + "/diagnostics").json();
        // 7 training rows: the representer bound N - 2 counts only them.
        assertThat(diagnostics.get("representerBound").asInt()).isEqualTo(5);
        double validationMse = diagnostics.get("validationMse").asDouble();
        assertThat(validationMse).isGreaterThanOrEqualTo(0.0);
        // Recompute from /predict on every row: the 3 held-out rows carry the rest of the total error.
        JsonNode y = http.postJson("/v1/models/" + model + "/predict", "{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7],[8],[9]]}").json().get("y");
        double[] target = {0, 1, 2, 3, 4, 3, 2, 1, 0, -1};
        double total = 0;
        for (int i = 0; i < 10; i++) {
            double r = y.get(i).get(0).asDouble() - target[i];
            total += r * r;
        }
        double train = diagnostics.get("trainMse").asDouble() * 7;
        assertThat(train + validationMse * 3).isCloseTo(total, org.assertj.core.api.Assertions.within(1e-9 * Math.max(1, total)));
    }

    @Test
    void manyParallelSubmissionsAreNeitherLostNorDuplicated() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int seed = i;
            futures.add(pool.submit(() -> {
                Http.Answer a = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3],[4]],\"y\":[0," + seed + ",1,0,2]},"
                        + "\"solver\":{\"type\":\"exact\"},\"seed\":" + seed + "}");
                assertThat(a.status()).isEqualTo(202);
                ids.add(a.json().get("id").asString());
                http.get("/v1/fits/" + a.json().get("id").asString());
            }));
        }
        // The same Idempotency-Key from 8 threads at once gives one fit.
        ConcurrentLinkedQueue<String> keyed = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 8; i++) {
            futures.add(pool.submit(() -> {
                Http.Answer a = http.send("POST", "/v1/fits", "application/json",
                        "{\"data\":{\"x\":[[0],[1],[2]],\"y\":[3,1,2]},\"solver\":{\"type\":\"exact\"}}", Map.of("Idempotency-Key", "parallel-key"));
                assertThat(a.status()).isEqualTo(202);
                keyed.add(a.json().get("id").asString());
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(ids).hasSize(40).doesNotHaveDuplicates();
        assertThat(new HashSet<>(keyed)).hasSize(1);
        for (String id : ids) {
            assertThat(http.awaitFinal(id, Duration.ofSeconds(60)).get("state").asString()).isEqualTo("SUCCEEDED");
        }
        // Paging through SUCCEEDED fits sees each exactly once.
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get("/v1/fits?state=SUCCEEDED&limit=7" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            for (JsonNode f : page.get("items")) {
                assertThat(f.get("state").asString()).isEqualTo("SUCCEEDED");
                all.add(f.get("id").asString());
                seen.add(f.get("id").asString());
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(all).doesNotHaveDuplicates();
        assertThat(seen).containsAll(ids);
    }

    @Test
    void datasetsListPagesAndDelete() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Http.Answer a = http.postJson("/v1/datasets", "{\"name\":\"d" + i + "\",\"x\":[[0,1],[1,0]],\"y\":[[1,2],[3,4]]}");
            assertThat(a.status()).isEqualTo(201);
            assertThat(a.json().get("inputDim").asInt()).isEqualTo(2);
            assertThat(a.json().get("outputDim").asInt()).isEqualTo(2);
            created.add(a.json().get("id").asString());
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get("/v1/datasets?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            page.get("items").forEach(d -> listed.add(d.get("id").asString()));
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        assertThat(listed).doesNotHaveDuplicates().containsSubsequence(created);
        // Equal data, equal hash.
        assertThat(http.get("/v1/datasets/" + created.get(0)).json().get("sha256").asString())
                .isEqualTo(http.get("/v1/datasets/" + created.get(1)).json().get("sha256").asString());
        assertThat(http.delete("/v1/datasets/" + created.get(2)).status()).isEqualTo(204);
        assertThat(http.get("/v1/datasets/" + created.get(2)).status()).isEqualTo(404);
    }

    @Test
    void modelsExposeLayersSkipNeuronsAndCanBeDeleted() {
        String body = "{\"data\":{\"x\":[[0,0],[1,0],[0,1],[1,1],[2,1],[1,2]],\"y\":[[0,1],[1,0],[1,1],[0,0],[2,1],[1,3]]},"
                + "\"architecture\":{\"hiddenLayers\":[6],\"skip\":false},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":300}}";
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", body).json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
        String modelId = fit.get("modelId").asString();
        JsonNode model = http.get("/v1/models/" + modelId).json();
        assertThat(model.get("inputDim").asInt()).isEqualTo(2);
        assertThat(model.get("outputDim").asInt()).isEqualTo(2);
        assertThat(model.get("knots").size()).isZero();
        JsonNode skipWeights = model.get("skip").get("weights");
        assertThat(skipWeights.size()).isEqualTo(2);
        skipWeights.forEach(row -> row.forEach(v -> assertThat(v.asDouble()).isZero()));
        JsonNode layers = model.get("layers");
        assertThat(layers.get(0).get("activation").asString()).isEqualTo("relu");
        assertThat(layers.get(1).get("activation").asString()).isEqualTo("linear");
        assertThat(layers.get(1).get("weights").size()).isEqualTo(2);
        double[][] points = {{0.5, 0.5}, {3, -1}};
        JsonNode y = http.postJson("/v1/models/" + modelId + "/predict", "{\"x\":[[0.5,0.5],[3,-1]]}").json().get("y");
        for (int i = 0; i < points.length; i++) {
            double[] layered = io.sparsefit.e2e.ReadmeWalkthroughTestAccess.fromLayers(model, points[i]);
            double[] canonical = io.sparsefit.e2e.ReadmeWalkthroughTestAccess.fromNeurons(model, points[i]);
            for (int o = 0; o < 2; o++) {
                double served = y.get(i).get(o).asDouble();
                double tol = 1e-12 * Math.max(1, Math.abs(served));
                assertThat(layered[o]).isCloseTo(served, org.assertj.core.api.Assertions.within(tol));
                assertThat(canonical[o]).isCloseTo(served, org.assertj.core.api.Assertions.within(tol));
            }
        }
        JsonNode diagnostics = http.get("/v1/models/" + modelId + "/diagnostics").json();
        assertThat(diagnostics.get("solver").asString()).isEqualTo("lbfgs");
        assertThat(diagnostics.get("singularValues").size()).isEqualTo(2);
        assertThat(diagnostics.get("lossCurve").size()).isPositive();
        assertThat(http.delete("/v1/models/" + modelId).status()).isEqualTo(204);
        assertThat(http.get("/v1/models/" + modelId).status()).isEqualTo(404);
    }

    @Test
    void prometheusShowsTheServiceMetrics() {
        http.awaitFinal(http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2]],\"y\":[0,1,0]},\"solver\":{\"type\":\"exact\"}}")
                .json().get("id").asString(), Duration.ofSeconds(30));
        String metrics = http.get("/actuator/prometheus").body();
        assertThat(metrics).contains("sparsefit_fits_submitted_total", "sparsefit_fits_succeeded_total", "sparsefit_fits_failed_total",
                "sparsefit_fits_cancelled_total", "sparsefit_fits_queued", "sparsefit_fits_running",
                "sparsefit_fit_duration_seconds_bucket", "sparsefit_fit_iterations_per_second_count");
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
    }
}
