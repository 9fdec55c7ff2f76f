package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.finish.Polish;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.gradient.SolverFixtures;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A fit cut by its deadline is finished within the grace ({@link CancellationToken#finishing()}, issue 20): the
 * deadline and the end of the grace are counted in polls here (a token that trips after a set number of checks), so
 * nothing depends on the clock. The solver stops at its deadline; the polish (a descent method) stops at the first
 * check past the grace and keeps its best iterate, so the finished objective is never above the unpolished solver
 * network's; the certificate's pricing stops too and reports a sampled estimate; a cancel still discards the finishing.
 */
class FinishingWithinGraceTest {

    static final int ROWS = 200;
    static final double LAMBDA = 0.05;
    /** The solver's deadline: lbfgs is far from converged after this many checks. */
    static final long SOLVER_POLLS = 150;

    @Test
    void pastTheGraceThePolishKeepsItsBestIterateAndNeverEndsAboveTheUnpolishedNetwork() {
        // width 128 at a small lambda: the polish's group lasso runs tens of thousands of steps (a check each)
        FitProblem p = problem();
        FitSettings settings = settings(128, 0.01);
        // The solver's network at its deadline, unfinished, and its objective.
        SolverResult raw = new Lbfgs().solve(p, settings, ProgressListener.NONE, new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE));
        assertThat(raw.stopReason()).isEqualTo(StopReason.CANCELLED);
        double rawJ = Polish.objective(raw.network(), p, 0.01);

        long[] graces = {0, 1_000, 2_000};
        double[] objective = new double[graces.length];
        for (int i = 0; i < graces.length; i++) {
            CountedDeadline token = new CountedDeadline(SOLVER_POLLS, graces[i]);
            SolverResult cut = finish(p, settings, token);
            objective[i] = Polish.objective(cut.network(), p, 0.01);
            assertThat(cut.stopReason()).isEqualTo(StopReason.TIME_LIMIT);
            assertThat(cut.finished()).isTrue();
            // the polish's loops end at their first check past the grace; after it the merge, the near merge and the
            // prune on the data each look once and are not started (issue 20)
            assertThat(token.pollsPastGrace()).as("grace %d", graces[i]).isLessThanOrEqualTo(4);
        }
        // never above the solver's network (the polish that never started: only the direct steps); the progress of a
        // polish cut later is kept and lower
        assertThat(objective[0]).isLessThanOrEqualTo(rawJ * (1 + 1e-12));
        assertThat(objective[1]).isLessThan(objective[0]);
        assertThat(objective[2]).isLessThanOrEqualTo(objective[1]);
    }

    @Test
    void pastTheGraceTheCertificateIsASampledEstimateAndTheFitKeepsItsFinishing() {
        FitProblem p = problem();
        CountedDeadline whole = new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE);
        SolverResult full = finish(p, whole);
        long finishingPolls = whole.finishingPolls.get();
        FitOutcome certified = SparseFit.fit(p, settings(), SolverType.LBFGS, new Lbfgs(), ProgressListener.NONE,
                new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE));

        // the grace ends a few checks into the certificate's pricing
        CountedDeadline token = new CountedDeadline(SOLVER_POLLS, finishingPolls + 3);
        FitOutcome out = SparseFit.fit(p, settings(), SolverType.LBFGS, new Lbfgs(), ProgressListener.NONE, token);
        // each pricing (the certificate's, lambda_max's) ends at its first checks past the grace
        assertThat(token.pollsPastGrace()).isLessThanOrEqualTo(10);
        assertThat(out.diagnostics().stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(out.shallow().predict(p.x(), null).data).isEqualTo(full.shallow().predict(p.x(), null).data);
        assertThat(out.diagnostics().certificate()).isNotNull();
        assertThat(out.diagnostics().certificate().exact()).isFalse();
        assertThat(out.diagnostics().objective()).isEqualTo(certified.diagnostics().objective());
        // fewer atoms priced: a lower bound on the dual norm, so an estimated gap at most the full pricing's
        assertThat(out.diagnostics().certificate().gap())
                .isLessThanOrEqualTo(certified.diagnostics().certificate().gap() * (1 + 1e-12));
    }

    /**
     * A deep fit (two hidden layers) whose grace ends at the deadline: its polish's features and the last-layer
     * certificate's each stop at their first look past the grace; the certificate is then reported as not computed
     * (null), the spectra are still there, and the network is the solver's, pruned of idle units and rebalanced (A4), so
     * its objective is not above the unpolished one's.
     */
    @Test
    void pastTheGraceADeepFitSkipsItsPolishAndItsLastLayerCertificate() {
        FitProblem p = problem();
        FitSettings deep = settings().withArchitecture(new io.sparsefit.core.solver.Architecture(java.util.List.of(16, 16), 0, true));
        SolverResult raw = new Lbfgs().solve(p, deep, ProgressListener.NONE, new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE));
        double rawJ = Polish.objective(raw.network(), p, LAMBDA);

        CountedDeadline cut = new CountedDeadline(SOLVER_POLLS, 0);
        FitOutcome out = SparseFit.fit(p, deep, SolverType.LBFGS, new Lbfgs(), ProgressListener.NONE, cut);
        assertThat(out.diagnostics().stopReason()).isEqualTo(StopReason.TIME_LIMIT);
        assertThat(out.diagnostics().deep().lastLayerCertificate()).isNull();
        assertThat(out.diagnostics().deep().matrices()).hasSize(3);
        assertThat(Polish.objective(out.network(), p, LAMBDA)).isLessThanOrEqualTo(rawJ * (1 + 1e-12));
        // one look each past the grace: the finishing's polish, its second prune, the certificate's features
        assertThat(cut.pollsPastGrace()).isLessThanOrEqualTo(3);

        FitOutcome whole = SparseFit.fit(p, deep, SolverType.LBFGS, new Lbfgs(), ProgressListener.NONE,
                new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE));
        assertThat(whole.diagnostics().deep().lastLayerCertificate()).isNotNull();
    }

    @Test
    void aCancelInTheFinishingStillDiscardsIt() {
        FitProblem p = problem();
        CountedDeadline whole = new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE);
        finish(p, whole);
        SolverResult raw = new Lbfgs().solve(p, settings(), ProgressListener.NONE, new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE));
        CountedDeadline deleted = new CountedDeadline(SOLVER_POLLS, Long.MAX_VALUE, whole.finishingPolls.get() / 2);
        SolverResult out = finish(p, deleted);
        assertThat(out.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(out.network().predict(p.x(), null).data).isEqualTo(raw.network().predict(p.x(), null).data);
        // the polish's loop, then one look each by the merge, the near merge and the prune (issue 20)
        assertThat(deleted.pollsPastGrace()).isLessThanOrEqualTo(4);
    }

    private static SolverResult finish(FitProblem p, CancellationToken token) {
        return finish(p, settings(), token);
    }

    private static SolverResult finish(FitProblem p, FitSettings settings, CancellationToken token) {
        return SparseFit.solveAndFinish(p, settings, SolverType.LBFGS, new Lbfgs(), ProgressListener.NONE, token);
    }

    /** lbfgs at width 48 and {@link #LAMBDA}: its polish converges in a dozen steps. */
    private static FitSettings settings() {
        return settings(48, LAMBDA);
    }

    private static FitSettings settings(int width, double lambda) {
        return FitSettings.defaults(lambda).withWidth(width).withSolver(SolverType.LBFGS);
    }

    /** N = 200 Gaussian points in d = 3 with Gaussian targets: no network fits them, so the polish has work to do. */
    private static FitProblem problem() {
        return SolverFixtures.random(ROWS, 3, 1, 11);
    }

    /**
     * A deadline counted in checks: the solver's token trips (timed out) from its {@code solverPolls + 1}-th check on,
     * its finishing view ({@link #finishing()}) from its {@code gracePolls + 1}-th, timed out too, unless
     * {@code cancelAt} of the finishing's checks came first: then both are cancelled (a DELETE), not timed out.
     */
    static final class CountedDeadline implements CancellationToken {
        final AtomicLong solverPolls = new AtomicLong();
        final AtomicLong finishingPolls = new AtomicLong();
        private final long deadline;
        private final long grace;
        private final long cancelAt;

        CountedDeadline(long deadline, long grace) {
            this(deadline, grace, Long.MAX_VALUE);
        }

        CountedDeadline(long deadline, long grace, long cancelAt) {
            this.deadline = deadline;
            this.grace = grace;
            this.cancelAt = cancelAt;
        }

        /** The finishing's checks after the one that first saw it tripped. */
        long pollsPastGrace() {
            return Math.max(0, finishingPolls.get() - Math.min(grace, cancelAt) - 1);
        }

        private boolean deleted() {
            return finishingPolls.get() > cancelAt;
        }

        @Override
        public boolean isCancelled() {
            return solverPolls.incrementAndGet() > deadline || deleted();
        }

        @Override
        public boolean timedOut() {
            return !deleted() && solverPolls.get() > deadline;
        }

        @Override
        public CancellationToken ignoringDeadline() {
            return this::deleted;
        }

        @Override
        public CancellationToken finishing() {
            return DeadlineTokens.grace(() -> {
                long polls = finishingPolls.incrementAndGet();
                return polls > grace || polls > cancelAt;
            }, () -> !deleted() && finishingPolls.get() > grace, ignoringDeadline());
        }
    }
}
