package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.penalty.Penalty;

/**
 * The objective of {@link NetworkObjective} (theory A2b) for networks of one shape, as an {@link Objective} over the flat
 * parameter vector: each evaluation writes theta into a working network and runs the objective's kernel on it. The
 * working network then holds the last evaluated parameters.
 */
public final class NetworkLoss implements SampledObjective {

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

    /** The working network (holds the parameters of the last evaluation). */
    public Network network() {
        return network;
    }

    @Override
    public int dimension() {
        return network.parameterCount();
    }

    @Override
    public int rows() {
        return objective.rows();
    }

    @Override
    public double evaluate(double[] theta, double[] gradient) {
        return evaluateRows(theta, null, rows(), 1.0, gradient);
    }

    @Override
    public double evaluateRows(double[] theta, int[] rows, int count, double dataScale, double[] gradient) {
        network.setParameters(theta);
        return objective.evaluateRows(network, rows, count, dataScale, penalty, lambda, gradient);
    }

    /** The data fit of the working network's current parameters on all rows, without the penalty. */
    public double dataFitCurrent() {
        return objective.dataFit(network, null);
    }

    @Override
    public double lastDataFit() {
        return objective.lastDataFit();
    }

    @Override
    public double lastPenalty() {
        return objective.lastPenalty();
    }
}
