package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import org.ejml.data.DMatrixRMaj;

/**
 * One block of a problem's rows, copied out for the objective's row-block lanes ({@link BlockedLane}): the inputs,
 * the targets and the sample weights of at most {@code blockRows} rows, in buffers allocated once.
 *
 * <p>Not thread-safe: one per lane.
 */
final class RowBlock {

    private final FitProblem problem;
    private final int d;
    private final int t;
    /** The block's inputs, count x d (reshaped by {@link #gather}). */
    final DMatrixRMaj x;
    /** The block's targets, count x t, row-major. */
    final double[] y;
    /** The block's sample weights, null when the problem is unweighted. */
    final double[] w;

    RowBlock(FitProblem problem, int blockRows) {
        this.problem = problem;
        this.d = problem.inputDim();
        this.t = problem.targetDim();
        this.x = new DMatrixRMaj(blockRows, d);
        this.y = new double[blockRows * t];
        this.w = problem.sampleWeights() == null ? null : new double[blockRows];
    }

    /** The pass over one gathered block of {@code count} rows: returns its (weighted) sum of the losses. */
    @FunctionalInterface
    interface Pass {
        double run(int count);
    }

    /**
     * Rows {@code [from, to)} of {@code rows} (null: of the problem) in blocks of at most {@code blockRows}, in
     * increasing order: gathers each block and runs {@code pass} on it; returns the sum of what the passes return.
     */
    double sum(int[] rows, int from, int to, int blockRows, Pass pass) {
        double lossSum = 0;
        for (int start = from; start < to; start += blockRows) {
            int count = Math.min(blockRows, to - start);
            gather(rows, start, count);
            lossSum += pass.run(count);
        }
        return lossSum;
    }

    /** Copies rows {@code rows[start .. start + count)} (null: rows {@code start ..}) of the problem into this block. */
    private void gather(int[] rows, int start, int count) {
        x.reshape(count, d);
        double[] xs = problem.x().data;
        double[] ys = problem.y().data;
        double[] ws = problem.sampleWeights();
        if (rows == null) {
            System.arraycopy(xs, start * d, x.data, 0, count * d);
            System.arraycopy(ys, start * t, y, 0, count * t);
            if (ws != null) {
                System.arraycopy(ws, start, w, 0, count);
            }
        } else {
            for (int r = 0; r < count; r++) {
                int row = rows[start + r];
                System.arraycopy(xs, row * d, x.data, r * d, d);
                System.arraycopy(ys, row * t, y, r * t, t);
                if (ws != null) {
                    w[r] = ws[row];
                }
            }
        }
    }
}
