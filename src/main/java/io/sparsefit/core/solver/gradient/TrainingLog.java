package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import java.util.ArrayList;
import java.util.List;

/**
 * The loss curve of one fit: a {@link LossPoint} at iteration 0, every {@code logEvery} iterations and
 * at the last iteration, each also passed to the progress listener.
 */
public final class TrainingLog {

    private final ProgressListener listener;
    private final int logEvery;
    private final List<LossPoint> points = new ArrayList<>();

    public TrainingLog(ProgressListener listener, int logEvery) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.logEvery = logEvery;
    }

    /** Whether iteration {@code iteration} is one that {@link #record} keeps. */
    public boolean due(int iteration) {
        return iteration % logEvery == 0;
    }

    /** Records the point if it is due. */
    public void maybeRecord(int iteration, double dataFit, double penalty) {
        if (due(iteration)) {
            record(iteration, dataFit, penalty);
        }
    }

    /** Records the point unless the last one recorded has the same iteration. */
    public void record(int iteration, double dataFit, double penalty) {
        if (!points.isEmpty() && points.get(points.size() - 1).iteration() == iteration) {
            return;
        }
        double objective = dataFit + penalty;
        points.add(new LossPoint(iteration, objective, dataFit, penalty));
        listener.onProgress(iteration, objective, dataFit, penalty);
    }

    /**
     * Records the final point, which must describe the network the solver returns. If a point with this
     * iteration was already recorded with other values (the network changed after it was logged, as a knot
     * revival does without taking an iteration), that point is replaced and the listener called again.
     */
    public void recordLast(int iteration, double dataFit, double penalty) {
        if (!points.isEmpty() && points.get(points.size() - 1).iteration() == iteration) {
            LossPoint last = points.get(points.size() - 1);
            if (last.dataFit() == dataFit && last.penalty() == penalty) {
                return;
            }
            points.remove(points.size() - 1);
        }
        record(iteration, dataFit, penalty);
    }

    public List<LossPoint> points() {
        return points;
    }
}
