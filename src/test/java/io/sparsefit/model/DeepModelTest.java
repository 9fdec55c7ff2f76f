package io.sparsefit.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Deep models over HTTP (issue 8): a fit with two ReLU layers and linear layers is stored, listed, served as layers +
 * skip that a plain loop in this test evaluates to {@code /predict} within 1e-12, through the Open Inference Protocol
 * and as ONNX; its diagnostics carry the A8 numbers; the one-layer solvers and the path norm answer 422 for it.
 */
class DeepModelTest extends ServiceTestBase {

    /** x in [-1, 1]^3, two outputs of a depth-2 teacher; 80 rows. */
    private static String deepFit(String architecture, String solver) {
        Random r = new Random(5);
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 80; i++) {
            double a = 2 * r.nextDouble() - 1;
            double b = 2 * r.nextDouble() - 1;
            double c = 2 * r.nextDouble() - 1;
            double h1 = Math.max(0, a + b - 0.2);
            double h2 = Math.max(0, b - c + 0.1);
            double out = Math.max(0, h1 - h2 + 0.05);
            x.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.17g,%.17g,%.17g]", a, b, c));
            y.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT, "[%.17g,%.17g]", out, 0.5 * out - 0.3 * c));
        }
        return "{\"data\":{\"x\":[" + x + "],\"y\":[" + y + "]},\"architecture\":" + architecture + ","
                + "\"regularization\":{\"type\":\"weight_decay\",\"lambda\":0.01}," + solver + ",\"seed\":3}";
    }

    private static final String DEEP = "{\"hiddenLayers\":[6,5],\"linearLayers\":1,\"skip\":true}";

    private String fitModel(String body) {
        Http.Answer accepted = http.postJson("/v1/fits", body);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode fit = http.awaitFinal(accepted.json().get("id").asString(), Duration.ofSeconds(120));
        assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
        return fit.get("modelId").asString();
    }

    /** {@code layers + skip} of a model resource, evaluated as its schema says: h = act(W h + bias), then + C x + c0. */
    private static double[] evaluate(JsonNode model, double[] x) {
        double[] h = x.clone();
        for (JsonNode layer : model.get("layers")) {
            JsonNode w = layer.get("weights");
            double[] next = new double[w.size()];
            for (int k = 0; k < next.length; k++) {
                double s = layer.get("bias").get(k).asDouble();
                for (int j = 0; j < h.length; j++) {
                    s += w.get(k).get(j).asDouble() * h[j];
                }
                next[k] = "relu".equals(layer.get("activation").asString()) ? Math.max(0, s) : s;
            }
            h = next;
        }
        JsonNode c = model.get("skip").get("weights");
        for (int o = 0; o < h.length; o++) {
            double s = model.get("skip").get("bias").get(o).asDouble();
            for (int j = 0; j < x.length; j++) {
                s += c.get(o).get(j).asDouble() * x[j];
            }
            h[o] += s;
        }
        return h;
    }

    private static double[][] randomRows(int n, int d, long seed) {
        Random r = new Random(seed);
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = 3 * r.nextDouble() - 1.5;
            }
        }
        return x;
    }

    @Test
    void deepModelIsServedAsLayersPredictInferenceAndOnnxThatAgreeTo1e12() throws Exception {
        String model = fitModel(deepFit(DEEP, "\"solver\":{\"type\":\"auto\",\"maxIter\":400}"));
        JsonNode view = http.get("/v1/models/" + model).json();
        List<String> kinds = new ArrayList<>();
        view.get("layers").forEach(l -> kinds.add(l.get("activation").asString()));
        assertThat(kinds).containsExactly("linear", "relu", "linear", "relu", "linear");
        assertThat(view.get("layers").get(4).get("weights").size()).isEqualTo(2);
        assertThat(view.get("neurons").size()).isZero();
        assertThat(view.get("knots").size()).isZero();

        double[][] x = randomRows(40, 3, 17);
        JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", Map.of("x", x)).json().get("y");
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            double[] f = evaluate(view, x[i]);
            for (int o = 0; o < 2; o++) {
                double expected = predicted.get(i).get(o).asDouble();
                scale = Math.max(scale, Math.abs(expected));
                assertThat(Math.abs(f[o] - expected)).as("row %d output %d", i, o)
                        .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected)));
            }
        }
        assertThat(scale).as("the fitted function is not identically zero").isGreaterThan(0.1);

        StringBuilder flat = new StringBuilder();
        for (double[] row : x) {
            for (double v : row) {
                flat.append(flat.isEmpty() ? "" : ",").append(v);
            }
        }
        JsonNode inferred = http.postJson("/v2/models/" + model + "/infer", "{\"inputs\":[{\"name\":\"x\",\"shape\":[" + x.length
                + ",3],\"datatype\":\"FP64\",\"data\":[" + flat + "]}]}").json().get("outputs").get(0);
        assertThat(inferred.get("shape").toString()).isEqualTo("[" + x.length + ",2]");
        for (int i = 0; i < x.length; i++) {
            for (int o = 0; o < 2; o++) {
                assertThat(inferred.get("data").get(2 * i + o).asDouble()).isEqualTo(predicted.get(i).get(o).asDouble());
            }
        }

        byte[] onnx = download("/v1/models/" + model + "/export?format=onnx");
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, x);
             OrtSession.Result result = session.run(Map.of("x", input))) {
            double[][] y = (double[][]) result.get("y").orElseThrow().getValue();
            for (int i = 0; i < x.length; i++) {
                for (int o = 0; o < 2; o++) {
                    double expected = predicted.get(i).get(o).asDouble();
                    assertThat(Math.abs(y[i][o] - expected)).isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected)));
                }
            }
        }

        JsonNode listed = null;
        for (JsonNode item : http.get("/v1/models?limit=100").json().get("items")) {
            if (item.get("id").asString().equals(model)) {
                listed = item;
            }
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("hiddenLayers").size()).isEqualTo(4);
        assertThat(listed.get("hiddenLayers").get(3).get("activation").asString()).isEqualTo("relu");
        assertThat(listed.get("width").asInt()).isEqualTo(listed.get("hiddenLayers").get(3).get("units").asInt());
    }

    @Test
    void deepDiagnosticsReportSpectraLinearRunsAndTheLastLayerCertificate() {
        String model = fitModel(deepFit(DEEP, "\"solver\":{\"type\":\"lbfgs\",\"maxIter\":400}"));
        JsonNode d = http.get("/v1/models/" + model + "/diagnostics").json();
        assertThat(d.get("solver").asString()).isEqualTo("lbfgs");
        assertThat(d.get("pathNorm").isNull()).isTrue();
        assertThat(d.get("certificate").isNull()).isTrue();
        JsonNode deep = d.get("deep");
        assertThat(deep.get("rankThreshold").asDouble()).isEqualTo(1e-3);
        assertThat(deep.get("matrices").size()).isEqualTo(5);
        assertThat(deep.get("matrices").get(4).get("kind").asString()).isEqualTo("output");
        assertThat(deep.get("linearRuns").size()).isEqualTo(2);
        for (JsonNode run : deep.get("linearRuns")) {
            assertThat(run.get("factors").asInt()).isEqualTo(2);
            // Finishing rebalances every run (A8): the raw penalty is the nuclear norm of the product.
            assertThat(run.get("rawPenalty").asDouble()).isCloseTo(run.get("schattenPenalty").asDouble(),
                    org.assertj.core.data.Offset.offset(1e-8 * Math.max(1, run.get("schattenPenalty").asDouble())));
        }
        assertThat(deep.get("activeUnits").size()).isEqualTo(2);
        JsonNode cert = deep.get("lastLayerCertificate");
        assertThat(cert.get("gap").asDouble()).isGreaterThanOrEqualTo(-1e-9);
        assertThat(d.get("objective").asDouble()).isCloseTo(d.get("dataFit").asDouble() + d.get("penalty").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        Http.Answer plot = http.get("/v1/models/" + model + "/plot.svg");
        assertThat(plot.status()).isEqualTo(200);
        assertThat(plot.body()).contains("predicted against observed");
    }

    @Test
    void oneLayerSolversAndThePathNormAre422ForADeepArchitecture() {
        for (String solver : List.of("exact", "convex", "prox")) {
            Http.Answer a = http.postJson("/v1/fits", deepFit(DEEP, "\"solver\":{\"type\":\"" + solver + "\"}"));
            assertThat(a.status()).as(a.body()).isEqualTo(422);
            assertThat(a.json().get("errors").get(0).get("field").asString()).isEqualTo("solver.type");
        }
        Http.Answer pathNorm = http.postJson("/v1/fits", deepFit(DEEP, "\"solver\":{\"type\":\"lbfgs\"}")
                .replace("weight_decay", "path_norm"));
        assertThat(pathNorm.status()).isEqualTo(422);
        assertThat(pathNorm.json().get("errors").get(0).get("field").asString()).isEqualTo("regularization.type");
        Http.Answer tooDeep = http.postJson("/v1/fits", deepFit("{\"hiddenLayers\":[2,2,2,2,2,2,2]}", "\"solver\":{\"type\":\"lbfgs\"}"));
        assertThat(tooDeep.status()).isEqualTo(422);
        assertThat(tooDeep.json().get("errors").get(0).get("field").asString()).isEqualTo("architecture.hiddenLayers");
        Http.Answer tooManyLinear = http.postJson("/v1/fits", deepFit("{\"hiddenLayers\":[4],\"linearLayers\":5}",
                "\"solver\":{\"type\":\"lbfgs\"}"));
        assertThat(tooManyLinear.status()).isEqualTo(422);
        assertThat(tooManyLinear.json().get("errors").get(0).get("field").asString()).isEqualTo("architecture.linearLayers");
    }

    private byte[] download(String path) throws Exception {
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + path)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        try (InputStream in = r.body(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
