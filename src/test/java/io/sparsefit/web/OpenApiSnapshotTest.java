package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Pins the OpenAPI document: the live /v3/api-docs (keys sorted, the random port of the server URL written as 8080)
 * must equal the checked-in snapshot. After an intended API change, rewrite the snapshot with
 * {@code ./mvnw test -Dtest=OpenApiSnapshotTest -Dopenapi.update=true} and review the diff.
 */
class OpenApiSnapshotTest extends ServiceTestBase {

    static final Path SNAPSHOT = Path.of("src/test/resources/openapi/sparsefit-openapi.json");

    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
            .build();

    @Test
    void openApiDocumentMatchesTheSnapshot() throws IOException {
        Http.Answer docs = http.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        String live = normalize(docs.body());
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(SNAPSHOT.getParent());
            Files.writeString(SNAPSHOT, live, StandardCharsets.UTF_8);
        }
        assertThat(Files.exists(SNAPSHOT))
                .as("no OpenAPI snapshot; create it with ./mvnw test -Dtest=OpenApiSnapshotTest -Dopenapi.update=true")
                .isTrue();
        String pinned = Files.readString(SNAPSHOT, StandardCharsets.UTF_8);
        assertThat(live)
                .as("The OpenAPI document changed. If the change is intended, rewrite the snapshot with "
                        + "./mvnw test -Dtest=OpenApiSnapshotTest -Dopenapi.update=true and review the diff of " + SNAPSHOT)
                .isEqualTo(pinned);
    }

    @Test
    void documentFollowsTheContractRules() {
        JsonNode doc = Http.JSON.readTree(http.get("/v3/api-docs").body());
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                JsonNode o = op.getValue();
                if (!o.has("operationId") || !o.has("summary")) {
                    problems.add(where + " lacks operationId or summary");
                }
                for (Map.Entry<String, JsonNode> response : o.get("responses").properties()) {
                    JsonNode content = response.getValue().get("content");
                    if (content == null) {
                        continue;
                    }
                    for (Map.Entry<String, JsonNode> media : content.properties()) {
                        int code = Integer.parseInt(response.getKey());
                        if (media.getKey().equals("*/*")) {
                            problems.add(where + " " + code + " is */*");
                        }
                        // /v2 answers the Open Inference Protocol's error object for every error, 406 and 415 included.
                        String errorType = path.getKey().startsWith("/v2") ? "application/json" : "application/problem+json";
                        if (code >= 400 && !media.getKey().equals(errorType)) {
                            problems.add(where + " " + code + " is " + media.getKey());
                        }
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(doc.get("paths").get("/v1/datasets").get("post").get("responses").has("201")).isTrue();
        assertThat(doc.get("paths").get("/v1/fits").get("post").get("responses").has("202")).isTrue();
        assertThat(doc.get("paths").get("/v1/fits").get("post").get("responses").has("429")).isTrue();
        JsonNode lambda = doc.get("components").get("schemas").get("Regularization").get("properties").get("lambda");
        assertThat(lambda.get("default").asDouble()).isEqualTo(0.01);
        assertThat(doc.get("components").get("schemas").has("Problem")).isTrue();
        Http.Answer ui = http.get("/swagger-ui.html");
        assertThat(ui.status()).isIn(200, 302);
        if (ui.status() == 302) {
            assertThat(http.get(ui.header("Location")).status()).isEqualTo(200);
        }
    }

    private static String normalize(String json) {
        JsonNode tree = CANONICAL.readTree(json);
        // The generated server URL names the test's random port; pin it as the README's localhost:8080.
        String text = CANONICAL.writeValueAsString(tree).replaceAll("\"http://localhost:\\d+\"", "\"http://localhost:8080\"");
        tree = CANONICAL.readTree(text);
        return CANONICAL.writeValueAsString(tree) + "\n";
    }
}
