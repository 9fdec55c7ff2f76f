package io.sparsefit.core.kernel;

import java.util.Optional;

/**
 * The {@link DenseKernels} this JVM uses, chosen once (on first use): the Vector API kernels when the {@code
 * jdk.incubator.vector} module is in the boot layer ({@code --add-modules jdk.incubator.vector}), else {@link
 * ScalarKernels}. {@code -Dsparsefit.kernels=scalar} forces the scalar ones. The vector class is loaded
 * reflectively, so without the module it is never loaded; if loading it fails anyway the scalar kernels are used
 * and {@link #name()} says why.
 */
public final class Kernels {

    /** System property: {@code scalar} forces {@link ScalarKernels}; anything else (or unset) means automatic. */
    public static final String PROPERTY = "sparsefit.kernels";

    static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_CLASS = "io.sparsefit.core.kernel.VectorKernels";

    private Kernels() {
    }

    /** The kernels chosen for this JVM. */
    public static DenseKernels active() {
        return Choice.ACTIVE;
    }

    /** For the start-up log: which kernels and why, e.g. {@code "vector (256-bit, 4 doubles per vector)"}. */
    public static String name() {
        return Choice.NAME;
    }

    /** The scalar kernels, always available. */
    public static DenseKernels scalar() {
        return ScalarKernels.INSTANCE;
    }

    /** The Vector API kernels if the module is present and they load (ignores {@value #PROPERTY}). */
    public static Optional<DenseKernels> vector() {
        return Optional.ofNullable(VectorHolder.VECTOR);
    }

    /** Whether the Vector API module is in the boot layer. */
    public static boolean vectorModulePresent() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    private static final class VectorHolder {
        static final DenseKernels VECTOR;
        static final String FAILURE;

        static {
            DenseKernels v = null;
            String failure = null;
            if (!vectorModulePresent()) {
                failure = VECTOR_MODULE + " not in the boot layer (start the JVM with --add-modules "
                        + VECTOR_MODULE + ")";
            } else {
                try {
                    v = (DenseKernels) Class.forName(VECTOR_CLASS).getDeclaredConstructor().newInstance();
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    failure = "the vector kernels failed to load: " + e;
                }
            }
            VECTOR = v;
            FAILURE = failure;
        }
    }

    private static final class Choice {
        static final DenseKernels ACTIVE;
        static final String NAME;

        static {
            if ("scalar".equalsIgnoreCase(System.getProperty(PROPERTY, "").trim())) {
                ACTIVE = ScalarKernels.INSTANCE;
                NAME = "scalar (forced by -D" + PROPERTY + "=scalar)";
            } else if (VectorHolder.VECTOR != null) {
                ACTIVE = VectorHolder.VECTOR;
                NAME = ACTIVE.name();
            } else {
                ACTIVE = ScalarKernels.INSTANCE;
                NAME = "scalar (" + VectorHolder.FAILURE + ")";
            }
        }
    }
}
