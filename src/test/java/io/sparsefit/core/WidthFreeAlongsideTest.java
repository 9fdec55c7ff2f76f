package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Polish;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * When the probe fills its width before the narrow {@code lbfgs} run has converged, the narrow run goes on alongside the
 * wide one (issue 20): a deadline that cuts the wide run early no longer keeps the probe's unconverged fit. On
 * {@link WidthFreeSolverTest}'s problem (N = 60, d = 3, starting width 4; {@code lbfgs} converges after 42
 * iterations) with the probe point moved to {@value #PROBE} iterations. Deadlines are counted in looks at the token
 * ({@link ClockPerturbation#deadlineAfterPolls}), so nothing depends on the clock.
 */
class WidthFreeAlongsideTest {

    static final int PROBE = 20;

    @Test
    void aDeadlineSoonAfterTheProbeKeepsTheNarrowRunContinuedNotTheProbesFit() {
        FitProblem p = WidthFreeSolverTest.problem();
        FitSettings auto = WidthFreeSolverTest.startingAtFour();
        FitSettings narrow = auto.withSolver(SolverType.LBFGS).withWidth(4);
        // The probe's fit (what the fit kept before) and the looks at the token up to the probe point.
        AtomicLong looks = new AtomicLong();
        CancellationToken counting = () -> {
            looks.incrementAndGet();
            return false;
        };
        Lbfgs.Run probeRun = new Lbfgs().start(p, narrow, ProgressListener.NONE, counting);
        probeRun.advanceTo(PROBE);
        SolverResult probe = SparseFit.solveAndFinish(p, narrow, SolverType.LBFGS,
                (problem, settings, progress, cancel) -> probeRun.result(), ProgressListener.NONE, counting);
        assertThat(probe.iterations()).isEqualTo(PROBE);   // stopped there, unconverged
        assertThat(WidthFreeSolver.fillsOnData(probe.network(), p, 4)).isTrue();
        double probeJ = Polish.objective(probe.network(), p, WidthFreeSolverTest.LAMBDA);
        SolverResult plain = SparseFit.solveAndFinish(p, narrow, SolverType.LBFGS, new Lbfgs(), ProgressListener.NONE,
                CancellationToken.NEVER);
        double plainJ = Polish.objective(plain.network(), p, WidthFreeSolverTest.LAMBDA);
        assertThat(plainJ).isLessThan(probeJ);

        // The deadline in the narrow run's first turn past the probe point (its 22 iterations left are fewer than a
        // turn, at least one look each): the wide run has not stepped yet, and the fit is the narrow run continued,
        // below the probe's fit (which was kept before) and not yet at plain lbfgs's.
        assertThat(WidthFreeSolver.WIDE_TURN * WidthFreeSolver.WIDEN_FACTOR).isGreaterThan(plain.iterations() - PROBE);
        long early = looks.get() + 16;
        FitOutcome out = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), ProgressListener.NONE,
                ClockPerturbation.deadlineAfterPolls(early));
        assertThat(out.diagnostics().stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(out.diagnostics().solver()).isEqualTo("lbfgs");
        assertThat(out.diagnostics().objective()).isLessThan(probeJ).isGreaterThan(plainJ);
        assertThat(out.diagnostics().iterations()).isGreaterThan(PROBE);

        // Well past it the narrow run has converged (plain lbfgs, bit for bit) in its first turn, and the wide run goes
        // on alone: the kept fit is at most the narrow one's.
        long late = looks.get() + 240;
        FitOutcome later = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), ProgressListener.NONE,
                ClockPerturbation.deadlineAfterPolls(late));
        assertThat(later.diagnostics().stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(later.diagnostics().objective()).isLessThanOrEqualTo(plainJ * (1 + 1e-12));

        // the same count, the same fit: the two runs hand over at counted looks
        FitOutcome again = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), ProgressListener.NONE,
                ClockPerturbation.deadlineAfterPolls(late));
        assertThat(ClockPerturbation.fingerprint(again)).isEqualTo(ClockPerturbation.fingerprint(later));
    }

    @Test
    void withoutADeadlineTheFitIsNeverAbovePlainLbfgsAndDoesNotDependOnTheClock() {
        FitProblem p = WidthFreeSolverTest.problem();
        FitSettings auto = WidthFreeSolverTest.startingAtFour();
        SolverResult plain = SparseFit.solveAndFinish(p, auto.withSolver(SolverType.LBFGS).withWidth(4), SolverType.LBFGS,
                new Lbfgs(), ProgressListener.NONE, CancellationToken.NEVER);
        double plainJ = Polish.objective(plain.network(), p, WidthFreeSolverTest.LAMBDA);

        FitOutcome out = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), ProgressListener.NONE,
                CancellationToken.NEVER);
        assertThat(out.diagnostics().solver()).isEqualTo("convex");
        assertThat(out.diagnostics().objective()).isLessThan(plainJ);
        FitOutcome slowed = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), ProgressListener.NONE,
                ClockPerturbation.slowUnderDeadline(7, 200_000));
        assertThat(ClockPerturbation.fingerprint(slowed)).isEqualTo(ClockPerturbation.fingerprint(out));
    }

    @Test
    void aFailureInTheWideRunEndsTheFitWithIt() {
        FitProblem p = WidthFreeSolverTest.problem();
        FitSettings auto = WidthFreeSolverTest.startingAtFour();
        // Past the probe only the wide run reports: a listener that fails there, as the service's progress write does
        // on a database error it does not wait out.
        for (Throwable failure : new Throwable[] {new IllegalStateException("progress write failed"),
                new OutOfMemoryError("test")}) {
            ProgressListener failing = (iteration, objective, dataFit, penalty) -> {
                if (iteration > PROBE + 1) {
                    sneakyThrow(failure);
                }
            };
            assertThatThrownBy(() -> SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), failing,
                    CancellationToken.NEVER)).isSameAs(failure);
        }
    }

    /**
     * The two runs together count within {@code maxIter} (before, the narrow run's iterations past the probe point
     * were added to the wide run's): the kept fit reports the narrow run up to the probe point, then the wide run's, then
     * the convex rounds on the progress scale, its last loss point at the reported count.
     */
    @Test
    void aWidenedFitCountsItsIterationsWithinMaxIter() {
        FitProblem p = WidthFreeSolverTest.problem();
        for (int maxIter : new int[] {60, 200, 20_000}) {
            FitSettings auto = WidthFreeSolverTest.startingAtFour().withMaxIter(maxIter);
            FitOutcome out = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE),
                    ProgressListener.NONE, CancellationToken.NEVER);
            assertThat(out.diagnostics().solver()).as("maxIter %d", maxIter).isEqualTo("convex");
            int iterations = out.diagnostics().iterations();
            assertThat(iterations).as("maxIter %d", maxIter).isLessThanOrEqualTo(maxIter).isGreaterThan(PROBE);
            List<LossPoint> curve = out.diagnostics().lossCurve();
            for (int i = 1; i < curve.size(); i++) {
                assertThat(curve.get(i).iteration()).isGreaterThanOrEqualTo(curve.get(i - 1).iteration());
            }
            assertThat(curve.get(curve.size() - 1).iteration()).isEqualTo(iterations);
        }
    }

    /**
     * The narrow run is the fallback only while the wide one is behind: it ends at the first hand-over where the wide
     * run's objective is below its own, as plain {@code lbfgs} with {@code maxIter} at its count, bit for bit, and the
     * wide run goes on alone to the end of plain {@code lbfgs} at its width. The objectives are recomputed independently
     * (plain runs stopped at those counts, their data fit plus lambda times the weight decay both minimize); turns of one
     * narrow and four wide iterations, so the wide run passes the narrow one before that converges (after 42).
     */
    @Test
    void theNarrowRunEndsAtTheFirstHandOverWhereTheWideRunIsBelowIt() {
        FitProblem p = WidthFreeSolverTest.problem();
        FitSettings narrowSettings = WidthFreeSolverTest.startingAtFour().withSolver(SolverType.LBFGS).withWidth(4);
        FitSettings wideSettings = narrowSettings.withWidth(16);
        Lbfgs.Run narrow = new Lbfgs().start(p, narrowSettings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(narrow.advanceTo(PROBE)).isTrue();
        Lbfgs.Run wide = new Lbfgs().start(p, wideSettings, ProgressListener.NONE, CancellationToken.NEVER);
        WidthFreeSolver.alongside(narrow, wide, 1, 4, new WidthFreeSolver.Handover(0.0, 8, 4));
        SolverResult cut = narrow.result();
        int k = cut.iterations();
        int turns = k - PROBE;
        SolverResult plain = new Lbfgs().solve(p, narrowSettings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(k).isLessThan(plain.iterations());   // ended by the rule, before it converged
        assertThat(cut.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        assertThat(trainedObjective(p, wideSettings, 4 * turns)).isLessThan(trainedObjective(p, narrowSettings, k));
        assertThat(trainedObjective(p, wideSettings, 4 * (turns - 1)))
                .isGreaterThanOrEqualTo(trainedObjective(p, narrowSettings, k - 1));
        SolverResult shortRun = new Lbfgs().solve(p, narrowSettings.withMaxIter(k), ProgressListener.NONE,
                CancellationToken.NEVER);
        WidthFreeSolverTest.assertSameBits(cut.shallow(), shortRun.shallow());
        SolverResult wideAlone = new Lbfgs().solve(p, wideSettings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(wide.ended()).isTrue();
        WidthFreeSolverTest.assertSameBits(wide.result().shallow(), wideAlone.shallow());
    }

    /**
     * The wide run alone hands over where, over the window (8 iterations: two turns of 4), its objective fell by at most
     * the rate relative per iteration: it ends at the first turn where the objectives of plain {@code lbfgs} runs stopped
     * at each turn's count (recomputed independently, {@link #trainedObjective}) meet that rule, before it converges,
     * as plain {@code lbfgs} with {@code maxIter} at that count, bit for bit.
     */
    @ParameterizedTest(name = "rate {0}")
    @ValueSource(doubles = {1e-2, 1e-3, 1e-4, 1e-5})
    void theWideRunAloneHandsOverWhereItFallsSlowerThanTheRate(double rate) {
        FitProblem p = WidthFreeSolverTest.problem();
        FitSettings wideSettings = WidthFreeSolverTest.startingAtFour().withSolver(SolverType.LBFGS).withWidth(16);
        Lbfgs.Run wide = new Lbfgs().start(p, wideSettings, ProgressListener.NONE, CancellationToken.NEVER);
        WidthFreeSolver.alone(wide, Integer.MAX_VALUE, 4, new WidthFreeSolver.Handover(rate, 8, 4));
        SolverResult cut = wide.result();
        SolverResult plain = new Lbfgs().solve(p, wideSettings, ProgressListener.NONE, CancellationToken.NEVER);
        int expected = handOverCount(p, wideSettings, rate, 8, 4);
        assertThat(expected).as("the rule ends the run before it converges at %d", plain.iterations()).isPositive();
        assertThat(cut.iterations()).isEqualTo(expected);
        assertThat(cut.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS);
        SolverResult shortRun = new Lbfgs().solve(p, wideSettings.withMaxIter(expected), ProgressListener.NONE,
                CancellationToken.NEVER);
        WidthFreeSolverTest.assertSameBits(cut.shallow(), shortRun.shallow());
    }

    /**
     * The iteration count at which a hand-over rule ({@code rate} over {@code window} iterations, in turns of
     * {@code turn}) ends a plain {@code lbfgs} run of {@code settings} on {@code p}, recomputed from runs stopped at each
     * turn's count ({@link #trainedObjective}): the first turn whose objective fell by at most {@code rate} relative per
     * iteration since {@code window / turn} turns before; -1 where the run ends first.
     */
    static int handOverCount(FitProblem p, FitSettings settings, double rate, int window, int turn) {
        int span = window / turn;
        int ends = new Lbfgs().solve(p, settings, ProgressListener.NONE, CancellationToken.NEVER).iterations();
        List<Double> objectives = new ArrayList<>();   // after turn k + 1, at (k + 1) turns
        for (int count = turn; count < ends; count += turn) {
            objectives.add(trainedObjective(p, settings, count));
            int k = objectives.size() - 1;
            if (k >= span && objectives.get(k - span) - objectives.get(k)
                    <= rate * (span * turn) * Math.abs(objectives.get(k))) {
                return count;
            }
        }
        return -1;
    }

    /** Plain {@code lbfgs} stopped after {@code iterations}: its data fit plus lambda times the weight decay it trains. */
    static double trainedObjective(FitProblem p, FitSettings settings, int iterations) {
        SolverResult r = new Lbfgs().solve(p, settings.withMaxIter(iterations), ProgressListener.NONE,
                CancellationToken.NEVER);
        assertThat(r.iterations()).isEqualTo(iterations);
        double lambda = settings.regularization().lambda(settings.lambda());
        return DiagnosticsCalculator.dataFit(r.network(), p) + lambda * WeightDecay.INSTANCE.value(r.network());
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
