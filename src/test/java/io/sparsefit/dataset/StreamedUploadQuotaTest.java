package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-key storage quota is checked while a CSV upload is streamed, after every stored chunk (1KB here), not only at
 * the end: an upload that would pass it is refused with the quota's 413 once its chunks reach it, and what it had stored
 * is rolled back. One key of its own, so that no other test's datasets count against it.
 */
@TestPropertySource(properties = {
        "sparsefit.uploads.chunk-size=1KB",
        "sparsefit.security.api-keys[0].id=quota",
        "sparsefit.security.api-keys[0].key=" + StreamedUploadQuotaTest.KEY,
        "sparsefit.security.per-key.max-stored-bytes=40KB"})
class StreamedUploadQuotaTest extends ServiceTestBase {

    static final String KEY = "quota-test-key-0123456789";

    @Autowired
    JdbcClient jdbc;

    private static String csv(int rows) {
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < rows; i++) {
            csv.append(i * 0.5).append(',').append(i % 13).append(',').append(i % 7).append('\n');
        }
        return csv.toString();
    }

    private Http.Answer upload(String csv) {
        return http.send("POST", "/v1/datasets?target=y", "text/csv", csv, Map.of("Authorization", "Bearer " + KEY));
    }

    private int count(String sql) {
        return jdbc.sql(sql).query(Integer.class).single();
    }

    @Test
    void theQuotaStopsAStreamedUploadAndRollsItBack() {
        // 1000 rows: x 16,012 bytes in 16 chunks (64 rows of 2 inputs a chunk), y 8,012: 24,024 bytes stored.
        Http.Answer first = upload(csv(1000));
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        int chunks = count("select count(*) from dataset_chunk");
        int datasets = count("select count(*) from dataset");
        // 3000 rows would store 48 KB of x alone: refused once the chunks pass the 16 KB left, before the body ends (its
        // malformed last line, a 400 if it were read, is never parsed).
        Http.Answer over = upload(csv(3000) + "1,\"never closed\n");
        assertThat(over.status()).as(over.body()).isEqualTo(413);
        assertThat(over.contentType()).startsWith("application/problem+json");
        assertThat(over.json().get("detail").asString()).contains("quota");
        assertThat(count("select count(*) from dataset_chunk")).isEqualTo(chunks);
        assertThat(count("select count(*) from dataset")).isEqualTo(datasets);
        // Within what is left, a streamed upload is still taken.
        Http.Answer fits = upload(csv(500));
        assertThat(fits.status()).as(fits.body()).isEqualTo(201);
    }
}
