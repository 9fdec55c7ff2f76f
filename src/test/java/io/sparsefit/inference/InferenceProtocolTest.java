package io.sparsefit.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Open Inference Protocol endpoints agree with /v1 predict and report shapes and readiness. */
class InferenceProtocolTest extends ServiceTestBase {

    @Test
    void inferEqualsPredictAndMetadataDescribesTheTensors() {
        String body = "{\"data\":{\"x\":[[0,0],[1,0],[0,1],[1,1],[2,1]],\"y\":[[0,1],[1,0],[1,1],[0,0],[2,1]]},"
                + "\"architecture\":{\"hiddenLayers\":[4]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":200}}";
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", body).json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(fit.get("state").asString()).isEqualTo("SUCCEEDED");
        String model = fit.get("modelId").asString();

        assertThat(http.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
        assertThat(http.get("/v2/health/ready").json().get("ready").asBoolean()).isTrue();
        assertThat(http.get("/v2").json().get("name").asString()).isEqualTo("sparsefit");
        assertThat(http.get("/v2/models/" + model + "/ready").json().get("ready").asBoolean()).isTrue();
        JsonNode meta = http.get("/v2/models/" + model).json();
        assertThat(meta.get("inputs").get(0).get("shape").toString()).isEqualTo("[-1,2]");
        assertThat(meta.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1,2]");

        JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", "{\"x\":[[0.5,0.25],[3,-1],[1,2]]}").json().get("y");
        for (String data : new String[] {"[0.5,0.25,3,-1,1,2]", "[[0.5,0.25],[3,-1],[1,2]]"}) {
            Http.Answer a = http.postJson("/v2/models/" + model + "/infer",
                    "{\"id\":\"r1\",\"inputs\":[{\"name\":\"x\",\"shape\":[3,2],\"datatype\":\"FP64\",\"data\":" + data + "}]}");
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode out = a.json();
            assertThat(out.get("model_name").asString()).isEqualTo(model);
            assertThat(out.get("id").asString()).isEqualTo("r1");
            JsonNode y = out.get("outputs").get(0);
            assertThat(y.get("name").asString()).isEqualTo("y");
            assertThat(y.get("datatype").asString()).isEqualTo("FP64");
            assertThat(y.get("shape").toString()).isEqualTo("[3,2]");
            for (int i = 0; i < 3; i++) {
                for (int o = 0; o < 2; o++) {
                    assertThat(y.get("data").get(i * 2 + o).asDouble()).isEqualTo(predicted.get(i).get(o).asDouble());
                }
            }
        }
    }

    @Test
    void badTensorsAre400AndUnknownModels404WithTheProtocolsErrorObject() {
        Http.Answer missing = http.postJson("/v2/models/nope/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"FP64\",\"data\":[1]}]}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/json");
        assertThat(missing.json().get("error").asString()).contains("nope");
        assertThat(http.get("/v2/models/nope").status()).isEqualTo(404);
        Http.Answer shape = http.postJson("/v2/models/nope/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2],\"datatype\":\"FP64\",\"data\":[1,2,3]}]}");
        assertThat(shape.status()).isEqualTo(400);
        assertThat(shape.json().get("error").asString()).startsWith("inputs[0].data: ");
        assertThat(shape.json().properties()).hasSize(1);
        Http.Answer type = http.postJson("/v2/models/nope/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"a\"]}]}");
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.json().get("error").asString()).contains("inputs[0].datatype").contains("inputs[0].data");
    }
}
