package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Penalty;

/**
 * {@code J(theta) = 1/2 sum ||f_theta(x_n) - y_n||^2 + lambda R(theta)} (theory A2) for networks of one shape, as an
 * {@link Objective}: each evaluation writes theta into a working network and runs the kernel for its kind
 * ({@link NetworkObjective} for one hidden layer, {@link DeepObjective} otherwise). The working network then holds the
 * last evaluated parameters.
 */
public final class NetworkLoss implements SampledObjective {

    private final Network network;
    private final NetworkObjective shallow;
    private final DeepObjective deep;
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
        if (network instanceof ShallowNetwork s) {
            this.shallow = new NetworkObjective(problem, s.width(), s.hasSkip());
            this.deep = null;
        } else {
            this.shallow = null;
            this.deep = new DeepObjective(problem, (DeepNetwork) network);
        }
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
        return shallow != null ? shallow.rows() : deep.rows();
    }

    @Override
    public double evaluate(double[] theta, double[] gradient) {
        return evaluateRows(theta, null, rows(), 1.0, gradient);
    }

    @Override
    public double evaluateRows(double[] theta, int[] rows, int count, double dataScale, double[] gradient) {
        network.setParameters(theta);
        return evaluateCurrent(rows, count, dataScale, gradient);
    }

    /** J of the working network's current parameters on all rows (no copy of theta), gradient as in {@link #evaluate}. */
    public double evaluateCurrent(double[] gradient) {
        return evaluateCurrent(null, rows(), 1.0, gradient);
    }

    /** The data fit of the working network's current parameters on all rows, without the penalty. */
    public double dataFitCurrent() {
        return shallow != null ? shallow.dataFit((ShallowNetwork) network, null)
                : deep.evaluateRows((DeepNetwork) network, null, deep.rows(), 1.0, null, 0.0, null);
    }

    private double evaluateCurrent(int[] rows, int count, double dataScale, double[] gradient) {
        return shallow != null
                ? shallow.evaluateRows((ShallowNetwork) network, rows, count, dataScale, penalty, lambda, gradient)
                : deep.evaluateRows((DeepNetwork) network, rows, count, dataScale, penalty, lambda, gradient);
    }

    @Override
    public double lastDataFit() {
        return shallow != null ? shallow.lastDataFit() : deep.lastDataFit();
    }

    @Override
    public double lastPenalty() {
        return shallow != null ? shallow.lastPenalty() : deep.lastPenalty();
    }
}
