package io.sparsefit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.sparsefit.support.ClassProbabilities;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Classification over HTTP (issue 21): a CSV with text labels through upload, fits with logistic and cross_entropy,
 * predict (JSON and CSV) with probabilities and labels, OIP v2, the ONNX export run in ONNX Runtime, evaluate and
 * the diagnostics. Every probability, log loss, accuracy and data-fit figure is recomputed here from the service's own
 * logits by the definitions (sigmoid, softmax, -log p_y), independently of the service's code. Bad inputs are refused
 * with 422 before anything is stored or queued.
 */
class ClassificationTest extends ServiceTestBase {

    /** 2-D points: class "in" inside the unit circle (scaled), "out" outside; two rows flipped as noise. */
    private static String twoClasses() {
        StringBuilder csv = new StringBuilder("u,v,label\n");
        for (int i = 0; i < 40; i++) {
            double u = Math.cos(2.1 * i) * (0.3 + 0.05 * (i % 7));
            double v = Math.sin(1.7 * i) * (0.3 + 0.04 * (i % 9));
            boolean in = u * u + v * v < 0.16;
            if (i == 5 || i == 23) {
                in = !in;
            }
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", u, v, in ? "in" : "out"));
        }
        return csv.toString();
    }

    /** Three classes by angle sector: "a", "b", "c". */
    private static String threeClasses() {
        StringBuilder csv = new StringBuilder("u,v,kind\n");
        for (int i = 0; i < 45; i++) {
            double angle = 2 * Math.PI * i / 45 + 0.05 * Math.sin(i);
            double r = 0.5 + 0.3 * ((i * 7) % 5) / 5.0;
            String kind = angle < 2 * Math.PI / 3 ? "a" : angle < 4 * Math.PI / 3 ? "b" : "c";
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%s%n", r * Math.cos(angle), r * Math.sin(angle), kind));
        }
        return csv.toString();
    }

    private JsonNode upload(String query, String csv) {
        Http.Answer up = http.send("POST", "/v1/datasets" + query, "text/csv", csv, Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        return up.json();
    }

    private static double[][] inputs(String csv) {
        List<double[]> rows = new ArrayList<>();
        for (String line : csv.lines().skip(1).toList()) {
            String[] cells = line.split(",");
            rows.add(new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1])});
        }
        return rows.toArray(new double[0][]);
    }

    private static List<String> labels(String csv) {
        return csv.lines().skip(1).map(line -> line.split(",")[2]).toList();
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = new double[rows.get(i).size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = rows.get(i).get(j).asDouble();
            }
        }
        return out;
    }

    /** The probabilities by definition: logistic [1 - sigmoid(f), sigmoid(f)], else softmax(f). */
    private static double[] probabilities(double[] f) {
        return ClassProbabilities.of(f);
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    private byte[] onnx(String model) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(http.base() + "/v1/models/" + model
                + "/export?format=onnx")).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    /** Runs the export in ONNX Runtime: its probabilities equal predict's to 1e-12. */
    private void onnxProbabilitiesEqualPredict(String model, double[][] x, double[][] expected) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(onnx(model), new OrtSession.SessionOptions());
             OnnxTensor input = OnnxTensor.createTensor(env, x);
             OrtSession.Result result = session.run(Map.of("x", input))) {
            double[][] p = (double[][]) result.get("probabilities").orElseThrow().getValue();
            assertThat(p.length).isEqualTo(expected.length);
            for (int i = 0; i < x.length; i++) {
                assertThat(p[i].length).isEqualTo(expected[i].length);
                for (int k = 0; k < p[i].length; k++) {
                    assertThat(p[i][k]).isCloseTo(expected[i][k], within(1e-12));
                }
            }
        }
    }

    @Test
    void textLabelsRoundTripThroughLogisticFitPredictOnnxAndEvaluate() throws Exception {
        String csv = twoClasses();
        JsonNode dataset = upload("?target=label&name=circle", csv);
        assertThat(dataset.get("classes").toString()).isEqualTo("[\"in\",\"out\"]");
        assertThat(dataset.get("outputDim").asInt()).isEqualTo(1);
        String id = dataset.get("id").asString();
        assertThat(http.get("/v1/datasets/" + id).json().get("classes").toString()).isEqualTo("[\"in\",\"out\"]");
        // The data comes back as CSV with its labels, and uploads again to the same classes and hash.
        Http.Answer data = http.send("GET", "/v1/datasets/" + id + "/data", null, null, Map.of("Accept", "text/csv"));
        assertThat(data.body().lines().skip(1).map(line -> line.substring(line.lastIndexOf(',') + 1)).toList()).isEqualTo(labels(csv));
        JsonNode again = upload("?target=label", data.body());
        assertThat(again.get("classes")).isEqualTo(dataset.get("classes"));
        assertThat(again.get("sha256")).isEqualTo(dataset.get("sha256"));

        JsonNode fit = http.succeededFit("{\"datasetId\":\"" + id + "\",\"loss\":{\"type\":\"logistic\"},"
                + "\"architecture\":{\"hiddenLayers\":[8]},\"regularization\":{\"lambda\":0.01},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":400}}");
        assertThat(fit.get("request").get("loss").toString()).isEqualTo("{\"type\":\"logistic\"}");
        String model = fit.get("modelId").asString();
        JsonNode view = http.get("/v1/models/" + model).json();
        assertThat(view.get("loss").get("type").asString()).isEqualTo("logistic");
        assertThat(view.get("classes").toString()).isEqualTo("[\"in\",\"out\"]");
        assertThat(view.get("outputDim").asInt()).isEqualTo(1);

        double[][] x = inputs(csv);
        List<String> truth = labels(csv);
        JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", Map.of("x", x)).json();
        double[][] f = matrix(predicted.get("y"));
        double[][] p = matrix(predicted.get("probabilities"));
        double dataFit = 0;
        double logLoss = 0;
        int correct = 0;
        for (int i = 0; i < x.length; i++) {
            double[] expected = probabilities(f[i]);
            assertThat(p[i][0] + p[i][1]).isCloseTo(1.0, within(1e-12));
            assertThat(p[i][0]).isCloseTo(expected[0], within(1e-12));
            assertThat(p[i][1]).isCloseTo(expected[1], within(1e-12));
            assertThat(predicted.get("labels").get(i).asString()).isEqualTo(expected[1] > expected[0] ? "out" : "in");
            int y = truth.get(i).equals("out") ? 1 : 0; // class 1 is the second sorted label
            dataFit += Math.log1p(Math.exp(f[i][0])) - y * f[i][0]; // log(1 + e^f) - y f, theory A2b
            logLoss -= Math.log(expected[y]);
            correct += argmax(expected) == y ? 1 : 0;
        }
        JsonNode diagnostics = http.get("/v1/models/" + model + "/diagnostics").json();
        assertThat(diagnostics.get("loss").asString()).isEqualTo("logistic");
        assertThat(diagnostics.get("dataFit").asDouble()).isCloseTo(dataFit, within(1e-9 * Math.max(1, dataFit)));
        assertThat(diagnostics.get("trainLogLoss").asDouble()).isCloseTo(logLoss / x.length, within(1e-9));
        assertThat(diagnostics.get("trainAccuracy").asDouble()).isCloseTo((double) correct / x.length, within(1e-15));
        assertThat(diagnostics.get("trainAccuracy").asDouble()).isGreaterThan(0.8);
        assertThat(diagnostics.get("validationAccuracy").isNull()).isTrue();

        // Evaluate on the stored dataset: the same figures by their definitions, and the confusion matrix.
        JsonNode evaluation = http.postJson("/v1/models/" + model + "/evaluate", Map.of("datasetId", id)).json();
        assertThat(evaluation.get("rows").asInt()).isEqualTo(x.length);
        assertThat(evaluation.get("accuracy").asDouble()).isCloseTo((double) correct / x.length, within(1e-15));
        assertThat(evaluation.get("logLoss").asDouble()).isCloseTo(logLoss / x.length, within(1e-9));
        assertThat(evaluation.has("mse")).isFalse();
        long diagonal = evaluation.get("confusion").get(0).get(0).asLong() + evaluation.get("confusion").get(1).get(1).asLong();
        assertThat(diagonal).isEqualTo(correct);
        // AUC by its definition: pairs (out, in) ordered by p(out), ties half.
        double wins = 0;
        double pairs = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x.length; j++) {
                if (truth.get(i).equals("out") && truth.get(j).equals("in")) {
                    pairs++;
                    wins += p[i][1] > p[j][1] ? 1 : p[i][1] == p[j][1] ? 0.5 : 0;
                }
            }
        }
        assertThat(evaluation.get("auc").asDouble()).isCloseTo(wins / pairs, within(1e-15));

        // CSV in, CSV out: logit, the probabilities, the label, under the dataset's names.
        Http.Answer csvOut = http.send("POST", "/v1/models/" + model + "/predict", "text/csv",
                String.format(Locale.ROOT, "v,u%n%s,%s%n", x[0][1], x[0][0]), Map.of("Accept", "text/csv"));
        List<String> lines = csvOut.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("logit,probability_in,probability_out,label");
        assertThat(lines.get(1)).isEqualTo(f[0][0] + "," + p[0][0] + "," + p[0][1] + "," + predicted.get("labels").get(0).asString());

        // Open Inference Protocol: the same three outputs.
        JsonNode infer = http.postJson("/v2/models/" + model + "/infer", Map.of("inputs", List.of(Map.of("name", "x",
                "shape", List.of(2, 2), "datatype", "FP64", "data", List.of(x[0][0], x[0][1], x[1][0], x[1][1]))))).json();
        assertThat(infer.get("outputs").size()).isEqualTo(3);
        assertThat(infer.get("outputs").get(1).get("name").asString()).isEqualTo("probabilities");
        assertThat(infer.get("outputs").get(1).get("data").get(1).asDouble()).isEqualTo(p[0][1]);
        assertThat(infer.get("outputs").get(2).get("datatype").asString()).isEqualTo("BYTES");
        assertThat(infer.get("outputs").get(2).get("data").get(1).asString()).isEqualTo(predicted.get("labels").get(1).asString());

        onnxProbabilitiesEqualPredict(model, x, p);
    }

    @Test
    void aPathWithALogisticLossChoosesLambdaByValidationLogLoss() {
        String id = upload("?target=label", twoClasses()).get("id").asString();
        Http.Answer submitted = http.postJson("/v1/paths", "{\"datasetId\":\"" + id + "\",\"loss\":{\"type\":\"logistic\"},"
                + "\"architecture\":{\"hiddenLayers\":[6]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":200},\"grid\":{\"count\":4,"
                + "\"minRatio\":0.01},\"validation\":{\"folds\":3},\"choice\":\"best\"}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        assertThat(submitted.json().get("request").get("loss").get("type").asString()).isEqualTo("logistic");
        JsonNode path = http.awaitFinalAt("/v1/paths/" + submitted.json().get("id").asString(), java.time.Duration.ofSeconds(120));
        assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("SUCCEEDED");
        int best = 0;
        JsonNode points = path.get("points");
        for (int i = 0; i < points.size(); i++) {
            double error = points.get(i).get("validationMse").get("mean").asDouble();
            assertThat(error).isPositive(); // a mean log loss
            if (error < points.get(best).get("validationMse").get("mean").asDouble()) {
                best = i;
            }
        }
        assertThat(path.get("best").get("index").asInt()).isEqualTo(best);
        String chosen = path.get("chosen").get("modelId").asString();
        JsonNode predicted = http.postJson("/v1/models/" + chosen + "/predict", "{\"x\":[[0.1,0.2]]}").json();
        assertThat(predicted.get("probabilities").get(0).size()).isEqualTo(2);
        assertThat(http.get("/v1/models/" + chosen).json().get("classes").toString()).isEqualTo("[\"in\",\"out\"]");
    }

    @Test
    void threeTextClassesFitWithCrossEntropyAndHeldOutScores() throws Exception {
        String csv = threeClasses();
        JsonNode dataset = upload("?target=kind", csv);
        assertThat(dataset.get("classes").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");
        JsonNode fit = http.succeededFit("{\"datasetId\":\"" + dataset.get("id").asString() + "\",\"loss\":{\"type\":\"cross_entropy\"},"
                + "\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":400},\"validationFraction\":0.2}");
        String model = fit.get("modelId").asString();
        JsonNode view = http.get("/v1/models/" + model).json();
        assertThat(view.get("outputDim").asInt()).isEqualTo(3);
        assertThat(view.get("classes").toString()).isEqualTo("[\"a\",\"b\",\"c\"]");

        double[][] x = inputs(csv);
        JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", Map.of("x", x)).json();
        double[][] f = matrix(predicted.get("y"));
        double[][] p = matrix(predicted.get("probabilities"));
        for (int i = 0; i < x.length; i++) {
            double[] expected = probabilities(f[i]);
            assertThat(p[i][0] + p[i][1] + p[i][2]).isCloseTo(1.0, within(1e-12));
            for (int k = 0; k < 3; k++) {
                assertThat(p[i][k]).isCloseTo(expected[k], within(1e-12));
            }
            assertThat(predicted.get("labels").get(i).asString()).isEqualTo(List.of("a", "b", "c").get(argmax(expected)));
        }
        JsonNode diagnostics = http.get("/v1/models/" + model + "/diagnostics").json();
        assertThat(diagnostics.get("trainAccuracy").asDouble()).isGreaterThan(0.8);
        assertThat(diagnostics.get("validationAccuracy").asDouble()).isBetween(0.0, 1.0);
        assertThat(diagnostics.get("validationLogLoss").asDouble()).isPositive();
        assertThat(diagnostics.get("validationMse").asDouble()).isEqualTo(diagnostics.get("validationLogLoss").asDouble());

        onnxProbabilitiesEqualPredict(model, x, p);
        Http.Answer csvOut = http.send("POST", "/v1/models/" + model + "/predict", "application/json",
                Http.JSON.writeValueAsString(Map.of("x", new double[][] {x[0]})), Map.of("Accept", "text/csv"));
        assertThat(csvOut.body().lines().findFirst().orElseThrow())
                .isEqualTo("logit_a,logit_b,logit_c,probability_a,probability_b,probability_c,kind");
    }

    @Test
    void jsonLabelsAndIntegerTargetsKeepTheirClasses() {
        Http.Answer text = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3]],\"y\":[\"no\",\"yes\",\"no\",\"yes\"]}");
        assertThat(text.status()).as(text.body()).isEqualTo(201);
        assertThat(text.json().get("classes").toString()).isEqualTo("[\"no\",\"yes\"]");
        Http.Answer integers = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3]],\"y\":[10,2,2,10]}");
        assertThat(integers.json().get("classes").toString()).isEqualTo("[2,10]");
        Http.Answer numbers = http.postJson("/v1/datasets", "{\"x\":[[0],[1]],\"y\":[0.5,1]}");
        assertThat(numbers.json().get("classes").isNull()).isTrue();
        Http.Answer mixed = http.postJson("/v1/datasets", "{\"x\":[[0],[1]],\"y\":[\"a\",1]}");
        assertThat(mixed.status()).isEqualTo(400);
        // Integer classes fit as classes, and as numbers with a regression loss (squared is the default).
        String ints = integers.json().get("id").asString();
        JsonNode fit = http.succeededFit("{\"datasetId\":\"" + ints + "\",\"loss\":{\"type\":\"logistic\"},\"solver\":{\"type\":\"lbfgs\","
                + "\"maxIter\":50},\"architecture\":{\"hiddenLayers\":[4]}}");
        JsonNode predicted = http.postJson("/v1/models/" + fit.get("modelId").asString() + "/predict", "{\"x\":[[0]]}").json();
        assertThat(predicted.get("labels").get(0).isNumber()).isTrue();
        JsonNode infer = http.postJson("/v2/models/" + fit.get("modelId").asString() + "/infer", "{\"inputs\":[{\"name\":\"x\","
                + "\"shape\":[1,1],\"datatype\":\"FP64\",\"data\":[0]}],\"outputs\":[{\"name\":\"labels\"}]}").json();
        assertThat(infer.get("outputs").size()).isEqualTo(1);
        assertThat(infer.get("outputs").get(0).get("datatype").asString()).isEqualTo("INT64");
        assertThat(infer.get("outputs").get(0).get("data").get(0)).isEqualTo(predicted.get("labels").get(0));
        JsonNode metadata = http.get("/v2/models/" + fit.get("modelId").asString()).json();
        assertThat(metadata.get("outputs").findValuesAsString("name")).containsExactly("y", "probabilities", "labels");
        assertThat(http.postJson("/v1/fits", "{\"datasetId\":\"" + ints + "\"}").status()).isEqualTo(202);
        // Inline labels: the stored dataset keeps them, the model answers them.
        JsonNode inline = http.succeededFit("{\"data\":{\"x\":[[0],[1],[2],[3]],\"y\":[\"no\",\"no\",\"yes\",\"yes\"]},"
                + "\"loss\":{\"type\":\"logistic\"},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":50},\"architecture\":{\"hiddenLayers\":[4]}}");
        assertThat(http.get("/v1/datasets/" + inline.get("request").get("datasetId").asString()).json().get("classes").toString())
                .isEqualTo("[\"no\",\"yes\"]");
        JsonNode inlinePredicted = http.postJson("/v1/models/" + inline.get("modelId").asString() + "/predict", "{\"x\":[[3]]}").json();
        assertThat(inlinePredicted.get("labels").get(0).isString()).isTrue();
    }

    @Test
    void badClassificationInputsAre422AndNothingIsStored() {
        int datasets = count("/v1/datasets?limit=100");
        int fits = count("/v1/fits?limit=100");
        String oneClass = upload("?target=label", "x,label\n0,yes\n1,yes\n2,yes\n").get("id").asString();
        String three = upload("?target=kind", threeClasses()).get("id").asString();
        String numbers = upload("?target=y", "x,y\n0,0.5\n1,1.5\n2,0.25\n").get("id").asString();
        String oneInput = upload("?target=label", "x,label\n0,no\n1,yes\n2,no\n3,yes\n").get("id").asString();
        datasets += 4;

        assertProblem("{\"datasetId\":\"" + oneClass + "\",\"loss\":{\"type\":\"logistic\"}}", "loss.type", "one only");
        assertProblem("{\"datasetId\":\"" + three + "\",\"loss\":{\"type\":\"logistic\"}}", "loss.type", "use cross_entropy");
        assertProblem("{\"datasetId\":\"" + three + "\"}", "loss.type", "text labels");
        assertProblem("{\"datasetId\":\"" + three + "\",\"loss\":{\"type\":\"huber\"}}", "loss.type", "text labels");
        assertProblem("{\"datasetId\":\"" + numbers + "\",\"loss\":{\"type\":\"cross_entropy\"}}", "loss.type", "needs a target of labels");
        assertProblem("{\"datasetId\":\"" + oneInput + "\",\"loss\":{\"type\":\"logistic\"},\"solver\":{\"type\":\"exact\"}}", "loss",
                "exact");
        assertProblem("{\"datasetId\":\"" + numbers + "\",\"loss\":{\"type\":\"logistic\",\"delta\":1}}", "loss.delta", "Huber");
        assertProblem("{\"datasetId\":\"" + numbers + "\",\"loss\":{\"type\":\"huber\",\"delta\":-1}}", "loss.delta", "> 0");
        assertProblem("{\"datasetId\":\"" + numbers + "\",\"loss\":{\"type\":\"hinge\"}}", "loss.type", "must be one of");
        // Inline data: the refusal comes before the data is stored.
        assertProblem("{\"data\":{\"x\":[[0],[1],[2]],\"y\":[0,1,2]},\"loss\":{\"type\":\"logistic\"}}", "loss.type", "use cross_entropy");
        assertProblem("{\"data\":{\"x\":[[0],[1],[2]],\"y\":[\"a\",\"b\",\"a\"]}}", "loss.type", "text labels");

        // A label column with an empty cell is refused at upload.
        Http.Answer missing = http.send("POST", "/v1/datasets?target=label", "text/csv", "x,label\n0,yes\n1,\n2,no\n", Map.of());
        assertThat(missing.status()).as(missing.body()).isEqualTo(422);
        assertThat(missing.json().get("errors").get(0).get("message").asString()).contains("empty cells").contains("line 3");
        assertThat(missing.json().get("type").asString()).isNotBlank();

        assertThat(count("/v1/datasets?limit=100")).isEqualTo(datasets);
        assertThat(count("/v1/fits?limit=100")).isEqualTo(fits);
        // A huber fit echoes its default delta.
        JsonNode huber = http.postJson("/v1/fits", "{\"datasetId\":\"" + numbers + "\",\"loss\":{\"type\":\"huber\"},\"solver\":{\"type\":"
                + "\"lbfgs\",\"maxIter\":5}}").json();
        assertThat(huber.get("request").get("loss").toString()).isEqualTo("{\"type\":\"huber\",\"delta\":1.0}");
    }

    private void assertProblem(String body, String field, String message) {
        Http.Answer answer = http.postJson("/v1/fits", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        assertThat(answer.json().get("errors").get(0).get("field").asString()).as(answer.body()).isEqualTo(field);
        assertThat(answer.json().get("errors").get(0).get("message").asString()).as(answer.body()).contains(message);
    }

    /** Items of a listing, following its cursors. */
    private int count(String path) {
        int n = 0;
        String cursor = null;
        do {
            JsonNode page = http.get(path + (cursor == null ? "" : "&cursor=" + cursor)).json();
            n += page.get("items").size();
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
        } while (cursor != null);
        return n;
    }
}
