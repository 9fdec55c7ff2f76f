package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A DELETE of a running fit ends it CANCELLED within seconds whatever its size (issue 19: it took 8-66 s at
 * N = 10^4 because the certificate's pricing ran on after the solver stopped). Every solver that takes the shape
 * N = 10^4, d = 10, width 512 ({@code gd} is a reserved name, answered 422); {@code exact} takes one input, so
 * it runs on 10^5 rows of one input. The bound is generous for a loaded 2-core machine; bench/cancel-latency
 * measures the latency (docs/benchmarks.md). A cancel requested through another replica (the flag in the
 * database only) must arrive through the cancel poll: the heartbeat and progress writes are made too rare here to
 * deliver it in time.
 */
@TestPropertySource(properties = {
        "sparsefit.limits.max-rows=100000",
        "sparsefit.uploads.max-rows=100000",
        "sparsefit.limits.max-body-size=8MB",
        "sparsefit.limits.body-read-timeout=60s",
        "sparsefit.fits.lease=60s",
        "sparsefit.fits.heartbeat-interval=20s",
        "sparsefit.fits.progress-persist-interval=60s"})
class CancelLatencyTest extends ServiceTestBase {

    /** Generous: the measured latencies are well under a second (docs/benchmarks.md); the machine is shared. */
    private static final Duration BOUND = Duration.ofSeconds(5);
    /** Through the database: the poll runs every 500 ms; the heartbeat (20 s here) cannot deliver it in time. */
    private static final Duration CROSS_REPLICA_BOUND = Duration.ofSeconds(3);

    private static String dataset10d;
    private static String dataset1d;

    @Autowired
    JdbcClient jdbc;

    @ParameterizedTest
    @ValueSource(strings = {"lbfgs", "adam", "prox", "convex"})
    void aRunningFitOfTenThousandRowsIsCancelledWithinTheBound(String solver) {
        String id = submit(dataset10d(), solver);
        awaitProgress(id);
        long start = System.nanoTime();
        assertThat(http.delete("/v1/fits/" + id).status()).isEqualTo(202);
        assertCancelledWithin(id, solver, start, BOUND);
    }

    @Test
    void aRunningExactFitOfOneHundredThousandRowsIsCancelledWithinTheBound() {
        String id = submit(dataset1d(), "exact");
        awaitProgress(id);
        long start = System.nanoTime();
        assertThat(http.delete("/v1/fits/" + id).status()).isEqualTo(202);
        assertCancelledWithin(id, "exact", start, BOUND);
    }

    @Test
    void aCancelRequestedThroughAnotherReplicaReachesTheRunningFitThroughThePoll() {
        String id = submit(dataset10d(), "adam");
        awaitProgress(id);
        long start = System.nanoTime();
        // What a DELETE on another replica leaves: the flag in the database, nothing local.
        jdbc.sql("update fit set cancel_requested = true where id = ? and state in ('QUEUED', 'RUNNING')").param(id).update();
        assertCancelledWithin(id, "adam (cancelled through the database)", start, CROSS_REPLICA_BOUND);
    }

    private String submit(String datasetId, String solver) {
        String body = "{\"datasetId\":\"" + datasetId + "\",\"architecture\":{\"hiddenLayers\":[512]},"
                + "\"regularization\":{\"type\":\"weight_decay\",\"lambda\":0.01},"
                + "\"solver\":{\"type\":\"" + solver + "\",\"maxIter\":1000000,\"tol\":1e-300}}";
        Http.Answer submitted = http.postJson("/v1/fits", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        return submitted.json().get("id").asString();
    }

    /**
     * Until the fit runs and its solver reported its first point (the objective of the start), so the cancel lands in
     * the solver, not in the data loading.
     */
    private void awaitProgress(String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode fit = http.get("/v1/fits/" + id).json();
        while (!(fit.get("state").asString().equals("RUNNING") && !fit.get("progress").get("objective").isNull())) {
            if (System.nanoTime() > deadline || !fit.get("state").asString().matches("QUEUED|RUNNING")) {
                http.delete("/v1/fits/" + id);
                throw new AssertionError("fit " + id + " has reported no progress: " + fit);
            }
            Http.sleep(10);
            fit = http.get("/v1/fits/" + id).json();
        }
    }

    private void assertCancelledWithin(String id, String solver, long start, Duration bound) {
        JsonNode fit;
        long millis;
        try {
            fit = http.awaitFinal(id, bound.plusSeconds(30)); // a fit final only after the bound fails below
            millis = (System.nanoTime() - start) / 1_000_000;
        } finally {
            http.delete("/v1/fits/" + id); // a fit still running must not load the next test; a final one is deleted
        }
        assertThat(fit.get("state").asString()).as("%s fit after the cancel: %s", solver, fit).isEqualTo("CANCELLED");
        assertThat(millis).as("cancel to CANCELLED of a running %s fit took %d ms", solver, millis)
                .isLessThan(bound.toMillis());
    }

    /** N = 10^4 rows, d = 10 inputs, a smooth target plus noise, seeded. */
    private String dataset10d() {
        if (dataset10d == null) {
            dataset10d = upload(10_000, 10);
        }
        return dataset10d;
    }

    /** N = 10^5 rows of one input. */
    private String dataset1d() {
        if (dataset1d == null) {
            dataset1d = upload(100_000, 1);
        }
        return dataset1d;
    }

    private String upload(int rows, int inputs) {
        SplittableRandom random = new SplittableRandom(19);
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < inputs; j++) {
            csv.append('x').append(j).append(',');
        }
        csv.append("y\n");
        for (int i = 0; i < rows; i++) {
            double y = 0;
            for (int j = 0; j < inputs; j++) {
                double x = random.nextDouble(-3, 3);
                y += Math.sin((j + 1) * x);
                csv.append(x).append(',');
            }
            csv.append(y + 0.3 * (random.nextDouble() - 0.5)).append('\n');
        }
        Http.Answer created = http.send("POST", "/v1/datasets", "text/csv", csv.toString(), Map.of());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }
}
