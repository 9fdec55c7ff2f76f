package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The core is a library a scientist can use without a server: only java.* (with the JDK's Vector API module, optional at run time) and EJML imports. */
class CoreIsPlainJavaTest {

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);

    @Test
    void coreImportsOnlyTheJdkEjmlAndItself() throws IOException {
        List<String> offending = CoreSources.read().entrySet().stream()
                .flatMap(file -> IMPORT.matcher(file.getValue()).results().map(m -> m.group(2))
                        .filter(name -> !(name.startsWith("java.") || name.startsWith("jdk.incubator.vector.") || name.startsWith("org.ejml.")
                                || name.startsWith("io.sparsefit.core.")))
                        .map(name -> file.getKey() + ": " + name))
                .toList();
        assertThat(offending).isEmpty();
    }
}
