package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A dataset larger than {@code sparsefit.uploads.chunk-size} (1KB here: 128 cells) is stored in chunks of rows, reads
 * back bit for bit, fits to the same model as the same numbers sent inline, and its chunks go with it when it is deleted.
 */
@TestPropertySource(properties = "sparsefit.uploads.chunk-size=1KB")
class ChunkedDatasetTest extends ServiceTestBase {

    @Autowired
    JdbcClient jdbc;

    @Test
    void aLargeDatasetIsStoredInChunksAndReadsBackTheSame() {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        double[][] x = new double[301][2];
        double[] y = new double[301];
        for (int i = 0; i < 301; i++) {
            x[i][0] = i * 0.01;
            x[i][1] = (i * 37 % 101) * 0.1;
            y[i] = Math.abs(x[i][0] - 1.5) + 0.3 * x[i][1];
            csv.append(x[i][0]).append(',').append(x[i][1]).append(',').append(y[i]).append('\n');
        }
        Http.Answer up = http.send("POST", "/v1/datasets?target=y", "text/csv", csv.toString(), Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        String id = up.json().get("id").asString();
        // 301 rows x 2 inputs = 4816 bytes of x: chunks of 64 rows (1024 / 16), the last one shorter.
        assertThat(jdbc.sql("select count(*) from dataset_chunk where dataset_id = ?").param(id).query(Integer.class).single())
                .isEqualTo(5);
        assertThat(jdbc.sql("select count(*) from dataset where id = ? and x_data is null").param(id).query(Integer.class).single())
                .isEqualTo(1);
        JsonNode data = http.get("/v1/datasets/" + id + "/data").json();
        assertThat(data.propertyNames()).containsExactly("x", "y", "w");
        assertThat(data.get("w").isNull()).as("no weight column").isTrue();
        assertThat(data.get("x").size()).isEqualTo(301);
        assertThat(data.get("y").get(300).get(0).asDouble()).isEqualTo(y[300]);
        for (int i = 0; i < 301; i++) {
            assertThat(data.get("x").get(i).get(0).asDouble()).isEqualTo(x[i][0]);
            assertThat(data.get("x").get(i).get(1).asDouble()).isEqualTo(x[i][1]);
        }
        String settings = "\"architecture\":{\"hiddenLayers\":[4]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":50}";
        JsonNode chunked = http.succeededFit("{\"datasetId\":\"" + id + "\"," + settings + "}");
        JsonNode inline = http.succeededFit(Http.JSON.writeValueAsString(Map.of("data", Map.of("x", x, "y", y),
                "architecture", Map.of("hiddenLayers", java.util.List.of(4)), "solver", Map.of("type", "lbfgs", "maxIter", 50))));
        JsonNode a = http.get("/v1/models/" + chunked.get("modelId").asString()).json();
        JsonNode b = http.get("/v1/models/" + inline.get("modelId").asString()).json();
        assertThat(a.get("layers")).isEqualTo(b.get("layers"));
        assertThat(a.get("skip")).isEqualTo(b.get("skip"));
        assertThat(http.delete("/v1/datasets/" + id).status()).isEqualTo(204);
        assertThat(jdbc.sql("select count(*) from dataset_chunk where dataset_id = ?").param(id).query(Integer.class).single()).isZero();
    }

    /** A CSV upload has its own body limit (1GB by default): past the 1MB of every other body here, it is still taken. */
    @Test
    void aCsvUploadIsNotBoundByTheBodyLimitOfOtherRequests() {
        StringBuilder csv = new StringBuilder();
        for (int j = 0; j < 25; j++) {
            csv.append("c").append(j).append(',');
        }
        csv.append("y\n");
        for (int i = 0; i < 4000; i++) {
            for (int j = 0; j <= 25; j++) {
                csv.append(0.123456789012 + i + j).append(j < 25 ? ',' : '\n');
            }
        }
        assertThat(csv.length()).isGreaterThan(1 << 20);
        Http.Answer up = http.send("POST", "/v1/datasets", "text/csv", csv.toString(), Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        assertThat(up.json().get("rows").asInt()).isEqualTo(4000);
        Http.Answer chunked = http.sendChunked("POST", "/v1/datasets/csv", "text/csv", csv.toString());
        assertThat(chunked.status()).as(chunked.body()).isEqualTo(201);
        assertThat(chunked.json().get("sha256").asString()).isEqualTo(up.json().get("sha256").asString());
        // Any other body keeps sparsefit.limits.max-body-size (1MB in the tests).
        Http.Answer json = http.send("POST", "/v1/fits", "application/json", "{\"pad\":\"" + "x".repeat(1 << 20) + "\"}", Map.of());
        assertThat(json.status()).isEqualTo(413);
    }
}
