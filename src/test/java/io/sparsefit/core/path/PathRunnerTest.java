package io.sparsefit.core.path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.ClockPerturbation;
import io.sparsefit.core.DeadlineTokens;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.network.InputStandardization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.exact.SplinePath;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/** Path points against independent single fits (the contract), choices, folds and cancellation. */
class PathRunnerTest {

    private static FitProblem oneD(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-1, 1);
            y[i] = Math.sin(3 * x[i]) + 0.2 * rnd.nextGaussian();
        }
        return FitProblem.of1D(x, y);
    }

    private static FitProblem twoD(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        double[][] y = new double[n][1];
        for (int i = 0; i < n; i++) {
            x[i][0] = rnd.nextDouble(-1, 1);
            x[i][1] = rnd.nextDouble(-1, 1);
            y[i][0] = Math.max(0, x[i][0] + x[i][1]) - Math.max(0, x[i][0] - 0.5) + 0.05 * rnd.nextGaussian();
        }
        return FitProblem.of(x, y);
    }

    @Test
    void exactPointsEqualSingleExactFits() {
        FitProblem p = oneD(300, 1);
        FitSettings settings = FitSettings.defaults(1).withSolver(SolverType.EXACT).withTol(1e-13);
        RegularizationPath path = PathRunner.run(p, new PathSpec(settings, null, 12, 1e-3, 5, 0, false),
                PathListener.NONE, CancellationToken.NEVER);
        assertEquals(12, path.points().size());
        assertEquals(0, path.points().get(0).outcome().diagnostics().activeNeurons(), "lambda = lambda_max: the affine fit (T6)");
        assertEquals(path.lambdaMax(), path.points().get(0).lambda(), 0.0);
        assertTrue(path.breakpoints().size() > 5);
        assertTrue(path.breakpointsComplete(), "300 rows: the homotopy agrees with the exact solves down to the smallest lambda");
        double scale = 0;
        for (double v : p.y().data) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (PathPoint point : path.points()) {
            FitOutcome single = SparseFit.fit(p, settings.withLambda(point.lambda()), ProgressListener.NONE, CancellationToken.NEVER);
            DMatrixRMaj a = point.outcome().network().predict(p.x(), null);
            DMatrixRMaj b = single.network().predict(p.x(), null);
            for (int i = 0; i < a.getNumElements(); i++) {
                assertEquals(b.data[i], a.data[i], 1e-9 * scale, "lambda " + point.lambda());
            }
            assertEquals(single.diagnostics().knotCount(), point.outcome().diagnostics().knotCount());
            assertTrue(point.validationMse() > 0 && point.validationSe() > 0);
        }
        assertTrue(path.best() >= 0 && path.oneSe() >= 0 && path.chosen() == path.oneSe());
        PathPoint best = path.points().get(path.best());
        PathPoint oneSe = path.points().get(path.oneSe());
        assertTrue(oneSe.lambda() >= best.lambda());
        assertTrue(oneSe.validationMse() <= best.validationMse() + best.validationSe());
        for (PathPoint q : path.points()) {
            assertTrue(q.validationMse() >= best.validationMse());
        }
    }

    /**
     * The reported breakpoints, against independent single exact solves: inside each reported segment (at the geometric
     * middle of its two lambdas) the exact fit has the segment's knot count. At 10^4 rows the homotopy is long (about
     * a thousand breakpoints down to 1e-3 lambda_max), where accumulated error could make it wrong; whatever it reports
     * must hold, and the points themselves are the exact solves.
     */
    @Test
    void reportedBreakpointsAgreeWithSingleExactSolvesAtTenThousandRows() {
        FitProblem clean = oneD(10_000, 7);
        assertTrue(checkReportedBreakpoints(clean, 20).breakpointsComplete(), "clean inputs: the whole path down to the floor");
        // Every 50th input 4e-8 from the one before: near-duplicate inputs make the homotopy's knot system ill-conditioned
        // (two knots 4e-8 apart), where it goes wrong; what it reports must still hold, and it must say it is incomplete.
        double[] x = clean.x().data.clone();
        for (int i = 1; i < x.length; i += 50) {
            x[i] = x[i - 1] + 4e-8;
        }
        RegularizationPath nearDuplicates = checkReportedBreakpoints(FitProblem.of1D(x, clean.y().data.clone()), 1);
        assertFalse(nearDuplicates.breakpointsComplete());
    }

    /** Runs a 20-point exact path and checks its reported segments against single exact solves; {@code minTested} of them. */
    private static RegularizationPath checkReportedBreakpoints(FitProblem p, int minTested) {
        FitSettings settings = FitSettings.defaults(1).withSolver(SolverType.EXACT);
        RegularizationPath path = PathRunner.run(p, new PathSpec(settings, null, 20, 1e-3, 0, 0, false),
                PathListener.NONE, CancellationToken.NEVER);
        List<SplinePath.Breakpoint> b = path.breakpoints();
        assertTrue(b.size() > 20, "breakpoints reported: " + b.size());
        // Segments shorter than 1e-4 relative are skipped: there a knot has just entered next to another (two data points
        // 1e-7 apart, measured), and the exact solver merges the pair into one knot of the same function.
        int tested = 0;
        for (int i = 0; i + 1 < b.size(); i += Math.max(1, b.size() / 60)) {
            if (b.get(i).lambda() < b.get(i + 1).lambda() * (1 + 1e-4)) {
                continue;
            }
            double mid = Math.sqrt(b.get(i).lambda() * b.get(i + 1).lambda());
            FitOutcome single = SparseFit.fit(p, settings.withLambda(mid), ProgressListener.NONE, CancellationToken.NEVER);
            assertEquals(b.get(i).knotCount(), single.diagnostics().knotCount(), "segment " + i + " at lambda " + mid);
            for (int k = 0; k < single.diagnostics().knots().size(); k++) {
                assertEquals(b.get(i).knots()[k], single.diagnostics().knots().get(k).x(), 1e-12, "segment " + i + " knot " + k);
            }
            tested++;
        }
        assertTrue(tested >= minTested, "segments tested: " + tested);
        for (PathPoint point : path.points()) {
            assertTrue(point.outcome().diagnostics().certificate().gap() <= 1e-6 * Math.max(1, point.outcome().diagnostics().objective()),
                    "lambda " + point.lambda());
        }
        return path;
    }

    @Test
    void convexPointsEqualSingleConvexFitsWithinTheCertifiedGap() {
        FitProblem p = twoD(60, 2);
        FitSettings settings = FitSettings.defaults(1).withSolver(SolverType.CONVEX).withTol(1e-7);
        RegularizationPath path = PathRunner.run(p, new PathSpec(settings, null, 5, 1e-2, 0, 0.25, false),
                PathListener.NONE, CancellationToken.NEVER);
        assertEquals(5, path.points().size());
        assertEquals(0, path.points().get(0).outcome().diagnostics().activeNeurons(), "lambda_max: zero neurons");
        for (PathPoint point : path.points()) {
            FitOutcome single = SparseFit.fit(p, settings.withLambda(point.lambda()), ProgressListener.NONE, CancellationToken.NEVER);
            double gapPath = point.outcome().diagnostics().certificate().gap();
            double gapSingle = single.diagnostics().certificate().gap();
            double diff = Math.abs(point.outcome().diagnostics().objective() - single.diagnostics().objective());
            assertTrue(diff <= gapPath + gapSingle + 1e-12 * single.diagnostics().objective(),
                    "lambda " + point.lambda() + ": objectives differ by " + diff + ", gaps " + gapPath + " + " + gapSingle);
        }
    }

    /**
     * Two columns 1e4 apart in scale, standardized as the service does ({@code preprocessing.standardize}): the problem of
     * the Python client's path test.
     */
    private static FitProblem standardizedScales(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, 2);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, rnd.nextDouble());
            x.set(i, 1, rnd.nextDouble(0, 1e4));
            y.set(i, 0, Math.abs(x.get(i, 0) - 0.5) + 1e-4 * x.get(i, 1) + 0.05 * rnd.nextGaussian());
        }
        return new FitProblem(InputStandardization.of(x).apply(x), y);
    }

    /**
     * The first point of a path is not warm-started, so it is the single fit with the path's seed, bit for bit, after the
     * folds' fits and whatever the clock does; every point is the same on a slowed clock under a deadline. (With another
     * seed the convex solver's seeded pricing may take another route to an optimum certified to the same tolerance: see
     * {@link #convexPointsEqualSingleConvexFitsWithinTheCertifiedGap}.)
     */
    @Test
    void theFirstConvexPointIsTheSingleFitWithTheSameSeedOnAnyClock() {
        FitProblem p = standardizedScales(40, 5);
        FitSettings settings = FitSettings.defaults(1).withSolver(SolverType.CONVEX).withSeed(3);
        PathSpec spec = new PathSpec(settings, new double[] {0.5, 0.05}, 0, 0, 3, 0, true);
        RegularizationPath path = PathRunner.run(p, spec, PathListener.NONE, CancellationToken.NEVER);
        RegularizationPath slowed = PathRunner.run(p, spec, PathListener.NONE, ClockPerturbation.slowUnderDeadline(64, 200_000));
        assertEquals(2, path.points().size());
        for (int i = 0; i < 2; i++) {
            assertEquals(ClockPerturbation.fingerprint(path.points().get(i).outcome()),
                    ClockPerturbation.fingerprint(slowed.points().get(i).outcome()), "point " + i);
            assertArrayEquals(path.points().get(i).foldMse(), slowed.points().get(i).foldMse(), 0.0);
        }
        FitOutcome single = SparseFit.fit(p, settings.withLambda(0.5), ProgressListener.NONE,
                ClockPerturbation.slowUnderDeadline(64, 200_000));
        assertTrue(single.diagnostics().activeNeurons() > 0, "below lambda_max: the solver ran");
        assertEquals(ClockPerturbation.fingerprint(single), ClockPerturbation.fingerprint(path.points().get(0).outcome()));
    }

    @Test
    void explicitLambdasAboveLambdaMaxGiveZeroNeurons() {
        FitProblem p = oneD(100, 3);
        double lambdaMax = io.sparsefit.core.diagnostics.DiagnosticsCalculator.lambdaMax(p, 0, () -> false);
        RegularizationPath path = PathRunner.run(p, new PathSpec(FitSettings.defaults(1), new double[] {lambdaMax, 2 * lambdaMax},
                0, 0, 0, 0, false), PathListener.NONE, CancellationToken.NEVER);
        assertEquals(2 * lambdaMax, path.points().get(0).lambda(), 0.0, "solved in descending order");
        for (PathPoint q : path.points()) {
            assertEquals(0, q.outcome().diagnostics().activeNeurons());
        }
        assertEquals(-1, path.best(), "no validation, no choice");
    }

    @Test
    void foldsAreDeterministicForASeedAndBalanced() {
        int[] a = Folds.kFold(103, 5, 42);
        assertArrayEquals(a, Folds.kFold(103, 5, 42));
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(Folds.kFold(103, 5, 43)));
        int[] sizes = new int[5];
        for (int f : a) {
            sizes[f]++;
        }
        for (int s : sizes) {
            assertTrue(s == 20 || s == 21, "fold sizes differ by at most one: " + java.util.Arrays.toString(sizes));
        }
        FitProblem p = oneD(120, 4);
        PathSpec spec = new PathSpec(FitSettings.defaults(1), null, 6, 1e-2, 4, 0, false);
        RegularizationPath one = PathRunner.run(p, spec, PathListener.NONE, CancellationToken.NEVER);
        RegularizationPath two = PathRunner.run(p, spec, PathListener.NONE, CancellationToken.NEVER);
        for (int i = 0; i < one.points().size(); i++) {
            assertArrayEquals(one.points().get(i).foldMse(), two.points().get(i).foldMse(), 0.0);
        }
    }

    @Test
    void aCancelledPathStopsWithinOnePoint() {
        FitProblem p = twoD(50, 5);
        AtomicBoolean cancel = new AtomicBoolean();
        RegularizationPath path = PathRunner.run(p, new PathSpec(FitSettings.defaults(1).withSolver(SolverType.LBFGS).withWidth(8)
                        .withMaxIter(200), null, 6, 1e-2, 0, 0, false),
                (index, total, point) -> cancel.set(index == 1), cancel::get);
        assertTrue(path.cancelled());
        assertEquals(2, path.points().size(), "the point after the cancel is not started");
    }

    @Test
    void aDeadlineDuringAPointDropsThatPointAndKeepsTheCompleteOnes() {
        FitProblem p = twoD(50, 5);
        // A deadline token (as CancellationToken.withDeadline, but tripped by a count, not the clock): it runs out
        // 20 polls into the third point, i.e. inside that point's solve.
        AtomicBoolean started = new AtomicBoolean();
        int[] polls = {0};
        CancellationToken deadline = DeadlineTokens.deadline(() -> started.get() && ++polls[0] > 20,
                () -> started.get() && polls[0] > 20);
        RegularizationPath path = PathRunner.run(p, new PathSpec(FitSettings.defaults(1).withSolver(SolverType.LBFGS).withWidth(8)
                        .withMaxIter(200).withTol(1e-300), null, 6, 1e-2, 0, 0, false),
                (index, total, point) -> started.compareAndSet(false, index == 1), deadline);
        assertTrue(path.cancelled());
        assertTrue(deadline.timedOut());
        assertEquals(2, path.points().size(), "the point the deadline cut is not reported half solved");
        for (PathPoint point : path.points()) {
            assertNotEquals(StopReason.TIME_LIMIT, point.outcome().diagnostics().stopReason());
        }
    }
}
