package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every class of error answers application/problem+json (RFC 9457) with the right status, and
 * validation failures list each bad field. Nothing invalid is queued.
 */
class ErrorHandlingTest extends ServiceTestBase {

    private static final String X3 = "[[0],[1],[2]]";

    /** Asserts the problem shape and returns it. */
    private JsonNode problem(Http.Answer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        JsonNode p = a.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(p.get("type").asString()).startsWith(Problems.TYPE_BASE);
        assertThat(p.get("title").asString()).isNotBlank();
        assertThat(p.has("detail")).isTrue();
        assertThat(p.get("instance").asString()).startsWith("/");
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("at org.");
        return p;
    }

    private static List<String> fields(JsonNode problem) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : problem.get("errors")) {
            assertThat(e.get("message").asString()).isNotBlank();
            out.add(e.get("field").asString());
        }
        return out;
    }

    private String dataset1d() {
        return http.postJson("/v1/datasets", "{\"x\":" + X3 + ",\"y\":[1,2,4]}").json().get("id").asString();
    }

    @Test
    void unknownPathsAndIdsAre404() {
        problem(http.get("/no/such/path"), 404);
        problem(http.get("/v1/fits/does-not-exist"), 404);
        problem(http.get("/v1/models/does-not-exist"), 404);
        problem(http.get("/v1/models/does-not-exist/diagnostics"), 404);
        problem(http.get("/v1/datasets/does-not-exist"), 404);
        problem(http.delete("/v1/datasets/does-not-exist"), 404);
        problem(http.delete("/v1/fits/does-not-exist"), 404);
        problem(http.get("/v1/fits/does-not-exist/events"), 404);
    }

    @Test
    void methodMediaTypeAndAcceptErrors() {
        Http.Answer put = http.send("PUT", "/v1/datasets", "application/json", "{}", Map.of());
        problem(put, 405);
        assertThat(put.header("Allow")).contains("GET").contains("POST");
        problem(http.send("POST", "/v1/datasets", "application/xml", "<x/>", Map.of()), 415);
        problem(http.send("GET", "/v1/datasets", null, null, Map.of("Accept", "text/csv")), 406);
    }

    @Test
    void malformedJsonUnknownPropertiesAndNonStandardNumbersAre400() {
        problem(http.postJson("/v1/datasets", "{\"x\": [[1]"), 400);
        problem(http.postJson("/v1/datasets", ""), 400);
        JsonNode unknown = problem(http.postJson("/v1/datasets", "{\"x\":" + X3 + ",\"y\":[1,2,3],\"nmae\":\"typo\"}"), 400);
        assertThat(fields(unknown)).containsExactly("nmae");
        JsonNode nestedUnknown = problem(http.postJson("/v1/fits",
                "{\"data\":{\"x\":" + X3 + ",\"y\":[1,2,3]},\"solver\":{\"typ\":\"exact\"}}"), 400);
        assertThat(fields(nestedUnknown)).containsExactly("solver.typ");
        problem(http.postJson("/v1/datasets", "{\"x\":[[0],[NaN],[2]],\"y\":[1,2,3]}"), 400);
        problem(http.postJson("/v1/datasets", "{\"x\":[[0],[Infinity],[2]],\"y\":[1,2,3]}"), 400);
        JsonNode wrongType = problem(http.postJson("/v1/datasets", "{\"x\":[[0],[\"a\"],[2]],\"y\":[1,2,3]}"), 400);
        assertThat(fields(wrongType)).containsExactly("x[1][0]");
        problem(http.postJson("/v1/fits", "{\"data\":{\"x\":" + X3 + ",\"y\":[1,2,3]},\"seed\":\"abc\"}"), 400);
        problem(http.get("/v1/fits?state=BOGUS"), 400);
        problem(http.get("/v1/datasets?cursor=!!"), 400);
    }

    @Test
    void invalidDataIs422WithEveryBadField() {
        JsonNode nonFinite = problem(http.postJson("/v1/datasets", "{\"x\":[[0],[1e999],[2]],\"y\":[1,2,-1e999]}"), 422);
        assertThat(fields(nonFinite)).containsExactly("x[1][0]", "y[2][0]");
        JsonNode ragged = problem(http.postJson("/v1/datasets", "{\"x\":[[0,1],[1],[2,3]],\"y\":[1,2,3]}"), 422);
        assertThat(fields(ragged)).containsExactly("x[1]");
        JsonNode empty = problem(http.postJson("/v1/datasets", "{\"x\":[],\"y\":[]}"), 422);
        assertThat(fields(empty)).containsExactly("x", "y");
        JsonNode emptyRow = problem(http.postJson("/v1/datasets", "{\"x\":[[]],\"y\":[1]}"), 422);
        assertThat(fields(emptyRow)).containsExactly("x[0]");
        JsonNode mismatch = problem(http.postJson("/v1/datasets", "{\"x\":" + X3 + ",\"y\":[1,2]}"), 422);
        assertThat(fields(mismatch)).containsExactly("y");
        JsonNode missing = problem(http.postJson("/v1/datasets", "{\"x\":" + X3 + "}"), 422);
        assertThat(fields(missing)).containsExactly("y");
        assertThat(fields(problem(http.get("/v1/datasets?limit=0"), 422))).containsExactly("limit");
        assertThat(fields(problem(http.get("/v1/fits?limit=100000"), 422))).containsExactly("limit");
        JsonNode inline = problem(http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1,2]],\"y\":[1,2]}}"), 422);
        assertThat(fields(inline)).containsExactly("data.x[1]");
    }

    @Test
    void invalidFitSettingsAre422BeforeAnythingIsQueued() {
        int fitsBefore = countFits();
        String ds = dataset1d();
        JsonNode many = problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds + "\","
                + "\"architecture\":{\"hiddenLayers\":[8,8,8,8,8,8,8],\"linearLayers\":5},"
                + "\"regularization\":{\"type\":\"l1\",\"lambda\":-0.5},"
                + "\"solver\":{\"type\":\"prox\",\"maxIter\":0,\"tol\":0,\"learningRate\":-1,\"batchSize\":-2},"
                + "\"validationFraction\":1.5}"), 422);
        assertThat(fields(many)).containsExactlyInAnyOrder("architecture.hiddenLayers", "architecture.linearLayers",
                "regularization.type", "regularization.lambda", "solver.maxIter", "solver.tol", "solver.learningRate",
                "solver.batchSize", "validationFraction");
        JsonNode negativeLambda = problem(http.postJson("/v1/fits",
                "{\"datasetId\":\"" + ds + "\",\"regularization\":{\"lambda\":-1}}"), 422);
        assertThat(negativeLambda.get("errors").get(0).get("message").asString()).isEqualTo("must be >= 0");
        assertThat(fields(problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds + "\",\"architecture\":{\"hiddenLayers\":[100000]}}"), 422)))
                .containsExactly("architecture.hiddenLayers[0]");
        assertThat(fields(problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds + "\",\"solver\":{\"maxIter\":2000000000}}"), 422)))
                .containsExactly("solver.maxIter");
        JsonNode reserved = problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds + "\",\"solver\":{\"type\":\"gd\"}}"), 422);
        assertThat(reserved.get("errors").get(0).get("message").asString()).contains("not supported yet");
        // convex needs a penalty with lambda > 0 and the skip connection.
        assertThat(fields(problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds
                + "\",\"solver\":{\"type\":\"convex\"},\"regularization\":{\"type\":\"none\"}}"), 422)))
                .containsExactly("regularization");
        assertThat(fields(problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds
                + "\",\"solver\":{\"type\":\"convex\"},\"architecture\":{\"skip\":false}}"), 422)))
                .containsExactly("architecture.skip");
        // a capability the solver lacks (SolverType.capabilities) is named on the field that asks for it
        JsonNode batches = problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds
                + "\",\"solver\":{\"type\":\"lbfgs\",\"batchSize\":8}}"), 422);
        assertThat(fields(batches)).containsExactly("solver.batchSize");
        assertThat(batches.get("errors").get(0).get("message").asString()).contains("mini-batches have no meaning for lbfgs");
        JsonNode exact2d = problem(http.postJson("/v1/fits",
                "{\"data\":{\"x\":[[0,1],[1,0],[2,2]],\"y\":[1,2,3]},\"solver\":{\"type\":\"exact\"}}"), 422);
        assertThat(fields(exact2d)).containsExactly("solver.type");
        assertThat(fields(problem(http.postJson("/v1/fits", "{\"datasetId\":\"nope\"}"), 422))).containsExactly("datasetId");
        assertThat(fields(problem(http.postJson("/v1/fits", "{}"), 422))).containsExactly("datasetId");
        assertThat(fields(problem(http.postJson("/v1/fits", "{\"datasetId\":\"" + ds + "\",\"data\":{\"x\":" + X3 + ",\"y\":[1,2,3]}}"), 422)))
                .containsExactly("datasetId");
        assertThat(countFits()).isEqualTo(fitsBefore);
    }

    @Test
    void tooLargeBodiesAndDataAre413() {
        // The test context limits bodies to 1 MB (Tomcat itself does not limit JSON bodies).
        String big = "{\"x\":[" + "[0.123456789],".repeat(90_000) + "[1]],\"y\":[1]}";
        problem(http.postJson("/v1/datasets", big), 413);
        // Within the body limit but beyond the row limit (5000 in the test context).
        String rows = "{\"x\":[" + "[1],".repeat(5000) + "[1]],\"y\":[" + "1,".repeat(5000) + "1]}";
        // Without Content-Length (chunked), the limit is enforced while reading.
        Http.Answer chunked = http.sendChunked("POST", "/v1/datasets", "application/json", big);
        problem(chunked, 413);
        JsonNode tooMany = problem(http.postJson("/v1/datasets", rows), 413);
        assertThat(fields(tooMany)).containsExactly("x");
    }

    @Test
    void csvErrorsNameTheLine() {
        JsonNode badCell = problem(http.send("POST", "/v1/datasets", "text/csv", "x,y\n0,1\n1,abc\n2,3\n", Map.of()), 422);
        assertThat(fields(badCell)).containsExactly("line 3, column y");
        JsonNode shortRow = problem(http.send("POST", "/v1/datasets", "text/csv", "x,y\n0,1\n1\n", Map.of()), 422);
        assertThat(fields(shortRow)).containsExactly("line 3");
        JsonNode target = problem(http.send("POST", "/v1/datasets?target=z", "text/csv", "x,y\n0,1\n", Map.of()), 422);
        assertThat(fields(target)).containsExactly("target");
        problem(http.send("POST", "/v1/datasets", "text/csv", "x,y\n", Map.of()), 422);
        problem(http.send("POST", "/v1/datasets", "text/csv", "x,y\n0,\"1\n", Map.of()), 400);
    }

    @Test
    void predictChecksColumns() {
        String fit = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]},\"solver\":{\"type\":\"exact\"}}")
                .json().get("id").asString();
        JsonNode done = http.awaitFinal(fit, java.time.Duration.ofSeconds(30));
        assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
        String model = done.get("modelId").asString();
        JsonNode wrong = problem(http.postJson("/v1/models/" + model + "/predict", "{\"x\":[[1],[1,2]]}"), 422);
        assertThat(fields(wrong)).containsExactly("x[1]");
        assertThat(fields(problem(http.postJson("/v1/models/" + model + "/predict", "{\"x\":[]}"), 422))).containsExactly("x");
        problem(http.postJson("/v1/models/" + model + "/predict", "{\"x\":[[1]],\"z\":1}"), 400);
        problem(http.postJson("/v1/models/nope/predict", "{\"x\":[[1]]}"), 404);
    }

    @Test
    void idempotencyKeyWithAnotherBodyIs422() {
        String ds = dataset1d();
        String body = "{\"datasetId\":\"" + ds + "\",\"solver\":{\"type\":\"exact\"}}";
        Http.Answer first = http.send("POST", "/v1/fits", "application/json", body, Map.of("Idempotency-Key", "key-" + ds));
        Http.Answer again = http.send("POST", "/v1/fits", "application/json", body.replace("{\"type\"", "{ \"type\""),
                Map.of("Idempotency-Key", "key-" + ds));
        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        String other = "{\"datasetId\":\"" + ds + "\",\"solver\":{\"type\":\"exact\"},\"seed\":7}";
        JsonNode p = problem(http.send("POST", "/v1/fits", "application/json", other, Map.of("Idempotency-Key", "key-" + ds)), 422);
        assertThat(fields(p)).containsExactly("Idempotency-Key");
    }

    @Test
    void requestsTomcatRejectsItselfAreProblemJsonToo() throws Exception {
        for (String request : List.of(
                "GET /v1/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                "GET /v1/datasets HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000) + "\r\nConnection: close\r\n\r\n")) {
            try (java.net.Socket socket = new java.net.Socket("localhost", port)) {
                socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(answer).startsWith("HTTP/1.1 400");
                assertThat(answer).containsIgnoringCase("Content-Type: application/problem+json");
                String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
                JsonNode p = Http.JSON.readTree(body);
                assertThat(p.get("status").asInt()).isEqualTo(400);
                assertThat(p.get("type").asString()).startsWith(Problems.TYPE_BASE);
            }
        }
    }

    @Test
    void unexpectedErrorsAre500WithoutInternals() {
        JsonNode p = problem(http.get("/test-only/boom"), 500);
        assertThat(p.toString()).doesNotContain("secret").doesNotContain("Secret.java");
    }

    private int countFits() {
        int n = 0;
        String cursor = null;
        do {
            JsonNode page = http.get("/v1/fits?limit=100" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            n += page.get("items").size();
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return n;
    }
}
