package io.sparsefit.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The examples of the Open Inference Protocol (KServe v2 REST) specification, each adapted to a
 * sparsefit model (input tensor x, output y, FP64, version 1): health, server and model metadata,
 * version routes, an inference request with requested outputs, and the error object with its status.
 */
class InferenceProtocolSpecTest extends ServiceTestBase {

    private String model;

    @BeforeEach
    void fit() {
        String body = "{\"data\":{\"x\":[[0,0],[1,0],[0,1],[1,1],[2,1]],\"y\":[0,1,1,0,2]},"
                + "\"architecture\":{\"hiddenLayers\":[4]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":100}}";
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", body).json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(fit.get("state").asString()).isEqualTo("SUCCEEDED");
        model = fit.get("modelId").asString();
    }

    private static void assertError(Http.Answer a, int status, String contains) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode body = a.json();
        assertThat(body.properties()).as("only the error member").hasSize(1);
        assertThat(body.get("error").asString()).contains(contains);
    }

    /** Spec "Health": GET v2/health/live and v2/health/ready answer 200 with {"live": true} / {"ready": true}. */
    @Test
    void health() {
        Http.Answer live = http.get("/v2/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().get("live").asBoolean()).isTrue();
        assertThat(http.get("/v2/health/ready").json().get("ready").asBoolean()).isTrue();
        // Content negotiation fails before the protocol's handler runs; the answer is the protocol's error all the same.
        assertError(http.send("GET", "/v2/health/live", null, null, java.util.Map.of("Accept", "application/xml")), 406, "acceptable");
    }

    /** Spec "Server Metadata": {"name", "version", "extensions"}. */
    @Test
    void serverMetadata() {
        JsonNode meta = http.get("/v2").json();
        assertThat(meta.get("name").asString()).isEqualTo("sparsefit");
        assertThat(meta.has("version")).isTrue();
        assertThat(meta.get("extensions").isArray()).isTrue();
    }

    /** Spec "Model Metadata" and "Model Ready", with and without the version segment; other versions are 404 errors. */
    @Test
    void modelMetadataAndReadinessPerVersion() {
        for (String path : new String[] {"/v2/models/" + model, "/v2/models/" + model + "/versions/1"}) {
            JsonNode meta = http.get(path).json();
            assertThat(meta.get("name").asString()).isEqualTo(model);
            assertThat(meta.get("versions").toString()).isEqualTo("[\"1\"]");
            assertThat(meta.get("platform").asString()).isNotEmpty();
            assertThat(meta.get("inputs").get(0).toString()).isEqualTo("{\"name\":\"x\",\"datatype\":\"FP64\",\"shape\":[-1,2]}");
            assertThat(meta.get("outputs").get(0).toString()).isEqualTo("{\"name\":\"y\",\"datatype\":\"FP64\",\"shape\":[-1,1]}");
            assertThat(http.get(path + "/ready").json().get("ready").asBoolean()).isTrue();
        }
        assertError(http.get("/v2/models/" + model + "/versions/2"), 404, "version '2'");
        assertError(http.get("/v2/models/" + model + "/versions/2/ready"), 404, "version '2'");
        assertError(http.get("/v2/models/nope/versions/1"), 404, "'nope'");
    }

    /**
     * Spec "Inference Request Examples": an id, one input with shape and datatype, requested outputs by
     * name; the response echoes the id, names the model and version, and carries the output tensor.
     */
    @Test
    void inferenceRequestExample() {
        String request = "{\"id\":\"42\",\"inputs\":[{\"name\":\"x\",\"shape\":[3,2],\"datatype\":\"FP64\",\"data\":[1,2,3,4,5,6]}],"
                + "\"outputs\":[{\"name\":\"y\"}]}";
        JsonNode expected = http.postJson("/v1/models/" + model + "/predict", "{\"x\":[[1,2],[3,4],[5,6]]}").json().get("y");
        for (String path : new String[] {"/v2/models/" + model + "/infer", "/v2/models/" + model + "/versions/1/infer"}) {
            Http.Answer a = http.postJson(path, request);
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode out = a.json();
            assertThat(out.get("id").asString()).isEqualTo("42");
            assertThat(out.get("model_name").asString()).isEqualTo(model);
            assertThat(out.get("model_version").asString()).isEqualTo("1");
            JsonNode y = out.get("outputs").get(0);
            assertThat(y.get("name").asString()).isEqualTo("y");
            assertThat(y.get("shape").toString()).isEqualTo("[3,1]");
            assertThat(y.get("datatype").asString()).isEqualTo("FP64");
            for (int i = 0; i < 3; i++) {
                assertThat(y.get("data").get(i).asDouble()).isEqualTo(expected.get(i).get(0).asDouble());
            }
        }
        assertError(http.postJson("/v2/models/" + model + "/versions/7/infer", request), 404, "version '7'");
    }

    /** Spec "Inference Response JSON Object" errors: {"error": $string} with a 400 for a request the server cannot run. */
    @Test
    void inferenceErrorsAreTheProtocolsObjectWith400() {
        // The spec's own example request (input0 UINT32, input1 BOOL): wrong names for this model.
        assertError(http.postJson("/v2/models/" + model + "/infer", "{\"id\":\"42\",\"inputs\":["
                + "{\"name\":\"input0\",\"shape\":[2,2],\"datatype\":\"UINT32\",\"data\":[1,2,3,4]},"
                + "{\"name\":\"input1\",\"shape\":[3],\"datatype\":\"BOOL\",\"data\":[true]}],\"outputs\":[{\"name\":\"output0\"}]}"),
                400, "exactly one input tensor");
        assertError(http.postJson("/v2/models/" + model + "/infer",
                "{\"inputs\":[{\"name\":\"input0\",\"shape\":[1,2],\"datatype\":\"FP64\",\"data\":[1,2]}]}"), 400, "unexpected input 'input0'");
        assertError(http.postJson("/v2/models/" + model + "/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,2],\"datatype\":\"FP64\",\"data\":[1,2]}],\"outputs\":[{\"name\":\"output0\"}]}"),
                400, "unknown output 'output0'");
        assertError(http.postJson("/v2/models/" + model + "/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,3],\"datatype\":\"FP64\",\"data\":[1,2,3]}]}"), 400, "inputDim");
        assertError(http.postJson("/v2/models/" + model + "/infer", "{\"inputs\": [{"), 400, "malformed inference request");
        assertError(http.postJson("/v2/models/" + model + "/infer", "{\"inputs\":[],\"bogus\":1}"), 400, "bogus");
    }

    /** Errors raised before a /v2 handler runs are the protocol's object too, never problem+json: 415, 406, 405, 404. */
    @Test
    void mediaTypeMethodAndPathErrorsAreTheProtocolsObject() {
        String infer = "/v2/models/" + model + "/infer";
        String body = "{\"inputs\":[{\"name\":\"x\",\"shape\":[1,1],\"datatype\":\"FP64\",\"data\":[1]}]}";
        assertError(http.send("POST", infer, "text/plain", body, java.util.Map.of()), 415, "text/plain");
        assertError(http.send("POST", infer, "application/xml", "<x/>", java.util.Map.of()), 415, "application/xml");
        assertError(http.send("POST", infer, "application/json", body, java.util.Map.of("Accept", "text/csv")), 406, "acceptable");
        assertError(http.send("GET", "/v2/models/" + model, null, null, java.util.Map.of("Accept", "text/csv")), 406, "acceptable");
        Http.Answer delete = http.delete("/v2/models/" + model);
        assertError(delete, 405, "DELETE");
        assertThat(delete.header("Allow")).isEqualTo("GET");
        assertError(http.get("/v2/no/such/path"), 404, "/v2/no/such/path");
        // The rest of the service keeps problem+json for the same mistakes.
        Http.Answer v1 = http.send("POST", "/v1/models/" + model + "/predict", "text/plain", "x", java.util.Map.of());
        assertThat(v1.status()).isEqualTo(415);
        assertThat(v1.contentType()).startsWith("application/problem+json");
    }
}
