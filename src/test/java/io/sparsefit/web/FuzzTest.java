package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Generated hostile requests (seeded, so a failure repeats: {@code -Dsparsefit.test.fuzz-seed},
 * {@code -Dsparsefit.test.fuzz-requests}, default 10,000): methods, paths with real, unknown and
 * garbled ids, queries, media types, and bodies mutated from valid ones (tokens dropped, duplicated,
 * swapped for other types, random characters, truncation). Every answer must come within the client
 * timeout, never be a 5xx, and every error must be problem+json without stack traces, SQL or class
 * names. Fits it manages to queue are cancelled at the end.
 */
class FuzzTest extends ServiceTestBase {

    private static final long SEED = Long.getLong("sparsefit.test.fuzz-seed", 20261202L);
    private static final int REQUESTS = Integer.getInteger("sparsefit.test.fuzz-requests", 10_000);

    private static final String[] METHODS = {"GET", "POST", "POST", "POST", "DELETE", "PUT", "PATCH"};
    private static final String[] TYPES = {"application/json", "application/json", "text/csv", "multipart/form-data",
            "multipart/form-data; boundary=x", "application/xml", "text/plain", "application/json; charset=latin-9",
            "application/x-www-form-urlencoded", "application/problem+json", "*/*", "text/csv; charset=UTF-16"};
    private static final String[] TOKENS = {"null", "true", "false", "0", "-1", "1.9", "1e309", "\"\"", "\"x\"", "[]", "{}", "[[]]",
            "[[1,2],[3]]", "\"0.25\"", "9999999999", "-0", "1e-400", "\"exact\"", "\"adam\"", "\"weight_decay\"", "NaN", ",", ":",
            "\"\\u0000\"", "[1.5]"};

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void generatedHostileRequestsNeverGetA5xxAndEveryErrorIsAProblem() throws Exception {
        String ds = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]}").json().get("id").asString();
        String fit = http.postJson("/v1/fits", "{\"datasetId\":\"" + ds + "\",\"solver\":{\"type\":\"exact\"}}").json().get("id").asString();
        String model = http.awaitFinal(fit, Duration.ofSeconds(60)).get("modelId").asString();
        String[] ids = {ds, fit, model, "nope", "", "%20", "..", "%2e%2e", "a;b=c", "%E2%82%AC", "x".repeat(300), "1%00", "~"};
        String[] paths = {"/v1/datasets", "/v1/datasets/{id}", "/v1/fits", "/v1/fits/{id}", "/v1/models/{id}",
                "/v1/models/{id}/predict", "/v1/models/{id}/diagnostics", "/v2/models/{id}/infer", "/v2/models/{id}",
                "/v2/models/{id}/ready", "/v2", "/error", "/v1", "/v3/api-docs", "/actuator/health", "/actuator/{id}"};
        String[] bodies = {
                "{\"x\":[[0],[1],[2]],\"y\":[1,2,4],\"name\":\"n\"}",
                "{\"datasetId\":\"" + ds + "\",\"solver\":{\"type\":\"exact\",\"maxIter\":100},\"regularization\":{\"lambda\":0.1}}",
                "{\"data\":{\"x\":[[0],[1],[2]],\"y\":[1,2,4]},\"architecture\":{\"hiddenLayers\":[4],\"skip\":true},"
                        + "\"solver\":{\"type\":\"exact\"},\"validationFraction\":0,\"seed\":1}",
                "{\"x\":[[0.5],[1.5]]}",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[0.5,1.5]}]}",
                "x,y\n0,1\n1,2\n2,4\n",
        };
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (int i = 0; i < REQUESTS && failures.size() < 10; i++) {
            String method = METHODS[random.nextInt(METHODS.length)];
            String path = paths[random.nextInt(paths.length)].replace("{id}", ids[random.nextInt(ids.length)]);
            if (random.nextInt(3) == 0) {
                path += query(random, ids);
            }
            String type = random.nextInt(10) == 0 ? null : TYPES[random.nextInt(TYPES.length)];
            String body = method.equals("GET") || method.equals("DELETE") && random.nextBoolean() ? null
                    : mutate(bodies[random.nextInt(bodies.length)], random);
            HttpRequest.Builder b;
            try {
                b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
            } catch (IllegalArgumentException notAUri) {
                continue;
            }
            if (type != null) {
                b.header("Content-Type", type);
            }
            if (random.nextInt(8) == 0) {
                b.header("Accept", random.nextBoolean() ? "text/csv" : "application/json, */*;q=0.1");
            }
            if (random.nextInt(8) == 0) {
                b.header("Idempotency-Key", random.nextBoolean() ? "k" + random.nextInt(5) : "");
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            sent++;
            String where = method + " " + path + " [" + type + "] " + (body == null ? "" : abbreviate(body));
            int status = r.statusCode();
            if (status >= 500) {
                failures.add(status + " for " + where + ": " + abbreviate(r.body()));
            } else if (status >= 400) {
                String ct = r.headers().firstValue("Content-Type").orElse("");
                // Under /v2 the Open Inference Protocol's own error shape {"error": "..."} replaces problem+json.
                boolean inference = path.matches("/v2([/?].*)?") && ct.startsWith("application/json")
                        && r.body().startsWith("{\"error\"");
                if (!ct.startsWith("application/problem+json") && !inference && !method.equals("HEAD")) {
                    failures.add(status + " not problem+json (" + ct + ") for " + where);
                } else if (r.body().matches("(?s).*(Exception|\\bat (org|io|java)\\.|SQL|select |insert |tools\\.jackson|org\\.h2).*")) {
                    failures.add(status + " leaks internals for " + where + ": " + abbreviate(r.body()));
                }
            }
        }
        // Leave nothing running for the tests that share this context.
        for (String state : new String[] {"QUEUED", "RUNNING"}) {
            for (JsonNode f : http.get("/v1/fits?limit=100&state=" + state).json().get("items")) {
                http.delete("/v1/fits/" + f.get("id").asString());
            }
        }
        assertThat(failures).as("after %d generated requests (seed %d)", sent, SEED).isEmpty();
        assertThat(sent).isGreaterThan(REQUESTS * 9 / 10);
    }

    private String base() {
        return http.base();
    }

    private static String query(SplittableRandom random, String[] ids) {
        String[] names = {"limit", "cursor", "state", "target", "name", "x"};
        String[] values = {"0", "-1", "1.5", "100000", "QUEUED", "bogus", "!!", "%25", "%E2%82%AC", ",,,", "", "y", "a%2Cb"};
        StringBuilder q = new StringBuilder("?");
        int n = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            q.append(i > 0 ? "&" : "").append(names[random.nextInt(names.length)]).append('=')
                    .append(random.nextInt(6) == 0 ? ids[random.nextInt(ids.length)] : values[random.nextInt(values.length)]);
        }
        return q.toString();
    }

    /** A valid body with a few random edits: a token replaced, a span dropped or doubled, a random character, a cut. */
    private static String mutate(String body, SplittableRandom random) {
        StringBuilder s = new StringBuilder(body);
        int edits = random.nextInt(4);
        for (int e = 0; e < edits && s.length() > 0; e++) {
            int at = random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> {
                    int end = Math.min(s.length(), at + 1 + random.nextInt(6));
                    s.replace(at, end, TOKENS[random.nextInt(TOKENS.length)]);
                }
                case 1 -> s.delete(at, Math.min(s.length(), at + 1 + random.nextInt(8)));
                case 2 -> s.insert(at, s.substring(at, Math.min(s.length(), at + 1 + random.nextInt(10))));
                case 3 -> s.insert(at, (char) (random.nextInt(2) == 0 ? random.nextInt(32, 127) : random.nextInt(0x80, 0x3000)));
                default -> s.setLength(at);
            }
        }
        return s.toString();
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
