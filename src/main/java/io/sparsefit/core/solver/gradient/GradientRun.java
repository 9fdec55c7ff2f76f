package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.StopReason;

/**
 * What a gradient solver's loop keeps besides its iterate (theory C3): the loss curve ({@link #log()}), the iterations
 * counted and why it stopped. A run that {@link #started} from a finite point loops {@code while (run.goesOn())}, one
 * look at the token a turn before any work, {@link #count()}s its iteration, {@link #stop}s for a reason of its own, and
 * ends with the {@link #result} of its network. A resumable run ({@code Lbfgs.Run}) pauses with {@link #goesOnBefore}
 * and asks whether it has {@link #ended}.
 */
public final class GradientRun {

    private final TrainingLog log;
    private final CancellationToken cancel;
    private final int maxIter;
    private int iteration;
    private StopReason reason = StopReason.MAX_ITERATIONS;
    private boolean ended;

    /** A run of at most {@code settings.maxIter()} iterations, logged every {@code settings.logEvery()}. */
    public GradientRun(FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        this.log = new TrainingLog(progress, settings.logEvery());
        this.cancel = cancel;
        this.maxIter = settings.maxIter();
    }

    /**
     * Records the starting point (iteration 0, its data fit and penalty); whether training can start from it: false,
     * and the run {@link StopReason#DIVERGED}, when its {@code objective} or {@code gradient} (null: none computed) is not
     * finite.
     */
    public boolean started(double objective, double dataFit, double penalty, double[] gradient) {
        log.record(0, dataFit, penalty);
        if (!Double.isFinite(objective) || gradient != null && !Vectors.allFinite(gradient)) {
            stop(StopReason.DIVERGED);
            return false;
        }
        return true;
    }

    /** Whether another iteration starts: fewer than {@code maxIter} so far, and the token not cancelled (else CANCELLED). */
    public boolean goesOn() {
        return goesOnBefore(Integer.MAX_VALUE);
    }

    /**
     * {@link #goesOn}, paused at {@code pauseAt} iterations: false there too, but the run has not {@link #ended} (it
     * goes on from there at a later call). The iteration limit is looked at first, then the pause, then the token.
     */
    public boolean goesOnBefore(int pauseAt) {
        if (iteration >= maxIter) {
            ended = true;
            return false;
        }
        if (iteration >= pauseAt) {
            return false;
        }
        if (cancel.isCancelled()) {
            stop(StopReason.CANCELLED);
            return false;
        }
        return true;
    }

    /** Whether the run has ended: stopped, cancelled, at {@code maxIter}, or its {@link #result} taken. */
    public boolean ended() {
        return ended;
    }

    /** Counts an iteration; its number. */
    public int count() {
        return ++iteration;
    }

    /** Takes back the last {@link #count()}: that turn took no step. */
    public void uncount() {
        iteration--;
    }

    /** The iterations counted so far. */
    public int iteration() {
        return iteration;
    }

    /** Ends the run for {@code why} (the loop breaks after it). */
    public void stop(StopReason why) {
        reason = why;
        ended = true;
    }

    /** The loss curve. */
    public TrainingLog log() {
        return log;
    }

    /**
     * The result, ending the run: a copy of {@code net} (not modified), why the run stopped (MAX_ITERATIONS for a run
     * that goes on: the caller's budget for it), its iterations and loss curve.
     */
    public SolverResult result(Network net) {
        ended = true;
        return new SolverResult(net.copy(), reason, iteration, log.points());
    }
}
