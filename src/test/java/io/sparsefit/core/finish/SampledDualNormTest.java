package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Test;

class SampledDualNormTest {

    @Test
    void exactAlongEachDirectionAgainstDirectSums() {
        DMatrixRMaj x = RandomNetworks.matrix(25, 3, 1);
        DMatrixRMaj r = affineResidual(x, RandomNetworks.matrix(25, 2, 2));
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int t = 0; t < 20; t++) {
            double[] u = unit(new double[] {RandomNetworks.gaussian(random), RandomNetworks.gaussian(random), RandomNetworks.gaussian(random)});
            double direct = 0;
            for (double sign : new double[] {1, -1}) {
                double[] su = {sign * u[0], sign * u[1], sign * u[2]};
                // b at every projected point, and between them and outside: the max must be at a point.
                for (int n = 0; n < x.numRows; n++) {
                    double p = dot(su, x, n);
                    direct = Math.max(direct, value(x, r, su, p));
                    assertThat(value(x, r, su, p + 1e-3)).isLessThanOrEqualTo(SampledDualNorm.alongDirection(x, r, u) + 1e-12);
                }
                assertThat(value(x, r, su, -1e3)).isLessThan(1e-9);
            }
            assertThat(SampledDualNorm.alongDirection(x, r, u)).isCloseTo(direct, org.assertj.core.data.Offset.offset(1e-12 * direct));
        }
    }

    @Test
    void neverAboveAFineGridAndCloseToItWithManyDirections() {
        for (long seed = 0; seed < 3; seed++) {
            int n = 30;
            DMatrixRMaj x = RandomNetworks.matrix(n, 2, 10 + seed);
            DMatrixRMaj r = affineResidual(x, RandomNetworks.matrix(n, 1, 20 + seed));
            double grid = 0;
            int angles = 100_000;
            for (int a = 0; a < angles; a++) {
                double theta = 2 * Math.PI * a / angles;
                double[] u = {Math.cos(theta), Math.sin(theta)};
                for (int i = 0; i < n; i++) {
                    grid = Math.max(grid, value(x, r, u, dot(u, x, i)));
                }
            }
            double few = SampledDualNorm.supremum(x, r, seed, 20);
            double many = SampledDualNorm.supremum(x, r, seed, 5000);
            // The grid misses the true sup by at most its spacing times the sup's angular slope (~1e-4 rel.).
            assertThat(many).isLessThanOrEqualTo(grid * (1 + 1e-3));
            assertThat(few).isLessThanOrEqualTo(many);
            assertThat(many).isGreaterThanOrEqualTo(0.99 * grid);

            // The exact 2-D value: at least every sampled or grid value, and not far above the fine grid.
            double exact = ExactDualNorm2D.supremum(x, r);
            assertThat(exact).isGreaterThanOrEqualTo(many * (1 - 1e-12));
            assertThat(exact).isGreaterThanOrEqualTo(grid * (1 - 1e-12));
            assertThat(exact).isLessThanOrEqualTo(grid * (1 + 1e-3));
        }
    }

    @Test
    void exactTwoInputValueWithSeveralOutputsAndRepeatedPoints() {
        DMatrixRMaj x = RandomNetworks.matrix(12, 2, 40);
        x.set(5, 0, x.get(3, 0));
        x.set(5, 1, x.get(3, 1));
        DMatrixRMaj r = affineResidual(x, RandomNetworks.matrix(12, 2, 41));
        double exact = ExactDualNorm2D.supremum(x, r);
        double grid = 0;
        int angles = 200_000;
        for (int a = 0; a < angles; a++) {
            double theta = 2 * Math.PI * a / angles;
            double[] u = {Math.cos(theta), Math.sin(theta)};
            for (int i = 0; i < x.numRows; i++) {
                grid = Math.max(grid, value(x, r, u, dot(u, x, i)));
            }
        }
        assertThat(exact).isBetween(grid * (1 - 1e-12), grid * (1 + 1e-4));
        assertThat(SampledDualNorm.supremum(x, r, 3, 2000)).isLessThanOrEqualTo(exact * (1 + 1e-12));
    }

    @Test
    void extraDirectionsAreTried() {
        DMatrixRMaj x = RandomNetworks.matrix(40, 3, 5);
        DMatrixRMaj r = affineResidual(x, RandomNetworks.matrix(40, 1, 6));
        DMatrixRMaj w = new DMatrixRMaj(new double[][] {{2, 0, 0}, {0, 0, 0}, {0.3, -1, 4}});
        double withExtra = SampledDualNorm.supremum(x, r, 1, 0, w);
        double expected = Math.max(SampledDualNorm.alongDirection(x, r, new double[] {1, 0, 0}),
                SampledDualNorm.alongDirection(x, r, unit(new double[] {0.3, -1, 4})));
        assertThat(withExtra).isEqualTo(expected);
        assertThat(SampledDualNorm.supremum(x, r, 1, 0)).isZero();
    }

    /** {@code || sum_n r_n relu(u.x_n - b) ||} summed directly. */
    static double value(DMatrixRMaj x, DMatrixRMaj r, double[] u, double b) {
        int m = r.numCols;
        double[] g = new double[m];
        for (int n = 0; n < x.numRows; n++) {
            double h = Math.max(0, dot(u, x, n) - b);
            for (int i = 0; i < m; i++) {
                g[i] += r.get(n, i) * h;
            }
        }
        double s = 0;
        for (double gi : g) {
            s += gi * gi;
        }
        return Math.sqrt(s);
    }

    static double dot(double[] u, DMatrixRMaj x, int n) {
        double s = 0;
        for (int j = 0; j < u.length; j++) {
            s += u[j] * x.get(n, j);
        }
        return s;
    }

    static double[] unit(double[] u) {
        double s = 0;
        for (double v : u) {
            s += v * v;
        }
        s = Math.sqrt(s);
        for (int j = 0; j < u.length; j++) {
            u[j] /= s;
        }
        return u;
    }

    /** y minus its least-squares affine fit: orthogonal to constants and to each input column (T8). */
    static DMatrixRMaj affineResidual(DMatrixRMaj x, DMatrixRMaj y) {
        int n = x.numRows;
        int d = x.numCols;
        DMatrixRMaj a = new DMatrixRMaj(n, d + 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                a.set(i, j, x.get(i, j));
            }
            a.set(i, d, 1);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquares(n, d + 1);
        solver.setA(a.copy());
        DMatrixRMaj coef = new DMatrixRMaj(d + 1, y.numCols);
        solver.solve(y, coef);
        DMatrixRMaj fit = new DMatrixRMaj(n, y.numCols);
        CommonOps_DDRM.mult(a, coef, fit);
        DMatrixRMaj res = new DMatrixRMaj(n, y.numCols);
        CommonOps_DDRM.subtract(y, fit, res);
        return res;
    }
}
