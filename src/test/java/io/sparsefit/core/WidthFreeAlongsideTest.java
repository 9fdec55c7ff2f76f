package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparsefit.core.finish.Polish;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

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
        SolverResult probe = SparseFit.solveAndFinish(p, narrow, SolverType.LBFGS, new Lbfgs(null, PROBE, net -> true),
                ProgressListener.NONE, () -> {
                    looks.incrementAndGet();
                    return false;
                });
        assertThat(probe.iterations()).isEqualTo(PROBE);   // stopped there, unconverged
        assertThat(WidthFreeSolver.fillsOnData(probe.network(), p, 4)).isTrue();
        double probeJ = Polish.objective(probe.network(), p, WidthFreeSolverTest.LAMBDA);
        SolverResult plain = SparseFit.solveAndFinish(p, narrow, SolverType.LBFGS, new Lbfgs(), ProgressListener.NONE,
                CancellationToken.NEVER);
        double plainJ = Polish.objective(plain.network(), p, WidthFreeSolverTest.LAMBDA);
        assertThat(plainJ).isLessThan(probeJ);

        // The deadline in the narrow run's first turn past the probe point: the wide run has not stepped yet, and the
        // fit is the narrow run continued, below the probe's fit (which was kept before) and not yet at plain lbfgs's.
        long early = looks.get() + 2L * WidthFreeSolver.POLLS_PER_TURN;
        FitOutcome out = SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), ProgressListener.NONE,
                ClockPerturbation.deadlineAfterPolls(early));
        assertThat(out.diagnostics().stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(out.diagnostics().solver()).isEqualTo("lbfgs");
        assertThat(out.diagnostics().objective()).isLessThan(probeJ).isGreaterThan(plainJ);
        assertThat(out.diagnostics().iterations()).isGreaterThan(PROBE);

        // Six turns past it the narrow run has converged (plain lbfgs, bit for bit), so the kept fit is at most its own.
        long late = looks.get() + 6L * WidthFreeSolver.POLLS_PER_TURN * (1 + 4);
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
    void aFailureInTheWideRunEndsTheFitWithItAndLeavesNoThreadBehind() {
        FitProblem p = WidthFreeSolverTest.problem();
        FitSettings auto = WidthFreeSolverTest.startingAtFour();
        // Past the probe only the wide run reports (on its helper thread): a listener that fails there, as the service's
        // progress write does on a database error it does not wait out.
        for (Throwable failure : new Throwable[] {new IllegalStateException("progress write failed"),
                new OutOfMemoryError("test")}) {
            ProgressListener failing = (iteration, objective, dataFit, penalty) -> {
                if (iteration > PROBE + 1) {
                    sneakyThrow(failure);
                }
            };
            assertThatThrownBy(() -> SparseFit.fit(p, auto, SolverType.LBFGS, new WidthFreeSolver(null, PROBE), failing,
                    CancellationToken.NEVER)).isSameAs(failure);
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(
                    t -> t.getName().equals("sparsefit-wide-lbfgs") && t.isAlive());
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable t) throws T {
        throw (T) t;
    }
}
