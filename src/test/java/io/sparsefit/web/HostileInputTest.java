package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a fuzzer sent (about 5,000 requests) that got a 500 or was silently accepted: each answers a
 * 4xx problem+json now, never a 5xx, and lenient parses are refused.
 */
class HostileInputTest extends ServiceTestBase {

    private JsonNode inferenceError(Http.Answer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/json");
        JsonNode e = a.json();
        assertThat(e.properties()).hasSize(1);
        assertThat(e.get("error").asString()).isNotBlank().doesNotContain("Exception");
        return e;
    }

    private JsonNode problem(Http.Answer a, int status) {
        assertThat(a.status()).as(a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/problem+json");
        JsonNode p = a.json();
        assertThat(p.get("status").asInt()).isEqualTo(status);
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("at io.").doesNotContain("at org.");
        return p;
    }

    private String dataset() {
        return http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2]],\"y\":[1,2,4]}").json().get("id").asString();
    }

    /** A raw HTTP/1.1 exchange, for requests java.net.http will not send; returns the status line and the body. */
    private String[] raw(String request) throws Exception {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            for (int n; (n = in.read(b)) > 0; ) {
                buf.write(b, 0, n);
                String text = buf.toString(StandardCharsets.ISO_8859_1);
                int end = text.indexOf("\r\n\r\n");
                if (end > 0 && text.contains("}")) {
                    break;
                }
            }
            String text = buf.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            return new String[] {text.substring(0, text.indexOf("\r\n")), text.substring(0, end), text.substring(end + 4)};
        }
    }

    @Test
    void multipartBodiesAre415() {
        String multipart = "multipart/form-data; boundary=xyz";
        String body = "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xyz--\r\n";
        for (String path : new String[] {"/v1/datasets", "/v1/fits", "/v1/models/nope/predict", "/v2/models/nope/infer"}) {
            // Under /v2 the same 415 in the Open Inference Protocol's shape, {"error": "..."}.
            java.util.function.Function<Http.Answer, Object> check = path.startsWith("/v2") ? a -> inferenceError(a, 415) : a -> problem(a, 415);
            check.apply(http.send("POST", path, multipart, body, Map.of()));
            check.apply(http.send("POST", path, multipart, "garbage12345", Map.of()));
            check.apply(http.send("POST", path, "multipart/form-data", "garbage12345", Map.of()));
            // A wildcard Content-Type is refused by web.MalformedUriFilter before Spring MVC: problem+json everywhere.
            problem(http.send("POST", path, "*/*", "{}", Map.of()), 415);
            problem(http.send("POST", path, "text/*", "{}", Map.of()), 415);
        }
    }

    @Test
    void malformedPercentEncodingIs400Or404() throws Exception {
        for (String query : new String[] {"/v1/datasets?cursor=%%%", "/v1/fits?state=%zz", "/v1/fits?limit=%", "/v1/datasets?%=1"}) {
            String[] answer = raw("GET " + query + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer[0]).as(query).startsWith("HTTP/1.1 400");
            assertThat(answer[1].toLowerCase()).contains("content-type: application/problem+json");
            assertThat(answer[2]).contains("\"status\":400");
        }
        String[] path = raw("GET /v1/fits/;%7C%3E;%7C%22%%5E%3C90 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(path[0]).matches("HTTP/1.1 40[04] .*");
        assertThat(path[1].toLowerCase()).contains("content-type: application/problem+json");
        String[] path2 = raw("GET /v1/datasets/%E0%A4%A HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(path2[0]).matches("HTTP/1.1 40[04] .*");
    }

    @Test
    void theErrorPathItselfIs404() {
        JsonNode p = problem(http.get("/error"), 404);
        assertThat(p.get("instance").asString()).isEqualTo("/error");
        problem(http.postJson("/error", "{}"), 404);
    }

    /**
     * RFC 9112 section 6.1: a server that receives a transfer coding it does not understand ought to answer
     * 501; Tomcat does, and the answer is a problem too.
     */
    @Test
    void anUnknownTransferCodingIs501Problem() throws Exception {
        String[] answer = raw("POST /v1/datasets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: gzip\r\nConnection: close\r\n\r\n{}");
        assertThat(answer[0]).startsWith("HTTP/1.1 501");
        assertThat(answer[1].toLowerCase()).contains("content-type: application/problem+json");
        assertThat(answer[2]).contains("\"status\":501");
    }

    @Test
    void floatsForIntegersAndStringsForNumbersOrBooleansAre400() {
        String ds = "\"datasetId\":\"" + dataset() + "\"";
        assertThat(problem(http.postJson("/v1/fits", "{" + ds + ",\"architecture\":{\"hiddenLayers\":[1.9]}}"), 400)
                .get("errors").get(0).get("field").asString()).isEqualTo("architecture.hiddenLayers[0]");
        problem(http.postJson("/v1/fits", "{" + ds + ",\"solver\":{\"maxIter\":10.9}}"), 400);
        problem(http.postJson("/v1/fits", "{" + ds + ",\"solver\":{\"maxIter\":1e3}}"), 400);
        problem(http.postJson("/v1/fits", "{" + ds + ",\"regularization\":{\"lambda\":\"0.25\"}}"), 400);
        problem(http.postJson("/v1/fits", "{" + ds + ",\"architecture\":{\"skip\":\"false\"}}"), 400);
        problem(http.postJson("/v1/fits", "{" + ds + ",\"architecture\":{\"skip\":0}}"), 400);
        problem(http.postJson("/v1/fits", "{" + ds + ",\"seed\":\"7\"}"), 400);
        problem(http.postJson("/v1/datasets", "{\"x\":[[\"0\"],[1],[2]],\"y\":[1,2,4]}"), 400);
        problem(http.postJson("/v1/models/nope/predict", "{\"x\":[[\"0.5\"]]}"), 400);
        // Still fine: integers where reals belong, exponents for reals.
        Http.Answer ok = http.postJson("/v1/fits", "{" + ds + ",\"regularization\":{\"lambda\":1},\"solver\":{\"type\":\"exact\","
                + "\"tol\":1e-8,\"maxIter\":1000}}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(202);
    }

    @Test
    void csvCellsMustBePlainDecimalNumbers() {
        for (String cell : new String[] {"0x1p3", "1d", "1f", "1D", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "+-1", "1e"}) {
            JsonNode p = problem(http.send("POST", "/v1/datasets", "text/csv", "x,y\n0,1\n1," + cell + "\n2,3\n", Map.of()), 422);
            assertThat(p.get("errors").get(0).get("field").asString()).as(cell).isEqualTo("line 3, column y");
        }
        Http.Answer ok = http.send("POST", "/v1/datasets", "text/csv", "x,y\n0,1\n-1.5,2.\n.5,+3e-2\n1E3,-0\n", Map.of());
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        assertThat(ok.json().get("rows").asInt()).isEqualTo(4);
    }

    @Test
    void emptyTargetNamesAre422() {
        for (String target : new String[] {",,,", ",", "y,", " , y"}) {
            JsonNode p = problem(http.send("POST", "/v1/datasets?target=" + target.replace(" ", "%20"), "text/csv",
                    "x,y\n0,1\n1,2\n", Map.of()), 422);
            assertThat(p.get("errors").get(0).get("field").asString()).isEqualTo("target");
        }
    }

    @Test
    void aReusedIdempotencyKeyWithAnotherBodyNeverRevealsTheFirstFit() {
        String ds = "\"datasetId\":\"" + dataset() + "\"";
        String key = "shared-key-" + System.nanoTime();
        Http.Answer first = http.send("POST", "/v1/fits", "application/json", "{" + ds + ",\"solver\":{\"type\":\"exact\"}}",
                Map.of("Idempotency-Key", key));
        assertThat(first.status()).isEqualTo(202);
        String id = first.json().get("id").asString();
        Http.Answer other = http.send("POST", "/v1/fits", "application/json", "{" + ds + ",\"seed\":5,\"solver\":{\"type\":\"exact\"}}",
                Map.of("Idempotency-Key", key));
        problem(other, 422);
        assertThat(other.body()).doesNotContain(id);
        assertThat(other.header("Location")).isNull();
    }

    @Test
    void oneAnswerReportsAtMostAHundredFieldErrorsAndTheirCount() {
        String ds = "\"datasetId\":\"" + dataset() + "\"";
        String zeros = String.join(",", java.util.Collections.nCopies(5000, "0"));
        JsonNode p = problem(http.postJson("/v1/fits", "{" + ds + ",\"architecture\":{\"hiddenLayers\":[" + zeros + "]}}"), 422);
        assertThat(p.get("errors").size()).isEqualTo(100);
        assertThat(p.get("errorCount").asInt()).isGreaterThan(100);
        // Small answers keep their exact list and carry no count.
        JsonNode small = problem(http.postJson("/v1/fits", "{" + ds + ",\"architecture\":{\"hiddenLayers\":[0]}}"), 422);
        assertThat(small.get("errors").size()).isEqualTo(1);
        assertThat(small.has("errorCount")).isFalse();
    }

    /** The row limit (5000 in the tests) stops reading: what follows it (here malformed CSV) is never parsed. */
    @Test
    void csvReadingStopsAtTheRowLimit() {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 5001; i++) {
            csv.append(i).append(',').append(i % 7).append('\n');
        }
        csv.append("1,\"never closed\n2,3\n");
        JsonNode p = problem(http.send("POST", "/v1/datasets", "text/csv", csv.toString(), Map.of()), 413);
        assertThat(p.get("errors").get(0).get("message").asString()).contains("more than 5000 rows");
        JsonNode chunked = problem(http.sendChunked("POST", "/v1/datasets", "text/csv", csv.toString()), 413);
        assertThat(chunked.get("status").asInt()).isEqualTo(413);
        // Up to the limit it is stored, with its charset.
        Http.Answer ok = http.send("POST", "/v1/datasets?name=%C3%A9t%C3%A9", "text/csv; charset=UTF-8", "x,\u00e9\n0,1\n1,2\n", Map.of());
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        problem(http.send("POST", "/v1/datasets", "text/csv; charset=nonsense-42", "x,y\n0,1\n", Map.of()), 415);
    }

    /** A body trickling in (a byte every 300 ms) is cut off with 408 once it took longer than body-read-timeout (2 s here). */
    @Test
    void aSlowBodyIsAnswered408() throws Exception {
        try (Socket s = new Socket("localhost", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/datasets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n{\"x\":").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            long t0 = System.nanoTime();
            for (int i = 0; i < 100 && in.available() == 0; i++) {
                try {
                    out.write(' ');
                    out.flush();
                } catch (java.io.IOException closed) {
                    break; // the server answered and closed the connection
                }
                Http.sleep(300);
            }
            byte[] b = new byte[4096];
            int n = in.read(b);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String answer = new String(b, 0, Math.max(0, n), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 408");
            assertThat(answer.toLowerCase()).contains("application/problem+json");
            assertThat(seconds).as("seconds until the answer").isLessThan(15);
        }
    }

    @Test
    void answersCarrySecurityHeadersAndActuatorExposesOnlyHealthInfoPrometheus() {
        for (Http.Answer a : new Http.Answer[] {http.get("/v1/datasets"), http.get("/v1/fits/nope"), http.get("/v2/health/live")}) {
            assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(a.header("Cache-Control")).isEqualTo("no-store");
        }
        assertThat(http.get("/actuator/health").header("X-Content-Type-Options")).isEqualTo("nosniff");
        for (String hidden : new String[] {"env", "heapdump", "configprops", "beans", "threaddump", "loggers", "mappings"}) {
            assertThat(http.get("/actuator/" + hidden).status()).as(hidden).isEqualTo(404);
        }
        assertThat(http.get("/actuator/prometheus").status()).isEqualTo(200);
    }
}
