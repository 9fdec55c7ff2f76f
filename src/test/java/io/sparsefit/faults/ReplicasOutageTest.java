package io.sparsefit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceProcess;
import io.sparsefit.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stops under two replicas (each its own JVM, as in production) while fits run and wait, and comes back
 * on the same port with the same data after {@code sparsefit.faults.outage-seconds} (8 here; bench/faults runs 30
 * with 12 fits). Meanwhile every endpoint that touches the database is polled on both replicas: no answer is a 500
 * (each 503 carries Retry-After and a problem body); each replica logs the outage in one WARN line with the count
 * instead of a stack trace per request; afterwards every accepted fit, those submitted during the polling too, is
 * SUCCEEDED exactly once (one model row per fit), and an event stream opened before the outage ends with the
 * final state after it. The figures go to target/faults/replicas-outage.txt.
 */
class ReplicasOutageTest {

    private static final String EIGHT_POINTS = "{\"x\":[[0],[1],[2],[3],[4],[5],[6],[7]],\"y\":[0,1,3,2,4,1,0,2]}";

    @TempDir
    Path dir;

    private static EmbeddedPostgres startPostgres(int port, Path data) throws IOException {
        return EmbeddedPostgres.builder().setPort(port).setDataDirectory(data).setCleanDataDirectory(false).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void noAnswerIs500AndEveryAcceptedFitSucceedsOnce() throws Exception {
        int outageSeconds = Integer.getInteger("sparsefit.faults.outage-seconds", 8);
        int fitCount = Integer.getInteger("sparsefit.faults.fits", 4);
        int port = freePort();
        Path pgData = dir.resolve("pg");
        EmbeddedPostgres postgres = startPostgres(port, pgData);
        String url = TestDatabase.newDatabase(postgres);
        List<String> args = List.of("--spring.datasource.url=" + url, "--spring.datasource.username=" + TestDatabase.USER,
                "--spring.datasource.password=", "--sparsefit.fits.threads=1", "--sparsefit.fits.lease=60s",
                "--sparsefit.fits.heartbeat-interval=1s", "--sparsefit.fits.poll-interval=200ms",
                "--sparsefit.fits.progress-persist-interval=500ms", "--sparsefit.limits.max-iter=100000000");
        try (ServiceProcess a = ServiceProcess.start("a", dir.resolve("a"), args);
             ServiceProcess b = ServiceProcess.start("b", dir.resolve("b"), args)) {
            a.awaitReady(Duration.ofSeconds(120));
            b.awaitReady(Duration.ofSeconds(120));
            Http ha = a.http();
            Http hb = b.http();
            String dataset = ha.postJson("/v1/datasets", EIGHT_POINTS).json().get("id").asString();
            String exact = "{\"datasetId\":\"" + dataset + "\",\"solver\":{\"type\":\"exact\"},\"regularization\":{\"lambda\":0.1}}";
            String done = ha.postJson("/v1/fits", exact).json().get("id").asString();
            String model = ha.awaitFinal(done, Duration.ofSeconds(60)).get("modelId").asString();

            // Fits of 3 s each (their time limit): with one worker per replica, some run and the rest wait in the queue.
            List<String> fits = new ArrayList<>(List.of(done));
            for (int i = 0; i < fitCount; i++) {
                String body = "{\"datasetId\":\"" + dataset + "\",\"architecture\":{\"hiddenLayers\":[8]},\"solver\":{\"type\":\"adam\","
                        + "\"maxIter\":100000000,\"tol\":1e-300,\"learningRate\":0.001,\"timeLimit\":3},\"seed\":" + i + "}";
                fits.add((i % 2 == 0 ? ha : hb).postJson("/v1/fits", body).json().get("id").asString());
            }
            while (ha.get("/v1/fits/" + fits.get(1)).json().get("state").asString().equals("QUEUED")) {
                Http.sleep(100);
            }

            // An event stream opened before the outage on the last fit (still queued): it must outlive the outage.
            String streamed = fits.get(fits.size() - 1);
            CompletableFuture<Http.Answer> stream = CompletableFuture.supplyAsync(() -> hb.send("GET", "/v1/fits/" + streamed
                    + "/events", null, null, Map.of("Accept", "text/event-stream")));

            Map<String, Http> replicas = new LinkedHashMap<>();
            replicas.put("a", ha);
            replicas.put("b", hb);
            long downNanos;
            long upNanos;
            long recoveredNanos;
            try (EndpointProbes probes = new EndpointProbes()) {
                probes.start(replicas, EndpointProbes.everyEndpoint(dataset, done, model, exact));
                Http.sleep(1000);
                postgres.close();
                downNanos = System.nanoTime();
                Http.sleep(outageSeconds * 1000L);
                postgres = startPostgres(port, pgData);
                upNanos = System.nanoTime();
                // Recovered: both replicas ready and answering a read.
                while (!(ready(ha) && ready(hb) && ha.get("/v1/fits/" + done).status() == 200
                        && hb.get("/v1/fits/" + done).status() == 200)) {
                    assertThat(System.nanoTime() - upNanos).as("recovery").isLessThan(Duration.ofSeconds(60).toNanos());
                    Http.sleep(100);
                }
                recoveredNanos = System.nanoTime();
                Http.sleep(3000);
                probes.close();

                fits.addAll(probes.acceptedFits());
                assertThat(probes.bad()).as("answers that were 5xx other than 503/507, or lacked Retry-After or a problem body; "
                        + "the first logged cause:\n" + firstUnexpectedError(a) + firstUnexpectedError(b)).isEmpty();
                assertThat(probes.unavailable()).as("the outage was seen").isPositive();

                for (String id : fits) {
                    JsonNode fit = ha.awaitFinal(id, Duration.ofSeconds(180));
                    assertThat(fit.get("state").asString()).as(fit.toString()).isEqualTo("SUCCEEDED");
                }
                Http.Answer events = stream.get(60, TimeUnit.SECONDS);
                assertThat(events.status()).isEqualTo(200);
                assertThat(events.body()).as("the stream's last event").contains("event:state").contains("id:SUCCEEDED");

                int[] models = models(url, fits);
                assertThat(models[0]).as("model rows of the accepted fits").isEqualTo(fits.size());
                assertThat(models[1]).as("distinct fits among them").isEqualTo(fits.size());

                int[] logged = {outageWarnings(a), outageWarnings(b)};
                assertThat(logged).as("WARN lines announcing the outage, per replica").containsOnly(1);
                assertThat(unexpectedErrors(a) + unexpectedErrors(b)).as("'Unexpected error' log entries").isZero();

                writeFigures(outageSeconds, fits.size(), probes, (upNanos - downNanos) / 1e9, (recoveredNanos - upNanos) / 1e9,
                        countsLogged(a) + " / " + countsLogged(b));
            }
        } finally {
            postgres.close();
            for (String name : List.of("a", "b")) { // the replicas' logs, for the figures and for a failure's cause
                Path log = dir.resolve(name).resolve("service.log");
                if (Files.exists(log)) {
                    Files.createDirectories(Path.of("target", "faults"));
                    Files.copy(log, Path.of("target", "faults", "replica-" + name + ".log"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static boolean ready(Http http) {
        return http.get("/actuator/health/readiness").status() == 200;
    }

    /** {model rows, distinct fit ids} among the model rows of the given fits. */
    private static int[] models(String url, List<String> fits) throws Exception {
        try (Connection c = DriverManager.getConnection(url, TestDatabase.USER, "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), count(distinct fit_id) from model where fit_id in ('"
                     + String.join("','", fits) + "')")) {
            rs.next();
            return new int[] {rs.getInt(1), rs.getInt(2)};
        }
    }

    private static String log(ServiceProcess p) throws IOException {
        return Files.readString(p.logFile(), StandardCharsets.UTF_8);
    }

    private static int outageWarnings(ServiceProcess p) throws IOException {
        return count(log(p), "Database unavailable: answering 503");
    }

    private static int unexpectedErrors(ServiceProcess p) throws IOException {
        return count(log(p), "Unexpected error");
    }

    /** The first "Unexpected error" entry of a replica's log with the first lines of its stack trace, or "". */
    private static String firstUnexpectedError(ServiceProcess p) throws IOException {
        String log = log(p);
        int at = log.indexOf("Unexpected error");
        return at < 0 ? "" : log.substring(at, Math.min(log.length(), at + 3000)) + "\n";
    }

    /** The counts in the replica's "N requests answered 503" lines. */
    private static String countsLogged(ServiceProcess p) throws IOException {
        Matcher m = Pattern.compile("Database unavailable: (\\d+) requests answered 503 over ([0-9.]+) s").matcher(log(p));
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1) + " in " + m.group(2) + " s");
        }
        return out.toString();
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static void writeFigures(int outage, int fits, EndpointProbes probes, double down, double recovery, String logged)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("PostgreSQL outage under two replicas: %d s planned (%.1f s measured), %d accepted fits%n",
                outage, down, fits));
        sb.append(String.format("answers during the polling: %d, of which 503: %d, not allowed (500 etc.): %d%n",
                probes.answers(), probes.unavailable(), probes.bad().size()));
        sb.append(String.format("recovery (PostgreSQL up -> both replicas ready and reading): %.1f s%n", recovery));
        sb.append("logged per replica (count, length): ").append(logged).append('\n');
        probes.counts().forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        Path out = Path.of("target", "faults", "replicas-outage.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    }
}
