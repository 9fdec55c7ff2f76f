package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.ClockPerturbation;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * A time budget may stop a fit, but then the fit says TIME_LIMIT: a convex solve whose token was seen tripped at any poll
 * ends CANCELLED (which {@link SparseFit} reports as TIME_LIMIT for a deadline), whichever exit it takes afterwards.
 */
class ColumnGenerationDeadlineTest {

    /** Uniform inputs in [-1, 1]^d, two kinks and noise: at 30 x 3 and lambda 0.3 the solve ends by its stall guard. */
    private static FitProblem kinks(int n, int d, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                x.set(i, j, rnd.nextDouble(-1, 1));
                s += (j + 1) * x.get(i, j);
            }
            y.set(i, 0, Math.max(0, s) - Math.max(0, x.get(i, 0) - 0.3) + 0.05 * rnd.nextGaussian());
        }
        return new FitProblem(x, y);
    }

    /**
     * The deadline passes during the last round's restricted solve or sliding (the last ~1,000 of ~400,000 polls): those
     * solves were cut short, so the round is neither a stall to count nor a result. Before the check after each round's
     * solves, the stall guard ended such a fit as MAX_ITERATIONS with the cut network.
     */
    @Test
    void aDeadlineDuringTheLastRoundsSolvesIsATimeLimit() {
        FitProblem problem = kinks(30, 3, 4);
        FitSettings settings = FitSettings.defaults(0.3).withSeed(7).withSolver(SolverType.CONVEX);
        AtomicLong polls = new AtomicLong();
        SolverResult free = new ColumnGeneration().solve(problem, settings, ProgressListener.NONE, () -> polls.incrementAndGet() < 0);
        assertThat(free.stopReason()).isNotEqualTo(StopReason.CANCELLED);
        for (long before : new long[] {1, 32, 1024}) {
            long at = polls.get() - before;
            SolverResult cut = new ColumnGeneration().solve(problem, settings, ProgressListener.NONE,
                    ClockPerturbation.deadlineAfterPolls(at));
            assertThat(cut.stopReason()).as("deadline after %d of %d polls", at, polls.get()).isEqualTo(StopReason.CANCELLED);
        }
        assertThat(SparseFit.fit(problem, settings, ProgressListener.NONE, ClockPerturbation.deadlineAfterPolls(polls.get() - 1))
                .diagnostics().stopReason()).isEqualTo(StopReason.TIME_LIMIT);
    }
}
