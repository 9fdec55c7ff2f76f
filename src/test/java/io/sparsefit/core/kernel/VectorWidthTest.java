package io.sparsefit.core.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The vector kernels give the same bits at 256 and at 512 bits per vector (an AVX2 and an AVX-512 machine): every
 * product on seeded random inputs of small, ragged shapes, computed in two child JVMs whose {@code VectorKernels}
 * run {@code SPECIES_256} and {@code SPECIES_512} ({@link VectorKernels#BITS_PROPERTY}: the species must be a
 * static constant, so one width per JVM; a width the CPU lacks runs in the Vector API's Java fallback, slowly but
 * with the same arithmetic, so this holds on any machine). The reference is the other width, bit for bit: no
 * tolerance. Correctness against EJML at the preferred width is {@link DenseKernelsTest}'s.
 *
 * <p>The shapes make every lane-dependent split show: k and d not multiples of 16 (forward column tail and tail
 * lanes, input-gradient lanes), k from 8 to 15 (a full tile at 256 bits, none at 512), k past the 256-column and
 * d past the 256-deep blocks, k past the 512-column input blocks, n not a multiple of 4 (micro-kernel rows).
 */
class VectorWidthTest {

    /** The column split's assumptions: cache blocks of whole tile groups, tile groups of whole tiles (forwardProduct). */
    @Test
    void tileGroupsFitTheBlocksAndTheTiles() {
        assertThat(VectorKernels.COLUMNS % VectorKernels.TILE_GROUP).isZero();
        assertThat(VectorKernels.TILE_GROUP % VectorKernels.STEP).isZero();
    }

    @Test
    void everyProductIsBitIdenticalAt256And512Bits() throws Exception {
        List<String> narrow = probe(256);
        List<String> wide = probe(512);
        assertThat(narrow.get(0)).isEqualTo("name=vector (256-bit, 4 doubles per vector)");
        assertThat(wide.get(0)).isEqualTo("name=vector (512-bit, 8 doubles per vector)");
        assertThat(narrow).hasSameSizeAs(wide).hasSizeGreaterThan(100);
        List<String> differing = new ArrayList<>();
        for (int i = 1; i < narrow.size(); i++) {
            if (!narrow.get(i).equals(wide.get(i))) {
                differing.add("256: " + narrow.get(i) + "  512: " + wide.get(i));
            }
        }
        assertThat(differing).as("products whose bits depend on the vector width").isEmpty();
    }

    private static List<String> probe(int bits) throws IOException, InterruptedException {
        // standard error apart (the incubator module's warning), shown only if the child fails
        return ChildJvm.run(List.of("-Xmx128m", "--add-modules", "jdk.incubator.vector",
                "-D" + VectorKernels.BITS_PROPERTY + "=" + bits), Probe.class, false, 120);
    }

    /** Fixed shapes {n, d, k} at the splits, then seeded random ones. */
    static List<int[]> shapes() {
        List<int[]> shapes = new ArrayList<>();
        for (int k : new int[] {1, 3, 8, 12, 15, 17, 24, 31, 33, 40}) {
            for (int d : new int[] {1, 5, 16, 19, 37}) {
                shapes.add(new int[] {k % 2 == 0 ? 5 : 6, d, k});
            }
        }
        shapes.add(new int[] {5, 270, 3}); // depth past FORWARD_DEPTH, ragged tail lanes
        shapes.add(new int[] {5, 300, 20}); // the forward tail's vector lanes in the second depth block (44 = 32 + 12)
        shapes.add(new int[] {4, 21, 270}); // columns past COLUMNS, 14 left over
        shapes.add(new int[] {7, 3, 531}); // input-gradient columns past INPUT_COLUMNS, 19 left over
        SplittableRandom r = new SplittableRandom(7);
        for (int i = 0; i < 30; i++) {
            shapes.add(new int[] {r.nextInt(1, 14), r.nextInt(1, 80), r.nextInt(1, 80)});
        }
        return shapes;
    }

    /**
     * Run in the child JVMs: prints {@code name=} and, per shape, one line per product with a hash of its output's
     * bit patterns.
     */
    public static final class Probe {

        private Probe() {
        }

        public static void main(String[] args) {
            DenseKernels kernels = new VectorKernels();
            System.out.println("name=" + kernels.name());
            SplittableRandom r = new SplittableRandom(2026);
            for (int[] s : shapes()) {
                int n = s[0], d = s[1], k = s[2], m = 1 + (k % 3);
                String shape = n + "x" + d + "x" + k + " ";
                double[] x = fill(r, n * d), w = fill(r, k * d), bias = fill(r, k), dz = fill(r, n * k);
                double[] out = new double[n * k];
                kernels.forward(x, n, d, w, k, out);
                print(shape + "forward", out);
                kernels.forwardRelu(x, n, d, w, k, bias, out);
                print(shape + "forwardRelu", out);
                double[] h = out.clone();
                double[] g = new double[k * d];
                kernels.weightGradient(dz, n, k, x, d, g);
                print(shape + "weightGradient", g);
                kernels.weightGradientAdd(dz, n, k, x, d, g);
                print(shape + "weightGradientAdd", g);
                double[] in = new double[n * d];
                kernels.inputGradient(dz, n, k, w, d, in);
                print(shape + "inputGradient", in);
                double[] dzMasked = dz.clone(), gradBias = fill(r, k);
                kernels.reluBackward(dzMasked, h, n, k, gradBias);
                print(shape + "reluBackward dz", dzMasked);
                print(shape + "reluBackward bias", gradBias);
                double[] go = fill(r, n * m), vt = fill(r, m * k), gradVt = fill(r, m * k);
                kernels.reluReadoutBackward(h, n, k, go, m, vt, gradVt, gradBias);
                print(shape + "reluReadoutBackward dz", h);
                print(shape + "reluReadoutBackward vt", gradVt);
                print(shape + "reluReadoutBackward bias", gradBias);
            }
        }

        private static void print(String what, double[] a) {
            long hash = 17;
            for (double v : a) {
                hash = hash * 31 + Double.doubleToRawLongBits(v);
            }
            System.out.println(what + " " + Long.toHexString(hash));
        }

        private static double[] fill(SplittableRandom r, int count) {
            double[] a = new double[count];
            for (int i = 0; i < count; i++) {
                a[i] = r.nextDouble(-1, 1);
            }
            return a;
        }
    }
}
