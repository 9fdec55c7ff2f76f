package io.sparsefit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.sparsefit.support.Http;
import io.sparsefit.support.ReadmeWalkthrough;
import io.sparsefit.support.ServiceTestBase;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every live response of the README walkthrough (plus the listings, the dataset data, an inference
 * call and one problem per kind) is validated against the schema the served OpenAPI document gives
 * for that operation, status and media type, with a JSON Schema 2020-12 validator. Non-JSON answers
 * (SVG, CSV, ONNX) must at least have a documented media type; each event of the SSE stream carries a Fit.
 */
class ReadmeResponsesMatchOpenApiTest extends ServiceTestBase {

    private JsonNode doc;
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private final List<String> checked = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    @Test
    void everyWalkthroughResponseMatchesTheDocument() {
        doc = http.get("/v3/api-docs").json();
        ReadmeWalkthrough walk = new ReadmeWalkthrough(http);
        walk.run(ReadmeWalkthrough.commands(ReadmeWalkthrough.readme()));
        for (ReadmeWalkthrough.Exchange e : walk.exchanges()) {
            check(e.method(), e.url(), e.answer());
        }
        String model = walk.vars().get("MODEL");
        String dataset = walk.vars().get("DATASET");
        for (String path : List.of("/v1/datasets", "/v1/fits", "/v1/models", "/v1/datasets/" + dataset + "/data",
                "/v1/fits/nope", "/v1/models/nope", "/v1/models?cursor=bogus", "/v1/fits?limit=0",
                "/v2", "/v2/health/ready", "/v2/models/" + model, "/v2/models/nope", "/v2/models/" + model + "/versions/1/ready")) {
            check("GET", http.base() + path, http.get(path));
        }
        check("POST", http.base() + "/v1/fits", http.postJson("/v1/fits", "{\"regularization\":{\"lambda\":-1}}"));
        check("POST", http.base() + "/v1/fits", http.postJson("/v1/fits", "{\"lamda\":1}"));
        check("POST", http.base() + "/v2/models/" + model + "/infer", http.postJson("/v2/models/" + model + "/infer",
                "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[0.5,2]}]}"));
        check("POST", http.base() + "/v2/models/" + model + "/infer", http.postJson("/v2/models/" + model + "/infer",
                "{\"inputs\":[{\"name\":\"z\",\"shape\":[1,1],\"datatype\":\"FP64\",\"data\":[0.5]}]}"));
        check("POST", http.base() + "/v1/fits", http.postJson("/v1/fits", doc.get("paths").get("/v1/fits").get("post")
                .get("requestBody").get("content").get("application/json").get("examples").get("inlineData").get("value")));
        // "Try it out" on createPath sends its first example: it is accepted and the path succeeds.
        Http.Answer path = http.postJson("/v1/paths", doc.get("paths").get("/v1/paths").get("post")
                .get("requestBody").get("content").get("application/json").get("examples").get("exactGrid").get("value"));
        check("POST", http.base() + "/v1/paths", path);
        assertThat(path.status()).as(path.body()).isEqualTo(202);
        String pathUrl = "/v1/paths/" + path.json().get("id").asString();
        assertThat(http.awaitFinalAt(pathUrl, java.time.Duration.ofSeconds(60)).get("state").asString()).isEqualTo("SUCCEEDED");
        check("GET", http.base() + pathUrl, http.get(pathUrl));

        // Generated clients that send only a JSON Accept header get the stream too (not 406).
        Http.Answer events = http.send("GET", "/v1/fits/" + walk.vars().get("FIT") + "/events", null, null,
                Map.of("Accept", "application/json"));
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.contentType()).startsWith("text/event-stream");
        check("GET", http.base() + "/v1/fits/" + walk.vars().get("FIT") + "/events", events);
        assertThat(checked).anyMatch(c -> c.contains("/events 200 event"));

        assertThat(failures).as("responses that do not match the document").isEmpty();
        assertThat(checked).as("validated against a schema").hasSizeGreaterThan(20);
        assertThat(String.join("\n", checked)).contains("Fit", "Model", "Diagnostics", "PredictResponse", "Problem", "InferenceError");
    }

    private void check(String method, String url, Http.Answer answer) {
        String path = URI.create(url).getPath();
        String template = template(path);
        String where = method + " " + path + " " + answer.status();
        if (template == null) {
            failures.add(where + ": no such path in the document");
            return;
        }
        JsonNode response = doc.get("paths").get(template).get(method.toLowerCase()).get("responses").get(Integer.toString(answer.status()));
        if (response == null) {
            failures.add(where + ": status not documented");
            return;
        }
        if (answer.body() == null || answer.body().isEmpty()) {
            return; // 204
        }
        String type = answer.contentType() == null ? "" : answer.contentType().split(";")[0].trim();
        JsonNode media = response.get("content") == null ? null : response.get("content").get(type);
        if (media == null) {
            failures.add(where + ": media type " + type + " not documented");
            return;
        }
        JsonNode schema = media.get("schema");
        if (type.equals("text/event-stream")) {
            JsonNode fit = Http.JSON.readTree("{\"$ref\":\"#/components/schemas/Fit\"}");
            for (String block : answer.body().split("\n\n")) {
                StringBuilder data = new StringBuilder();
                block.lines().filter(l -> l.startsWith("data:")).forEach(l -> data.append(l.substring(5)));
                if (!data.isEmpty()) {
                    validate(where + " event", fit, data.toString());
                }
            }
        } else if (type.endsWith("json")) {
            validate(where, schema, answer.body());
        }
    }

    private void validate(String where, JsonNode schema, String body) {
        ObjectNode root = (ObjectNode) Http.JSON.readTree(Http.JSON.writeValueAsString(schema)
                .replace("#/components/schemas/", "#/$defs/"));
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", Http.JSON.readTree(Http.JSON.writeValueAsString(doc.get("components").get("schemas"))
                .replace("#/components/schemas/", "#/$defs/")));
        Schema compiled = registry.getSchema(Http.JSON.writeValueAsString(root));
        List<Error> errors = compiled.validate(Http.JSON.readTree(body));
        checked.add(where + " " + schema);
        if (!errors.isEmpty()) {
            failures.add(where + ": " + errors.stream().map(Error::toString).toList() + "\n    body: "
                    + (body.length() > 400 ? body.substring(0, 400) + "..." : body));
        }
    }

    /** The document's path template matching a concrete path ({id}-style segments match any one segment). */
    private String template(String path) {
        String[] parts = path.split("/");
        for (Map.Entry<String, JsonNode> p : doc.get("paths").properties()) {
            String[] t = p.getKey().split("/");
            if (t.length != parts.length) {
                continue;
            }
            boolean match = true;
            for (int i = 0; i < t.length && match; i++) {
                match = t[i].equals(parts[i]) || (t[i].startsWith("{") && t[i].endsWith("}"));
            }
            if (match) {
                return p.getKey();
            }
        }
        return null;
    }
}
