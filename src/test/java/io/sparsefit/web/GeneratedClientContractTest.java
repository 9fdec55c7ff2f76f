package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What generated clients (openapi-generator's python and typescript-fetch, run by .ci/clients) rely on: a CSV upload
 * operation of its own, one media type for the export, and resources served to an Accept header that names only the
 * error type (the Python client sends exactly that to every operation whose only JSON type is problem+json).
 */
class GeneratedClientContractTest extends ServiceTestBase {

    private static final String CSV = "x,y\n0,0\n1,1\n2,0\n3,1\n4,0\n";
    private static final Map<String, String> ONLY_PROBLEMS = Map.of("Accept", "application/problem+json");

    private String fittedModel(String fitId) {
        JsonNode fit = http.awaitFinal(fitId, Duration.ofSeconds(90));
        assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
        return fit.get("modelId").asString();
    }

    @Test
    void csvUploadHasItsOwnOperationWithTheSameAnswerAsTextCsvOnTheCollection() {
        Http.Answer own = http.send("POST", "/v1/datasets/csv?target=y&name=own", "text/csv", CSV, Map.of());
        Http.Answer collection = http.send("POST", "/v1/datasets?target=y&name=own", "text/csv", CSV, Map.of());
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(own.header("Location")).isEqualTo("/v1/datasets/" + own.json().get("id").asString());
        assertThat(own.json().get("sha256")).isEqualTo(collection.json().get("sha256"));
        assertThat(own.json().get("rows").asInt()).isEqualTo(5);
        assertThat(own.json().get("name").asString()).isEqualTo("own");

        Http.Answer json = http.send("POST", "/v1/datasets/csv", "application/json", "{\"x\":[[0]],\"y\":[0]}", Map.of());
        assertThat(json.status()).isEqualTo(415);
        assertThat(json.contentType()).startsWith("application/problem+json");
        Http.Answer bad = http.send("POST", "/v1/datasets/csv?target=z", "text/csv", CSV, Map.of());
        assertThat(bad.status()).isEqualTo(422);
    }

    @Test
    void anAcceptHeaderNamingOnlyProblemJsonGetsTheResourceInItsOwnTypeAndErrorsStayProblems() {
        String dataset = http.send("POST", "/v1/datasets/csv?target=y", "text/csv", CSV, Map.of()).json().get("id").asString();
        String fitId = http.postJson("/v1/fits", "{\"datasetId\":\"" + dataset + "\",\"regularization\":{\"lambda\":0.1},"
                + "\"solver\":{\"type\":\"exact\"}}").json().get("id").asString();
        String model = fittedModel(fitId);

        Http.Answer events = http.send("GET", "/v1/fits/" + fitId + "/events", null, null, ONLY_PROBLEMS);
        assertThat(events.status()).isEqualTo(200);
        assertThat(events.contentType()).startsWith("text/event-stream");
        assertThat(events.body()).contains("event:state");
        Http.Answer plot = http.send("GET", "/v1/models/" + model + "/plot.svg", null, null, ONLY_PROBLEMS);
        assertThat(plot.status()).isEqualTo(200);
        assertThat(plot.contentType()).startsWith("image/svg+xml");
        Http.Answer loss = http.send("GET", "/v1/fits/" + fitId + "/loss.svg", null, null, ONLY_PROBLEMS);
        assertThat(loss.status()).isEqualTo(200);
        assertThat(loss.contentType()).startsWith("image/svg+xml");
        Http.Answer export = http.send("GET", "/v1/models/" + model + "/export?format=onnx", null, null, ONLY_PROBLEMS);
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith("application/octet-stream");

        Http.Answer missing = http.send("GET", "/v1/models/nope/plot.svg", null, null, ONLY_PROBLEMS);
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        // Any other Accept is negotiated as sent: a client that asks only for XML gets 406, not SVG.
        assertThat(http.send("GET", "/v1/models/" + model + "/plot.svg", null, null, Map.of("Accept", "application/xml")).status())
                .isEqualTo(406);
    }

    @Test
    void bothExportFormatsAreOctetStreamAttachments() {
        String fitId = http.postJson("/v1/fits", "{\"data\":{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]},"
                + "\"regularization\":{\"lambda\":0.1},\"solver\":{\"type\":\"exact\"}}").json().get("id").asString();
        String model = fittedModel(fitId);
        for (String format : new String[] {"onnx", "json"}) {
            Http.Answer file = http.get("/v1/models/" + model + "/export?format=" + format);
            assertThat(file.status()).isEqualTo(200);
            assertThat(file.contentType()).startsWith("application/octet-stream");
            assertThat(file.header("Content-Disposition")).startsWith("attachment").endsWith("." + format + "\"");
        }
        assertThat(Http.JSON.readTree(http.get("/v1/models/" + model + "/export?format=json").body()).get("id").asString())
                .isEqualTo(model);
    }
}
