package io.sparsefit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Both kernel implementations against EJML's products ({@code multTransB}, {@code multTransA}, {@code mult}) and an
 * independent bias/ReLU/mask loop, on random shapes with every combination of n, d, k in {@link #SIZES} (edge sizes
 * 1, odd, just below/at/above the vector width 4 or 8 and twice it, the micro-tile heights and the cache blocks)
 * plus a few shapes past the larger blocks.
 *
 * <p>Tolerance: entry (i, j) of a product {@code sum_p a_ip b_pj} may differ from EJML's by at most {@value #REL}
 * times {@code sum_p |a_ip| |b_pj|} (the magnitude of the sum, not of its possibly cancelled value; plus {@code
 * |bias_j|} for the fused forward pass), plus {@link Double#MIN_VALUE}. Rounding error of any summation order is
 * below {@code len * 2^-53} times that magnitude, i.e. about 3e-14 for the longest sums here (257 terms).
 */
class DenseKernelsTest {

    static final int[] SIZES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257};
    static final double REL = 1e-13;

    private static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int n : SIZES) {
            for (int d : SIZES) {
                for (int k : SIZES) {
                    shapes.add(new int[] {n, d, k});
                }
            }
        }
        // Past the larger cache blocks: forward depth 256 (d = 520: three blocks), input-gradient columns 512
        // (k = 1030), weight-gradient rows 128 and output columns 256.
        shapes.add(new int[] {9, 520, 17});
        shapes.add(new int[] {5, 3, 1030});
        shapes.add(new int[] {300, 7, 600});
        shapes.add(new int[] {130, 19, 515});
        // k x d past what a thread keeps in its work buffers (VectorKernels.RETAINED doubles): allocated per call.
        shapes.add(new int[] {5, 520, 600});
        return shapes;
    }

    private static List<DenseKernels> implementations() {
        List<DenseKernels> all = new ArrayList<>();
        all.add(Kernels.scalar());
        Kernels.vector().ifPresent(all::add);
        return all;
    }

    private static double[] random(SplittableRandom r, int count) {
        double[] a = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = r.nextDouble(-1, 1);
        }
        return a;
    }

    /** Post-ReLU activations: about half exactly zero (+0.0), a few -0.0 (inactive too), the rest positive. */
    private static double[] activations(SplittableRandom r, int count) {
        double[] h = new double[count];
        for (int i = 0; i < count; i++) {
            double u = r.nextDouble();
            h[i] = u < 0.45 ? 0.0 : u < 0.5 ? -0.0 : r.nextDouble(1e-300, 2);
        }
        return h;
    }

    /** |a| |b|: the magnitude each entry's rounding error is measured against. */
    private static double[] abs(double[] a) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Math.abs(a[i]);
        }
        return b;
    }

    private static void assertClose(String what, double[] expected, double[] magnitude, double[] actual, int count) {
        for (int i = 0; i < count; i++) {
            double bound = REL * magnitude[i] + Double.MIN_VALUE;
            double err = Math.abs(actual[i] - expected[i]);
            if (!(err <= bound)) {
                throw new AssertionError(what + ": entry " + i + " is " + actual[i] + ", expected " + expected[i]
                        + " (error " + err + " > " + bound + ")");
            }
        }
    }

    @Test
    void forwardMatchesEjmlMultTransB() {
        SplittableRandom r = new SplittableRandom(1);
        for (int[] s : shapes()) {
            int n = s[0], d = s[1], k = s[2];
            double[] x = random(r, n * d), w = random(r, k * d);
            DMatrixRMaj ref = new DMatrixRMaj(n, k), mag = new DMatrixRMaj(n, k);
            CommonOps_DDRM.multTransB(DMatrixRMaj.wrap(n, d, x), DMatrixRMaj.wrap(k, d, w), ref);
            CommonOps_DDRM.multTransB(DMatrixRMaj.wrap(n, d, abs(x)), DMatrixRMaj.wrap(k, d, abs(w)), mag);
            for (DenseKernels kernels : implementations()) {
                double[] out = new double[n * k];
                Arrays.fill(out, Double.NaN);
                kernels.forward(x, n, d, w, k, out);
                assertClose(kernels.name() + " forward " + Arrays.toString(s), ref.data, mag.data, out, n * k);
            }
        }
    }

    @Test
    void forwardReluMatchesEjmlThenAnIndependentBiasReluLoop() {
        SplittableRandom r = new SplittableRandom(2);
        for (int[] s : shapes()) {
            int n = s[0], d = s[1], k = s[2];
            double[] x = random(r, n * d), w = random(r, k * d), bias = random(r, k);
            DMatrixRMaj ref = new DMatrixRMaj(n, k), mag = new DMatrixRMaj(n, k);
            CommonOps_DDRM.multTransB(DMatrixRMaj.wrap(n, d, x), DMatrixRMaj.wrap(k, d, w), ref);
            CommonOps_DDRM.multTransB(DMatrixRMaj.wrap(n, d, abs(x)), DMatrixRMaj.wrap(k, d, abs(w)), mag);
            double[] expected = new double[n * k];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < k; j++) {
                    double z = ref.data[i * k + j] - bias[j];
                    expected[i * k + j] = z > 0 ? z : 0.0;
                    mag.data[i * k + j] += Math.abs(bias[j]);
                }
            }
            for (DenseKernels kernels : implementations()) {
                double[] out = new double[n * k];
                Arrays.fill(out, Double.NaN);
                kernels.forwardRelu(x, n, d, w, k, bias, out);
                assertClose(kernels.name() + " forwardRelu " + Arrays.toString(s), expected, mag.data, out, n * k);
                for (double v : out) {
                    assertThat(Double.doubleToRawLongBits(v)).as("no -0.0 or negatives").isNotNegative();
                }
            }
        }
    }

    @Test
    void weightGradientMatchesEjmlMultTransA() {
        SplittableRandom r = new SplittableRandom(3);
        for (int[] s : shapes()) {
            int n = s[0], d = s[1], k = s[2];
            double[] dz = random(r, n * k), x = random(r, n * d), start = random(r, k * d);
            DMatrixRMaj ref = new DMatrixRMaj(k, d), mag = new DMatrixRMaj(k, d);
            CommonOps_DDRM.multTransA(DMatrixRMaj.wrap(n, k, dz), DMatrixRMaj.wrap(n, d, x), ref);
            CommonOps_DDRM.multTransA(DMatrixRMaj.wrap(n, k, abs(dz)), DMatrixRMaj.wrap(n, d, abs(x)), mag);
            double[] added = new double[k * d];
            double[] addedMag = new double[k * d];
            for (int i = 0; i < k * d; i++) {
                added[i] = start[i] + ref.data[i];
                addedMag[i] = Math.abs(start[i]) + mag.data[i];
            }
            for (DenseKernels kernels : implementations()) {
                double[] out = new double[k * d];
                Arrays.fill(out, Double.NaN);
                kernels.weightGradient(dz, n, k, x, d, out);
                assertClose(kernels.name() + " weightGradient " + Arrays.toString(s), ref.data, mag.data, out, k * d);
                double[] acc = start.clone();
                kernels.weightGradientAdd(dz, n, k, x, d, acc);
                assertClose(kernels.name() + " weightGradientAdd " + Arrays.toString(s), added, addedMag, acc, k * d);
            }
        }
    }

    @Test
    void inputGradientMatchesEjmlMult() {
        SplittableRandom r = new SplittableRandom(4);
        for (int[] s : shapes()) {
            int n = s[0], d = s[1], k = s[2];
            double[] dz = random(r, n * k), w = random(r, k * d);
            DMatrixRMaj ref = new DMatrixRMaj(n, d), mag = new DMatrixRMaj(n, d);
            CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, k, dz), DMatrixRMaj.wrap(k, d, w), ref);
            CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, k, abs(dz)), DMatrixRMaj.wrap(k, d, abs(w)), mag);
            for (DenseKernels kernels : implementations()) {
                double[] out = new double[n * d];
                Arrays.fill(out, Double.NaN);
                kernels.inputGradient(dz, n, k, w, d, out);
                assertClose(kernels.name() + " inputGradient " + Arrays.toString(s), ref.data, mag.data, out, n * d);
            }
        }
    }

    /**
     * The shallow read-out backward pass against EJML: {@code gradVt0 + multTransA(G, H)}, {@code mult(G, Vt)} masked
     * by an independent {@code h > 0} loop, and {@code gradBias0} minus that masked matrix's column sums (summed in a
     * loop here); each to {@value #REL} of the magnitude of its sum. Both kernel sets, m from 1 to 5.
     */
    @Test
    void reluReadoutBackwardMatchesEjmlAndAnIndependentMask() {
        SplittableRandom r = new SplittableRandom(9);
        for (int n : SIZES) {
            for (int k : SIZES) {
                for (int m : new int[] {1, 2, 3, 5}) {
                    double[] h = activations(r, n * k), g = random(r, n * m), vt = random(r, m * k);
                    double[] gradVt0 = random(r, m * k), gradBias0 = random(r, k);
                    DMatrixRMaj gv = DMatrixRMaj.wrap(m, k, gradVt0.clone()), gvMag = DMatrixRMaj.wrap(m, k, abs(gradVt0));
                    CommonOps_DDRM.multAddTransA(DMatrixRMaj.wrap(n, m, g), DMatrixRMaj.wrap(n, k, h), gv);
                    CommonOps_DDRM.multAddTransA(DMatrixRMaj.wrap(n, m, abs(g)), DMatrixRMaj.wrap(n, k, abs(h)), gvMag);
                    DMatrixRMaj dz = new DMatrixRMaj(n, k), dzMag = new DMatrixRMaj(n, k);
                    CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, m, g), DMatrixRMaj.wrap(m, k, vt), dz);
                    CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, m, abs(g)), DMatrixRMaj.wrap(m, k, abs(vt)), dzMag);
                    double[] bias = gradBias0.clone(), biasMag = abs(gradBias0);
                    for (int i = 0; i < n * k; i++) {
                        if (!(h[i] > 0)) {
                            dz.data[i] = 0.0;
                            dzMag.data[i] = 0.0;
                        }
                    }
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j < k; j++) {
                            bias[j] -= dz.data[i * k + j];
                            biasMag[j] += dzMag.data[i * k + j];
                        }
                    }
                    for (DenseKernels kernels : implementations()) {
                        double[] hOut = h.clone(), gradVt = gradVt0.clone(), gradBias = gradBias0.clone();
                        kernels.reluReadoutBackward(hOut, n, k, g, m, vt, gradVt, gradBias);
                        String what = kernels.name() + " readout backward " + n + "x" + k + " m=" + m;
                        assertClose(what + " gradVt", gv.data, gvMag.data, gradVt, m * k);
                        assertClose(what + " dz", dz.data, dzMag.data, hOut, n * k);
                        assertClose(what + " gradBias", bias, biasMag, gradBias, k);
                        for (int i = 0; i < n * k; i++) {
                            if (!(h[i] > 0)) {
                                assertThat(hOut[i]).as(what + " masked entry (+0.0 or -0.0)").isEqualTo(0.0);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The ReLU backward step against an independent mask loop; masked entries exactly zero, even where dz is infinite. */
    @Test
    void reluBackwardMasksInPlaceAndSumsTheBiasGradient() {
        SplittableRandom r = new SplittableRandom(10);
        for (int n : SIZES) {
            for (int k : SIZES) {
                double[] h = activations(r, n * k), dz = random(r, n * k), gradBias0 = random(r, k);
                for (int i = 0; i < n * k; i += 7) {
                    if (!(h[i] > 0)) {
                        dz[i] = Double.POSITIVE_INFINITY;
                    }
                }
                double[] expected = new double[n * k];
                double[] bias = gradBias0.clone(), biasMag = abs(gradBias0);
                for (int i = 0; i < n * k; i++) {
                    expected[i] = h[i] > 0 ? dz[i] : 0.0;
                    bias[i % k] -= expected[i];
                    biasMag[i % k] += Math.abs(expected[i]);
                }
                for (DenseKernels kernels : implementations()) {
                    double[] out = dz.clone(), gradBias = gradBias0.clone();
                    kernels.reluBackward(out, h, n, k, gradBias);
                    String what = kernels.name() + " reluBackward " + n + "x" + k;
                    assertArrayEquals(expected, out, 0.0, what + " dz");
                    assertClose(what + " gradBias", bias, biasMag, gradBias, k);
                }
            }
        }
    }

    @Test
    void scalarAndVectorAgree() {
        DenseKernels vector = Kernels.vector().orElse(null);
        assumeTrue(vector != null, "jdk.incubator.vector not present");
        DenseKernels scalar = Kernels.scalar();
        SplittableRandom r = new SplittableRandom(6);
        for (int[] s : shapes()) {
            int n = s[0], d = s[1], k = s[2];
            double[] x = random(r, n * d), w = random(r, k * d), bias = random(r, k), dz = random(r, n * k);
            double[][] a = run(scalar, x, w, bias, dz, n, d, k);
            double[][] b = run(vector, x, w, bias, dz, n, d, k);
            double[][] mags = magnitudes(x, w, bias, dz, n, d, k);
            for (int q = 0; q < a.length; q++) {
                assertClose("scalar vs vector, product " + q + " " + Arrays.toString(s), a[q], mags[q], b[q],
                        a[q].length);
            }
        }
    }

    @Test
    void sameInputsGiveBitIdenticalResults() {
        SplittableRandom r = new SplittableRandom(7);
        int[][] shapes = {{257, 33, 100}, {100, 257, 17}, {33, 9, 1030}, {300, 7, 600}};
        for (DenseKernels kernels : implementations()) {
            for (int[] s : shapes) {
                int n = s[0], d = s[1], k = s[2];
                double[] x = random(r, n * d), w = random(r, k * d), bias = random(r, k), dz = random(r, n * k);
                double[][] first = run(kernels, x, w, bias, dz, n, d, k);
                for (int rep = 0; rep < 3; rep++) {
                    double[][] again = run(kernels, x, w, bias, dz, n, d, k);
                    for (int q = 0; q < first.length; q++) {
                        assertThat(Arrays.equals(first[q], again[q]))
                                .as(kernels.name() + " product " + q + " " + Arrays.toString(s)).isTrue();
                    }
                }
            }
        }
    }

    /** forward, forwardRelu, weightGradient, inputGradient. */
    private static double[][] run(DenseKernels kernels, double[] x, double[] w, double[] bias, double[] dz,
            int n, int d, int k) {
        double[][] out = {new double[n * k], new double[n * k], new double[k * d], new double[n * d]};
        kernels.forward(x, n, d, w, k, out[0]);
        kernels.forwardRelu(x, n, d, w, k, bias, out[1]);
        kernels.weightGradient(dz, n, k, x, d, out[2]);
        kernels.inputGradient(dz, n, k, w, d, out[3]);
        return out;
    }

    private static double[][] magnitudes(double[] x, double[] w, double[] bias, double[] dz, int n, int d, int k) {
        DMatrixRMaj f = new DMatrixRMaj(n, k), g = new DMatrixRMaj(k, d), in = new DMatrixRMaj(n, d);
        CommonOps_DDRM.multTransB(DMatrixRMaj.wrap(n, d, abs(x)), DMatrixRMaj.wrap(k, d, abs(w)), f);
        CommonOps_DDRM.multTransA(DMatrixRMaj.wrap(n, k, abs(dz)), DMatrixRMaj.wrap(n, d, abs(x)), g);
        CommonOps_DDRM.mult(DMatrixRMaj.wrap(n, k, abs(dz)), DMatrixRMaj.wrap(k, d, abs(w)), in);
        double[] fb = f.data.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                fb[i * k + j] += Math.abs(bias[j]);
            }
        }
        return new double[][] {f.data, fb, g.data, in.data};
    }

    @Test
    void emptyDimensions() {
        for (DenseKernels kernels : implementations()) {
            double[] bias = {0.5, -0.25};
            double[] out = {7, 7, 7, 7};
            kernels.forwardRelu(new double[0], 2, 0, new double[0], 2, bias, out);
            assertThat(out).containsExactly(0.0, 0.25, 0.0, 0.25);
            kernels.forward(new double[0], 2, 0, new double[0], 2, out);
            assertThat(out).containsExactly(0.0, 0.0, 0.0, 0.0);
            double[] g = {7, 7};
            kernels.weightGradient(new double[0], 0, 1, new double[0], 2, g);
            assertThat(g).containsExactly(0.0, 0.0);
            double[] in = {7, 7};
            kernels.inputGradient(new double[0], 2, 0, new double[0], 1, in);
            assertThat(in).containsExactly(0.0, 0.0);
            kernels.forward(new double[0], 0, 3, new double[6], 2, new double[0]);
        }
    }

    @Test
    void rejectsShortArraysAndAliasing() {
        for (DenseKernels kernels : implementations()) {
            double[] x = new double[6];
            assertThrows(IllegalArgumentException.class, () -> kernels.forward(x, 2, 3, new double[5], 2, new double[4]));
            assertThrows(IllegalArgumentException.class, () -> kernels.forward(x, 2, 3, new double[6], 2, new double[3]));
            assertThrows(IllegalArgumentException.class, () -> kernels.forward(x, 2, 3, new double[6], 2, x));
            assertThrows(IllegalArgumentException.class,
                    () -> kernels.forwardRelu(x, 2, 3, new double[6], 2, new double[1], new double[4]));
            assertThrows(IllegalArgumentException.class,
                    () -> kernels.weightGradient(x, 2, 3, x, 3, new double[8]));
            assertThrows(IllegalArgumentException.class,
                    () -> kernels.inputGradient(x, -1, 3, x, 3, new double[8]));
        }
    }

    @Test
    void activeKernelsFollowTheModuleAndTheProperty() {
        if (Kernels.vectorModulePresent() && !"scalar".equals(System.getProperty(Kernels.PROPERTY))) {
            assertThat(Kernels.active()).isSameAs(Kernels.vector().orElseThrow());
            assertThat(Kernels.name()).startsWith("vector (").contains("doubles per vector");
        } else {
            assertThat(Kernels.active()).isSameAs(Kernels.scalar());
            assertThat(Kernels.name()).startsWith("scalar (");
        }
        assertThat(Kernels.active()).isSameAs(Kernels.active());
    }
}
