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
 * ends with the {@link #result} of its network.
 */
public final class GradientRun {

    private final TrainingLog log;
    private final CancellationToken cancel;
    private final int maxIter;
    private int iteration;
    private StopReason reason = StopReason.MAX_ITERATIONS;

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
            reason = StopReason.DIVERGED;
            return false;
        }
        return true;
    }

    /** Whether another iteration starts: fewer than {@code maxIter} so far, and the token not cancelled (else CANCELLED). */
    public boolean goesOn() {
        if (iteration >= maxIter) {
            return false;
        }
        if (cancel.isCancelled()) {
            reason = StopReason.CANCELLED;
            return false;
        }
        return true;
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
    }

    /** The loss curve. */
    public TrainingLog log() {
        return log;
    }

    /** The result: a copy of {@code net} (not modified), why the run stopped, its iterations and loss curve. */
    public SolverResult result(Network net) {
        return new SolverResult(net.copy(), reason, iteration, log.points());
    }
}
