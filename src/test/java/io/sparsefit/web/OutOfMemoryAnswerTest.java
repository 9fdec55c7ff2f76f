package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An out-of-memory error in a request is a 503 problem+json with Retry-After and a detail naming the heap, not a 500, and the
 * service answers the next request as before. (A real one, an upload on a 256 MB heap: dataset.UploadOnATinyHeapTest.)
 */
class OutOfMemoryAnswerTest extends ServiceTestBase {

    @Test
    void outOfMemoryIs503WithTheHeapInTheDetail() {
        Http.Answer a = http.get("/test-only/out-of-memory");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(a.header("Retry-After")).isNotBlank();
        JsonNode p = a.json();
        assertThat(p.get("type").asString()).isEqualTo(Problems.TYPE_BASE + "unavailable");
        assertThat(p.get("detail").asString()).contains("ran out of memory").contains((Runtime.getRuntime().maxMemory() >> 20) + " MB");
        assertThat(a.body()).doesNotContain("OutOfMemoryError");
        assertThat(http.get("/actuator/health").status()).isEqualTo(200);
    }
}
