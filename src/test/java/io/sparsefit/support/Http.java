package io.sparsefit.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small real-HTTP client for the tests (java.net.http), with JSON helpers. */
public final class Http {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    public Http(String base) {
        this.base = base;
    }

    public static Http onPort(int port) {
        return new Http("http://localhost:" + port);
    }

    public String base() {
        return base;
    }

    /** A response with its body parsed when it is JSON. */
    public record Answer(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Answer send(String method, String path, String contentType, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(path.startsWith("http") ? path : base + path))
                .timeout(Duration.ofSeconds(60));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends the body without a Content-Length (chunked transfer encoding). */
    public Answer sendChunked(String method, String path, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build();
        try {
            HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body(), r.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer get(String path) {
        return send("GET", path, null, null, Map.of());
    }

    public Answer delete(String path) {
        return send("DELETE", path, null, null, Map.of());
    }

    public Answer postJson(String path, String json) {
        return send("POST", path, "application/json", json, Map.of());
    }

    public Answer postJson(String path, Object value) {
        return postJson(path, JSON.writeValueAsString(value));
    }

    /** Polls GET /v1/fits/{id} until its state is final; fails after {@code timeout}. */
    public JsonNode awaitFinal(String fitId, Duration timeout) {
        return awaitFinalAt("/v1/fits/" + fitId, timeout);
    }

    /** Submits the fit request {@code body} (202 expected), waits up to two minutes and returns the fit, which must have SUCCEEDED. */
    public JsonNode succeededFit(String body) {
        Answer submitted = postJson("/v1/fits", body);
        if (submitted.status() != 202) {
            throw new AssertionError("fit not accepted: " + submitted.status() + " " + submitted.body());
        }
        JsonNode fit = awaitFinal(submitted.json().get("id").asString(), Duration.ofSeconds(120));
        if (!fit.get("state").asString().equals("SUCCEEDED")) {
            throw new AssertionError("fit did not succeed: " + fit);
        }
        return fit;
    }

    /** Uploads {@code csv} as a dataset with target column {@code y} (201 expected); the dataset's id. */
    public String uploadedCsv(String csv) {
        Answer up = send("POST", "/v1/datasets?target=y", "text/csv", csv, Map.of());
        if (up.status() != 201) {
            throw new AssertionError("dataset not stored: " + up.status() + " " + up.body());
        }
        return up.json().get("id").asString();
    }

    /** A small {@code lbfgs} fit (width 4, 20 iterations, seed 1) of stored dataset {@code datasetId}: its model's id. */
    public String smallModel(String datasetId) {
        return succeededFit("{\"datasetId\":\"" + datasetId + "\",\"architecture\":{\"hiddenLayers\":[4]},"
                + "\"regularization\":{\"lambda\":0.01},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":20},\"seed\":1}")
                .get("modelId").asString();
    }

    /** Scores stored dataset {@code datasetId} with model {@code modelId} (202 expected), waits a minute; the scoring's id, which must have SUCCEEDED. */
    public String succeededScoring(String modelId, String datasetId) {
        Answer submitted = postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", datasetId));
        if (submitted.status() != 202) {
            throw new AssertionError("scoring not accepted: " + submitted.status() + " " + submitted.body());
        }
        JsonNode scoring = awaitFinalAt("/v1/scorings/" + submitted.json().get("id").asString(), Duration.ofSeconds(60));
        if (!scoring.get("state").asString().equals("SUCCEEDED")) {
            throw new AssertionError("scoring did not succeed: " + scoring);
        }
        return scoring.get("id").asString();
    }

    /** Polls a job resource (a fit, a path) until its state is final; fails after {@code timeout}. */
    public JsonNode awaitFinalAt(String resource, Duration timeout) {
        String fitId = resource;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode fit = get(resource).json();
            String state = fit.get("state").asString();
            if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
                return fit;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fit " + fitId + " still " + state + " after " + timeout);
            }
            sleep(50);
        }
    }

    /** Polls until the fit is RUNNING with at least one reported iteration. */
    public JsonNode awaitRunning(String fitId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode fit = get("/v1/fits/" + fitId).json();
            if (fit.get("state").asString().equals("RUNNING") && fit.get("progress").get("iteration").asInt() > 0) {
                return fit;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("fit " + fitId + " not running after " + timeout + ": " + fit);
            }
            sleep(20);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
