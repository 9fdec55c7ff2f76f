package io.sparsefit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up choice in a fresh JVM: without {@code --add-modules jdk.incubator.vector} the scalar kernels are
 * active, {@code VectorKernels} is never loaded, and the products are bit-identical to {@link ScalarKernels} here;
 * with the module, {@code -Dsparsefit.kernels=scalar} forces the same.
 */
class KernelsFallbackTest {

    private static List<String> probe(String... jvmArgs) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xlog:class+load=info"));
        args.addAll(List.of(jvmArgs));
        return ChildJvm.run(args, KernelsProbe.class, true, 60);
    }

    private static String value(List<String> lines, String key) {
        return lines.stream().filter(l -> l.startsWith(key + "=")).map(l -> l.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError("no " + key + " in\n" + String.join("\n", lines)));
    }

    private static boolean loaded(List<String> lines, String className) {
        return lines.stream().anyMatch(l -> l.contains(" " + className + " "));
    }

    @Test
    void withoutTheModuleTheScalarKernelsRunAndTheVectorClassIsNeverLoaded() throws Exception {
        List<String> lines = probe();
        assertThat(value(lines, "name")).startsWith("scalar (jdk.incubator.vector not in the boot layer");
        assertThat(value(lines, "checksum")).isEqualTo(Long.toString(KernelsProbe.checksum(Kernels.scalar())));
        assertThat(loaded(lines, ScalarKernels.class.getName())).isTrue();
        assertThat(loaded(lines, "io.sparsefit.core.kernel.VectorKernels")).isFalse();
        assertThat(lines).noneMatch(l -> l.contains("jdk.incubator.vector.DoubleVector"));
    }

    @Test
    void thePropertyForcesTheScalarKernelsEvenWithTheModule() throws Exception {
        List<String> lines = probe("--add-modules", "jdk.incubator.vector", "-D" + Kernels.PROPERTY + "=scalar");
        assertThat(value(lines, "name")).isEqualTo("scalar (forced by -Dsparsefit.kernels=scalar)");
        assertThat(value(lines, "checksum")).isEqualTo(Long.toString(KernelsProbe.checksum(Kernels.scalar())));
        assertThat(loaded(lines, "io.sparsefit.core.kernel.VectorKernels")).isFalse();
    }

    @Test
    void withTheModuleTheVectorKernelsRunAndAreDeterministicAcrossJvms() throws Exception {
        List<String> lines = probe("--add-modules", "jdk.incubator.vector");
        assertThat(value(lines, "name")).startsWith("vector (");
        assertThat(loaded(lines, "io.sparsefit.core.kernel.VectorKernels")).isTrue();
        Kernels.vector().ifPresent(v -> assertThat(value(lines, "checksum"))
                .as("a C1-compiled child JVM gives the bits of this (warmed-up) one")
                .isEqualTo(Long.toString(KernelsProbe.checksum(v))));
    }
}
