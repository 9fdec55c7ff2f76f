package io.sparsefit.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The core's source files, for the tests of rules the compiler does not check (imports, clock reads). */
final class CoreSources {

    static final Path ROOT = Path.of("src/main/java/io/sparsefit/core");

    private CoreSources() {
    }

    /** Every {@code .java} file of the core by its path under {@link #ROOT} ({@code /}-separated), with its text. */
    static Map<String, String> read() throws IOException {
        if (!Files.isDirectory(ROOT)) {
            throw new IOException("not a directory: " + ROOT.toAbsolutePath());
        }
        Map<String, String> sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                try {
                    sources.put(ROOT.relativize(p).toString().replace('\\', '/'), Files.readString(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return sources;
    }
}
