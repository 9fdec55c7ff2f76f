/**
 * Product kernels of a dense layer on flat row-major {@code double[]} arrays ({@link
 * io.sparsefit.core.kernel.DenseKernels}): the forward product {@code X W^T} with the bias and ReLU fused in, the
 * weight gradient {@code dZ^T X}, the input gradient {@code dZ W} and the backward steps through a ReLU.
 * Two implementations with the same contract: {@link io.sparsefit.core.kernel.ScalarKernels} (plain Java, always
 * available) and a Vector API one (used only when the {@code jdk.incubator.vector} module is in the boot layer);
 * {@link io.sparsefit.core.kernel.Kernels#active()} picks one once per JVM. EJML stays for decompositions. And
 * {@link io.sparsefit.core.kernel.RowChunks}: how one evaluation's two row chunks, and the local pricing's two lanes
 * of starts ({@code core.convex}), use an idle core without changing a bit. May
 * import only java.* (the Vector API types are written fully qualified, see {@code VectorKernels}).
 */
package io.sparsefit.core.kernel;
