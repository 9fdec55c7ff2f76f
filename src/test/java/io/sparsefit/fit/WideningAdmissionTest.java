package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Over HTTP, with a per-fit limit of 10 MB: a default fit on 1,000 rows x 10 inputs (about 2.3 MB at its starting width
 * of 64, about 38 MiB once {@code auto} widened it, {@link FitValidator#widenedWorkingSetBytes}) is admitted with its
 * starting width made a cap: the fit resource says so in its warnings and echoes {@code hiddenLayers: [64]}, the
 * model's provenance records the same request, and the fit ends as {@code lbfgs} with at most 64 neurons. Deterministic:
 * the cap is in the stored request, whatever the fit would have done in the time it had ({@link AdmissionTest} pins the
 * estimate and the decision); 300 iterations keep it cheap. A replay under the same idempotency key is the same fit.
 */
@TestPropertySource(properties = "sparsefit.limits.max-fit-memory=10MB")
class WideningAdmissionTest extends ServiceTestBase {

    @Test
    void aDefaultFitThatWouldWidenBeyondTheLimitIsStoredAndRunWithItsStartingWidthAsACap() {
        SplittableRandom random = new SplittableRandom(7);
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            x.append(i == 0 ? "[" : ",[");
            for (int j = 0; j < 10; j++) {
                x.append(j == 0 ? "" : ",").append(random.nextGaussian());
            }
            x.append(']');
            y.append(i == 0 ? "" : ",").append(random.nextGaussian());
        }
        Http.Answer ds = http.postJson("/v1/datasets", "{\"x\":[" + x + "],\"y\":[" + y + "]}");
        assertThat(ds.status()).as(ds.body()).isEqualTo(201);
        String body = "{\"datasetId\":\"" + ds.json().get("id").asString() + "\","
                + "\"regularization\":{\"lambda\":0.001},\"solver\":{\"maxIter\":300}}";
        Http.Answer fit = http.send("POST", "/v1/fits", "application/json", body, Map.of("Idempotency-Key", "capped"));
        assertThat(fit.status()).as(fit.body()).isEqualTo(202);
        assertCapped(fit.json());
        // a replay of the same body under the same key is the same fit: the key's hash is the request's before the cap
        Http.Answer replay = http.send("POST", "/v1/fits", "application/json", body, Map.of("Idempotency-Key", "capped"));
        assertThat(replay.status()).as(replay.body()).isIn(200, 202);
        assertThat(replay.json().get("id").asString()).isEqualTo(fit.json().get("id").asString());

        JsonNode done = http.awaitFinal(fit.json().get("id").asString(), Duration.ofSeconds(120));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertCapped(done);
        String modelId = done.get("modelId").asString();
        assertThat(http.get("/v1/models/" + modelId).json().path("provenance").path("request").path("architecture")
                .path("hiddenLayers").toString()).isEqualTo("[64]");
        JsonNode diagnostics = http.get("/v1/models/" + modelId + "/diagnostics").json();
        assertThat(diagnostics.get("solver").asString()).isEqualTo("lbfgs");
        assertThat(diagnostics.get("totalNeurons").asInt()).isLessThanOrEqualTo(64);
    }

    /** The fit resource's warning and its echoed request: the cap, explicit. */
    private static void assertCapped(JsonNode fit) {
        assertThat(fit.get("warnings").toString()).contains("capped at its starting width: architecture.hiddenLayers [64]");
        assertThat(fit.get("request").path("architecture").path("hiddenLayers").toString()).isEqualTo("[64]");
    }
}
