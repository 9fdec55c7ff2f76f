package io.sparsefit.core.solver.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.linalg.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The strong Wolfe line search on smooth functions with known minimizers. The conditions are checked here
 * from the function itself (value and gradient recomputed at both ends of every accepted step), not from
 * what the search reports.
 */
class StrongWolfeLineSearchTest {

    /** Rosenbrock in n dimensions: minimum 0 at (1, ..., 1). */
    static double rosenbrock(double[] x, double[] g) {
        double f = 0;
        java.util.Arrays.fill(g, 0.0);
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i];
            double b = 1 - x[i];
            f += 100 * a * a + b * b;
            g[i] += -400 * a * x[i] - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 5, 10})
    void lbfgsWithThisSearchReachesTheRosenbrockMinimumAndEveryStepIsStrongWolfe(int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2 == 0 ? -1.2 : 1.0;   // the classical start
        }
        double[] g = new double[n];
        double[] gNew = new double[n];
        double[] xNew = new double[n];
        double[] d = new double[n];
        double[] check = new double[n];
        LbfgsMemory memory = new LbfgsMemory(10, n);
        StrongWolfeLineSearch search = new StrongWolfeLineSearch(n);
        double f = rosenbrock(x, g);
        int steps = 0;
        int notUnitSteps = 0;
        for (int it = 0; it < 500 && Vectors.norm(g) > 1e-10; it++) {
            memory.direction(g, d);
            double slope = Vectors.dot(g, d);
            double t0 = memory.size() == 0 ? Math.min(1.0, 1.0 / Vectors.norm(g)) : 1.0;
            assertThat(slope).isNegative();
            assertThat(search.search(StrongWolfeLineSearchTest::rosenbrock, x, f, g, d, slope, t0)).isTrue();
            double t = search.step();
            Vectors.addScaled(x, t, d, xNew);
            // independent check of both conditions at the accepted point
            double fNew = rosenbrock(xNew, check);
            assertThat(fNew).isEqualTo(search.value());
            assertThat(fNew).isLessThanOrEqualTo(f + StrongWolfeLineSearch.C1 * t * slope);
            assertThat(Math.abs(Vectors.dot(check, d))).isLessThanOrEqualTo(StrongWolfeLineSearch.C2 * Math.abs(slope));
            search.copyGradient(gNew);
            assertThat(gNew).isEqualTo(check);
            assertThat(memory.push(xNew, x, gNew, g)).as("strong Wolfe implies s.y > 0").isTrue();
            if (t != 1.0) {
                notUnitSteps++;
            }
            System.arraycopy(xNew, 0, x, 0, n);
            System.arraycopy(gNew, 0, g, 0, n);
            f = fNew;
            steps++;
        }
        for (int i = 0; i < n; i++) {
            assertThat(x[i]).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-8));
        }
        assertThat(f).isLessThan(1e-16);
        assertThat(steps).isGreaterThan(10);
        assertThat(notUnitSteps).as("the bracketing/zoom path was exercised").isPositive();
    }

    @Test
    void extrapolatesFromATinyStepAndZoomsFromAHugeOneOnAQuadratic() {
        // phi(t) = f(x + t d) = (t - 3)^2 for f(x) = x^2 at x = -3, d = 1: exact minimizer t = 3
        StrongWolfeLineSearch.Function quadratic = (p, g) -> {
            g[0] = 2 * p[0];
            return p[0] * p[0];
        };
        double[] x = {-3};
        double[] g = {-6};
        double[] d = {1};
        for (double t0 : new double[] {1e-6, 1e-2, 1, 5.9, 100, 1e6}) {
            assertThat(search(quadratic, x, 9, g, d, -6, t0)).as("t0 = %s", t0).isTrue();
        }
    }

    private static boolean search(StrongWolfeLineSearch.Function f, double[] x, double fx, double[] g, double[] d, double slope,
                                  double t0) {
        StrongWolfeLineSearch s = new StrongWolfeLineSearch(x.length);
        if (!s.search(f, x, fx, g, d, slope, t0)) {
            return false;
        }
        double t = s.step();
        double[] p = new double[x.length];
        Vectors.addScaled(x, t, d, p);
        double[] gp = new double[x.length];
        double fp = f.evaluate(p, gp);
        return fp <= fx + StrongWolfeLineSearch.C1 * t * slope
                && Math.abs(Vectors.dot(gp, d)) <= StrongWolfeLineSearch.C2 * Math.abs(slope)
                && s.evaluations() <= StrongWolfeLineSearch.MAX_EVALUATIONS;
    }

    @Test
    void nonFiniteTrialValuesAreBisectedAway() {
        // f(x) = x^2 for |x| < 10, NaN beyond: a first trial at t = 1e3 lands in the NaN region
        StrongWolfeLineSearch.Function f = (p, g) -> {
            g[0] = Math.abs(p[0]) < 10 ? 2 * p[0] : Double.NaN;
            return Math.abs(p[0]) < 10 ? p[0] * p[0] : Double.NaN;
        };
        assertThat(search(f, new double[] {-3}, 9, new double[] {-6}, new double[] {1}, -6, 1e3)).isTrue();
    }

    @Test
    void cubicMinimizerIsExactOnACubic() {
        // phi(t) = t^3 - 3t: minimizer t = 1; data at t = 0 and t = 2
        double t = StrongWolfeLineSearch.cubicMinimizer(0, 0, -3, 2, 2, 9, 0, 2);
        assertThat(t).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-14));
        // no minimizer (d2 < 0 or NaN input): midpoint of the bounds
        assertThat(StrongWolfeLineSearch.cubicMinimizer(0, 0, -1, 1, Double.NaN, 1, 0, 4)).isEqualTo(2.0);
    }
}
