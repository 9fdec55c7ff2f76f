package io.sparsefit.path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Regularization paths on real tables (issue 22): the path's {@code preprocessing} is a fit's (the table goes through
 * the same PreparedTable), text columns are one-hot, empty cells follow the policy, weights are used, and each point's
 * model is in the original units. Checked against a fit at the same lambda, and against an exact fit of a table
 * standardized here, mapped back by hand.
 */
class PathPreprocessingTest extends ServiceTestBase {

    private static final String[] CITY = {"Oslo", "Bergen", "Oslo", "Tromso", "Bergen", "Oslo", "Tromso", "Bergen", "Oslo", "Bergen",
            "Tromso", "Oslo"};

    /** size (one empty cell on line 4), city (text), age, price (target), w (weights). */
    private static String homes() {
        StringBuilder csv = new StringBuilder("size,city,age,price,w\n");
        for (int i = 0; i < CITY.length; i++) {
            String size = i == 2 ? "" : Integer.toString(400 + 90 * i);
            double price = (i == 2 ? 600 : 400 + 90 * i) * 0.005 + (CITY[i].equals("Oslo") ? 2 : 0) - 0.01 * (i * 7 % 30);
            csv.append(size).append(',').append(CITY[i]).append(',').append(i * 7 % 30).append(',').append(price).append(',')
                    .append(1 + i % 3).append('\n');
        }
        return csv.toString();
    }

    private String upload(String query, String csv) {
        Http.Answer up = http.send("POST", "/v1/datasets" + query, "text/csv", csv, Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        return up.json().get("id").asString();
    }

    private JsonNode succeededPath(String body) {
        Http.Answer submitted = http.postJson("/v1/paths", body);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        JsonNode path = http.awaitFinalAt("/v1/paths/" + submitted.json().get("id").asString(), Duration.ofSeconds(60));
        assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("SUCCEEDED");
        return path;
    }

    private JsonNode predictCsv(String model, String csv) {
        Http.Answer answer = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", csv, Map.of());
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("y");
    }

    /**
     * A text column, an imputed empty cell, weights and standardization: the path's first point (solved from the same
     * start as a single fit) is the fit at that lambda with the same preprocessing; every point's model reads the table by
     * name and reports the standardization it folded back.
     */
    @Test
    void aPathOnATableWithTextEmptyCellsAndWeightsIsTheFitAtTheSameLambda() {
        String id = upload("?target=price&weight=w", homes());
        String settings = "\"architecture\":{\"hiddenLayers\":[6]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":300},\"seed\":7,"
                + "\"preprocessing\":{\"missing\":\"impute_mean\",\"standardize\":true}";
        JsonNode path = succeededPath("{\"datasetId\":\"" + id + "\"," + settings + ",\"lambdas\":[0.05,0.005],\"validation\":{\"folds\":3}}");
        assertThat(path.get("request").get("preprocessing").get("standardize").asBoolean()).isTrue();
        JsonNode first = path.get("points").get(0);
        assertThat(first.get("validationMse").get("mean").asDouble()).isPositive();
        JsonNode fit = http.succeededFit("{\"datasetId\":\"" + id + "\"," + settings + ",\"regularization\":{\"lambda\":0.05}}");

        String rows = "size,city,age\n450,Oslo,3\n1300,Tromso,21\n,Bergen,0\n900,Oslo,29\n";
        JsonNode fromFit = predictCsv(fit.get("modelId").asString(), rows);
        JsonNode fromPath = predictCsv(first.get("modelId").asString(), rows);
        for (int i = 0; i < 4; i++) {
            assertThat(fromPath.get(i).get(0).asDouble()).isCloseTo(fromFit.get(i).get(0).asDouble(), within(1e-9));
        }
        double meanSize = 0;
        for (int i = 0; i < CITY.length; i++) {
            meanSize += i == 2 ? 0 : (400 + 90 * i) / (double) (CITY.length - 1);
        }
        for (JsonNode point : path.get("points")) {
            JsonNode model = http.get("/v1/models/" + point.get("modelId").asString()).json();
            assertThat(model.get("features").toString()).isEqualTo("[\"size\",\"city=Bergen\",\"city=Oslo\",\"city=Tromso\",\"age\"]");
            assertThat(model.get("inputs").get(0).get("impute").asDouble()).isCloseTo(meanSize, within(1e-12));
            assertThat(model.get("preprocessing").get("mean").get(0).asDouble()).isCloseTo(meanSize, within(1e-9));
            assertThat(model.get("preprocessing").get("scale").get(2).asDouble()).isEqualTo(1.0); // an indicator stays 0/1
            assertThat(model.get("provenance").get("request").get("regularization").get("lambda").asDouble())
                    .isEqualTo(point.get("lambda").asDouble());
            JsonNode diagnostics = http.get("/v1/models/" + point.get("modelId").asString() + "/diagnostics").json();
            assertThat(diagnostics.get("inputUnits").asString()).isEqualTo("standardized");
            assertThat(diagnostics.get("validationMse").asDouble()).isEqualTo(point.get("validationMse").get("mean").asDouble());
            assertThat(diagnostics.get("trainMetrics").get("rows").asInt()).isEqualTo(CITY.length);
        }
    }

    /**
     * One column in thousands, rows with an empty cell dropped, integer weights, standardized, exact solver: each point's
     * model equals the exact fit, at the point's lambda, of the table standardized HERE (population mean and standard
     * deviation of the kept rows) evaluated at {@code z = (t - m) / s}: the fold back done by hand. The breakpoints' knots are
     * reported in the original units.
     */
    @Test
    void anExactPathOnAStandardizedWeightedTableIsTheFitOfTheTableStandardizedByHand() {
        int n = 30;
        List<double[]> kept = new ArrayList<>();
        StringBuilder raw = new StringBuilder("t,y,w\n");
        for (int i = 0; i < n; i++) {
            double t = 1000 + 250.0 * i;
            double y = Math.abs(i - 14) * 0.3 + 0.05 * ((i * 7) % 5);
            int w = 1 + (i * 5) % 3;
            boolean empty = i == 4 || i == 17;
            raw.append(empty ? "" : Double.toString(t)).append(',').append(y).append(',').append(w).append('\n');
            if (!empty) {
                kept.add(new double[] {t, y, w});
            }
        }
        double m = 0;
        for (double[] r : kept) {
            m += r[0] / kept.size();
        }
        double v = 0;
        for (double[] r : kept) {
            v += (r[0] - m) * (r[0] - m) / kept.size();
        }
        double s = Math.sqrt(v);
        StringBuilder standardized = new StringBuilder("z,y,w\n");
        for (double[] r : kept) {
            standardized.append((r[0] - m) / s).append(',').append(r[1]).append(',').append((int) r[2]).append('\n');
        }
        String solver = "\"solver\":{\"type\":\"exact\",\"tol\":1e-12}";
        String rawId = upload("?target=y&weight=w", raw.toString());
        String preprocessing = "\"preprocessing\":{\"missing\":\"drop_rows\",\"standardize\":true}";
        JsonNode path = succeededPath("{\"datasetId\":\"" + rawId + "\"," + solver + "," + preprocessing
                + ",\"grid\":{\"count\":4,\"minRatio\":0.01},\"validation\":{\"folds\":4}}");
        String byHand = upload("?target=y&weight=w", standardized.toString());
        double[] grid = {900, 1700, 3333, 5000, 6100, 8000};
        StringBuilder tCsv = new StringBuilder("t\n");
        StringBuilder zCsv = new StringBuilder("z\n");
        for (double t : grid) {
            tCsv.append(t).append('\n');
            zCsv.append((t - m) / s).append('\n');
        }
        assertThat(path.get("points").size()).isEqualTo(4);
        for (JsonNode point : path.get("points")) {
            double lambda = point.get("lambda").asDouble();
            JsonNode fit = http.succeededFit("{\"datasetId\":\"" + byHand + "\"," + solver + ",\"regularization\":{\"lambda\":" + lambda + "}}");
            JsonNode expected = predictCsv(fit.get("modelId").asString(), zCsv.toString());
            JsonNode actual = predictCsv(point.get("modelId").asString(), tCsv.toString());
            for (int i = 0; i < grid.length; i++) {
                assertThat(actual.get(i).get(0).asDouble()).as("lambda " + lambda + ", t " + grid[i])
                        .isCloseTo(expected.get(i).get(0).asDouble(), within(1e-9));
            }
            // A fit with the same preprocessing (the weights of the rows it keeps) is the same model.
            JsonNode same = http.succeededFit("{\"datasetId\":\"" + rawId + "\"," + solver + "," + preprocessing
                    + ",\"regularization\":{\"lambda\":" + lambda + "}}");
            JsonNode sameY = predictCsv(same.get("modelId").asString(), tCsv.toString());
            for (int i = 0; i < grid.length; i++) {
                assertThat(actual.get(i).get(0).asDouble()).isCloseTo(sameY.get(i).get(0).asDouble(), within(1e-9));
            }
            assertThat(point.get("objective").asDouble()).as("the objective of the standardized problem")
                    .isCloseTo(http.get("/v1/models/" + fit.get("modelId").asString() + "/diagnostics").json().get("objective")
                            .asDouble(), within(1e-9));
        }
        // The homotopy traces the unweighted problem (PathRunner), so the breakpoints come from the table without weights.
        JsonNode unweighted = succeededPath("{\"datasetId\":\"" + upload("?target=y", raw.toString().replaceAll(",[0-9]+\n", "\n")
                .replace("t,y,w", "t,y")) + "\"," + solver + ",\"preprocessing\":{\"missing\":\"drop_rows\",\"standardize\":true},"
                + "\"grid\":{\"count\":4,\"minRatio\":0.01},\"validation\":{\"folds\":4}}");
        assertThat(unweighted.get("breakpoints").size()).isGreaterThan(1);
        for (JsonNode b : unweighted.get("breakpoints")) {
            for (JsonNode knot : b.get("knots")) {
                assertThat(knot.asDouble()).as("a knot in the units of t").isBetween(1000.0, 1000 + 250.0 * (n - 1));
            }
        }
    }

    /** Input scales 1e4 apart without standardization: the path carries the fit's warning; standardized, none. */
    @Test
    void farApartScalesWithoutStandardizationAreAWarningAsForAFit() {
        double[][] x = new double[12][];
        double[] y = new double[12];
        for (int i = 0; i < 12; i++) {
            x[i] = new double[] {0.01 * i, 1000.0 * ((i * 5) % 12)};
            y[i] = Math.abs(x[i][0] - 0.05) + 1e-4 * x[i][1];
        }
        String settings = "\"solver\":{\"type\":\"lbfgs\",\"maxIter\":5},\"architecture\":{\"hiddenLayers\":[4]},\"lambdas\":[0.1],"
                + "\"validation\":{\"folds\":2}";
        String data = "\"data\":" + Http.JSON.writeValueAsString(Map.of("x", x, "y", y));
        Http.Answer raw = http.postJson("/v1/paths", "{" + data + "," + settings + "}");
        assertThat(raw.status()).as(raw.body()).isEqualTo(202);
        assertThat(raw.json().get("warnings").size()).isEqualTo(1);
        assertThat(raw.json().get("warnings").get(0).asString()).contains("'x1'", "'x0'", "preprocessing.standardize");
        Http.Answer standardized = http.postJson("/v1/paths", "{" + data + "," + settings + ",\"preprocessing\":{\"standardize\":true}}");
        assertThat(standardized.status()).as(standardized.body()).isEqualTo(202);
        assertThat(standardized.json().get("warnings").size()).isZero();
        for (Http.Answer a : List.of(raw, standardized)) {
            assertThat(http.awaitFinalAt("/v1/paths/" + a.json().get("id").asString(), Duration.ofSeconds(60)).get("state").asString())
                    .isEqualTo("SUCCEEDED");
        }
    }

    /** The policies' 422s are a fit's: with missing = error an empty cell is named at submit, and nothing is queued. */
    @Test
    void anEmptyCellWithoutAPolicyIsTheFitsProblem() {
        String id = upload("?target=price&weight=w", homes());
        Http.Answer refused = http.postJson("/v1/paths", "{\"datasetId\":\"" + id + "\"}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("line 4, column size");
        Http.Answer badPolicy = http.postJson("/v1/paths", "{\"datasetId\":\"" + id + "\",\"preprocessing\":{\"missing\":\"guess\"}}");
        assertThat(badPolicy.status()).isEqualTo(422);
        assertThat(badPolicy.body()).contains("preprocessing.missing");
    }
}
