package io.sparsefit.faults;

import io.sparsefit.support.Http;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Polls every kind of endpoint of one or more replicas, each on its own thread, until stopped, and tallies the
 * answers: status codes per endpoint, answers that are 5xx but not 503/507, 503s without {@code Retry-After} or
 * without a problem body (problem+json under /v1, the inference protocol's JSON error under /v2), and fits that
 * a POST accepted (so the test can check that they, too, end exactly once).
 */
final class EndpointProbes implements AutoCloseable {

    /** One request kind: method, path and body (null for none). */
    record Probe(String method, String path, String body) {
        String name() {
            return method + " " + path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}");
        }
    }

    /** One answer that broke the rules, for the failure message. */
    record Bad(String replica, String probe, int status, String contentType, String retryAfter, String body) {
    }

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Bad> bad = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> acceptedFits = new ConcurrentLinkedQueue<>();
    private final AtomicLong answers = new AtomicLong();
    private final AtomicLong unavailable = new AtomicLong();

    /** Every endpoint of the API that reads or writes the database, for a dataset, a finished fit and its model. */
    static List<Probe> everyEndpoint(String datasetId, String fitId, String modelId, String fitBody) {
        String small = "{\"x\":[[0],[1],[2]],\"y\":[0,1,0]}";
        String infer = "{\"inputs\":[{\"name\":\"x\",\"shape\":[2,1],\"datatype\":\"FP64\",\"data\":[0.5,1.5]}]}";
        return List.of(
                new Probe("GET", "/v1/datasets?limit=5", null),
                new Probe("GET", "/v1/datasets/" + datasetId, null),
                new Probe("GET", "/v1/datasets/" + datasetId + "/data", null),
                new Probe("POST", "/v1/datasets", small),
                new Probe("DELETE", "/v1/datasets/00000000-0000-0000-0000-000000000000", null),
                new Probe("GET", "/v1/fits?limit=5", null),
                new Probe("GET", "/v1/fits/" + fitId, null),
                new Probe("GET", "/v1/fits/" + fitId + "/events", null),
                new Probe("POST", "/v1/fits", fitBody),
                new Probe("DELETE", "/v1/fits/00000000-0000-0000-0000-000000000000", null),
                new Probe("GET", "/v1/models?limit=5", null),
                new Probe("GET", "/v1/models/" + modelId, null),
                new Probe("GET", "/v1/models/" + modelId + "/diagnostics", null),
                new Probe("POST", "/v1/models/" + modelId + "/predict", "{\"x\":[[0.5],[1.5]]}"),
                new Probe("GET", "/v2/models/" + modelId, null),
                new Probe("POST", "/v2/models/" + modelId + "/infer", infer));
    }

    /** Starts one thread per replica and probe. */
    void start(Map<String, Http> replicas, List<Probe> probes) {
        replicas.forEach((name, http) -> {
            for (Probe p : probes) {
                Thread t = new Thread(() -> loop(name, http, p), "probe-" + name + "-" + p.name());
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        });
    }

    private void loop(String replica, Http http, Probe p) {
        while (running.get()) {
            Http.Answer a;
            try {
                a = http.send(p.method(), p.path(), p.body() == null ? null : "application/json", p.body(), Map.of());
            } catch (RuntimeException e) {
                bad.add(new Bad(replica, p.name(), -1, null, null, e.toString()));
                Http.sleep(200);
                continue;
            }
            answers.incrementAndGet();
            counts.computeIfAbsent(p.name() + " " + a.status(), k -> new AtomicLong()).incrementAndGet();
            if (a.status() == 503) {
                unavailable.incrementAndGet();
            }
            if (!allowed(p, a)) {
                bad.add(new Bad(replica, p.name(), a.status(), a.contentType(), a.header("Retry-After"),
                        a.body().length() > 300 ? a.body().substring(0, 300) : a.body()));
            }
            if (p.path().equals("/v1/fits") && a.status() == 202) {
                acceptedFits.add(a.json().get("id").asString());
            }
            Http.sleep(200);
        }
    }

    /** 5xx only as 503 with Retry-After (or 507), and errors only in the documented shape. */
    private static boolean allowed(Probe p, Http.Answer a) {
        if (a.status() < 400) {
            return true;
        }
        if (a.status() >= 500 && a.status() != 503 && a.status() != 507) {
            return false;
        }
        if (a.status() == 503 && a.header("Retry-After") == null) {
            return false;
        }
        String type = a.contentType() == null ? "" : a.contentType();
        return p.path().startsWith("/v2") ? type.startsWith("application/json") && a.body().contains("\"error\"")
                : type.startsWith("application/problem+json") && a.body().contains("\"status\":" + a.status());
    }

    long answers() {
        return answers.get();
    }

    long unavailable() {
        return unavailable.get();
    }

    List<Bad> bad() {
        return List.copyOf(bad);
    }

    List<String> acceptedFits() {
        return List.copyOf(acceptedFits);
    }

    /** "probe status" -> answers, sorted. */
    Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(70_000);
        }
    }
}
