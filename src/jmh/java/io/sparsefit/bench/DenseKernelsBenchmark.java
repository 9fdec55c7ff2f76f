package io.sparsefit.bench;

import io.sparsefit.core.kernel.DenseKernels;
import io.sparsefit.core.kernel.Kernels;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The three products of a dense layer ({@code X: N x d}, {@code W: K x d}, {@code dZ: N x K}) and a whole
 * objective-like step, one thread, for EJML (its fastest calls for each product, W kept transposed where that is
 * faster: {@code mult(X, W^T)}, {@code multTransA(X, dZ)} giving the transposed weight gradient, {@code mult(dZ,
 * W)}) against {@code ScalarKernels} and the Vector API kernels ({@code io.sparsefit.core.kernel}). GFLOP/s = 2 N d
 * K per product / time; the step is 3 products (forward with bias+ReLU fused for the kernels, a separate branch-free
 * pass for EJML), one element-wise pass forming the output, residual and the masked dZ (shared code), the weight
 * gradient and the input gradient: 6 N d K flops for the GFLOP/s figure.
 *
 * <pre>./mvnw -B -q -Pbench package -DskipTests && java --add-modules jdk.incubator.vector -jar target/benchmarks.jar DenseKernels -f 1 -wi 2 -i 3 -w 1s -r 1s</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class DenseKernelsBenchmark {

    /** "NxdxK" ({@code -p shape=10000x10x256}). */
    @Param({"10000x10x256", "10000x100x512", "50000x20x1024"})
    public String shape;

    @Param({"EJML", "SCALAR", "VECTOR"})
    public String impl;

    private int n;
    private int d;
    private int k;
    private DenseKernels kernels;
    private DMatrixRMaj x;
    private DMatrixRMaj w;
    private DMatrixRMaj wt;
    private DMatrixRMaj dz;
    private DMatrixRMaj h;
    private DMatrixRMaj gradT;
    private DMatrixRMaj grad;
    private DMatrixRMaj dx;
    private double[] bias;
    private double[] v;
    private double[] y;
    private double[] dzStep;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x");
        n = Integer.parseInt(parts[0]);
        d = Integer.parseInt(parts[1]);
        k = Integer.parseInt(parts[2]);
        kernels = switch (impl) {
            case "EJML" -> null;
            case "SCALAR" -> Kernels.scalar();
            case "VECTOR" -> Kernels.vector().orElseThrow(() -> new IllegalStateException(
                    "jdk.incubator.vector is not in the boot layer"));
            default -> throw new IllegalArgumentException(impl);
        };
        SplittableRandom r = new SplittableRandom(2026);
        x = fill(r, n, d);
        w = fill(r, k, d);
        wt = new DMatrixRMaj(d, k);
        CommonOps_DDRM.transpose(w, wt);
        dz = fill(r, n, k);
        h = new DMatrixRMaj(n, k);
        gradT = new DMatrixRMaj(d, k);
        grad = new DMatrixRMaj(k, d);
        dx = new DMatrixRMaj(n, d);
        bias = fill(r, 1, k).data;
        for (int j = 0; j < k; j++) {
            bias[j] *= 0.5; // about half the units active
        }
        v = fill(r, 1, k).data;
        y = fill(r, 1, n).data;
        dzStep = new double[n * k];
    }

    private static DMatrixRMaj fill(SplittableRandom r, int rows, int cols) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = r.nextDouble(-1, 1);
        }
        return m;
    }

    @Benchmark
    public double forward() {
        if (kernels == null) {
            CommonOps_DDRM.mult(x, wt, h);
        } else {
            kernels.forward(x.data, n, d, w.data, k, h.data);
        }
        return h.data[0];
    }

    @Benchmark
    public double weightGradient() {
        if (kernels == null) {
            CommonOps_DDRM.multTransA(x, dz, gradT); // d x K, the transposed layout
            return gradT.data[0];
        }
        kernels.weightGradient(dz.data, n, k, x.data, d, grad.data);
        return grad.data[0];
    }

    @Benchmark
    public double inputGradient() {
        if (kernels == null) {
            CommonOps_DDRM.mult(dz, w, dx);
        } else {
            kernels.inputGradient(dz.data, n, k, w.data, d, dx.data);
        }
        return dx.data[0];
    }

    @Benchmark
    public double step() {
        double[] hd = h.data;
        if (kernels == null) {
            CommonOps_DDRM.mult(x, wt, h);
            for (int i = 0; i < n; i++) {
                int row = i * k;
                for (int j = 0; j < k; j++) {
                    hd[row + j] = Math.max(0.0, hd[row + j] - bias[j]);
                }
            }
        } else {
            kernels.forwardRelu(x.data, n, d, w.data, k, bias, hd);
        }
        // f = h v, r = f - y, dZ = (r v^T) masked by h > 0 (branch-free: min(1, h * MAX) is 1 or 0 for h >= 0).
        double loss = 0.0;
        for (int i = 0; i < n; i++) {
            int row = i * k;
            double f = 0.0;
            for (int j = 0; j < k; j++) {
                f += hd[row + j] * v[j];
            }
            double res = f - y[i];
            loss += res * res;
            for (int j = 0; j < k; j++) {
                dzStep[row + j] = res * v[j] * Math.min(1.0, hd[row + j] * Double.MAX_VALUE);
            }
        }
        if (kernels == null) {
            DMatrixRMaj dzm = DMatrixRMaj.wrap(n, k, dzStep);
            CommonOps_DDRM.multTransA(x, dzm, gradT);
            CommonOps_DDRM.mult(dzm, w, dx);
            return loss + gradT.data[0] + dx.data[0];
        }
        kernels.weightGradient(dzStep, n, k, x.data, d, grad.data);
        kernels.inputGradient(dzStep, n, k, w.data, d, dx.data);
        return loss + grad.data[0] + dx.data[0];
    }
}
