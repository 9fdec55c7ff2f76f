package io.sparsefit.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * With API keys configured: 401 problem+json without a valid key (both headers accepted, health open),
 * each key sees only its own datasets, fits and models (404 and filtered listings), the admin key sees
 * all (paths and their point models included), idempotency keys are per API key, and the per-key limits (queued fits, stored bytes) answer
 * as documented. Bob's key is configured by its SHA-256 only.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sparsefit.fits.threads=1",
        "sparsefit.limits.max-iter=100000000",
        "sparsefit.security.api-keys[0].id=alice",
        "sparsefit.security.api-keys[0].key=" + ApiKeysTest.ALICE,
        "sparsefit.security.api-keys[1].id=bob",
        "sparsefit.security.api-keys[1].sha256=" + ApiKeysTest.BOB_SHA256,
        "sparsefit.security.api-keys[2].id=ops",
        "sparsefit.security.api-keys[2].key=" + ApiKeysTest.ADMIN,
        "sparsefit.security.api-keys[2].admin=true",
        "sparsefit.security.per-key.max-queued-fits=2",
        "sparsefit.security.per-key.max-running-fits=1",
        "sparsefit.security.per-key.max-stored-bytes=20KB",
        "logging.level.io.sparsefit.fit.FitRunner=ERROR"})
class ApiKeysTest {

    static final String ALICE = "alice-secret-key-0123456789";
    static final String BOB = "bob-secret-key-0123456789";
    static final String BOB_SHA256 = "d0d6d50b078333857133399f9ce499a2b9f941c6d9bb36ef786163af574450d7";
    static final String ADMIN = "ops-admin-key-0123456789";

    static final String DATASET = "{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]}";
    /** Runs for minutes unless cancelled (see FitLifecycleTest.LONG_FIT). */
    static final String LONG_FIT = "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,0,1,0,1,0,1]},"
            + "\"architecture\":{\"hiddenLayers\":[16]},"
            + "\"solver\":{\"type\":\"adam\",\"maxIter\":100000000,\"tol\":1e-300,\"learningRate\":0.001}}";

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws java.io.IOException {
        String dir = Files.createTempDirectory("sparsefit-keys-").toString();
        registry.add("sparsefit.data-dir", () -> dir);
    }

    @LocalServerPort
    int port;
    Http http;

    @BeforeEach
    void client() {
        http = Http.onPort(port);
    }

    private Http.Answer as(String key, String method, String path, String body) {
        return http.send(method, path, body == null ? null : "application/json", body, Map.of("Authorization", "Bearer " + key));
    }

    private static void problem(Http.Answer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(a.json().get("status").asInt()).isEqualTo(status);
    }

    @Test
    void withoutAValidKeyTheApiIs401AndTheProbesStayOpen() {
        problem(http.get("/v1/datasets"), 401);
        assertThat(http.get("/v1/datasets").header("WWW-Authenticate")).startsWith("Bearer");
        problem(http.postJson("/v1/datasets", DATASET), 401);
        problem(http.get("/v2/models"), 401);
        problem(as("not-a-key-at-all-000000", "GET", "/v1/fits", null), 401);
        problem(http.send("GET", "/v1/models", null, null, Map.of("X-API-Key", ALICE + "x")), 401);
        problem(http.get("/actuator/prometheus"), 401);

        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/v3/api-docs").status()).isEqualTo(200);

        assertThat(as(ALICE, "GET", "/v1/datasets", null).status()).isEqualTo(200);
        assertThat(http.send("GET", "/v1/datasets", null, null, Map.of("X-API-Key", BOB)).status()).isEqualTo(200);
        assertThat(as(ADMIN, "GET", "/actuator/prometheus", null).status()).isEqualTo(200);
    }

    @Test
    void aKeySeesOnlyItsOwnResourcesAndTheAdminSeesAll() {
        String aliceData = as(ALICE, "POST", "/v1/datasets", DATASET).json().get("id").asString();
        String bobData = as(BOB, "POST", "/v1/datasets", DATASET).json().get("id").asString();

        problem(as(BOB, "GET", "/v1/datasets/" + aliceData, null), 404);
        problem(as(BOB, "DELETE", "/v1/datasets/" + aliceData, null), 404);
        assertThat(as(ALICE, "GET", "/v1/datasets/" + aliceData, null).status()).isEqualTo(200);
        assertThat(ids(as(BOB, "GET", "/v1/datasets?limit=100", null))).contains(bobData).doesNotContain(aliceData);
        assertThat(ids(as(ADMIN, "GET", "/v1/datasets?limit=100", null))).contains(bobData, aliceData);

        // Bob cannot fit on Alice's dataset: for him it does not exist.
        Http.Answer stolen = as(BOB, "POST", "/v1/fits", "{\"datasetId\":\"" + aliceData + "\",\"architecture\":{\"hiddenLayers\":[4]}}");
        problem(stolen, 422);
        assertThat(stolen.body()).contains("datasetId");

        String fit = as(ALICE, "POST", "/v1/fits", "{\"datasetId\":\"" + aliceData + "\",\"architecture\":{\"hiddenLayers\":[4]},"
                + "\"solver\":{\"maxIter\":200}}").json().get("id").asString();
        JsonNode done = awaitFinal(ALICE, fit);
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        String model = done.get("modelId").asString();

        problem(as(BOB, "GET", "/v1/fits/" + fit, null), 404);
        problem(as(BOB, "DELETE", "/v1/fits/" + fit, null), 404);
        problem(as(BOB, "GET", "/v1/models/" + model, null), 404);
        problem(as(BOB, "POST", "/v1/models/" + model + "/predict", "{\"x\":[[1]]}"), 404);
        problem(as(BOB, "GET", "/v1/models/" + model + "/diagnostics", null), 404);
        problem(as(BOB, "GET", "/v1/models/" + model + "/plot.svg", null), 404);
        assertThat(as(BOB, "POST", "/v2/models/" + model + "/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"FP64\",\"data\":[1]}]}").status()).isEqualTo(404);
        problem(as(BOB, "DELETE", "/v1/models/" + model, null), 404);
        assertThat(ids(as(BOB, "GET", "/v1/fits?limit=100", null))).doesNotContain(fit);
        assertThat(ids(as(BOB, "GET", "/v1/models?limit=100", null))).doesNotContain(model);

        assertThat(as(ALICE, "POST", "/v1/models/" + model + "/predict", "{\"x\":[[1]]}").status()).isEqualTo(200);
        assertThat(ids(as(ALICE, "GET", "/v1/models?limit=100", null))).contains(model);
        assertThat(as(ADMIN, "GET", "/v1/fits/" + fit, null).status()).isEqualTo(200);
        assertThat(as(ADMIN, "GET", "/v1/models/" + model, null).status()).isEqualTo(200);
        assertThat(ids(as(ADMIN, "GET", "/v1/fits?limit=100", null))).contains(fit);
    }

    @Test
    void aPathAndItsPointModelsBelongToTheKeyThatSubmittedIt() {
        String body = "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5]],\"y\":[0,1,0,2,1,3]},\"solver\":{\"type\":\"exact\"},"
                + "\"grid\":{\"count\":3},\"validation\":{\"folds\":2}}";
        String path = id(as(ALICE, "POST", "/v1/paths", body), 202);
        problem(as(BOB, "GET", "/v1/paths/" + path, null), 404);
        problem(as(BOB, "DELETE", "/v1/paths/" + path, null), 404);
        assertThat(as(BOB, "GET", "/v1/paths/" + path + "/events", null).status()).isEqualTo(404);
        // A path is not a fit: it never shows in the fit listing, not even to its owner.
        assertThat(ids(as(ALICE, "GET", "/v1/fits?limit=100", null))).doesNotContain(path);

        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode done = as(ALICE, "GET", "/v1/paths/" + path, null).json();
        while (!done.get("state").asString().equals("SUCCEEDED") && !done.get("state").asString().equals("FAILED")
                && System.nanoTime() < end) {
            Http.sleep(50);
            done = as(ALICE, "GET", "/v1/paths/" + path, null).json();
        }
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        String pointModel = done.get("points").get(1).get("modelId").asString();
        assertThat(as(ALICE, "POST", "/v1/models/" + pointModel + "/predict", "{\"x\":[[1]]}").status()).isEqualTo(200);
        problem(as(BOB, "POST", "/v1/models/" + pointModel + "/predict", "{\"x\":[[1]]}"), 404);
        assertThat(ids(as(BOB, "GET", "/v1/models?limit=100", null))).doesNotContain(pointModel);
        assertThat(as(ADMIN, "GET", "/v1/paths/" + path, null).status()).isEqualTo(200);
    }

    @Test
    void idempotencyKeysAreScopedPerApiKey() {
        String body = "{\"data\":{\"x\":[[0],[1],[2]],\"y\":[0,1,0]},\"architecture\":{\"hiddenLayers\":[2]},\"solver\":{\"maxIter\":50}}";
        Map<String, String> alice = Map.of("Authorization", "Bearer " + ALICE, "Idempotency-Key", "shared-key-1");
        Map<String, String> bob = Map.of("Authorization", "Bearer " + BOB, "Idempotency-Key", "shared-key-1");
        Http.Answer a = http.send("POST", "/v1/fits", "application/json", body, alice);
        Http.Answer b = http.send("POST", "/v1/fits", "application/json", body, bob);
        assertThat(a.status()).as(a.body()).isEqualTo(202);
        assertThat(b.status()).as(b.body()).isEqualTo(202);
        assertThat(b.header("Idempotent-Replayed")).isNull();
        assertThat(b.json().get("id").asString()).isNotEqualTo(a.json().get("id").asString());
        Http.Answer again = http.send("POST", "/v1/fits", "application/json", body, alice);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.json().get("id").asString()).isEqualTo(a.json().get("id").asString());
        awaitFinal(ALICE, a.json().get("id").asString());
        awaitFinal(BOB, b.json().get("id").asString());
    }

    @Test
    void perKeyQueueAndStorageLimits() {
        // One running (max-running-fits=1 per key), two queued, then the third queued is 429 with Retry-After.
        String running = id(as(BOB, "POST", "/v1/fits", LONG_FIT), 202);
        awaitRunning(BOB, running);
        String q1 = id(as(BOB, "POST", "/v1/fits", LONG_FIT), 202);
        String q2 = id(as(BOB, "POST", "/v1/fits", LONG_FIT), 202);
        try {
            // With one worker and Bob's one running fit the worker is busy anyway; the queued ones stay QUEUED.
            Http.Answer third = as(BOB, "POST", "/v1/fits", LONG_FIT);
            problem(third, 429);
            assertThat(third.header("Retry-After")).isNotNull();
            assertThat(as(BOB, "GET", "/v1/fits/" + q1, null).json().get("state").asString()).isEqualTo("QUEUED");
        } finally {
            for (String id : new String[] {q2, q1, running}) {
                as(BOB, "DELETE", "/v1/fits/" + id, null);
            }
        }

        // Storage: 20 KB per key; a 600-row dataset is 600 x 2 x 8 bytes plus headers, about 9.6 KB.
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 600; i++) {
            x.append(i == 0 ? "" : ",").append("[").append(i).append("]");
            y.append(i == 0 ? "" : ",").append(i % 7);
        }
        String big = "{\"x\":[" + x + "],\"y\":[" + y + "]}";
        String admin = id(as(ADMIN, "POST", "/v1/datasets", big), 201);
        String first = id(as(ADMIN, "POST", "/v1/datasets", big), 201);
        Http.Answer over = as(ADMIN, "POST", "/v1/datasets", big);
        problem(over, 413);
        assertThat(over.json().get("detail").asString()).contains("quota");
        // Another key has its own quota.
        assertThat(as(ALICE, "POST", "/v1/datasets", big).status()).isEqualTo(201);
        // Deleting makes room.
        assertThat(as(ADMIN, "DELETE", "/v1/datasets/" + first, null).status()).isEqualTo(204);
        assertThat(as(ADMIN, "POST", "/v1/datasets", big).status()).isEqualTo(201);
        assertThat(admin).isNotBlank();
    }

    private static String id(Http.Answer created, int status) {
        assertThat(created.status()).as(created.body()).isEqualTo(status);
        return created.json().get("id").asString();
    }

    private static java.util.List<String> ids(Http.Answer page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        java.util.List<String> ids = new java.util.ArrayList<>();
        page.json().get("items").forEach(n -> ids.add(n.get("id").asString()));
        return ids;
    }

    private JsonNode awaitFinal(String key, String id) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode fit = as(key, "GET", "/v1/fits/" + id, null).json();
            String state = fit.get("state").asString();
            if (!state.equals("QUEUED") && !state.equals("RUNNING") || System.nanoTime() > end) {
                return fit;
            }
            Http.sleep(50);
        }
    }

    private void awaitRunning(String key, String id) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!as(key, "GET", "/v1/fits/" + id, null).json().get("state").asString().equals("RUNNING") && System.nanoTime() < end) {
            Http.sleep(50);
        }
    }
}
