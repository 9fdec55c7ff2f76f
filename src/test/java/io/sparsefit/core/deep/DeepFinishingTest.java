package io.sparsefit.core.deep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.diagnostics.LinearRun;
import io.sparsefit.core.finish.Prune;
import io.sparsefit.core.finish.Rebalance;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rebalancing and pruning keep the function (to 1e-12 relative) and never raise the weight decay. */
class DeepFinishingTest {

    @ParameterizedTest(name = "depth {0}, linear {1}, m = {2}")
    @CsvSource({"1,1,1", "2,0,2", "2,1,1", "3,2,2", "3,0,1"})
    void rebalancingKeepsTheFunctionAndLowersThePenalty(int depth, int linear, int m) {
        int[] widths = new int[depth];
        java.util.Arrays.fill(widths, 5);
        Network net = RandomDeepNetworks.network(3, m, widths, linear, true, 31L * depth + linear);
        DMatrixRMaj x = RandomNetworks.matrix(200, 3, 5);
        double[][] before = RandomDeepNetworks.evaluate(net, x);
        double penaltyBefore = WeightDecay.INSTANCE.value(net);
        Rebalance.rebalanceInPlace(net);
        assertThat(RandomDeepNetworks.maxRelativeDifference(before, net.predict(x, null))).isLessThan(1e-12);
        assertThat(WeightDecay.INSTANCE.value(net)).isLessThanOrEqualTo(penaltyBefore);
        assertThat(Rebalance.balanceError(net)).isLessThanOrEqualTo(1e-8);   // A4 per layer
        // Balanced runs: the raw penalty of the factors equals (q/2) sum sigma^{2/q} of their product (A8).
        for (LinearRun run : DiagnosticsCalculator.compute(net, problem(x, m), settings(), io.sparsefit.core.solver.SolverType.LBFGS, result(net), 0,
                Double.NaN, Double.NaN, () -> false, () -> false).deep().linearRuns()) {
            assertThat(run.rawPenalty()).isCloseTo(run.schattenPenalty(), within(1e-9 * run.rawPenalty()));
        }
    }

    @ParameterizedTest(name = "depth {0}, linear {1}")
    @CsvSource({"2,0", "2,1", "3,1"})
    void pruningRemovesDeadAndConstantUnitsWithoutChangingTheFunction(int depth, int linear) {
        int[] widths = new int[depth];
        java.util.Arrays.fill(widths, 6);
        Network net = RandomDeepNetworks.network(2, 2, widths, linear, true, 7L * depth + linear);
        List<Layer> layers = net.layers();
        int firstRelu = linear;
        // Unit 0 of the first ReLU layer: no outgoing weights. Unit 1: no incoming weights, bias -0.8 (constant 0.8).
        Layer relu = layers.get(firstRelu);
        Layer next = layers.get(firstRelu + 1);
        for (int i = 0; i < next.outputs(); i++) {
            next.weights().set(i, 0, 0.0);
        }
        for (int j = 0; j < relu.inputs(); j++) {
            relu.weights().set(1, j, 0.0);
        }
        relu.bias()[1] = -0.8;
        // The last layer's unit 2: outgoing weights zero.
        for (int i = 0; i < 2; i++) {
            net.outputWeights().set(2, i, 0.0);
        }
        DMatrixRMaj x = RandomNetworks.matrix(150, 2, 3);
        double[][] before = RandomDeepNetworks.evaluate(net, x);
        Network pruned = Prune.prune(net, Prune.DEFAULT_RELATIVE_THRESHOLD);
        assertThat(pruned.layers().get(firstRelu).outputs()).isEqualTo(4);
        assertThat(pruned.lastWidth()).isLessThanOrEqualTo(5);
        assertThat(RandomDeepNetworks.maxRelativeDifference(before, pruned.predict(x, null))).isLessThan(1e-12);
        assertThat(RandomDeepNetworks.maxRelativeDifference(RandomDeepNetworks.evaluate(pruned, x), pruned.predict(x, null)))
                .isLessThan(1e-12);
    }

    private static io.sparsefit.core.FitProblem problem(DMatrixRMaj x, int m) {
        return new io.sparsefit.core.FitProblem(x, RandomNetworks.matrix(x.numRows, m, 99));
    }

    private static io.sparsefit.core.solver.FitSettings settings() {
        return io.sparsefit.core.solver.FitSettings.defaults(0.1);
    }

    private static io.sparsefit.core.solver.SolverResult result(Network net) {
        return new io.sparsefit.core.solver.SolverResult(net, io.sparsefit.core.solver.StopReason.CONVERGED, 0, List.of());
    }
}
