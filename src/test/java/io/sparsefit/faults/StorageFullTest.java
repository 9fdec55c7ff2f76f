package io.sparsefit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.SparsefitApplication;
import io.sparsefit.support.Http;
import io.sparsefit.support.RestartableService;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The embedded H2 store on a real small volume (a 16 MiB tmpfs; mounting needs root, so elsewhere the test is
 * skipped and bench/faults says so): uploads until the volume is full answer 201 and then 507 problem+json, never
 * 500; every accepted dataset still reads 200 with its checksum, also after further failed writes (each of which
 * closes H2's database: it is reopened through the pool); once the volume grows, uploads are taken again and
 * readiness comes back, without a restart; liveness stays UP throughout. Figures go to target/faults/storage-full.txt.
 */
class StorageFullTest {

    @TempDir
    Path dir;

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    /** About 1.2 MB of JSON: 20,000 rows of two inputs and one output (stored as about 0.5 MB of doubles). */
    private static String dataset(int seed) {
        Random r = new Random(seed);
        StringBuilder x = new StringBuilder("{\"x\":[");
        StringBuilder y = new StringBuilder("\"y\":[");
        for (int i = 0; i < 20_000; i++) {
            x.append(i == 0 ? "" : ",").append('[').append(r.nextDouble()).append(',').append(r.nextDouble()).append(']');
            y.append(i == 0 ? "" : ",").append(r.nextDouble());
        }
        return x.append("],").append(y).append("]}").toString();
    }

    @Test
    void writesAnswer507ReadsGoOnAndWritesComeBackWhenSpaceIsFreed() throws Exception {
        Path volume = dir.resolve("volume");
        Files.createDirectories(volume);
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", volume.toString()) == 0,
                "mounting a small tmpfs needs root");
        StringBuilder figures = new StringBuilder();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(SparsefitApplication.class).run(
                "--server.port=0", "--sparsefit.data-dir=" + volume.resolve("data"), "--spring.jmx.enabled=false",
                "--sparsefit.fits.threads=1", "--management.health.diskspace.threshold=1MB",
                "--logging.level.com.zaxxer.hikari=ERROR")) {
            Http http = RestartableService.http(app);
            Map<String, String> accepted = new LinkedHashMap<>(); // id -> sha256
            Http.Answer full = null;
            for (int i = 0; i < 60 && full == null; i++) {
                Http.Answer a = http.postJson("/v1/datasets", dataset(i));
                assertThat(a.status()).as(a.body()).isIn(201, 507);
                if (a.status() == 201) {
                    accepted.put(a.json().get("id").asString(), a.json().get("sha256").asString());
                } else {
                    full = a;
                }
            }
            assertThat(full).as("the volume filled up").isNotNull();
            assertThat(full.contentType()).startsWith("application/problem+json");
            assertThat(full.json().get("type").asString()).endsWith("/insufficient-storage");
            figures.append("uploads of about 0.5 MB accepted before the 16 MiB volume was full: ").append(accepted.size())
                    .append("; the next answered ").append(full.status()).append('\n');

            assertReadable(http, accepted);
            for (int i = 0; i < 3; i++) {
                int status = http.postJson("/v1/datasets", dataset(100 + i)).status();
                assertThat(status).as("a write on the full volume").isIn(503, 507);
                assertReadable(http, accepted);
            }
            assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(503);

            assertThat(run("mount", "-o", "remount,size=48m", volume.toString())).isZero();
            long grown = System.nanoTime();
            String more = null;
            for (int i = 0; i < 10 && more == null; i++) {
                Http.Answer a = http.postJson("/v1/datasets", dataset(200 + i));
                assertThat(a.status()).as(a.body()).isIn(201, 503);
                if (a.status() == 201) {
                    more = a.json().get("id").asString();
                    accepted.put(more, a.json().get("sha256").asString());
                } else {
                    Http.sleep(500);
                }
            }
            assertThat(more).as("an upload taken after the volume grew").isNotNull();
            figures.append(String.format("first upload taken %.1f s after the volume grew, without a restart%n",
                    (System.nanoTime() - grown) / 1e9));
            while (http.get("/actuator/health/readiness").status() != 200) {
                assertThat(System.nanoTime() - grown).as("readiness back").isLessThan(30_000_000_000L);
                Http.sleep(200);
            }
            assertReadable(http, accepted);
            assertThat(http.get("/v1/datasets?limit=100").json().get("items")).hasSize(accepted.size());
        } finally {
            run("umount", "-l", volume.toString());
        }
        Path out = Path.of("target", "faults", "storage-full.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, figures.toString(), StandardCharsets.UTF_8);
    }

    private static void assertReadable(Http http, Map<String, String> accepted) {
        for (Map.Entry<String, String> e : accepted.entrySet()) {
            Http.Answer a = http.get("/v1/datasets/" + e.getKey());
            assertThat(a.status()).as(a.body()).isEqualTo(200);
            JsonNode view = a.json();
            assertThat(view.get("sha256").asString()).isEqualTo(e.getValue());
        }
        String first = accepted.keySet().iterator().next();
        assertThat(http.get("/v1/datasets/" + first + "/data").status()).isEqualTo(200);
        assertThat(http.get("/v1/datasets?limit=5").status()).isEqualTo(200);
    }
}
