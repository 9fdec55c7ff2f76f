package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.penalty.Penalty;

/**
 * The objective {@code J(theta)} of {@link NetworkObjective} (theory A2b) for networks of one shape, over the flat
 * parameter vector: what L-BFGS and Adam minimize. Each evaluation writes theta into a working network and runs the
 * objective's kernel on it; value and gradient go into the caller's arrays, nothing is allocated per call. The working
 * network then holds the last evaluated parameters.
 */
public final class NetworkLoss {

    private final Network network;
    private final NetworkObjective objective;
    private final Penalty penalty;
    private final double lambda;

    /**
     * @param problem the data, not modified
     * @param network the working network: its shape fixes the objective's, and every evaluation overwrites its
     *                parameters (modified)
     * @param penalty the penalty, or null for none
     */
    public NetworkLoss(FitProblem problem, Network network, Penalty penalty, double lambda) {
        this.network = network;
        this.penalty = penalty;
        this.lambda = lambda;
        this.objective = new NetworkObjective(problem, network);
    }

    /** Length of theta. */
    public int dimension() {
        return network.parameterCount();
    }

    /** Number of data rows N. */
    public int rows() {
        return objective.rows();
    }

    /**
     * J at {@code theta} (not modified); when {@code gradient} is not null, also dJ/dtheta into it (length
     * {@link #dimension()}, overwritten).
     */
    public double evaluate(double[] theta, double[] gradient) {
        return evaluateRows(theta, null, rows(), 1.0, gradient);
    }

    /**
     * J with the data fit restricted to {@code rows[0..count)} (null: rows {@code 0..count)}) and multiplied by
     * {@code dataScale} (N / count estimates the full sum, for Adam's mini-batches); the penalty is added once,
     * unscaled. {@code theta} is not modified; {@code gradient}, when not null, is overwritten.
     */
    public double evaluateRows(double[] theta, int[] rows, int count, double dataScale, double[] gradient) {
        network.setParameters(theta);
        return objective.evaluateRows(network, rows, count, dataScale, penalty, lambda, gradient);
    }

    /** The data fit of the working network's current parameters on all rows, without the penalty. */
    public double dataFitCurrent() {
        return objective.dataFit(network, null);
    }

    /** The data-fit part of the last evaluation, {@code sum_n w_n loss(f_n; y_n)} (times the batch scale). */
    public double lastDataFit() {
        return objective.lastDataFit();
    }

    /** The penalty part of the last evaluation, {@code lambda R} (with the skip decay of a classification loss). */
    public double lastPenalty() {
        return objective.lastPenalty();
    }
}
