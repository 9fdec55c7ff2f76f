package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The root is the page; unknown paths and methods are problems in the service's own words. */
class RootAndUnknownPathTest extends ServiceTestBase {

    @Test
    void rootIsThePageWithItsScriptAndExamples() {
        Http.Answer root = http.send("GET", "/", null, null, Map.of("Accept", "text/html"));
        assertThat(root.status()).isEqualTo(200);
        assertThat(root.contentType()).startsWith("text/html");
        assertThat(root.body()).contains("<title>sparsefit").contains("/app.js");
        assertThat(http.get("/app.js").status()).isEqualTo(200);
        Http.Answer example = http.get("/examples/hat-1d.csv");
        assertThat(example.status()).isEqualTo(200);
        assertThat(example.body()).startsWith("x,y\n");
        assertThat(http.get("/examples/ridges-2d.csv").body()).startsWith("x1,x2,y\n");
    }

    @Test
    void unknownPathsAreProblemsThatSayWhereTheApiIs() {
        for (String path : new String[] {"/nope", "/v1/nothing", "/v1/models/x/y/z"}) {
            Http.Answer a = http.get(path);
            assertThat(a.status()).as(path).isEqualTo(404);
            assertThat(a.contentType()).startsWith("application/problem+json");
            JsonNode p = a.json();
            assertThat(p.get("detail").asString()).doesNotContainIgnoringCase("static resource")
                    .startsWith("Nothing at GET " + path).contains("/v1").contains("/v3/api-docs");
            assertThat(p.get("instance").asString()).isEqualTo(path);
        }
    }

    @Test
    void aWrongMethodNamesTheAllowedOnes() {
        Http.Answer a = http.send("PUT", "/v1/fits", "application/json", "{}", Map.of());
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(a.header("Allow")).contains("GET").contains("POST");
        assertThat(a.json().get("detail").asString()).startsWith("PUT is not allowed on /v1/fits; allowed: ");
    }
}
