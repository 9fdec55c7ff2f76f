package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sparsefit.SparsefitApplication;
import io.sparsefit.support.Http;
import io.sparsefit.support.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Hikari retires pooled connections (maxLifetime, 30 min by default) and opens new ones; the service
 * must not notice. H2 2.4.240 bound a CHECK constraint to the session that created it (the Flyway
 * migration's connection), so once that connection was retired every insert into {@code fit} failed
 * ("Check constraint invalid: fit_state_check", "The database has been closed") and POST /v1/fits
 * answered 500 for good, while readiness said UP. The pool is recycled here on purpose (soft eviction
 * closes every pooled connection, the same as maxLifetime running out for all of them; Hikari refuses
 * a maxLifetime under 30 s), then fits are submitted and run. Also: readiness probes a real write, so
 * a database that still answers the validation query but cannot take writes takes the pod out of
 * the Service. Runs on H2 and, in the second surefire execution, on PostgreSQL; each test has its own
 * context, so the migration's connection is in this pool.
 */
class ConnectionRecyclingTest {

    @TempDir
    Path dataDir;

    private ConfigurableApplicationContext app;
    private Http http;

    @BeforeEach
    void start(org.junit.jupiter.api.TestInfo test) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--sparsefit.data-dir=" + dataDir,
                "--sparsefit.fits.threads=1", "--spring.jmx.enabled=false", "--logging.level.io.sparsefit.fit=ERROR"));
        args.addAll(TestDatabase.datasourceArguments());
        if (test.getTestMethod().map(m -> m.getName().startsWith("readinessGoesDownWhenTheDataDisk")).orElse(false)) {
            args.add("--management.health.diskspace.threshold=1000000TB"); // more than any disk has free: "disk full"
        }
        app = new SpringApplicationBuilder(SparsefitApplication.class).run(args.toArray(String[]::new));
        http = Http.onPort(app.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    /** Closes every connection the pool holds (idle ones now, borrowed ones when returned); new ones are opened on demand. */
    private void recyclePool() throws java.sql.SQLException {
        HikariDataSource pool = app.getBean(DataSource.class).unwrap(HikariDataSource.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        pool.getHikariPoolMXBean().softEvictConnections();
        // Eviction closes connections on Hikari's own thread: wait until none of the old ones is left idle.
        while (pool.getHikariPoolMXBean().getIdleConnections() > 0 && System.nanoTime() < deadline) {
            pool.getHikariPoolMXBean().softEvictConnections();
            Http.sleep(50);
        }
        Http.sleep(200);
    }

    private String dataset() {
        Http.Answer a = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3],[4],[5]],\"y\":[0,1,3,2,4,1]}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return a.json().get("id").asString();
    }

    private void submitAndRun(String dataset, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Http.Answer a = http.postJson("/v1/fits", "{\"datasetId\":\"" + dataset + "\",\"solver\":{\"type\":\"exact\"},"
                    + "\"regularization\":{\"lambda\":0." + (i + 1) + "}}");
            assertThat(a.status()).as(a.body()).isEqualTo(202);
            ids.add(a.json().get("id").asString());
        }
        for (String id : ids) {
            JsonNode fit = http.awaitFinal(id, Duration.ofSeconds(60));
            assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
            assertThat(http.get("/v1/models/" + fit.get("modelId").asString()).status()).isEqualTo(200);
        }
    }

    /**
     * On the default H2 file URL the DataSource bean is the read barrier's wrapper (its connections run CHECKPOINT when
     * released, see {@code io.sparsefit.web.EmbeddedStoreReadBarrier}), and the Hikari pool behind it is still reached
     * through unwrap(), as recyclePool and Spring Boot's pool metrics do; on PostgreSQL the bean is the bare pool.
     */
    @Test
    void theEmbeddedStoresPoolIsBehindTheReadBarrier() throws Exception {
        DataSource ds = app.getBean(DataSource.class);
        HikariDataSource pool = ds.unwrap(HikariDataSource.class);
        assertThat(pool).isNotNull();
        if (TestDatabase.postgres()) {
            assertThat(ds).isSameAs(pool);
            return;
        }
        assertThat(ds).isNotInstanceOf(HikariDataSource.class);
        assertThat(ds.getClass().getName()).startsWith("io.sparsefit.web.EmbeddedStoreReadBarrier$");
        try (Connection c = ds.getConnection()) {
            assertThat(java.lang.reflect.Proxy.isProxyClass(c.getClass())).as("a connection with the barrier on close").isTrue();
        }
    }

    @Test
    void fitsAreAcceptedAndRunAfterThePoolRecycledItsConnections() throws Exception {
        String dataset = dataset();
        submitAndRun(dataset, 2);
        for (int round = 0; round < 3; round++) {
            recyclePool();
            submitAndRun(dataset, 2);
            Http.Answer ready = http.get("/actuator/health/readiness");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            // A cancel (an update of fit.state) goes through the same constraint.
            Http.Answer longFit = http.postJson("/v1/fits", "{\"datasetId\":\"" + dataset + "\",\"solver\":{\"type\":\"adam\","
                    + "\"maxIter\":1000000,\"tol\":1e-300,\"learningRate\":0.001},\"architecture\":{\"hiddenLayers\":[8]}}");
            assertThat(longFit.status()).as(longFit.body()).isEqualTo(202);
            String id = longFit.json().get("id").asString();
            assertThat(http.delete("/v1/fits/" + id).status()).isIn(200, 202);
            assertThat(http.awaitFinal(id, Duration.ofSeconds(30)).get("state").asString()).isEqualTo("CANCELLED");
        }
    }

    @Test
    void readinessGoesDownWhileTheDatabaseCannotTakeWritesAndUpWhenItCanAgain() throws Exception {
        dataset();
        Http.Answer up = http.get("/actuator/health/readiness");
        assertThat(up.status()).isEqualTo(200);
        DataSource ds = app.getBean(DataSource.class);
        // Reads (and Hikari's validation query) still work; every insert into fit fails.
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("alter table fit rename to fit_unwritable");
        }
        try {
            Http.Answer down = http.get("/actuator/health/readiness");
            assertThat(down.status()).as(down.body()).isEqualTo(503);
            assertThat(down.json().get("status").asString()).isEqualTo("DOWN");
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        } finally {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("alter table fit_unwritable rename to fit");
            }
        }
        Http.Answer again = http.get("/actuator/health/readiness");
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        // The probe leaves nothing behind.
        assertThat(http.get("/v1/fits").json().get("items").size()).isZero();
    }

    /** The data directory's disk below the free-space threshold (every H2 write would fail): not ready. */
    @Test
    void readinessGoesDownWhenTheDataDiskIsFull() {
        Http.Answer ready = http.get("/actuator/health/readiness");
        assertThat(ready.status()).as(ready.body()).isEqualTo(503);
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
    }
}
