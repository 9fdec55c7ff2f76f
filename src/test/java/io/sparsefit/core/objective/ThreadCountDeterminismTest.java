package io.sparsefit.core.objective;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.kernel.RowChunks;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RowChunks}' rule: the row chunks and the order of their sums depend on the row count only, so one evaluation
 * and a whole fit give the same bits with one thread and with two.
 */
class ThreadCountDeterminismTest {

    private final int threadsBefore = RowChunks.threads();

    @AfterEach
    void restore() {
        RowChunks.setThreads(threadsBefore);
    }

    private static double[] gradient(NetworkObjective objective, ShallowNetwork net, double[] value) {
        double[] g = new double[net.parameterCount()];
        value[0] = objective.evaluate(net, Regularization.WEIGHT_DECAY.penalty(), 0.1, g);
        return g;
    }

    @Test
    void oneEvaluationIsBitIdenticalWithOneAndTwoThreads() {
        FitProblem problem = new FitProblem(RandomNetworks.matrix(3001, 20, 7), RandomNetworks.matrix(3001, 2, 8));
        ShallowNetwork net = RandomNetworks.network(20, 2, 48, true, 9);
        NetworkObjective objective = new NetworkObjective(problem, 48, true, NetworkObjective.Kernel.BLOCKED);
        double[] one = new double[1];
        double[] two = new double[1];
        RowChunks.setThreads(1);
        double[] g1 = gradient(objective, net, one);
        RowChunks.setThreads(2);
        double[] g2 = gradient(objective, net, two);
        assertThat(RowChunks.chunks(3001, NetworkObjective.BLOCK_ROWS)).isEqualTo(2);
        assertThat(Double.doubleToRawLongBits(two[0])).isEqualTo(Double.doubleToRawLongBits(one[0]));
        assertThat(g2).isEqualTo(g1); // element-wise ==, which for these finite values is bit equality
        for (int i = 0; i < g1.length; i++) {
            assertThat(Double.doubleToRawLongBits(g2[i])).as("entry %d", i).isEqualTo(Double.doubleToRawLongBits(g1[i]));
        }
    }

    @Test
    void aDeepEvaluationIsBitIdenticalWithOneAndTwoThreads() {
        FitProblem problem = new FitProblem(RandomNetworks.matrix(2100, 6, 17), RandomNetworks.matrix(2100, 2, 18));
        io.sparsefit.core.network.Network net = io.sparsefit.core.network.Network.zeros(6, 2, new int[] {16, 12}, 1, true);
        double[] theta = new double[net.parameterCount()];
        java.util.Random r = new java.util.Random(19);
        for (int i = 0; i < theta.length; i++) {
            theta[i] = r.nextGaussian() * 0.5;
        }
        net.setParameters(theta);
        NetworkObjective objective = new NetworkObjective(problem, net);
        double[] g1 = new double[theta.length];
        double[] g2 = new double[theta.length];
        RowChunks.setThreads(1);
        double v1 = objective.evaluateRows(net, null, 2100, 1.0, Regularization.WEIGHT_DECAY.penalty(), 0.1, g1);
        RowChunks.setThreads(2);
        double v2 = objective.evaluateRows(net, null, 2100, 1.0, Regularization.WEIGHT_DECAY.penalty(), 0.1, g2);
        assertThat(Double.doubleToRawLongBits(v2)).isEqualTo(Double.doubleToRawLongBits(v1));
        for (int i = 0; i < g1.length; i++) {
            assertThat(Double.doubleToRawLongBits(g2[i])).as("entry %d", i).isEqualTo(Double.doubleToRawLongBits(g1[i]));
        }
    }

    @Test
    void aFitIsBitIdenticalWithOneAndTwoThreads() {
        FitProblem problem = new FitProblem(RandomNetworks.matrix(2500, 8, 11), RandomNetworks.matrix(2500, 1, 12));
        FitSettings settings = FitSettings.defaults(0.05).withSolver(SolverType.LBFGS).withWidth(24).withMaxIter(150).withSeed(4);
        RowChunks.setThreads(1);
        FitOutcome one = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        RowChunks.setThreads(2);
        FitOutcome two = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        double[] p1 = new double[one.network().parameterCount()];
        double[] p2 = new double[two.network().parameterCount()];
        one.network().getParameters(p1);
        two.network().getParameters(p2);
        assertThat(p1.length).isGreaterThan(0);
        for (int i = 0; i < p1.length; i++) {
            assertThat(Double.doubleToRawLongBits(p2[i])).as("parameter %d", i).isEqualTo(Double.doubleToRawLongBits(p1[i]));
        }
        assertThat(two.diagnostics().objective()).isEqualTo(one.diagnostics().objective());
    }
}
