package io.sparsefit.core.solver.exact;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.ExactSpline1D;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The homotopy against independent single exact solves (the active-set method of {@link ActiveSetSpline},
 * which starts from no knots and knows nothing of the path): at random lambdas strictly between breakpoints
 * the fitted values interpolated linearly between the two breakpoints' fits (theory C1: piecewise linear in
 * lambda) equal the single solve to 1e-9 relative to the data scale, and so do the knot sets.
 */
class SplinePathTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void pathMatchesIndependentSolvesBetweenBreakpoints(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = 150 + rnd.nextInt(100);
        double[] x = ExactTestSupport.randomUniform(rnd, n, -2, 3);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(2 * x[i]) + Math.abs(x[i] - 0.5) + 0.3 * rnd.nextGaussian();
        }
        if (seed == 4) {
            x[1] = x[0]; // duplicates merge
            x[7] = x[3];
        }
        SplinePath path = SplinePath.trace(x, y, 1e-3 * LambdaMax.lambdaMax(x, y), 100_000, CancellationToken.NEVER);
        assertTrue(path.complete());
        List<SplinePath.Breakpoint> bps = path.breakpoints();
        assertTrue(bps.size() > 10, "a noisy path has many breakpoints, got " + bps.size());
        assertEquals(path.lambdaMax(), bps.get(0).lambda(), 1e-9 * path.lambdaMax(), "the path starts at lambda_max (T6)");
        double scale = 0;
        for (double v : y) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int trial = 0; trial < 25; trial++) {
            int k = rnd.nextInt(bps.size());
            double upper = bps.get(k).lambda();
            double lower = k + 1 < bps.size() ? bps.get(k + 1).lambda() : path.floor();
            double t = rnd.nextDouble(0.05, 0.95);
            double lambda = lower + t * (upper - lower);
            double[] zUpper = fittedAt(path, upper);
            double[] zLower = fittedAt(path, lower);
            ShallowNetwork single = singleSolve(x, y, lambda);
            double[] zSingle = ExactTestSupport.predict(single, path.data().x);
            for (int i = 0; i < zSingle.length; i++) {
                double interpolated = zLower[i] + (lambda - lower) / (upper - lower) * (zUpper[i] - zLower[i]);
                assertEquals(zSingle[i], interpolated, 1e-9 * scale, "lambda " + lambda + " point " + i);
            }
            double[] knots = Knot.of(single).stream().mapToDouble(Knot::x).toArray();
            assertArrayEquals(bps.get(k).knots(), knots, 1e-9, "knot set at lambda " + lambda);
        }
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1.5})
    void atOrAboveLambdaMaxTheAffineFit(double factor) {
        SplittableRandom rnd = new SplittableRandom(9);
        double[] x = ExactTestSupport.randomUniform(rnd, 80, 0, 1);
        double[] y = new double[80];
        for (int i = 0; i < 80; i++) {
            y[i] = x[i] * x[i] + 0.1 * rnd.nextGaussian();
        }
        SplinePath path = SplinePath.trace(x, y, 0.01, 10_000, CancellationToken.NEVER);
        assertEquals(0, path.networkAt(factor * path.lambdaMax(), false).width());
        assertTrue(path.networkAt(0.9 * path.lambdaMax(), false).width() > 0, "just below lambda_max a knot enters");
    }

    /**
     * Alternating data on a grid ties events: at lambda = 2/15 the points 2 and 3 enter together and, each entered
     * alone, leave again, so the one-event-at-a-time rule cycled at that lambda for ever (a path job hung there). The
     * trace now ends there, incomplete, and what it covers still matches independent solves.
     */
    @org.junit.jupiter.api.Test
    void simultaneousEventsThatCycleEndTheTraceIncompleteInsteadOfLoopingForEver() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0, 1, 0, 1, 0, 1};
        SplinePath path = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> SplinePath.trace(x, y, 1e-6, 10_000, CancellationToken.NEVER));
        assertTrue(!path.complete(), "the tie is not traced through");
        assertTrue(path.lowest() > 1e-6 && path.lowest() < path.lambdaMax(), "lowest " + path.lowest());
        List<SplinePath.Breakpoint> bps = path.breakpoints();
        for (int k = 0; k + 1 < bps.size(); k++) {
            double lambda = 0.5 * (bps.get(k).lambda() + bps.get(k + 1).lambda());
            double[] zPath = fittedAt(path, lambda);
            double[] zSingle = ExactTestSupport.predict(singleSolve(x, y, lambda), path.data().x);
            assertArrayEquals(zSingle, zPath, 1e-9, "lambda " + lambda);
        }
    }

    /** The path's optimal fitted values at the distinct data positions, read from its network at {@code lambda}. */
    private static double[] fittedAt(SplinePath path, double lambda) {
        return ExactTestSupport.predict(path.networkAt(lambda, false), path.data().x);
    }

    private static ShallowNetwork singleSolve(double[] x, double[] y, double lambda) {
        SolverResult r = new ExactSpline1D().solve(FitProblem.of1D(x, y), ExactTestSupport.settings(lambda).withTol(1e-13),
                ProgressListener.NONE, CancellationToken.NEVER);
        return r.shallow();
    }
}
