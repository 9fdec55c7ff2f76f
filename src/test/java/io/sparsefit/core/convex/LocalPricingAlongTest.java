package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalPricing#atomAlong}'s exact evaluation of {@code s(u) = max_c ||sum_n r_n relu(u . x_n - c)||} (theory T8)
 * against a brute force written here (every offset {@code c = u . x_j}, every sum recomputed), for one and two outputs,
 * three to ten inputs, and data with repeated rows (tied projections). Its one-output sweep and its column-wise
 * projections must also keep the bits of the general form: the offset is the row's dot product summed in input order,
 * and a residual padded with a zero output gives the same value and offset, bit for bit.
 */
class LocalPricingAlongTest {

    @Test
    void matchesTheBruteForceValueAtEveryOffset() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 60; trial++) {
            int d = 1 + random.nextInt(10);   // d = 1 is the path Pricing reports exact
            int m = 1 + trial % 2;
            int n = 2 + random.nextInt(200);
            DMatrixRMaj x = data(random, n, d, trial % 3 == 0);
            DMatrixRMaj r = residual(random, n, m);
            LocalPricing pricing = new LocalPricing(x, m, 1);
            for (int k = 0; k < 5; k++) {
                double[] u = direction(random, d);
                Atom atom = pricing.atomAlong(r, u);
                double expected = bruteForce(x, r, u);
                assertThat(atom.value()).as("trial %d, d %d, m %d, n %d", trial, d, m, n)
                        .isCloseTo(expected, within(1e-11 * Math.max(1.0, expected)));
                assertThat(atom.value()).isCloseTo(valueAt(x, r, u, atom.offset()), within(1e-11 * Math.max(1.0, expected)));
            }
        }
    }

    @Test
    void oneOutputAndItsZeroPaddedTwinGiveTheSameBits() {
        SplittableRandom random = new SplittableRandom(8);
        for (int trial = 0; trial < 40; trial++) {
            int d = 1 + random.nextInt(10);
            int n = 2 + random.nextInt(300);
            DMatrixRMaj x = data(random, n, d, trial % 2 == 0);
            DMatrixRMaj r = residual(random, n, 1);
            DMatrixRMaj padded = new DMatrixRMaj(n, 2);
            for (int i = 0; i < n; i++) {
                padded.set(i, 0, r.get(i, 0));
            }
            LocalPricing one = new LocalPricing(x, 1, 1);
            LocalPricing two = new LocalPricing(x, 2, 1);
            for (int k = 0; k < 5; k++) {
                double[] u = direction(random, d);
                Atom a = one.atomAlong(r, u);
                Atom b = two.atomAlong(padded, u);
                assertThat(Double.doubleToRawLongBits(a.value())).isEqualTo(Double.doubleToRawLongBits(b.value()));
                assertThat(Double.doubleToRawLongBits(a.offset())).isEqualTo(Double.doubleToRawLongBits(b.offset()));
                assertThat(isRowDot(x, u, a.offset())).as("the offset is some row's in-order dot product").isTrue();
            }
        }
    }

    /** Gaussian rows; with {@code repeats}, a third of them copies of earlier rows (exact ties in every direction). */
    private static DMatrixRMaj data(SplittableRandom random, int n, int d, boolean repeats) {
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            int source = repeats && i > 0 && random.nextInt(3) == 0 ? random.nextInt(i) : -1;
            for (int j = 0; j < d; j++) {
                x.set(i, j, source >= 0 ? x.get(source, j) : random.nextGaussian());
            }
        }
        return x;
    }

    /** A residual orthogonal to the constants (the value does not need orthogonality to x for this comparison). */
    private static DMatrixRMaj residual(SplittableRandom random, int n, int m) {
        DMatrixRMaj r = new DMatrixRMaj(n, m);
        for (int i = 0; i < m; i++) {
            double mean = 0;
            for (int k = 0; k < n; k++) {
                r.set(k, i, random.nextGaussian());
                mean += r.get(k, i) / n;
            }
            for (int k = 0; k < n; k++) {
                r.set(k, i, r.get(k, i) - mean);
            }
        }
        return r;
    }

    private static double[] direction(SplittableRandom random, int d) {
        double[] u = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            u[j] = random.nextGaussian();
            norm += u[j] * u[j];
        }
        for (int j = 0; j < d; j++) {
            u[j] /= Math.sqrt(norm);
        }
        return u;
    }

    private static double bruteForce(DMatrixRMaj x, DMatrixRMaj r, double[] u) {
        double best = 0;
        for (int j = 0; j < x.numRows; j++) {
            best = Math.max(best, valueAt(x, r, u, projection(x, u, j)));
        }
        return best;
    }

    /** {@code ||sum_n r_n relu(u . x_n - c)||}, each term from scratch. */
    private static double valueAt(DMatrixRMaj x, DMatrixRMaj r, double[] u, double c) {
        double total = 0;
        for (int i = 0; i < r.numCols; i++) {
            double s = 0;
            for (int k = 0; k < x.numRows; k++) {
                s += r.get(k, i) * Math.max(0.0, projection(x, u, k) - c);
            }
            total += s * s;
        }
        return Math.sqrt(total);
    }

    private static double projection(DMatrixRMaj x, double[] u, int row) {
        double p = 0;
        for (int j = 0; j < u.length; j++) {
            p += u[j] * x.get(row, j);
        }
        return p;
    }

    private static boolean isRowDot(DMatrixRMaj x, double[] u, double offset) {
        for (int k = 0; k < x.numRows; k++) {
            if (Double.doubleToRawLongBits(projection(x, u, k)) == Double.doubleToRawLongBits(offset)) {
                return true;
            }
        }
        return false;
    }
}
