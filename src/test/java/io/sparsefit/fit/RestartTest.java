package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.solver.AdamOptions;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.support.Http;
import io.sparsefit.support.RestartableService;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The database is the source of truth: fits queued or running when the application stops (or dies)
 * run again after a restart on the same data directory, in submission order, to the same models a
 * fresh run gives. Also: a full queue answers 429 and never blocks. Uses its own application
 * contexts (one worker thread, queue capacity 3), started and stopped explicitly. The fit left
 * RUNNING by a "crashed" process has no lease, so the second start queues it again at once; on
 * PostgreSQL ({@code -Dsparsefit.test.db=postgres}) both runs share one fresh database.
 */
class RestartTest {

    @TempDir
    Path dataDir;

    private RestartableService service;

    private ConfigurableApplicationContext start() {
        if (service == null) {
            service = new RestartableService(dataDir);
        }
        return service.start("--sparsefit.fits.queue-capacity=3", "--sparsefit.limits.max-iter=100000000",
                "--logging.level.io.sparsefit.fit.FitRunner=ERROR");
    }

    private Connection connect() throws java.sql.SQLException {
        return service.connect();
    }

    private static Http http(ConfigurableApplicationContext ctx) {
        return RestartableService.http(ctx);
    }

    /**
     * Adam iterations of fit A that take about {@code seconds} here, measured on the same problem
     * shape in this JVM, so the fit is still running when the first context stops, on fast and slow
     * machines alike.
     */
    private static int iterationsForSeconds(double seconds) {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        double[] y = {0, 1, 3, 2, 4, 1, 0, 2};
        FitSettings settings = FitSettings.defaults(0.01).withSolver(SolverType.ADAM).withWidth(8).withMaxIter(20000)
                .withTol(1e-300).withAdam(new AdamOptions(0.001, 0));
        SparseFit.fit(FitProblem.of1D(x, y), settings, ProgressListener.NONE, CancellationToken.NEVER); // warm-up
        long t0 = System.nanoTime();
        SparseFit.fit(FitProblem.of1D(x, y), settings, ProgressListener.NONE, CancellationToken.NEVER);
        double perSecond = 20000 / ((System.nanoTime() - t0) / 1e9);
        return (int) Math.max(20000, Math.min(50_000_000, perSecond * seconds));
    }

    @Test
    void queuedAndRunningFitsSurviveARestartWithIdenticalModels() throws Exception {
        List<String> bodies = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        try (ConfigurableApplicationContext first = start()) {
            Http http = http(first);
            String dataset = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,3,2,4,1,0,2]}")
                    .json().get("id").asString();
            String ds = "\"datasetId\":\"" + dataset + "\"";
            // A runs long enough (about 3 s on this machine, measured) to be interrupted; B, C, D wait behind it.
            bodies.add("{" + ds + ",\"architecture\":{\"hiddenLayers\":[8]},"
                    + "\"solver\":{\"type\":\"adam\",\"maxIter\":" + iterationsForSeconds(3) + ",\"tol\":1e-300,"
                    + "\"learningRate\":0.001},\"seed\":3}");
            bodies.add("{" + ds + ",\"solver\":{\"type\":\"exact\"},\"regularization\":{\"lambda\":0.1}}");
            bodies.add("{" + ds + ",\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":400},\"seed\":1}");
            bodies.add("{" + ds + ",\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"prox\",\"maxIter\":1500},"
                    + "\"regularization\":{\"type\":\"path_norm\",\"lambda\":0.05},\"seed\":2}");
            ids.add(http.postJson("/v1/fits", bodies.get(0)).json().get("id").asString());
            http.awaitRunning(ids.get(0), Duration.ofSeconds(30));
            for (int i = 1; i < 4; i++) {
                Http.Answer a = http.postJson("/v1/fits", bodies.get(i));
                assertThat(a.status()).isEqualTo(202);
                assertThat(a.json().get("state").asString()).isEqualTo("QUEUED");
                ids.add(a.json().get("id").asString());
            }
            // The queue holds 3: one more is refused at once, with Retry-After.
            Http.Answer full = http.postJson("/v1/fits", bodies.get(1));
            assertThat(full.status()).isEqualTo(429);
            assertThat(full.contentType()).startsWith("application/problem+json");
            assertThat(full.header("Retry-After")).isEqualTo("1");
            assertThat(full.json().get("status").asInt()).isEqualTo(429);
            assertThat(http.get("/v1/fits/" + ids.get(0)).json().get("state").asString()).isEqualTo("RUNNING");
        }

        // Simulate crashes. B was claimed by this very instance (same data directory, so same instance id)
        // which then died with a lease still an hour long: the next start of this instance knows the fit
        // is its own and queues it again at once. C was claimed by another process whose lease ran out.
        String self = java.nio.file.Files.readString(dataDir.resolve("instance-id")).strip();
        try (Connection c = connect();
             PreparedStatement s = c.prepareStatement("update fit set state = 'RUNNING', owner = ?, lease_until = ? where id = ?")) {
            s.setString(1, self);
            s.setTimestamp(2, java.sql.Timestamp.from(Instant.now().plus(Duration.ofHours(1))));
            s.setString(3, ids.get(1));
            assertThat(s.executeUpdate()).isEqualTo(1);
            s.setString(1, "crashed-process");
            s.setTimestamp(2, java.sql.Timestamp.from(Instant.now().minusSeconds(1)));
            s.setString(3, ids.get(2));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        try (ConfigurableApplicationContext second = start()) {
            Http http = http(second);
            List<JsonNode> recovered = new ArrayList<>();
            for (String id : ids) {
                JsonNode fit = http.awaitFinal(id, Duration.ofSeconds(90));
                assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
                recovered.add(fit);
            }
            // One worker, creation order: each started no earlier than the one submitted before it.
            for (int i = 1; i < recovered.size(); i++) {
                assertThat(Instant.parse(recovered.get(i).get("startedAt").asString()))
                        .isAfterOrEqualTo(Instant.parse(recovered.get(i - 1).get("startedAt").asString()));
            }
            // Fresh runs of the same requests give bit-identical parameters.
            for (int i = 0; i < bodies.size(); i++) {
                String fresh = http.postJson("/v1/fits", bodies.get(i)).json().get("id").asString();
                JsonNode done = http.awaitFinal(fresh, Duration.ofSeconds(90));
                assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
                JsonNode a = http.get("/v1/models/" + recovered.get(i).get("modelId").asString()).json();
                JsonNode b = http.get("/v1/models/" + done.get("modelId").asString()).json();
                assertThat(a.get("layers")).as("layers of fit %d", i).isEqualTo(b.get("layers"));
                assertThat(a.get("skip")).as("skip of fit %d", i).isEqualTo(b.get("skip"));
                assertThat(a.get("neurons")).as("neurons of fit %d", i).isEqualTo(b.get("neurons"));
            }
        }
    }
}
