package io.sparsefit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A main class of the tests run in a child JVM of this one (its java, its class path), for what a JVM decides once at
 * start-up: the kernel set, the vector width. The environment's JVM options are removed, so the child gets only
 * {@code jvmArgs}.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Runs {@code mainClass} and returns its output's lines (standard error merged into them when {@code withErrors},
     * else kept apart and shown only in a failure), asserting that it ends within {@code timeoutSeconds} (else it is
     * killed) with exit code 0. The output goes to files, not a pipe, so the timeout holds whatever the child writes.
     */
    static List<String> run(List<String> jvmArgs, Class<?> mainClass, boolean withErrors, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        File out = File.createTempFile("child-jvm", ".out");
        File err = File.createTempFile("child-jvm", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out);
            if (withErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(err);
            }
            builder.environment().remove("JAVA_TOOL_OPTIONS");
            builder.environment().remove("JDK_JAVA_OPTIONS");
            Process p = builder.start();
            boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            List<String> lines = Files.readAllLines(out.toPath(), StandardCharsets.UTF_8);
            String report = String.join("\n", lines) + "\n" + Files.readString(err.toPath(), StandardCharsets.UTF_8);
            assertThat(ended).as("ended within %d s:%n%s", timeoutSeconds, report).isTrue();
            assertThat(p.exitValue()).as(report).isZero();
            return lines;
        } finally {
            Files.deleteIfExists(out.toPath());
            Files.deleteIfExists(err.toPath());
        }
    }
}
