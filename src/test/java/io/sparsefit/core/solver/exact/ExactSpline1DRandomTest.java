package io.sparsefit.core.solver.exact;

import static io.sparsefit.core.solver.exact.ExactTestSupport.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.ExactSpline1D;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random 1-D data against an independent brute force (lasso over ReLU atoms by coordinate descent,
 * written in the test): the exact solver's objective must agree to 1e-8 relative, its network must
 * reproduce that objective from scratch, and the T8 gap computed from the definition must be below tol.
 */
class ExactSpline1DRandomTest {

    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        int[] sizes = {5, 9, 30, 80, 200};
        double[] fractions = {-1, 0.01, 0.1, 0.5, 0.95};
        long seed = 11;
        for (int n : sizes) {
            for (double fraction : fractions) {
                list.add(Arguments.of(seed++, n, fraction));
            }
        }
        return list.stream();
    }

    /** {@code fraction < 0} means lambda = 1e-3, otherwise {@code fraction * lambda_max}. */
    @ParameterizedTest(name = "seed {0}, N = {1}, lambda = {2} lambda_max")
    @MethodSource("cases")
    void matchesBruteForce(long seed, int n, double fraction) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = ExactTestSupport.randomUniform(rnd, n, -2, 3);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(2 * x[i]) + 0.3 * x[i] * x[i] + 0.2 * rnd.nextGaussian();
        }
        double lambdaMax = LambdaMax.lambdaMax(x, y);
        double lambda = fraction < 0 ? 1e-3 : fraction * lambdaMax;
        FitSettings settings = settings(lambda);
        SolverResult result = new ExactSpline1D().solve(FitProblem.of1D(x, y), settings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
        ShallowNetwork net = result.shallow();

        double objective = ExactTestSupport.objective(net, x, y, lambda);
        double brute = ExactTestSupport.bruteForceObjective(x, y, lambda);
        assertThat(objective).isCloseTo(brute, within(1e-8 * Math.max(1, brute)));

        double gap = ExactTestSupport.certificateGap(net, x, y, lambda);
        assertThat(gap).isLessThanOrEqualTo(settings.tol() * Math.max(1, objective));
        assertThat(gap).isGreaterThan(-1e-10 * Math.max(1, objective));

        // The solver's reported final objective is the one recomputed from the network.
        if (!result.lossCurve().isEmpty()) {
            double reported = result.lossCurve().get(result.lossCurve().size() - 1).objective();
            assertThat(reported).isCloseTo(objective, within(1e-10 * Math.max(1, objective)));
        }
        assertCanonicalShape(net, x);
    }

    /** Balanced neurons, at most N-2 knots, every knot at an interior data point (T3, A4). */
    static void assertCanonicalShape(ShallowNetwork net, double[] x) {
        Set<Double> interior = new HashSet<>();
        double[] sorted = x.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length - 1; i++) {
            interior.add(sorted[i]);
        }
        assertThat(net.width()).isLessThanOrEqualTo(Math.max(0, interior.size()));
        for (int k = 0; k < net.width(); k++) {
            double w = net.inputNorm(k);
            double v = net.outputNorm(k);
            assertThat(Math.abs(v - w)).isLessThanOrEqualTo(1e-12 * Math.max(1, w));
            assertThat(w).isPositive();
        }
        for (Knot knot : Knot.of(net)) {
            // b = w x_j, so b / w is x_j up to one rounding of the product and the quotient.
            double nearest = sorted[0];
            for (double v : sorted) {
                if (Math.abs(v - knot.x()) < Math.abs(nearest - knot.x())) {
                    nearest = v;
                }
            }
            assertThat(knot.x()).isCloseTo(nearest, within(1e-13 * Math.max(1, Math.abs(nearest))));
            assertThat(interior).contains(nearest);
        }
        assertThat(PathNorm.of(net)).isFinite();
    }
}
