package io.sparsefit.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import tools.jackson.databind.JsonNode;

/** Plots (SVG) and exports (ONNX run by ONNX Runtime, JSON) of models trained over real HTTP. */
class ModelPlotsAndExportTest extends ServiceTestBase {

    private static final String HAT = "{\"data\":{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7],[8],[9]],"
            + "\"y\":[0.1,0.9,2.1,2.9,4.2,3.1,1.9,1.2,0.1,-0.8]},\"regularization\":{\"lambda\":0.5},\"solver\":{\"type\":\"exact\"}}";

    private String fitModel(String body) {
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", body).json().get("id").asString(), Duration.ofSeconds(90));
        assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
        return fit.get("modelId").asString();
    }

    private static String twoInputFit(boolean skip) {
        Random r = new Random(7);
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            double a = r.nextDouble() * 4 - 2;
            double b = r.nextDouble() * 4 - 2;
            x.append(i == 0 ? "" : ",").append("[").append(a).append(",").append(b).append("]");
            y.append(i == 0 ? "" : ",").append(Math.max(0, a + b - 0.5) - Math.max(0, a - b) + 0.3 * a);
        }
        return "{\"data\":{\"x\":[" + x + "],\"y\":[" + y + "]},\"architecture\":{\"hiddenLayers\":[8],\"skip\":" + skip + "},"
                + "\"regularization\":{\"lambda\":0.01},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":300},\"seed\":3}";
    }

    private static Document xml(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void oneInputPlotShowsDataSplineAndEveryKnot() throws Exception {
        String model = fitModel(HAT);
        int knots = http.get("/v1/models/" + model + "/diagnostics").json().get("knotCount").asInt();
        assertThat(knots).isPositive();
        Http.Answer plot = http.get("/v1/models/" + model + "/plot.svg");
        assertThat(plot.status()).isEqualTo(200);
        assertThat(plot.contentType()).startsWith("image/svg+xml");
        Document doc = xml(plot.body());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("svg");
        assertThat(plot.body()).contains("(" + knots + (knots == 1 ? " knot)" : " knots)"));
        assertThat(plot.body()).contains("training data").contains("fitted function").contains("knots");

        Http.Answer other = http.get("/v1/models/" + model + "/plot.svg?output=1");
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/v1/models/nope/plot.svg").status()).isEqualTo(404);
    }

    @Test
    void twoInputPlotIsAHeatMapWithTheNeuronsLines() throws Exception {
        String model = fitModel(twoInputFit(true));
        JsonNode neurons = http.get("/v1/models/" + model).json().get("neurons");
        Http.Answer plot = http.get("/v1/models/" + model + "/plot.svg");
        assertThat(plot.status()).isEqualTo(200);
        xml(plot.body());
        Matcher lines = Pattern.compile("\\((\\d+) neuron lines?\\)").matcher(plot.body());
        assertThat(lines.find()).as("title names the neuron lines").isTrue();
        int drawn = Integer.parseInt(lines.group(1));
        assertThat(drawn).isPositive().isLessThanOrEqualTo(neurons.size());
        // 60 x 60 heat-map cells are drawn as rectangles.
        assertThat(count(plot.body(), "<rect")).isGreaterThanOrEqualTo(3600);
    }

    @Test
    void manyInputsPlotPredictedAgainstObserved() throws Exception {
        String body = "{\"data\":{\"x\":[[0,0,1],[1,0,0],[0,1,2],[1,1,0],[2,1,1],[3,0,2]],\"y\":[0,1,1,2,3,3]},"
                + "\"architecture\":{\"hiddenLayers\":[4]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":100}}";
        Http.Answer plot = http.get("/v1/models/" + fitModel(body) + "/plot.svg");
        assertThat(plot.status()).isEqualTo(200);
        xml(plot.body());
        assertThat(plot.body()).contains("predicted against observed").contains("predicted = observed");
    }

    @Test
    void lossPlotOfAFinishedFitAnd409WithoutAModel() throws Exception {
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", twoInputFit(true)).json().get("id").asString(), Duration.ofSeconds(90));
        Http.Answer loss = http.get("/v1/fits/" + fit.get("id").asString() + "/loss.svg");
        assertThat(loss.status()).isEqualTo(200);
        assertThat(loss.contentType()).startsWith("image/svg+xml");
        xml(loss.body());
        assertThat(loss.body()).contains("objective").contains("data fit").contains("penalty");

        String queued = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]},"
                + "\"solver\":{\"type\":\"adam\",\"maxIter\":100000000,\"tol\":1e-300}}").json().get("id").asString();
        http.delete("/v1/fits/" + queued);
        http.awaitFinal(queued, Duration.ofSeconds(10));
        Http.Answer none = http.get("/v1/fits/" + queued + "/loss.svg");
        assertThat(none.status()).isEqualTo(409);
        assertThat(none.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/v1/fits/nope/loss.svg").status()).isEqualTo(404);
    }

    private byte[] download(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).startsWith("attachment");
        return r.body();
    }

    @Test
    void onnxExportRunsInOnnxRuntimeAndAgreesWithPredictTo1e12() throws Exception {
        for (String body : List.of(HAT, twoInputFit(true), twoInputFit(false))) {
            String model = fitModel(body);
            JsonNode view = http.get("/v1/models/" + model).json();
            int d = view.get("inputDim").asInt();
            byte[] onnx = download("/v1/models/" + model + "/export?format=onnx");

            OnnxMl.ModelProto proto = OnnxMl.ModelProto.parseFrom(onnx);
            assertThat(proto.getOpsetImport(0).getVersion()).isGreaterThanOrEqualTo(13);
            assertThat(proto.getGraph().getNodeList().stream().map(OnnxMl.NodeProto::getOpType).distinct().toList())
                    .containsExactlyInAnyOrder("Gemm", "Relu", "Add");

            Random r = new Random(11);
            double[][] x = new double[25][d];
            for (double[] row : x) {
                for (int j = 0; j < d; j++) {
                    row[j] = r.nextDouble() * 12 - 2;
                }
            }
            JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", Map.of("x", x)).json().get("y");
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OrtSession session = env.createSession(onnx, new OrtSession.SessionOptions());
                 OnnxTensor input = OnnxTensor.createTensor(env, x);
                 OrtSession.Result result = session.run(Map.of("x", input))) {
                double[][] y = (double[][]) result.get("y").orElseThrow().getValue();
                assertThat(y.length).isEqualTo(x.length);
                for (int i = 0; i < x.length; i++) {
                    for (int o = 0; o < y[i].length; o++) {
                        double expected = predicted.get(i).get(o).asDouble();
                        assertThat(Math.abs(y[i][o] - expected)).as("row %d output %d", i, o)
                                .isLessThanOrEqualTo(1e-12 * Math.max(1, Math.abs(expected)));
                    }
                }
            }
        }
    }

    @Test
    void jsonExportIsTheModelResourceAndUnknownFormatsAre422() throws Exception {
        String model = fitModel(HAT);
        JsonNode exported = Http.JSON.readTree(download("/v1/models/" + model + "/export?format=json"));
        assertThat(exported).isEqualTo(http.get("/v1/models/" + model).json());
        Http.Answer bad = http.get("/v1/models/" + model + "/export?format=pmml");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("format");
        assertThat(http.get("/v1/models/nope/export?format=onnx").status()).isEqualTo(404);
    }
}
