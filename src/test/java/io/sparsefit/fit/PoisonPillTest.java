package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.RestartableService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A fit that kills the JVM (an OutOfMemoryError under -XX:+ExitOnOutOfMemoryError, a native crash)
 * is left RUNNING under this instance every time; the next start must not queue it again forever.
 * Each claim counts an attempt, so at startup a fit left RUNNING on its last allowed attempt
 * ({@code max-attempts}) ends FAILED with a problem saying why, and one with attempts left is queued
 * again and runs. The "crashes" are written into the database between two runs on one data directory.
 */
class PoisonPillTest {

    @TempDir
    Path dataDir;

    private RestartableService service;

    private ConfigurableApplicationContext start() {
        if (service == null) {
            service = new RestartableService(dataDir);
        }
        return service.start("--sparsefit.fits.max-attempts=3", "--logging.level.io.sparsefit.fit=OFF");
    }

    private Connection connect() throws java.sql.SQLException {
        return service.connect();
    }

    private static Http http(ConfigurableApplicationContext ctx) {
        return RestartableService.http(ctx);
    }

    @Test
    void aFitLeftRunningOnItsLastAttemptEndsFailedAtStartupOneWithAttemptsLeftRunsAgain() throws Exception {
        String poison;
        String retried;
        try (ConfigurableApplicationContext first = start()) {
            Http http = http(first);
            String ds = http.postJson("/v1/datasets", "{\"x\":[[0],[1],[2],[3]],\"y\":[0,1,0,1]}").json().get("id").asString();
            String body = "{\"datasetId\":\"" + ds + "\",\"solver\":{\"type\":\"exact\"}}";
            poison = http.postJson("/v1/fits", body).json().get("id").asString();
            retried = http.postJson("/v1/fits", body.replace("}}", "},\"seed\":1}")).json().get("id").asString();
            http.awaitFinal(poison, Duration.ofSeconds(60));
            http.awaitFinal(retried, Duration.ofSeconds(60));
        }
        // This instance died while running both: one on its third claim of three, one on its second.
        String self = Files.readString(dataDir.resolve("instance-id")).strip();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "update fit set state = 'RUNNING', owner = ?, attempts = ?, model_id = null, finished_at = null, "
                        + "lease_until = ? where id = ?")) {
            for (Object[] row : new Object[][] {{poison, 3}, {retried, 2}}) {
                s.setString(1, self);
                s.setInt(2, (Integer) row[1]);
                s.setTimestamp(3, java.sql.Timestamp.from(java.time.Instant.now().plus(Duration.ofHours(1))));
                s.setString(4, (String) row[0]);
                assertThat(s.executeUpdate()).isEqualTo(1);
            }
            c.createStatement().execute("delete from model");
        }
        try (ConfigurableApplicationContext second = start()) {
            Http http = http(second);
            JsonNode failed = http.awaitFinal(poison, Duration.ofSeconds(30));
            assertThat(failed.get("state").asString()).as(failed.toString()).isEqualTo("FAILED");
            assertThat(failed.get("error").get("detail").asString()).contains("claimed 3 times");
            assertThat(failed.get("modelId").isNull()).isTrue();
            JsonNode again = http.awaitFinal(retried, Duration.ofSeconds(60));
            assertThat(again.get("state").asString()).as(again.toString()).isEqualTo("SUCCEEDED");
        }
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("select attempts from fit where id = ?")) {
            s.setString(1, retried);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).as("the re-run counted its claim").isEqualTo(3);
            }
        }
    }
}
