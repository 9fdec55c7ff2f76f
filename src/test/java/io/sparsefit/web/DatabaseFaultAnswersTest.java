package io.sparsefit.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/**
 * The answers to database faults without a real fault (the faults package injects real ones: a stopped PostgreSQL,
 * a full tmpfs): a request that cannot reach the database is 503 problem+json with Retry-After, one whose write found
 * no space 507, neither shows internals, and both are counted in the episode log instead of logged one by one.
 */
class DatabaseFaultAnswersTest extends ServiceTestBase {

    @Autowired
    DatabaseFaultLog faultLog;

    @Test
    void unreachableDatabaseIs503WithRetryAfter() {
        long before = faultLog.ongoing(HttpStatus.SERVICE_UNAVAILABLE);
        Http.Answer a = http.get("/test-only/database-unavailable");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.header("Retry-After")).isEqualTo("1");
        JsonNode p = problem(a);
        assertThat(p.get("type").asString()).isEqualTo(Problems.TYPE_BASE + "unavailable");
        assertThat(faultLog.ongoing(HttpStatus.SERVICE_UNAVAILABLE)).as("counted, not logged").isIn(before + 1, 1L); // 1: an earlier episode closed meanwhile
    }

    @Test
    void aWriteWithoutSpaceIs507() {
        long before = faultLog.ongoing(HttpStatus.INSUFFICIENT_STORAGE);
        Http.Answer a = http.send("POST", "/test-only/storage-full", "application/json", "{}", Map.of());
        assertThat(a.status()).isEqualTo(507);
        JsonNode p = problem(a);
        assertThat(p.get("type").asString()).isEqualTo(Problems.TYPE_BASE + "insufficient-storage");
        assertThat(p.get("title").asString()).isEqualTo("Insufficient storage");
        assertThat(faultLog.ongoing(HttpStatus.INSUFFICIENT_STORAGE)).as("counted, not logged").isIn(before + 1, 1L);
    }

    private static JsonNode problem(Http.Answer a) {
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(a.body()).doesNotContain("Exception").doesNotContain("Hikari").doesNotContain("h2");
        JsonNode p = a.json();
        assertThat(p.get("status").asInt()).isEqualTo(a.status());
        assertThat(p.get("detail").asString()).isNotBlank();
        return p;
    }
}
