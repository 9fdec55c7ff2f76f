package io.sparsefit.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Batch scoring over real HTTP: the predictions of a named table with a text column, as CSV and as JSON pages, equal
 * what predict answers for the same rows (the independent computation: predict's own path, the CSV body matched by
 * name), in the dataset's row order and under the model's target names; bad requests are problem+json.
 */
class ScoringLifecycleTest extends ServiceTestBase {

    private static final int N = 1234;
    private static final String[] CITIES = {"Lyon", "Oslo", "Rome"};

    /** A CSV of N rows with the columns {@code header} names: b, city, a, y in this order of values. */
    private static String table(long seed, String header) {
        return table(seed, header, false);
    }

    /** As above; {@code reordered}: the columns a, extra, city, b, y instead (another order, and a column the model ignores). */
    private static String table(long seed, String header, boolean reordered) {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder csv = new StringBuilder(header).append('\n');
        for (int i = 0; i < N; i++) {
            double a = rnd.nextDouble(-2, 2);
            double b = rnd.nextDouble(0, 3);
            String city = CITIES[rnd.nextInt(CITIES.length)];
            double y = Math.abs(a) + 0.3 * b + (city.equals("Oslo") ? 1 : 0) + 0.05 * rnd.nextGaussian();
            if (reordered) {
                csv.append(a).append(',').append(i).append(',').append(city).append(',').append(b).append(',').append(y).append('\n');
            } else {
                csv.append(b).append(',').append(city).append(',').append(a).append(',').append(y).append('\n');
            }
        }
        return csv.toString();
    }

    private String upload(String csv) {
        Http.Answer up = http.send("POST", "/v1/datasets?target=y", "text/csv", csv, Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        return up.json().get("id").asString();
    }

    private String model(String datasetId) {
        return http.succeededFit("{\"datasetId\":\"" + datasetId + "\",\"architecture\":{\"hiddenLayers\":[8]},"
                + "\"regularization\":{\"lambda\":0.01},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":100},\"seed\":3}")
                .get("modelId").asString();
    }

    private JsonNode score(String modelId, String datasetId) {
        Http.Answer submitted = http.postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", datasetId));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(202);
        String id = submitted.json().get("id").asString();
        assertThat(submitted.header("Location")).isEqualTo("/v1/scorings/" + id);
        return http.awaitFinalAt("/v1/scorings/" + id, Duration.ofSeconds(60));
    }

    private static List<double[]> csvRows(String csv, int columns) {
        List<double[]> rows = new ArrayList<>();
        String[] lines = csv.split("\r?\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            assertThat(cells).hasSize(columns);
            double[] row = new double[columns];
            for (int j = 0; j < columns; j++) {
                row[j] = Double.parseDouble(cells[j]);
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void predictionsOfANamedTableEqualPredictInOrderAsCsvAndJsonPages() {
        String train = upload(table(1, "b,city,a,y"));
        String modelId = model(train);
        // Scored: another table, its columns in another order, the same levels.
        String scoredCsv = table(2, "a,extra,city,b,y", true);
        String scored = upload(scoredCsv);
        JsonNode scoring = score(modelId, scored);
        assertThat(scoring.get("state").asString()).as(scoring.toString()).isEqualTo("SUCCEEDED");
        assertThat(scoring.get("rows").asInt()).isEqualTo(N);
        assertThat(scoring.get("progress").get("rows").asLong()).isEqualTo(N);
        assertThat(scoring.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(scoring.get("modelId").asString()).isEqualTo(modelId);
        assertThat(scoring.get("datasetId").asString()).isEqualTo(scored);
        String id = scoring.get("id").asString();

        // The independent answer: predict with the same rows as a CSV body, matched by name.
        Http.Answer predicted = http.send("POST", "/v1/models/" + modelId + "/predict", "text/csv", scoredCsv, Map.of("Accept", "text/csv"));
        assertThat(predicted.status()).as(predicted.body()).isEqualTo(200);
        List<double[]> expected = csvRows(predicted.body(), 1);
        assertThat(expected).hasSize(N);

        Http.Answer csv = http.send("GET", "/v1/scorings/" + id + "/predictions", null, null, Map.of("Accept", "text/csv"));
        assertThat(csv.status()).as(csv.body()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        assertThat(csv.body().split("\r?\n")[0]).isEqualTo("y");
        List<double[]> scoredRows = csvRows(csv.body(), 1);
        assertThat(scoredRows).hasSize(N);
        for (int i = 0; i < N; i++) {
            assertThat(scoredRows.get(i)[0]).as("row " + i).isCloseTo(expected.get(i)[0], within(1e-12));
        }

        // JSON pages of 500 rows: offsets 0, 500, 1000, then none; the same numbers.
        List<Double> paged = new ArrayList<>();
        Integer offset = 0;
        List<Integer> offsets = new ArrayList<>();
        while (offset != null) {
            offsets.add(offset);
            Http.Answer page = http.get("/v1/scorings/" + id + "/predictions?offset=" + offset + "&limit=500");
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            JsonNode json = page.json();
            assertThat(json.get("offset").asInt()).isEqualTo(offset);
            assertThat(json.get("columns").toString()).isEqualTo("[\"y\"]");
            json.get("items").forEach(row -> paged.add(row.get(0).asDouble()));
            offset = json.get("nextOffset").isNull() ? null : json.get("nextOffset").asInt();
        }
        assertThat(offsets).containsExactly(0, 500, 1000);
        assertThat(paged).hasSize(N);
        for (int i = 0; i < N; i++) {
            assertThat(paged.get(i)).as("row " + i).isCloseTo(expected.get(i)[0], within(1e-12));
        }
        Http.Answer tail = http.get("/v1/scorings/" + id + "/predictions?offset=1230&limit=10");
        assertThat(tail.json().get("items").size()).isEqualTo(4);
        assertThat(tail.json().get("nextOffset").isNull()).isTrue();

        // Listed; the events end with the final state; DELETE of a finished scoring deletes it with its predictions.
        assertThat(http.get("/v1/scorings?limit=1000").body()).contains(id);
        assertThat(http.get("/v1/fits?limit=1000").body()).doesNotContain(id);
        Http.Answer events = http.send("GET", "/v1/scorings/" + id + "/events", null, null, Map.of("Accept", "text/event-stream"));
        assertThat(events.body()).contains("event:state").contains("id:SUCCEEDED");
        assertThat(http.delete("/v1/scorings/" + id).status()).isEqualTo(204);
        assertThat(http.get("/v1/scorings/" + id).status()).isEqualTo(404);
        assertThat(http.get("/v1/scorings/" + id + "/predictions").status()).isEqualTo(404);
        assertThat(http.delete("/v1/scorings/" + id).status()).isEqualTo(404);
    }

    @Test
    void badRequestsAreProblemsAndNothingIsQueued() {
        String train = upload(table(3, "b,city,a,y"));
        String modelId = model(train);
        String before = http.get("/v1/scorings?limit=1000").body();

        Http.Answer noModel = http.postJson("/v1/scorings", Map.of("modelId", "nope", "datasetId", train));
        assertThat(noModel.status()).isEqualTo(404);
        assertThat(noModel.contentType()).startsWith("application/problem+json");
        Http.Answer noDataset = http.postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", "nope"));
        assertThat(noDataset.status()).isEqualTo(404);
        assertThat(noDataset.contentType()).startsWith("application/problem+json");
        Http.Answer blank = http.postJson("/v1/scorings", Map.of("modelId", modelId));
        assertThat(blank.status()).isEqualTo(422);
        assertThat(blank.body()).contains("datasetId");

        // A missing column (renamed a -> alpha), an unseen level, a numeric column holding text: 422 naming it, as evaluate says.
        String renamed = upload(table(4, "b,city,alpha,y"));
        Http.Answer missing = http.postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", renamed));
        assertThat(missing.status()).as(missing.body()).isEqualTo(422);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.body()).contains("column a").contains("missing");
        Http.Answer evaluate = http.postJson("/v1/models/" + modelId + "/evaluate", Map.of("datasetId", renamed));
        assertThat(evaluate.status()).isEqualTo(422);
        assertThat(missing.json().get("errors").toString()).isEqualTo(evaluate.json().get("errors").toString());
        String paris = upload(table(5, "b,city,a,y").replaceFirst("Rome", "Paris"));
        Http.Answer unseen = http.postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", paris));
        assertThat(unseen.status()).as(unseen.body()).isEqualTo(422);
        assertThat(unseen.body()).contains("Paris");
        String empty = upload(table(6, "b,city,a,y").replaceFirst("\n[^,\n]*,", "\n,"));
        Http.Answer emptyCells = http.postJson("/v1/scorings", Map.of("modelId", modelId, "datasetId", empty));
        assertThat(emptyCells.status()).as(emptyCells.body()).isEqualTo(422);
        assertThat(emptyCells.body()).contains("column b").contains("empty");

        assertThat(http.get("/v1/scorings?limit=1000").body()).isEqualTo(before);
        assertThat(http.get("/v1/scorings/nope").status()).isEqualTo(404);
        assertThat(http.get("/v1/scorings/nope").contentType()).startsWith("application/problem+json");
    }
}
