package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A deadline, a cancel and a slow clock during the bounded confirmations of a three-input stop (issue 20;
 * {@code ColumnGeneration#bounded}: three inputs, one output, more than {@code Pricing.EXACT_3D_MAX_ROWS} rows, a local
 * stop confirmed by {@code ProvenDualNorm}'s branch and bound, theory C4, T8). The token here knows, from the polling
 * thread's stack, which of its polls come from inside {@code bounded}: so each test first shows that the fit reaches the
 * confirmations, and the deadline or the cancel is set at a chosen one of those polls (the middle one of an uncut fit),
 * so that it falls inside a confirmation on every run whatever the machine's speed. The timing bound is generous (the
 * machine is shared); what is counted is exact: the branch and bound stops at its first check after the token tripped.
 * {@code convex} is the cold solver; {@code auto} (the width not given) reaches the same confirmations in its convex
 * continuation.
 * Seen failing on scratch copies of {@code ColumnGeneration}: confirmations that poll the token but ignore it (tens of
 * thousands of polls past the trip), the check after a confirmation removed (the cut fit then says CONVERGED),
 * {@code BOUNDED_CONFIRMATIONS = 0} (no poll from inside {@code bounded}).
 */
class BoundedStopDeadlineTest {

    static final double LAMBDA = 0.05;
    /** From the trip to the fit's answer, the finishing's grace included: generous for a loaded 2-core machine. */
    static final long PROMPT_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** The finishing's grace after the deadline ({@link CancellationToken#GRACE_FLOOR_MILLIS}, a short budget's). */
    static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(CancellationToken.GRACE_FLOOR_MILLIS);
    /**
     * Polls from inside {@code bounded} after the one that tripped: its branch and bound breaks at its first check, and
     * {@code bounded} itself looks once more only when the bracket was proven.
     */
    static final long POLLS_PAST_TRIP = 1;

    /** BoundedStopTest's problem: 80 rows in three inputs (beyond the enumeration's 60), one output. */
    static FitProblem problem() {
        DMatrixRMaj x = FitFingerprint.x(80, 3, 3);
        return new FitProblem(x, FitFingerprint.y(x, 3, 0));
    }

    static FitSettings settings(SolverType solver) {
        return FitSettings.defaults(LAMBDA).withMaxIter(3000).withSeed(7).withSolver(solver);
    }

    enum Fit { CONVEX, AUTO }

    private static SolverType type(Fit fit) {
        return fit == Fit.CONVEX ? SolverType.CONVEX : SolverType.AUTO;
    }

    /** {@link #uncut}'s fits, once per class run: each takes seconds. */
    private static final Map<Fit, Uncut> UNCUT = new EnumMap<>(Fit.class);

    /** The uncut fit, through a token that never trips but counts the polls from inside {@code bounded}. */
    private static synchronized Uncut uncut(Fit fit) {
        return UNCUT.computeIfAbsent(fit, BoundedStopDeadlineTest::countedFit);
    }

    private static Uncut countedFit(Fit fit) {
        BoundedPolls counting = new BoundedPolls(Long.MAX_VALUE, false);
        FitOutcome o = SparseFit.fit(problem(), settings(type(fit)), ProgressListener.NONE, counting);
        assertThat(counting.bounded.get()).as("polls from inside ColumnGeneration.bounded").isGreaterThan(2);
        assertThat(o.diagnostics().stopReason()).isNotIn(StopReason.CANCELLED, StopReason.TIME_LIMIT);
        return new Uncut(o, counting.bounded.get());
    }

    private record Uncut(FitOutcome outcome, long boundedPolls) {
    }

    @ParameterizedTest
    @EnumSource(Fit.class)
    void aDeadlineDuringTheConfirmationsEndsTheFitPromptlyAsATimeLimitWithoutAClaimedProof(Fit fit) {
        FitOutcome cut = cutInsideAConfirmation(fit, true, StopReason.TIME_LIMIT);
        // Not claimed exact unless proven: whatever the certificate calls proven (its dual objective when exact, the
        // objective less gapBound otherwise) is a lower bound on the optimum, so at most the uncut fit's objective.
        Certificate c = cut.diagnostics().certificate();
        assertThat(c).isNotNull();
        double bestKnown = uncut(fit).outcome().diagnostics().objective();
        if (c.exact()) {
            assertThat(c.dualObjective()).isLessThanOrEqualTo(bestKnown * (1 + 1e-12));
        } else if (c.gapBound() != null) {
            assertThat(cut.diagnostics().objective() - c.gapBound()).isLessThanOrEqualTo(bestKnown * (1 + 1e-12));
        }
    }

    @ParameterizedTest
    @EnumSource(Fit.class)
    void aCancelDuringTheConfirmationsEndsTheFitPromptlyAsCancelled(Fit fit) {
        cutInsideAConfirmation(fit, false, StopReason.CANCELLED);
    }

    /**
     * The fit whose deadline ({@code deadline}) or cancel comes at the middle poll from inside {@code bounded} of the
     * uncut fit: it tripped there, ends {@code expected}, its branch and bound stopped at its first check and it answered
     * promptly.
     */
    private static FitOutcome cutInsideAConfirmation(Fit fit, boolean deadline, StopReason expected) {
        BoundedPolls token = new BoundedPolls(uncut(fit).boundedPolls() / 2, deadline);
        FitOutcome cut = SparseFit.fit(problem(), settings(type(fit)), ProgressListener.NONE, token);
        long answered = System.nanoTime();

        assertThat(token.trippedAt).as("tripped inside a confirmation").isNotZero();
        assertThat(cut.diagnostics().stopReason()).isEqualTo(expected);
        assertThat(token.boundedPastTrip.get()).as("polls from inside bounded past the trip").isLessThanOrEqualTo(POLLS_PAST_TRIP);
        assertThat(answered - token.trippedAt).as("ns from the trip to the answer").isLessThan(PROMPT_NANOS);
        return cut;
    }

    /**
     * No deadline, a slowed clock ({@link ClockPerturbation}): the confirmations' budget is counted in work, so the same
     * seed gives the same bits as an unperturbed fit (and as the counting fit, slowed by its stack walks).
     */
    @ParameterizedTest
    @EnumSource(Fit.class)
    void withASlowedClockTheConfirmedFitGivesTheSameBits(Fit fit) {
        List<String> alone = ClockPerturbation.fingerprint(SparseFit.fit(problem(), settings(type(fit)), ProgressListener.NONE,
                CancellationToken.NEVER));
        List<String> slowed = ClockPerturbation.fingerprint(SparseFit.fit(problem(), settings(type(fit)), ProgressListener.NONE,
                ClockPerturbation.slowUnderDeadline(64, 200_000)));
        assertThat(slowed).isEqualTo(alone);
        // the same fit again, counted: it reached the confirmations, and its bits are the same too
        assertThat(ClockPerturbation.fingerprint(uncut(fit).outcome())).isEqualTo(alone);
    }

    /**
     * Counts every poll from inside {@code ColumnGeneration.bounded} (read off the polling thread's stack) and trips
     * from the {@code tripAt}-th of them on: as a deadline ({@link #timedOut}, the finishing then gets
     * {@link #GRACE_NANOS} from that moment) or as a cancel (a DELETE).
     */
    static final class BoundedPolls implements CancellationToken {
        private static final StackWalker STACK = StackWalker.getInstance();
        /** Frames between this token and {@code bounded}: the token, the branch and bound, ProvenDualNorm, with room. */
        private static final int DEPTH = 12;

        final AtomicLong bounded = new AtomicLong();
        final AtomicLong boundedPastTrip = new AtomicLong();
        /** {@link System#nanoTime()} when it tripped, 0 before. */
        volatile long trippedAt;
        private final long tripAt;
        private final boolean deadline;

        BoundedPolls(long tripAt, boolean deadline) {
            this.tripAt = tripAt;
            this.deadline = deadline;
        }

        private static boolean insideBounded() {
            return STACK.walk(frames -> frames.limit(DEPTH).anyMatch(f -> f.getMethodName().equals("bounded")
                    && f.getClassName().equals("io.sparsefit.core.solver.convex.ColumnGeneration")));
        }

        @Override
        public boolean isCancelled() {
            if (insideBounded()) {
                if (trippedAt != 0) {
                    boundedPastTrip.incrementAndGet();
                } else if (bounded.incrementAndGet() >= tripAt) {
                    trippedAt = System.nanoTime();
                }
            }
            return trippedAt != 0;
        }

        @Override
        public boolean timedOut() {
            return deadline && trippedAt != 0;
        }

        @Override
        public CancellationToken ignoringDeadline() {
            return deadline ? NEVER : this;
        }

        @Override
        public CancellationToken finishing() {
            if (!deadline) {
                return this;
            }
            BooleanSupplier graceOver = () -> trippedAt != 0 && System.nanoTime() - trippedAt >= GRACE_NANOS;
            return DeadlineTokens.grace(graceOver, graceOver, NEVER);
        }
    }
}
