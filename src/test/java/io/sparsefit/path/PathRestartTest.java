package io.sparsefit.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.path.PathRunner;
import io.sparsefit.core.path.PathSpec;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.fit.FitChecks;
import io.sparsefit.support.Http;
import io.sparsefit.support.RestartableService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A regularization path survives a restart like a fit does ({@code fit.RestartTest}): paths are rows of the
 * fit queue (kind PATH), so the paths queued or running when the application stops (or dies) run again after
 * a restart on the same data directory, each to exactly its points, to the same points a fresh run gives.
 * Shown with its own application contexts (one worker thread), started and stopped explicitly:
 * <ul>
 *   <li>an adam path is interrupted mid-run by closing the first context while it is RUNNING, some points
 *       stored (each point measured to take about 0.4 s here, so it is still running on fast and slow machines
 *       alike): after the restart it has exactly its points, indexes 0..count-1 once each, every point's model
 *       served, the models of the interrupted run deleted, no other model left for any of its points, and
 *       points identical (lambdas, diagnostics, predictions bit for bit) to those of a fresh run;</li>
 *   <li>an exact path left RUNNING by a crashed process (state RUNNING, owner 'crashed-process', lease expired,
 *       one stale point and its model written as that process would have) and an exact path QUEUED behind a
 *       long-running fit both finish SUCCEEDED after the restart, the stale point and model gone, their points'
 *       lambdas equal to a fresh run's and predictions within 1e-9.</li>
 * </ul>
 * On PostgreSQL ({@code -Dsparsefit.test.db=postgres}) both runs share one fresh database.
 */
class PathRestartTest {

    private static final int POINTS = 6;
    private static final double SECONDS_PER_ADAM_POINT = 0.4;
    private static final double[][] ADAM_X = {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}};
    private static final double[] ADAM_Y = {0, 1, 3, 2, 4, 1, 0, 2};

    @TempDir
    Path dataDir;

    private RestartableService service;

    private ConfigurableApplicationContext start() {
        if (service == null) {
            service = new RestartableService(dataDir);
        }
        return service.start("--sparsefit.limits.max-iter=100000000", "--logging.level.io.sparsefit.fit.FitRunner=ERROR");
    }

    private Connection connect() throws java.sql.SQLException {
        return service.connect();
    }

    private static Http http(ConfigurableApplicationContext ctx) {
        return RestartableService.http(ctx);
    }

    /** The adam path: one hold-out part, so each point is two adam fits of {@code maxIter} iterations (hold-out, refit). */
    private static String adamPath(int maxIter) {
        return Http.JSON.writeValueAsString(Map.of("data", Map.of("x", ADAM_X, "y", ADAM_Y),
                "architecture", Map.of("hiddenLayers", List.of(8)),
                "solver", Map.of("type", "adam", "maxIter", maxIter, "tol", 1e-300, "learningRate", 0.001),
                "lambdas", List.of(0.1, 0.05, 0.02, 0.01, 0.005, 0.002), "validation", Map.of("fraction", 0.25), "seed", 5));
    }

    /** An exact path on 40 noisy rows of a kinked function, 4-fold validated (as in PathLifecycleTest). */
    private static String exactPath(long dataSeed) {
        SplittableRandom rnd = new SplittableRandom(dataSeed);
        double[][] x = new double[40][1];
        double[] y = new double[40];
        for (int i = 0; i < x.length; i++) {
            x[i][0] = rnd.nextDouble(-2, 2);
            y[i] = Math.abs(x[i][0]) - 0.5 * Math.max(0, x[i][0] - 1) + 0.1 * rnd.nextGaussian();
        }
        return Http.JSON.writeValueAsString(Map.of("data", Map.of("x", x, "y", y), "solver", Map.of("type", "exact", "tol", 1e-12),
                "grid", Map.of("count", POINTS, "minRatio", 0.01), "validation", Map.of("folds", 4), "seed", 3));
    }

    /**
     * maxIter of the adam path's points such that one point takes about {@code seconds} here: one point of the
     * very same path (settings as the service derives them) measured in this JVM after a warm-up.
     */
    private static int adamIterationsForSeconds(double seconds) {
        int probe = 20000;
        PathRequest request = Http.JSON.readValue(adamPath(probe), PathRequest.class).withDefaults();
        FitSettings settings = FitChecks.settings(request.asFit(1.0));
        PathSpec onePoint = new PathSpec(settings, new double[] {0.01}, 0, 0, 0, 0.25, false);
        FitProblem problem = FitProblem.of1D(IntStream.range(0, ADAM_X.length).mapToDouble(i -> ADAM_X[i][0]).toArray(), ADAM_Y);
        PathRunner.run(problem, onePoint, (i, n, p) -> { }, CancellationToken.NEVER); // warm-up
        long t0 = System.nanoTime();
        PathRunner.run(problem, onePoint, (i, n, p) -> { }, CancellationToken.NEVER);
        double perSecond = probe / ((System.nanoTime() - t0) / 1e9);
        return (int) Math.max(probe, Math.min(50_000_000, perSecond * seconds));
    }

    /** Submits a path; its state as answered (an idle worker may claim it before the answer is written). */
    private static Http.Answer submitPath(Http http, String body) {
        Http.Answer a = http.postJson("/v1/paths", body);
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        return a;
    }

    /** Submits a path while the only worker is busy: it waits in the queue. */
    private static String submitQueuedPath(Http http, String body) {
        Http.Answer a = submitPath(http, body);
        assertThat(a.json().get("state").asString()).isEqualTo("QUEUED");
        return a.json().get("id").asString();
    }

    private static JsonNode predictAt(Http http, String modelId, JsonNode x) {
        Http.Answer a = http.postJson("/v1/models/" + modelId + "/predict", Map.of("x", x));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
        return a.json().get("y");
    }

    private static String state(Connection c, String id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select state from fit where id = ?")) {
            s.setString(1, id);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** The stored points of a path: idx to model_id, in idx order (as path_point holds them). */
    private static Map<Integer, String> storedPoints(Connection c, String pathId) throws SQLException {
        Map<Integer, String> points = new LinkedHashMap<>();
        List<Integer> indexes = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("select idx, model_id from path_point where path_id = ? order by idx")) {
            s.setString(1, pathId);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    indexes.add(rs.getInt(1));
                    points.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        assertThat(indexes).as("point indexes of path %s", pathId).doesNotHaveDuplicates();
        return points;
    }

    /** Every model row stored under a point of this path (any index a path can have), by model id. */
    private static Set<String> pointModels(Connection c, String pathId) throws SQLException {
        Set<String> fitIds = new HashSet<>();
        for (int i = 0; i < PathService.MAX_POINTS; i++) {
            fitIds.add(PathJob.modelFitId(pathId, i));
        }
        Set<String> models = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("select id, fit_id from model"); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                if (fitIds.contains(rs.getString(2))) {
                    models.add(rs.getString(1));
                }
            }
        }
        return models;
    }

    @Test
    void queuedCrashedAndInterruptedPathsFinishAfterARestartWithExactlyTheirPointsAsAFreshRunGives() throws Exception {
        int adamIterations = adamIterationsForSeconds(SECONDS_PER_ADAM_POINT);
        String interruptedBody = adamPath(adamIterations);
        String crashedBody = exactPath(1);
        String queuedBody = exactPath(2);
        String interrupted;
        String crashed;
        String queued;
        String fitModel;
        Map<Integer, String> partialPoints;
        String staleModel = UUID.randomUUID().toString();
        try (ConfigurableApplicationContext first = start()) {
            Http http = http(first);
            // A long-running fit (about 2 s: 10 x the iterations of one fit of the adam path, whose points are two fits each)
            // holds the only worker.
            String fit = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,3,2,4,1,0,2]},"
                    + "\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"adam\",\"maxIter\":"
                    + 10 * adamIterations + ",\"tol\":1e-300,\"learningRate\":0.001},"
                    + "\"seed\":3}").json().get("id").asString();
            http.awaitRunning(fit, Duration.ofSeconds(30));
            interrupted = submitQueuedPath(http, interruptedBody);
            crashed = submitQueuedPath(http, crashedBody);
            queued = submitQueuedPath(http, queuedBody);
            assertThat(http.get("/v1/fits/" + fit).json().get("state").asString())
                    .as("the paths were queued behind the running fit").isEqualTo("RUNNING");
            fitModel = http.awaitFinal(fit, Duration.ofSeconds(60)).get("modelId").asString();
            // The adam path runs once the fit is done; stop the application when it has stored some of its points.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (true) {
                JsonNode path = http.get("/v1/paths/" + interrupted).json();
                assertThat(path.get("state").asString()).as(path.toString()).isIn("QUEUED", "RUNNING");
                if (path.get("points").size() >= 2) {
                    break;
                }
                assertThat(System.nanoTime()).as("adam path has 2 points within 30 s: %s", path).isLessThan(deadline);
                Http.sleep(20);
            }
        }

        try (Connection c = connect()) {
            // The shutdown gave the adam path back to the queue, its first points still stored (with their models):
            // the next run must clear them, or it ends with duplicate or orphaned points.
            assertThat(state(c, interrupted)).as("interrupted mid-run, given back to the queue").isEqualTo("QUEUED");
            partialPoints = storedPoints(c, interrupted);
            assertThat(partialPoints.size()).as("points stored before the stop").isBetween(2, POINTS - 1);
            assertThat(pointModels(c, interrupted)).containsExactlyInAnyOrderElementsOf(partialPoints.values());
            assertThat(state(c, crashed)).isEqualTo("QUEUED");
            assertThat(state(c, queued)).isEqualTo("QUEUED");

            // Simulate a crash: another process claimed the exact path, stored its point 0 (a model under the point's
            // fit id and its path_point row, in one transaction as PathJob does) and died; its lease ran out.
            try (PreparedStatement s = c.prepareStatement(
                    "update fit set state = 'RUNNING', owner = 'crashed-process', lease_until = ?, attempts = 1 where id = ?")) {
                s.setTimestamp(1, Timestamp.from(Instant.now().minusSeconds(1)));
                s.setString(2, crashed);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            try (PreparedStatement s = c.prepareStatement("insert into model (id, fit_id, input_dim, output_dim, width, layers, skip, "
                    + "parameters, diagnostics_json, created_at, api_key_id) select ?, ?, input_dim, output_dim, width, layers, skip, "
                    + "parameters, diagnostics_json, created_at, api_key_id from model where id = ?")) {
                s.setString(1, staleModel);
                s.setString(2, PathJob.modelFitId(crashed, 0));
                s.setString(3, fitModel);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            String stalePointJson;
            try (PreparedStatement s = c.prepareStatement("select point_json from path_point where path_id = ? and idx = 0")) {
                s.setString(1, interrupted);
                try (ResultSet rs = s.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                    stalePointJson = rs.getString(1).replace(partialPoints.get(0), staleModel);
                }
            }
            try (PreparedStatement s = c.prepareStatement(
                    "insert into path_point (path_id, idx, lambda, model_id, point_json) values (?, 0, 0.5, ?, ?)")) {
                s.setString(1, crashed);
                s.setString(2, staleModel);
                s.setString(3, stalePointJson);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
        }

        List<String> paths = List.of(interrupted, crashed, queued);
        List<String> bodies = List.of(interruptedBody, crashedBody, queuedBody);
        List<JsonNode> recovered = new ArrayList<>();
        try (ConfigurableApplicationContext second = start()) {
            Http http = http(second);
            for (String id : paths) {
                JsonNode path = http.awaitFinalAt("/v1/paths/" + id, Duration.ofSeconds(60));
                assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("SUCCEEDED");
                assertThat(path.get("points").size()).as("points of %s", id).isEqualTo(POINTS);
                assertThat(path.get("progress").get("points").asInt()).isEqualTo(POINTS);
                Set<String> modelIds = new HashSet<>();
                for (int i = 0; i < POINTS; i++) {
                    String modelId = path.get("points").get(i).get("modelId").asString();
                    Http.Answer model = http.get("/v1/models/" + modelId);
                    assertThat(model.status()).as("model of point %d of %s", i, id).isEqualTo(200);
                    assertThat(model.json().get("fitId").asString()).isEqualTo(PathJob.modelFitId(id, i));
                    modelIds.add(modelId);
                }
                assertThat(modelIds).as("one model per point").hasSize(POINTS);
                recovered.add(path);
            }
            // What the interrupted run and the crashed process stored is gone.
            for (String old : partialPoints.values()) {
                assertThat(http.get("/v1/models/" + old).status()).as("model of the interrupted run").isEqualTo(404);
            }
            assertThat(http.get("/v1/models/" + staleModel).status()).as("model of the crashed process").isEqualTo(404);
            assertThat(recovered.get(1).get("points").findValuesAsString("modelId")).doesNotContain(staleModel);

            // Fresh, uninterrupted runs of the same requests give the same points.
            for (int p = 0; p < paths.size(); p++) {
                String freshId = submitPath(http, bodies.get(p)).json().get("id").asString();
                JsonNode fresh = http.awaitFinalAt("/v1/paths/" + freshId, Duration.ofSeconds(60));
                assertThat(fresh.get("state").asString()).as(fresh.toString()).isEqualTo("SUCCEEDED");
                JsonNode again = recovered.get(p);
                assertThat(again.get("lambdaMax")).isEqualTo(fresh.get("lambdaMax"));
                assertThat(again.get("chosen").get("index")).isEqualTo(fresh.get("chosen").get("index"));
                assertThat(again.get("best").get("index")).isEqualTo(fresh.get("best").get("index"));
                boolean exact = again.get("solver").asString().equals("exact");
                for (int i = 0; i < POINTS; i++) {
                    JsonNode a = again.get("points").get(i);
                    JsonNode b = fresh.get("points").get(i);
                    assertThat(a.get("lambda").asDouble()).as("lambda %d of path %d", i, p).isEqualTo(b.get("lambda").asDouble());
                    JsonNode x = Http.JSON.readTree(bodies.get(p)).get("data").get("x");
                    JsonNode ya = predictAt(http, a.get("modelId").asString(), x);
                    JsonNode yb = predictAt(http, b.get("modelId").asString(), x);
                    if (exact) {
                        for (int r = 0; r < ya.size(); r++) {
                            assertThat(ya.get(r).get(0).asDouble()).as("prediction %d of point %d of path %d", r, i, p)
                                    .isCloseTo(yb.get(r).get(0).asDouble(), within(1e-9));
                        }
                    } else {
                        // Seeded adam: bit for bit, predictions and every diagnostic of the point.
                        assertThat(ya).as("predictions of point %d of path %d", i, p).isEqualTo(yb);
                        ObjectNode pa = (ObjectNode) a.deepCopy();
                        ObjectNode pb = (ObjectNode) b.deepCopy();
                        pa.remove("modelId");
                        pb.remove("modelId");
                        assertThat(pa).as("point %d of path %d", i, p).isEqualTo(pb);
                    }
                }
            }
        }

        // In the database: indexes 0..count-1 once each, and no model under any point of the path but its points'.
        try (Connection c = connect()) {
            for (int p = 0; p < paths.size(); p++) {
                Map<Integer, String> stored = storedPoints(c, paths.get(p));
                assertThat(stored.keySet()).as("point indexes of path %d", p)
                        .containsExactlyElementsOf(IntStream.range(0, POINTS).boxed().toList());
                assertThat(pointModels(c, paths.get(p))).as("models stored under the points of path %d", p)
                        .containsExactlyInAnyOrderElementsOf(recovered.get(p).get("points").findValuesAsString("modelId"));
                assertThat(stored.values()).as("model ids of the stored points of path %d", p).containsExactlyInAnyOrderElementsOf(
                        recovered.get(p).get("points").findValuesAsString("modelId"));
            }
        }
    }
}
