package io.sparsefit.core.solver.exact;

import static io.sparsefit.core.solver.exact.ExactTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.solver.ExactOptions;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.ExactSpline1D;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.StopReason;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-checkable optima (theory T3-T6): with lambda = 1e-9 the fit is the interpolant up to O(lambda),
 * its TV2 is the sum of |second differences|, and the sparsest spline merges same-sign neighbours.
 */
class ExactSpline1DHandCasesTest {

    private static final double TINY = 1e-9;

    private static SolverResult solve(double[] x, double[] y, boolean sparsest) {
        return new ExactSpline1D().solve(FitProblem.of1D(x, y), settings(TINY).withExact(new ExactOptions(sparsest)),
                ProgressListener.NONE, CancellationToken.NEVER);
    }

    private static void assertKnots(ShallowNetwork net, double[] positions, double[] changes) {
        List<Knot> knots = Knot.of(net);
        assertThat(knots).hasSize(positions.length);
        for (int k = 0; k < positions.length; k++) {
            assertThat(knots.get(k).x()).isCloseTo(positions[k], within(1e-6));
            assertThat(knots.get(k).slopeChange()[0]).isCloseTo(changes[k], within(1e-6));
        }
    }

    @Test
    void convexRampHasFourCanonicalKnotsAndTwoSparsest() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0, 0, 1, 3, 6, 10};
        SolverResult canonical = solve(x, y, false);
        assertThat(canonical.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(PathNorm.of(canonical.shallow())).isCloseTo(4.0, within(1e-6));
        assertKnots(canonical.shallow(), new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1});

        SolverResult sparsest = solve(x, y, true);
        assertThat(PathNorm.of(sparsest.shallow())).isCloseTo(4.0, within(1e-6));
        assertKnots(sparsest.shallow(), new double[] {1.5, 3.5}, new double[] {2, 2});
        assertSameValuesAtData(canonical.shallow(), sparsest.shallow(), x);

        assertThat(LambdaMax.lambdaMax(x, y)).isCloseTo(3.0, within(1e-12));
    }

    @Test
    void zigzagIsUniqueAndItsOwnSparsest() {
        double[] x = {0, 1, 2, 3, 4};
        double[] y = {0, 1, 0, 1, 0};
        SolverResult canonical = solve(x, y, false);
        assertThat(PathNorm.of(canonical.shallow())).isCloseTo(6.0, within(1e-6));
        assertKnots(canonical.shallow(), new double[] {1, 2, 3}, new double[] {-2, 2, -2});
        SolverResult sparsest = solve(x, y, true);
        assertKnots(sparsest.shallow(), new double[] {1, 2, 3}, new double[] {-2, 2, -2});
        assertThat(LambdaMax.lambdaMax(x, y)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void riseAndFallMergesToThreeKnots() {
        double[] x = {0, 1, 2, 3, 4, 5, 6};
        double[] y = {0, 1, 3, 6, 6, 4, 1};
        SolverResult canonical = solve(x, y, false);
        assertThat(PathNorm.of(canonical.shallow())).isCloseTo(8.0, within(1e-6));
        assertKnots(canonical.shallow(), new double[] {1, 2, 3, 4, 5}, new double[] {1, 1, -3, -2, -1});
        SolverResult sparsest = solve(x, y, true);
        assertThat(PathNorm.of(sparsest.shallow())).isCloseTo(8.0, within(1e-6));
        assertKnots(sparsest.shallow(), new double[] {1.5, 3.4, 5}, new double[] {2, -5, -1});
        assertSameValuesAtData(canonical.shallow(), sparsest.shallow(), x);
    }

    private static void assertSameValuesAtData(ShallowNetwork a, ShallowNetwork b, double[] x) {
        double[] fa = ExactTestSupport.predict(a, x);
        double[] fb = ExactTestSupport.predict(b, x);
        for (int i = 0; i < x.length; i++) {
            assertThat(fb[i]).isCloseTo(fa[i], within(1e-12 * Math.max(1, Math.abs(fa[i]))));
        }
    }
}
