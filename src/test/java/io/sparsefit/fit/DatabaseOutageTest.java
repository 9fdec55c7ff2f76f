package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.solver.AdamOptions;
import io.sparsefit.SparsefitApplication;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.support.Http;
import io.sparsefit.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The PostgreSQL server goes away while a fit runs and another waits, then comes back on the same
 * port with the same data: readiness answers 503 DOWN during the outage and 200 UP after it,
 * liveness stays 200 throughout, and both fits end SUCCEEDED with one model each: nothing is lost.
 */
class DatabaseOutageTest {

    @TempDir
    Path dir;

    private static final double[] X = {0, 1, 2, 3, 4, 5, 6, 7};
    private static final double[] Y = {0, 1, 3, 2, 4, 1, 0, 2};

    private EmbeddedPostgres startPostgres(int port, Path data) throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
    }

    /** Adam iterations that take about {@code seconds} in this JVM on this problem (measured). */
    private static int iterationsForSeconds(double seconds) {
        FitSettings settings = FitSettings.defaults(0.01).withSolver(SolverType.ADAM).withWidth(8).withMaxIter(20000)
                .withTol(1e-300).withAdam(new AdamOptions(0.001, 0));
        SparseFit.fit(FitProblem.of1D(X, Y), settings, ProgressListener.NONE, CancellationToken.NEVER); // warm-up
        long t0 = System.nanoTime();
        SparseFit.fit(FitProblem.of1D(X, Y), settings, ProgressListener.NONE, CancellationToken.NEVER);
        double perSecond = 20000 / ((System.nanoTime() - t0) / 1e9);
        return (int) Math.max(20000, Math.min(20_000_000, perSecond * seconds));
    }

    @Test
    void readinessFollowsTheDatabaseAndNoFitIsLost() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = dir.resolve("pg");
        Files.createDirectories(dir.resolve("app"));
        EmbeddedPostgres postgres = startPostgres(port, data);
        String url = TestDatabase.newDatabase(postgres);
        int iterations = iterationsForSeconds(3);
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SparsefitApplication.class).run(
                "--server.port=0", "--sparsefit.data-dir=" + dir.resolve("app"), "--spring.jmx.enabled=false",
                "--spring.datasource.url=" + url, "--spring.datasource.username=" + TestDatabase.USER,
                "--spring.datasource.password=", "--sparsefit.fits.threads=1", "--sparsefit.fits.lease=6s",
                "--sparsefit.fits.heartbeat-interval=1s", "--sparsefit.fits.progress-persist-interval=200ms",
                "--sparsefit.limits.max-iter=100000000",
                "--logging.level.io.sparsefit=OFF", "--logging.level.com.zaxxer.hikari=OFF")) {
            Http http = Http.onPort(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            String dataset = http.postJson("/v1/datasets", Map.of("x", new double[][] {{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}}, "y", Y))
                    .json().get("id").asString();
            String body = "{\"datasetId\":\"" + dataset + "\",\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"adam\","
                    + "\"maxIter\":" + iterations + ",\"tol\":1e-300,\"learningRate\":0.001},\"seed\":7}";
            String running = http.postJson("/v1/fits", body).json().get("id").asString();
            http.awaitRunning(running, Duration.ofSeconds(30));
            String queued = http.postJson("/v1/fits", body.replace("\"seed\":7", "\"seed\":8")).json().get("id").asString();

            postgres.close();
            awaitStatus(http, "/actuator/health/readiness", 503, Duration.ofSeconds(30));
            Http.Answer down = http.get("/actuator/health/readiness");
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.json().get("status").asString()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
            Http.sleep(2000); // the running fit goes on (and may finish) without its database
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);

            postgres = startPostgres(port, data);
            awaitStatus(http, "/actuator/health/readiness", 200, Duration.ofSeconds(30));
            assertThat(http.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
            for (String id : new String[] {running, queued}) {
                JsonNode fit = http.awaitFinal(id, Duration.ofSeconds(90));
                assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
            }
            try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*), count(distinct fit_id) from model")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
                assertThat(rs.getInt(2)).isEqualTo(2);
            }
        } finally {
            postgres.close();
        }
    }

    private static void awaitStatus(Http http, String path, int status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (http.get(path).status() != status) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(path + " did not answer " + status + " within " + timeout);
            }
            Http.sleep(200);
        }
    }
}
