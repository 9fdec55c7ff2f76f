package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A table as people have them (issue 22): named columns, a text column, an empty cell, a weight column; through
 * upload, fit (each missing-cell policy), predict by name, evaluate, find again by name and tag, provenance. Metrics
 * are checked against their definitions computed here from the service's own predictions; the imputed value against
 * the mean computed here.
 */
class TablesTest extends ServiceTestBase {

    private static final String[] CITY = {"Oslo", "Bergen", "Oslo", "Tromso", "Bergen", "Oslo", "Tromso", "Bergen", "Oslo", "Bergen",
            "Tromso", "Oslo"};

    /** size (numeric, one empty cell on line 4), city (text), age (numeric), price (target), w (weights). */
    private static String table(boolean weights) {
        StringBuilder csv = new StringBuilder("size,city,age,price" + (weights ? ",w" : "") + "\n");
        for (int i = 0; i < CITY.length; i++) {
            String size = i == 2 ? "" : Integer.toString(40 + 9 * i);
            double price = (i == 2 ? 60 : 40 + 9 * i) * 0.05 + (CITY[i].equals("Oslo") ? 2 : 0) - 0.01 * (i * 7 % 30);
            csv.append(size).append(',').append(CITY[i]).append(',').append(i * 7 % 30).append(',').append(price);
            csv.append(weights ? "," + (1 + i % 3) : "").append('\n');
        }
        return csv.toString();
    }

    private JsonNode upload(String query, String csv) {
        Http.Answer up = http.send("POST", "/v1/datasets" + query, "text/csv", csv, Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        return up.json();
    }

    @Test
    void aRealTableGoesThroughUploadFitPredictByNameAndEvaluate() {
        JsonNode weighted = upload("?target=price&weight=w", table(true));
        assertThat(weighted.get("columns").toString()).isEqualTo("[\"size\",\"city\",\"age\"]");
        assertThat(weighted.get("targets").toString()).isEqualTo("[\"price\"]");
        assertThat(weighted.get("weight").asString()).isEqualTo("w");
        JsonNode city = weighted.get("inputs").get(1);
        assertThat(city.get("kind").asString()).isEqualTo("categorical");
        assertThat(city.get("levels").toString()).isEqualTo("[\"Bergen\",\"Oslo\",\"Tromso\"]");
        assertThat(weighted.get("inputs").get(0).get("missing").asInt()).isEqualTo(1);
        assertThat(weighted.get("missingCells").asInt()).isEqualTo(1);
        Http.Answer weightedFit = http.postJson("/v1/fits", "{\"datasetId\":\"" + weighted.get("id").asString()
                + "\",\"preprocessing\":{\"missing\":\"impute_mean\"}}");
        assertThat(weightedFit.status()).as(weightedFit.body()).isEqualTo(202);
        // The weights come back in the data, under their column's name.
        Http.Answer data = http.send("GET", "/v1/datasets/" + weighted.get("id").asString() + "/data", null, null, Map.of("Accept", "text/csv"));
        assertThat(data.body().lines().toList().get(0)).isEqualTo("size,city,age,price,w");
        // An empty first cell is quoted, so that the line is not blank.
        assertThat(data.body().lines().toList().get(3)).startsWith("\"\",Oslo,14.0,");

        String id = upload("?target=price&name=homes", table(false)).get("id").asString();
        Http.Answer refused = http.postJson("/v1/fits", "{\"datasetId\":\"" + id + "\"}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("errors").get(0).get("field").asString()).isEqualTo("line 4, column size");

        Http.Answer path = http.postJson("/v1/paths", "{\"datasetId\":\"" + id + "\"}");
        assertThat(path.status()).as(path.body()).isEqualTo(422); // as a fit's (PathPreprocessingTest): missing = error names the cell

        String settings = "\"architecture\":{\"hiddenLayers\":[6]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":300},";
        JsonNode fit = http.succeededFit("{\"datasetId\":\"" + id + "\"," + settings + "\"preprocessing\":{\"missing\":\"impute_mean\"},"
                + "\"name\":\"homes v1\",\"tags\":[\"tables\",\"impute\"]}");
        String model = fit.get("modelId").asString();
        JsonNode view = http.get("/v1/models/" + model).json();
        assertThat(view.get("columns").toString()).isEqualTo("[\"size\",\"city\",\"age\"]");
        assertThat(view.get("features").toString()).isEqualTo("[\"size\",\"city=Bergen\",\"city=Oslo\",\"city=Tromso\",\"age\"]");
        assertThat(view.get("inputDim").asInt()).isEqualTo(5);
        double meanSize = 0;
        for (int i = 0; i < CITY.length; i++) {
            meanSize += i == 2 ? 0 : 40 + 9 * i;
        }
        meanSize /= CITY.length - 1;
        assertThat(view.get("inputs").get(0).get("impute").asDouble()).isCloseTo(meanSize, within(1e-12));
        assertThat(view.get("name").asString()).isEqualTo("homes v1");
        assertThat(view.get("provenance").get("datasetSha256").asString()).hasSize(64);
        assertThat(view.get("provenance").get("request").get("preprocessing").get("missing").asString()).isEqualTo("impute_mean");
        assertThat(view.get("provenance").get("javaVersion").asString()).isEqualTo(System.getProperty("java.version"));
        assertThat(view.get("provenance").get("kernels").asString()).isNotBlank();
        assertThat(view.get("provenance").get("applicationVersion").asString()).isNotBlank();

        // The names travel with the model: ONNX metadata (the columns of x, the table's columns and targets) and the plot's axes.
        java.net.http.HttpResponse<byte[]> onnx;
        try {
            onnx = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(http.base() + "/v1/models/" + model + "/export?format=onnx")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            Map<String, String> metadata = new java.util.HashMap<>();
            for (ai.onnx.proto.OnnxMl.StringStringEntryProto e : ai.onnx.proto.OnnxMl.ModelProto.parseFrom(onnx.body()).getMetadataPropsList()) {
                metadata.put(e.getKey(), e.getValue());
            }
            assertThat(metadata.get("sparsefit.features")).isEqualTo(view.get("features").toString());
            assertThat(metadata.get("sparsefit.columns")).isEqualTo("[\"size\",\"city\",\"age\"]");
            assertThat(metadata.get("sparsefit.targets")).isEqualTo("[\"price\"]");
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(http.get("/v1/models/" + model + "/plot.svg").body()).contains("observed price");

        // Predict by name, columns in another order, an empty (imputed) cell, against JSON rows of features built here.
        Http.Answer byName = http.send("POST", "/v1/models/" + model + "/predict", "text/csv",
                "age,extra,city,size\n3,x,Oslo,50\n20,y,Tromso,\n", Map.of());
        assertThat(byName.status()).as(byName.body()).isEqualTo(200);
        JsonNode byFeatures = http.postJson("/v1/models/" + model + "/predict",
                Map.of("x", new double[][] {{50, 0, 1, 0, 3}, {meanSize, 0, 0, 1, 20}})).json();
        assertThat(byName.json().get("y")).isEqualTo(byFeatures.get("y"));
        // JSON rows by column name are read as the CSV rows are: text levels, any key order, other keys ignored, null or an
        // absent key an empty (here imputed) cell; the one-hot rows of features above still work.
        String named = "{\"rows\":[{\"age\":3,\"extra\":\"x\",\"city\":\"Oslo\",\"size\":50},{\"age\":20,\"city\":\"Tromso\",\"size\":null}]}";
        Http.Answer byJsonName = http.postJson("/v1/models/" + model + "/predict", named);
        assertThat(byJsonName.status()).as(byJsonName.body()).isEqualTo(200);
        assertThat(byJsonName.json().get("y")).isEqualTo(byFeatures.get("y"));
        assertThat(http.postJson("/v1/models/" + model + "/predict", "{\"rows\":[{\"age\":20,\"city\":\"Tromso\"},{\"age\":3,"
                + "\"city\":\"Oslo\",\"size\":50}]}").json().get("y").get(0)).isEqualTo(byFeatures.get("y").get(1));
        assertThat(http.send("POST", "/v1/models/" + model + "/predict", "application/json", named, Map.of("Accept", "text/csv")).body()
                .lines().toList()).hasSize(3).first().isEqualTo("price");
        Map<String, String> badRows = Map.of(
                "{\"rows\":[{\"size\":50,\"city\":\"Paris\",\"age\":3}]}", "column city",
                "{\"rows\":[{\"size\":50,\"city\":\"Oslo\"}]}", "column age",
                "{\"rows\":[{\"size\":50,\"city\":\"Oslo\",\"age\":true}]}", "rows[0].age",
                "{\"rows\":[{\"size\":\"big\",\"city\":\"Oslo\",\"age\":3}]}", "rows[0], column size",
                "{\"rows\":[]}", "rows",
                "{\"rows\":[{\"size\":50,\"city\":\"Oslo\",\"age\":3}],\"x\":[[50,0,1,0,3]]}", "rows");
        for (Map.Entry<String, String> bad : badRows.entrySet()) {
            Http.Answer refusedRows = http.postJson("/v1/models/" + model + "/predict", bad.getKey());
            assertThat(refusedRows.status()).as(bad.getKey()).isEqualTo(422);
            assertThat(refusedRows.contentType()).startsWith("application/problem+json");
            assertThat(refusedRows.json().get("errors").get(0).get("field").asString()).as(bad.getKey()).isEqualTo(bad.getValue());
        }
        Http.Answer csvOut = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", "size,city,age\n50,Oslo,3\n",
                Map.of("Accept", "text/csv"));
        assertThat(csvOut.body().lines().findFirst().orElseThrow()).isEqualTo("price");
        Http.Answer unseen = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", "size,city,age\n50,Paris,3\n", Map.of());
        assertThat(unseen.status()).isEqualTo(422);
        assertThat(unseen.json().get("errors").get(0).get("field").asString()).isEqualTo("column city");
        assertThat(unseen.json().get("errors").get(0).get("message").asString()).contains("'Paris'");
        Http.Answer missingColumn = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", "size,city\n50,Oslo\n", Map.of());
        assertThat(missingColumn.status()).isEqualTo(422);
        assertThat(missingColumn.json().get("errors").get(0).get("field").asString()).isEqualTo("column age");

        // Evaluate on the training dataset: the metrics of predictions computed here, and the diagnostics' train metrics.
        JsonNode eval = http.postJson("/v1/models/" + model + "/evaluate", "{\"datasetId\":\"" + id + "\"}").json();
        double[][] features = new double[CITY.length][];
        double[] price = new double[CITY.length];
        for (int i = 0; i < CITY.length; i++) {
            features[i] = new double[] {i == 2 ? meanSize : 40 + 9 * i, CITY[i].equals("Bergen") ? 1 : 0, CITY[i].equals("Oslo") ? 1 : 0,
                    CITY[i].equals("Tromso") ? 1 : 0, i * 7 % 30};
            price[i] = (i == 2 ? 60 : 40 + 9 * i) * 0.05 + (CITY[i].equals("Oslo") ? 2 : 0) - 0.01 * (i * 7 % 30);
        }
        JsonNode predicted = http.postJson("/v1/models/" + model + "/predict", Map.of("x", features)).json().get("y");
        double sse = 0;
        double sae = 0;
        double mean = 0;
        for (double p : price) {
            mean += p / price.length;
        }
        double sst = 0;
        for (int i = 0; i < price.length; i++) {
            double r = predicted.get(i).get(0).asDouble() - price[i];
            sse += r * r;
            sae += Math.abs(r);
            sst += (price[i] - mean) * (price[i] - mean);
        }
        assertThat(eval.get("rows").asInt()).isEqualTo(CITY.length);
        assertThat(eval.get("mse").get(0).asDouble()).isCloseTo(sse / price.length, within(1e-12));
        assertThat(eval.get("rmse").get(0).asDouble()).isCloseTo(Math.sqrt(sse / price.length), within(1e-12));
        assertThat(eval.get("mae").get(0).asDouble()).isCloseTo(sae / price.length, within(1e-12));
        assertThat(eval.get("r2").get(0).asDouble()).isCloseTo(1 - sse / sst, within(1e-12));
        JsonNode train = http.get("/v1/models/" + model + "/diagnostics").json().get("trainMetrics");
        assertThat(train.get("mse").get(0).asDouble()).isCloseTo(sse / price.length, within(1e-12));
        JsonNode inline = http.postJson("/v1/models/" + model + "/evaluate", Map.of("x", features, "y", price)).json();
        assertThat(inline.get("mse").get(0).asDouble()).isCloseTo(sse / price.length, within(1e-12));
        assertThat(http.postJson("/v1/models/" + model + "/evaluate", "{}").status()).isEqualTo(422);

        // drop_rows leaves the row with the empty cell out; an unimputed model refuses an empty cell at predict.
        JsonNode dropped = http.succeededFit("{\"datasetId\":\"" + id + "\"," + settings + "\"preprocessing\":{\"missing\":\"drop_rows\"},"
                + "\"name\":\"homes v2\",\"tags\":[\"tables\"],\"validationFraction\":0.25}");
        JsonNode droppedDiagnostics = http.get("/v1/models/" + dropped.get("modelId").asString() + "/diagnostics").json();
        int held = (int) Math.round(0.25 * CITY.length);
        assertThat(droppedDiagnostics.get("trainMetrics").get("rows").asInt() + droppedDiagnostics.get("validationMetrics").get("rows").asInt())
                .isEqualTo(CITY.length - 1);
        assertThat(droppedDiagnostics.get("validationMetrics").get("rows").asInt()).isBetween(held - 1, held);
        assertThat(droppedDiagnostics.get("validationMse").asDouble())
                .isCloseTo(droppedDiagnostics.get("validationMetrics").get("mse").get(0).asDouble(), within(1e-15));
        Http.Answer empty = http.send("POST", "/v1/models/" + dropped.get("modelId").asString() + "/predict", "text/csv",
                "size,city,age\n,Oslo,3\n", Map.of());
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.json().get("errors").get(0).get("field").asString()).isEqualTo("row 0, column size");

        // Standardized with a text column: the indicators are left as 0/1 (mean 0, scale 1), the numeric columns scaled.
        JsonNode standardized = http.succeededFit("{\"datasetId\":\"" + id + "\"," + settings
                + "\"preprocessing\":{\"missing\":\"impute_mean\",\"standardize\":true}}");
        JsonNode scaled = http.get("/v1/models/" + standardized.get("modelId").asString()).json().get("preprocessing");
        for (int f = 1; f <= 3; f++) {
            assertThat(scaled.get("mean").get(f).asDouble()).isZero();
            assertThat(scaled.get("scale").get(f).asDouble()).isEqualTo(1.0);
        }
        assertThat(scaled.get("mean").get(0).asDouble()).isCloseTo(meanSize, within(1e-9)); // the imputed cell is at the mean
        assertThat(scaled.get("scale").get(4).asDouble()).isGreaterThan(1);

        // Found again by name and tag, sorted by a metric; provenance kept when the fit is deleted.
        assertThat(ids("/v1/models?name=homes%20v1")).containsExactly(model);
        assertThat(ids("/v1/models?tag=tables")).containsExactlyInAnyOrder(model, dropped.get("modelId").asString());
        assertThat(ids("/v1/models?tag=impute")).containsExactly(model);
        List<Double> rmse = new ArrayList<>();
        for (JsonNode item : http.get("/v1/models?tag=tables&sort=-trainRmse").json().get("items")) {
            rmse.add(item.get("trainRmse").asDouble());
        }
        assertThat(rmse).hasSize(2).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(http.get("/v1/models?sort=nonsense").status()).isEqualTo(422);
        assertThat(http.delete("/v1/fits/" + fit.get("id").asString()).status()).isIn(200, 204);
        assertThat(http.get("/v1/models/" + model).json().get("provenance").get("request").get("name").asString()).isEqualTo("homes v1");
    }

    /**
     * Integer sample weights give the optimum of the table with each row repeated that many times: the exact 1-D
     * solver's predictions of the two fits agree (the repeated table is the independent computation).
     */
    @Test
    void integerWeightsFitLikeRepeatedRows() {
        StringBuilder weighted = new StringBuilder("t,y,w\n");
        StringBuilder repeated = new StringBuilder("t,y\n");
        for (int i = 0; i < 25; i++) {
            double t = i * 0.4;
            double y = Math.sin(t) + 0.1 * ((i * 7) % 5);
            int w = 1 + (i * 5) % 3;
            weighted.append(t).append(',').append(y).append(',').append(w).append('\n');
            for (int k = 0; k < w; k++) {
                repeated.append(t).append(',').append(y).append('\n');
            }
        }
        String settings = "\"regularization\":{\"lambda\":0.05},\"solver\":{\"type\":\"exact\"}}";
        String withWeights = http.succeededFit("{\"datasetId\":\"" + upload("?target=y&weight=w", weighted.toString())
                .get("id").asString() + "\"," + settings).get("modelId").asString();
        String withRepeats = http.succeededFit("{\"datasetId\":\"" + upload("?target=y", repeated.toString())
                .get("id").asString() + "\"," + settings).get("modelId").asString();
        String grid = "{\"x\":[[-1.0],[0.3],[2.2],[4.9],[7.7],[9.6],[11.0]]}";
        JsonNode a = http.postJson("/v1/models/" + withWeights + "/predict", grid).json().get("y");
        JsonNode b = http.postJson("/v1/models/" + withRepeats + "/predict", grid).json().get("y");
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i).get(0).asDouble()).isCloseTo(b.get(i).get(0).asDouble(), within(1e-7));
        }
    }

    @Test
    void badTablesGetClearProblems() {
        assertThat(problem("size,size,y\n1,2,3\n", "").get("detail").asString()).contains("twice");
        assertThat(problem("a,b,y\n1,2,3\n", "?weight=nope").get("detail").asString()).contains("nope");
        assertThat(problem("a,w,y\n1,0,3\n", "?weight=w").get("errors").get(0).get("message").asString()).contains("> 0");
        assertThat(problem("a,b,y\n1,2,3\n2,text,4\n", "").get("errors").get(0).get("field").asString()).isEqualTo("line 3, column b");
    }

    private JsonNode problem(String csv, String query) {
        Http.Answer answer = http.send("POST", "/v1/datasets" + query, "text/csv", csv, Map.of());
        assertThat(answer.status()).as(answer.body()).isEqualTo(422);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        return answer.json();
    }

    private List<String> ids(String path) {
        List<String> ids = new ArrayList<>();
        for (JsonNode item : http.get(path).json().get("items")) {
            ids.add(item.get("id").asString());
        }
        return ids;
    }
}
