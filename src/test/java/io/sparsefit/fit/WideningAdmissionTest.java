package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Over HTTP, with a per-fit limit of 10 MB: a default fit on 1,000 rows x 10 inputs (about 2.3 MB at its starting width
 * of 64, about 15 MB once {@code auto} widened it, {@link FitValidator#widenedWorkingSetBytes}) is admitted, says on the
 * fit resource that it stays at 64 neurons, and ends with at most 64 ({@code lbfgs} at that width, the cap FitRunner
 * passes to the core; without it the fit widens within its 10 s: its targets are noise, whose fit at a small lambda
 * fills any width). {@link AdmissionTest} pins the estimates and the decision.
 */
@TestPropertySource(properties = "sparsefit.limits.max-fit-memory=10MB")
class WideningAdmissionTest extends ServiceTestBase {

    @Test
    void aDefaultFitThatWouldWidenBeyondTheLimitRunsAtItsStartingWidthAndSaysSo() {
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
        Http.Answer fit = http.postJson("/v1/fits", "{\"datasetId\":\"" + ds.json().get("id").asString() + "\","
                + "\"regularization\":{\"lambda\":0.001},\"solver\":{\"timeLimit\":10}}");
        assertThat(fit.status()).as(fit.body()).isEqualTo(202);
        assertThat(fit.json().get("warnings").toString()).contains("stays at its starting width of 64 neurons");

        JsonNode done = http.awaitFinal(fit.json().get("id").asString(), Duration.ofSeconds(120));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("warnings").toString()).contains("stays at its starting width of 64 neurons");
        JsonNode diagnostics = http.get("/v1/models/" + done.get("modelId").asString() + "/diagnostics").json();
        assertThat(diagnostics.get("solver").asString()).isEqualTo("lbfgs");
        assertThat(diagnostics.get("totalNeurons").asInt()).isLessThanOrEqualTo(64);
    }
}
