package io.sparsefit.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** CSV out (predict, dataset data), CSV in (predict) and the paged model listing. */
class CsvAndModelListTest extends ServiceTestBase {

    private String model(String body) {
        JsonNode fit = http.awaitFinal(http.postJson("/v1/fits", body).json().get("id").asString(), Duration.ofSeconds(90));
        assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
        return fit.get("modelId").asString();
    }

    private static final String TWO_OUT = "{\"data\":{\"x\":[[0,0],[1,0],[0,1],[1,1],[2,1]],\"y\":[[0,1],[1,0],[1,1],[0,0],[2,1]]},"
            + "\"architecture\":{\"hiddenLayers\":[4]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":100}}";

    @Test
    void predictAnswersCsvAndTakesACsvBodyWithTheSameNumbersAsJson() {
        String model = model(TWO_OUT);
        JsonNode json = http.postJson("/v1/models/" + model + "/predict", "{\"x\":[[0.5,0.25],[3,-1],[1,2]]}").json().get("y");

        Http.Answer csvOut = http.send("POST", "/v1/models/" + model + "/predict", "application/json",
                "{\"x\":[[0.5,0.25],[3,-1],[1,2]]}", Map.of("Accept", "text/csv"));
        assertThat(csvOut.status()).as(csvOut.body()).isEqualTo(200);
        assertThat(csvOut.contentType()).startsWith("text/csv");
        List<String> lines = csvOut.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo("y0,y1");
        assertThat(lines).hasSize(4);
        for (int i = 0; i < 3; i++) {
            String[] cells = lines.get(i + 1).split(",");
            for (int o = 0; o < 2; o++) {
                assertThat(Double.parseDouble(cells[o])).isEqualTo(json.get(i).get(o).asDouble());
            }
        }

        String csvIn = "a,b\n0.5,0.25\n3,-1\n1,2\n";
        Http.Answer csvToJson = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", csvIn, Map.of("Accept", "application/json"));
        assertThat(csvToJson.status()).as(csvToJson.body()).isEqualTo(200);
        assertThat(csvToJson.json().get("y")).isEqualTo(json);
        Http.Answer csvToCsv = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", csvIn, Map.of("Accept", "text/csv"));
        assertThat(csvToCsv.body()).isEqualTo(csvOut.body());

        Http.Answer bad = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", "a,b\n1,x\n", Map.of());
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        // A model of unnamed columns (inline data) reads a CSV by position and names its own column in errors.
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("line 2, column x1");
        Http.Answer width = http.send("POST", "/v1/models/" + model + "/predict", "text/csv", "a\n1\n", Map.of("Accept", "text/csv"));
        assertThat(width.status()).isEqualTo(422);
        assertThat(width.contentType()).startsWith("application/problem+json");
    }

    @Test
    void datasetDataComesBackAsJsonAndAsCsvThatUploadsToTheSameData() {
        Http.Answer up = http.send("POST", "/v1/datasets?target=out&name=csvback", "text/csv",
                "in1,in2,out\n0,1.5,2\n1,-2,0.1\n2,3.25,1e-3\n", Map.of());
        assertThat(up.status()).isEqualTo(201);
        JsonNode dataset = up.json();
        String id = dataset.get("id").asString();

        JsonNode data = http.get("/v1/datasets/" + id + "/data").json();
        assertThat(data.get("x").toString()).isEqualTo("[[0.0,1.5],[1.0,-2.0],[2.0,3.25]]");
        assertThat(data.get("y").toString()).isEqualTo("[[2.0],[0.1],[0.001]]");

        Http.Answer csv = http.send("GET", "/v1/datasets/" + id + "/data", null, null, Map.of("Accept", "text/csv"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        // Under the uploaded column names: the same target uploads it again.
        assertThat(csv.body().lines().findFirst().orElseThrow()).isEqualTo("in1,in2,out");
        JsonNode again = http.send("POST", "/v1/datasets?target=out", "text/csv", csv.body(), Map.of()).json();
        assertThat(again.get("sha256").asString()).isEqualTo(dataset.get("sha256").asString());
        assertThat(http.get("/v1/datasets/nope/data").status()).isEqualTo(404);
    }

    @Test
    void modelsArePagedInCreationOrderWithCursors() {
        String a = model(TWO_OUT);
        String b = model(TWO_OUT.replace("\"maxIter\":100", "\"maxIter\":50"));
        Set<String> seen = new HashSet<>();
        java.util.List<String> order = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = http.get("/v1/models?limit=1" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(1);
            for (JsonNode item : page.get("items")) {
                assertThat(seen.add(item.get("id").asString())).isTrue();
                order.add(item.get("id").asString());
                assertThat(item.get("inputDim").asInt()).isPositive();
            }
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null && pages < 1000);
        assertThat(order).contains(a, b);
        assertThat(order.indexOf(a)).isLessThan(order.indexOf(b));
        JsonNode summary = http.get("/v1/models?limit=100").json().get("items");
        JsonNode last = null;
        for (JsonNode item : summary) {
            if (item.get("id").asString().equals(b)) {
                last = item;
            }
        }
        assertThat(last).isNotNull();
        assertThat(last.get("outputDim").asInt()).isEqualTo(2);
        assertThat(http.get("/v1/models?cursor=bogus").status()).isEqualTo(400);
        assertThat(http.get("/v1/models?limit=0").status()).isEqualTo(422);
    }
}
