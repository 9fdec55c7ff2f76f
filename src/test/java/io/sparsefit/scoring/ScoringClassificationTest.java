package io.sparsefit.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.support.ClassProbabilities;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A classification model's scoring carries what predict answers for the same rows: the logits ({@code items}, the CSV's
 * logit columns), each class's probability and the most probable class's label, in the JSON pages and in the CSV with
 * predict's CSV header. The probabilities and labels are also recomputed here from predict's logits (softmax, theory
 * A2b; for one logistic logit the sigmoid is the second class's probability), so both answers are checked against an
 * independent computation, not only against each other. Tolerance 1e-12: the same code computes them, only the JSON and
 * CSV round trips (shortest round-trip digits) lie between.
 */
class ScoringClassificationTest extends ServiceTestBase {

    private static final int N = 700;

    /** Rows x1,x2,label: three text classes by angle ("a", "b", "c"), or two integer classes (3 and 7) by radius. */
    private static String table(boolean threeTextClasses) {
        SplittableRandom rnd = new SplittableRandom(11);
        StringBuilder csv = new StringBuilder("x1,x2,label\n");
        for (int i = 0; i < N; i++) {
            double x1 = rnd.nextDouble(-1, 1);
            double x2 = rnd.nextDouble(-1, 1);
            String label = threeTextClasses ? (x1 > 0.2 ? "a" : x2 > 0 ? "b" : "c") : (x1 * x1 + x2 * x2 < 0.4 ? "3" : "7");
            csv.append(x1).append(',').append(x2).append(',').append(label).append('\n');
        }
        return csv.toString();
    }

    private static double[][] inputs(String csv) {
        List<String> lines = csv.lines().skip(1).toList();
        double[][] x = new double[lines.size()][];
        for (int i = 0; i < x.length; i++) {
            String[] cells = lines.get(i).split(",");
            x[i] = new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1])};
        }
        return x;
    }

    /** Class probabilities of logits {@code f}: softmax, or for one logistic logit {1 - s, s} with s its sigmoid. */
    private static double[] probabilities(double[] f) {
        return ClassProbabilities.of(f);
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            best = p[k] > p[best] ? k : best;
        }
        return best;
    }

    private void scoringEqualsPredict(boolean threeTextClasses) {
        String csv = table(threeTextClasses);
        Http.Answer up = http.send("POST", "/v1/datasets?target=label", "text/csv", csv, Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        String dataset = up.json().get("id").asString();
        List<String> classes = new ArrayList<>();
        up.json().get("classes").forEach(c -> classes.add(c.asString()));
        String loss = threeTextClasses ? "cross_entropy" : "logistic";
        String model = http.succeededFit("{\"datasetId\":\"" + dataset + "\",\"loss\":{\"type\":\"" + loss + "\"},"
                + "\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":150},\"seed\":5}")
                .get("modelId").asString();
        String id = http.succeededScoring(model, dataset);

        // predict on the same rows: the answer the scoring must repeat.
        double[][] x = inputs(csv);
        JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", Map.of("x", x)).json();
        Http.Answer predictedCsv = http.send("POST", "/v1/models/" + model + "/predict", "application/json",
                Http.JSON.writeValueAsString(Map.of("x", x)), Map.of("Accept", "text/csv"));
        List<String> predictLines = predictedCsv.body().lines().toList();
        int logits = predicted.get("y").get(0).size();
        assertThat(logits).isEqualTo(threeTextClasses ? 3 : 1);

        // JSON pages: items = y, probabilities, labels, all rows in order.
        List<JsonNode> items = new ArrayList<>();
        List<JsonNode> probabilities = new ArrayList<>();
        List<JsonNode> labels = new ArrayList<>();
        Integer offset = 0;
        while (offset != null) {
            JsonNode page = http.get("/v1/scorings/" + id + "/predictions?offset=" + offset + "&limit=300").json();
            assertThat(page.get("columns").toString()).isEqualTo(Http.JSON.writeValueAsString(List.of(predictLines.get(0).split(","))));
            page.get("items").forEach(items::add);
            page.get("probabilities").forEach(probabilities::add);
            page.get("labels").forEach(labels::add);
            offset = page.get("nextOffset").isNull() ? null : page.get("nextOffset").asInt();
        }
        assertThat(items).hasSize(N);
        assertThat(probabilities).hasSize(N);
        assertThat(labels).hasSize(N);

        // CSV: predict's header and, row by row, predict's cells.
        Http.Answer scoredCsv = http.send("GET", "/v1/scorings/" + id + "/predictions", null, null, Map.of("Accept", "text/csv"));
        assertThat(scoredCsv.status()).as(scoredCsv.body()).isEqualTo(200);
        List<String> scoredLines = scoredCsv.body().lines().toList();
        assertThat(scoredLines).hasSize(N + 1);
        assertThat(scoredLines.get(0)).isEqualTo(predictLines.get(0));

        for (int i = 0; i < N; i++) {
            double[] f = new double[logits];
            for (int k = 0; k < logits; k++) {
                f[k] = predicted.get("y").get(i).get(k).asDouble();
                assertThat(items.get(i).get(k).asDouble()).as("row %d logit %d", i, k).isCloseTo(f[k], within(1e-12));
            }
            double[] expected = probabilities(f);
            for (int k = 0; k < expected.length; k++) {
                assertThat(probabilities.get(i).get(k).asDouble()).as("row %d class %d", i, k).isCloseTo(expected[k], within(1e-12));
                assertThat(predicted.get("probabilities").get(i).get(k).asDouble()).isCloseTo(expected[k], within(1e-12));
            }
            String label = classes.get(argmax(expected));
            assertThat(labels.get(i).asString()).as("row %d", i).isEqualTo(label);
            assertThat(labels.get(i).isNumber()).isEqualTo(!threeTextClasses); // integer classes stay integers, as predict's
            assertThat(predicted.get("labels").get(i).asString()).isEqualTo(label);

            String[] scored = scoredLines.get(i + 1).split(",");
            String[] expectedCells = predictLines.get(i + 1).split(",");
            assertThat(scored).hasSize(logits + expected.length + 1).hasSameSizeAs(expectedCells);
            for (int j = 0; j < scored.length - 1; j++) {
                assertThat(Double.parseDouble(scored[j])).as("csv row %d cell %d", i, j)
                        .isCloseTo(Double.parseDouble(expectedCells[j]), within(1e-12));
            }
            assertThat(scored[scored.length - 1]).isEqualTo(label).isEqualTo(expectedCells[expectedCells.length - 1]);
        }
    }

    @Test
    void threeTextClassesScoreAsPredictAnswers() {
        scoringEqualsPredict(true);
    }

    @Test
    void twoIntegerClassesOfALogisticModelScoreAsPredictAnswers() {
        scoringEqualsPredict(false);
    }
}
