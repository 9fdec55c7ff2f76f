package io.sparsefit.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The application in its own JVM process, as a replica runs in production: {@code java -cp <the test
 * class path> io.sparsefit.SparsefitApplication --server.port=<free port> ...}. Its output goes to
 * {@code <data dir>/service.log}, whose tail is shown when it fails to start. {@link #kill()} ends it
 * with SIGKILL (no shutdown hook, no graceful stop); {@link #close()} with SIGTERM, then SIGKILL.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int port;

    private ServiceProcess(String name, Process process, Path dataDir, Path log, int port) {
        this.name = name;
        this.process = process;
        this.dataDir = dataDir;
        this.log = log;
        this.port = port;
    }

    /** Starts the service on a free port with its own data directory and the given extra arguments. */
    public static ServiceProcess start(String name, Path dataDir, List<String> arguments) {
        return start(name, dataDir, "256m", arguments);
    }

    /** The same on a heap of at most {@code maxHeap} (an -Xmx value). */
    public static ServiceProcess start(String name, Path dataDir, String maxHeap, List<String> arguments) {
        try {
            Files.createDirectories(dataDir);
            int port = freePort();
            Path log = dataDir.resolve("service.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-Xss512k",
                    "-cp", System.getProperty("java.class.path"), "io.sparsefit.SparsefitApplication",
                    "--server.port=" + port, "--sparsefit.data-dir=" + dataDir, "--spring.jmx.enabled=false",
                    "--spring.main.banner-mode=off"));
            // The child gets this JVM's kernel set (as every replica gets the same flags in production): fits are
            // bit-identical for a given seed only under one kernel set, and the tests compare against this JVM.
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
                command.add(1, "--add-modules=jdk.incubator.vector");
            }
            command.addAll(arguments);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ServiceProcess(name, p, dataDir, log, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public Http http() {
        return Http.onPort(port);
    }

    public String name() {
        return name;
    }

    /** The owner name this instance writes in fit.owner (kept in its data directory). */
    public String instanceId() {
        try {
            return Files.readString(dataDir.resolve("instance-id"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until readiness answers 200, failing with the log's tail if the process dies or takes longer than {@code timeout}. */
    public ServiceProcess awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Http http = http();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                if (http.get("/actuator/health/readiness").status() == 200) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // connection refused while starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not ready after " + timeout + ":\n" + logTail());
            }
            Http.sleep(200);
        }
    }

    /** SIGKILL: the JVM ends at once, without shutdown hooks or a graceful stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as Kubernetes sends it: the graceful shutdown runs. True if the process ended within {@code timeout}. */
    public boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's output (its log). */
    public Path logFile() {
        return log;
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
