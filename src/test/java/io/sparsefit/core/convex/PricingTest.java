package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pricing oracle against brute force (theory T8): a residual orthogonal to [1, x], and
 * {@code s(u) = max_c ||sum r_n relu(u . x_n - c)||} evaluated independently, here in the test, on a fine grid
 * of directions (d = 2: angles; d = 3: a Fibonacci sphere) with the exact maximum over c at every direction.
 */
class PricingTest {

    /** Projected random residual: orthogonal to the constants and to every input column. */
    static DMatrixRMaj residual(DMatrixRMaj x, int m, long seed) {
        DMatrixRMaj r = RandomNetworks.matrix(x.numRows, m, seed);
        AffineProjection.of(x, true).projectInPlace(r);
        return r;
    }

    /** Independent evaluation of s(u) for one direction: every threshold at a data point, O(N^2). */
    static double bruteAlong(DMatrixRMaj x, DMatrixRMaj r, double[] u) {
        int n = x.numRows;
        int d = x.numCols;
        int m = r.numCols;
        double best = 0;
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                p[i] += u[j] * x.data[i * d + j];
            }
        }
        for (int t = 0; t < n; t++) {
            double c = p[t];
            double s = 0;
            for (int o = 0; o < m; o++) {
                double g = 0;
                for (int i = 0; i < n; i++) {
                    g += r.data[i * m + o] * Math.max(0.0, p[i] - c);
                }
                s += g * g;
            }
            best = Math.max(best, Math.sqrt(s));
        }
        return best;
    }

    @ParameterizedTest
    @CsvSource({"12, 1, 1", "30, 1, 2", "40, 2, 3", "25, 3, 4", "60, 1, 5"})
    void exactSweepMatchesTheArcEnumerationAndADenseGrid(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 2, seed);
        DMatrixRMaj r = residual(x, m, seed + 100);
        Atom atom = new ExactPricing2D(x, m).best(r, null);

        // 1. The O(N^3) arc enumeration (an independent exact method) agrees to rounding.
        double arcs = io.sparsefit.core.finish.ExactDualNorm2D.supremum(x, r);
        assertThat(atom.value()).isCloseTo(arcs, org.assertj.core.data.Offset.offset(1e-10 * Math.max(1, arcs)));

        // 2. The atom's value is a real value of the function at (u, c).
        double direct = value(x, r, atom.direction(), atom.offset());
        assertThat(direct).isCloseTo(atom.value(), org.assertj.core.data.Offset.offset(1e-10 * Math.max(1, direct)));

        // 3. A dense grid of directions never beats it, and gets within its Lipschitz slack.
        int grid = 20000;
        double gridBest = 0;
        for (int k = 0; k < grid; k++) {
            double t = 2 * Math.PI * k / grid;
            gridBest = Math.max(gridBest, bruteAlong(x, r, new double[] {Math.cos(t), Math.sin(t)}));
        }
        assertThat(gridBest).isLessThanOrEqualTo(atom.value() * (1 + 1e-12));
        assertThat(gridBest).isGreaterThanOrEqualTo(atom.value() * (1 - 1e-3));
    }

    @Test
    void exactSweepHandlesDuplicatesAndCollinearGrids() {
        // A 6 x 6 grid with duplicated points: many events at equal angles.
        int side = 6;
        DMatrixRMaj x = new DMatrixRMaj(side * side + 5, 2);
        for (int i = 0; i < side * side; i++) {
            x.data[2 * i] = i % side;
            x.data[2 * i + 1] = i / side;
        }
        for (int i = 0; i < 5; i++) {
            x.data[2 * (side * side + i)] = x.data[2 * i * 3];
            x.data[2 * (side * side + i) + 1] = x.data[2 * i * 3 + 1];
        }
        for (long seed = 1; seed <= 4; seed++) {
            DMatrixRMaj r = residual(x, 1 + (int) (seed % 2), seed);
            double sweep = new ExactPricing2D(x, r.numCols).best(r, null).value();
            double arcs = io.sparsefit.core.finish.ExactDualNorm2D.supremum(x, r);
            assertThat(sweep).isCloseTo(arcs, org.assertj.core.data.Offset.offset(1e-10 * Math.max(1, arcs)));
        }
    }

    @ParameterizedTest
    @CsvSource({"40, 1, 7", "60, 2, 8", "80, 1, 9"})
    void localSearchInThreeDimensionsReachesTheGridMaximum(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 3, seed);
        DMatrixRMaj r = residual(x, m, seed + 1);
        List<Atom> found = new LocalPricing(x, m, seed).search(r, null, 16, 16, Double.POSITIVE_INFINITY, 1);
        Atom best = found.get(0);
        // The value is real: the brute-force evaluation at the same direction and offset.
        assertThat(value(x, r, best.direction(), best.offset()))
                .isCloseTo(best.value(), org.assertj.core.data.Offset.offset(1e-10 * Math.max(1, best.value())));
        // A Fibonacci sphere of 8000 directions (spacing ~0.04 rad): the local maximum is at least as good up to
        // the grid's slack, and the grid's best is no proof against it.
        double gridBest = fibonacciSphereBest(x, r, 8000);
        assertThat(best.value()).isGreaterThanOrEqualTo(gridBest * (1 - 1e-9));
    }

    /**
     * A point orthogonal to the constants only (a classification loss, A2b): s(u) is not even, so the search must cover
     * both halves of the sphere ({@link Pricing#best(DMatrixRMaj, DMatrixRMaj, boolean)} searches x and -x). Its
     * atom's value is real and at least the best of a Fibonacci sphere of 8000 directions.
     */
    @ParameterizedTest
    @CsvSource({"40, 1, 11", "60, 1, 12", "50, 2, 13", "80, 1, 14"})
    void classificationPricingInThreeDimensionsReachesTheWholeSphereGridMaximum(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 3, seed);
        DMatrixRMaj r = RandomNetworks.matrix(n, m, seed + 1);
        AffineProjection.of(x, false).projectInPlace(r);
        Pricing.Best best = new Pricing(x, m, seed).best(r, null, true);
        assertThat(best.exact()).isFalse();
        Atom atom = best.atom();
        assertThat(value(x, r, atom.direction(), atom.offset()))
                .isCloseTo(atom.value(), org.assertj.core.data.Offset.offset(1e-10 * Math.max(1, atom.value())));
        double gridBest = fibonacciSphereBest(x, r, 8000);
        assertThat(atom.value()).isGreaterThanOrEqualTo(gridBest * (1 - 1e-9));
    }

    @Test
    void oneInputIsExactFromASingleDirection() {
        DMatrixRMaj x = RandomNetworks.matrix(50, 1, 3);
        DMatrixRMaj r = residual(x, 2, 4);
        Pricing.Best best = new Pricing(x, 2, 0).best(r, null);
        assertThat(best.exact()).isTrue();
        double brute = Math.max(bruteAlong(x, r, new double[] {1}), bruteAlong(x, r, new double[] {-1}));
        assertThat(best.value()).isCloseTo(brute, org.assertj.core.data.Offset.offset(1e-10 * brute));
    }

    /** The largest {@link #bruteAlong} over {@code grid} directions of a Fibonacci sphere (d = 3), the whole sphere. */
    static double fibonacciSphereBest(DMatrixRMaj x, DMatrixRMaj r, int grid) {
        double gridBest = 0;
        double golden = Math.PI * (3 - Math.sqrt(5));
        for (int k = 0; k < grid; k++) {
            double z = 1 - 2.0 * (k + 0.5) / grid;
            double rad = Math.sqrt(1 - z * z);
            double[] u = {rad * Math.cos(golden * k), rad * Math.sin(golden * k), z};
            gridBest = Math.max(gridBest, bruteAlong(x, r, u));
        }
        return gridBest;
    }

    /** {@code ||sum_n r_n relu(u . x_n - c)||}, straight from the definition. */
    static double value(DMatrixRMaj x, DMatrixRMaj r, double[] u, double c) {
        int n = x.numRows;
        int d = x.numCols;
        int m = r.numCols;
        double s = 0;
        for (int o = 0; o < m; o++) {
            double g = 0;
            for (int i = 0; i < n; i++) {
                double z = -c;
                for (int j = 0; j < d; j++) {
                    z += u[j] * x.data[i * d + j];
                }
                g += r.data[i * m + o] * Math.max(0.0, z);
            }
            s += g * g;
        }
        return Math.sqrt(s);
    }
}
