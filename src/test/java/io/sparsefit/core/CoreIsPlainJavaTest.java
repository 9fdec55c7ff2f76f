package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core is a library a scientist can use without a server: only java.* (with the JDK's Vector API module, optional at run time) and EJML imports. */
class CoreIsPlainJavaTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void coreImportsOnlyTheJdkEjmlAndItself() throws IOException {
        Path core = Path.of("src/main/java/io/sparsefit/core");
        assertThat(core).isDirectory();
        List<String> offending;
        try (Stream<Path> files = Files.walk(core)) {
            offending = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    String text = Files.readString(p);
                    return IMPORT.matcher(text).results().map(m -> m.group(2))
                            .filter(name -> !(name.startsWith("java.") || name.startsWith("jdk.incubator.vector.") || name.startsWith("org.ejml.")
                                    || name.startsWith("io.sparsefit.core.")))
                            .map(name -> p + ": " + name);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList();
        }
        assertThat(offending).isEmpty();
    }
}
