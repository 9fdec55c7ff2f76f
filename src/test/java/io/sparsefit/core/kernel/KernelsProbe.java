package io.sparsefit.core.kernel;

import java.util.SplittableRandom;

/**
 * Run in a child JVM by {@link KernelsFallbackTest}: prints {@link Kernels#name()} and a checksum of every product
 * computed by {@link Kernels#active()} on seeded inputs ({@link #checksum}).
 */
public final class KernelsProbe {

    private KernelsProbe() {
    }

    public static void main(String[] args) {
        System.out.println("name=" + Kernels.name());
        System.out.println("checksum=" + checksum(Kernels.active()));
    }

    /** A hash of the bit patterns of all four products on fixed inputs of an awkward shape. */
    static long checksum(DenseKernels kernels) {
        int n = 37, d = 13, k = 70;
        SplittableRandom r = new SplittableRandom(42);
        double[] x = fill(r, n * d), w = fill(r, k * d), bias = fill(r, k), dz = fill(r, n * k);
        double[] h = new double[n * k];
        kernels.forwardRelu(x, n, d, w, k, bias, h);
        double[] z = new double[n * k], g = new double[k * d], in = new double[n * d];
        kernels.forward(x, n, d, w, k, z);
        kernels.weightGradient(dz, n, k, x, d, g);
        kernels.inputGradient(dz, n, k, w, d, in);
        long hash = 17;
        for (double[] a : new double[][] {h, z, g, in}) {
            for (double v : a) {
                hash = hash * 31 + Double.doubleToRawLongBits(v);
            }
        }
        return hash;
    }

    private static double[] fill(SplittableRandom r, int count) {
        double[] a = new double[count];
        for (int i = 0; i < count; i++) {
            a[i] = r.nextDouble(-1, 1);
        }
        return a;
    }
}
