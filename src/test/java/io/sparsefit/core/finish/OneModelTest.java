package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One implementation for every depth (issue 19): a one-hidden-layer network held in the layered form
 * ({@link DeepNetwork#of}, read layer by layer) goes through the same rebalancing, polish and pruning as in its
 * one-layer form ({@link ShallowNetwork}, read through {@link Network#oneLayer()}), and ends computing the same
 * function with the same objective. The two forms reach their numbers by different code (the layered kernels against
 * the one-layer blocked prediction), so they agree to rounding: 1e-12 relative for rebalancing, 1e-9 for the polish,
 * whose group lasso stops on a duality gap.
 */
class OneModelTest {

    @ParameterizedTest(name = "d = {0}, m = {1}")
    @CsvSource({"1,1", "2,1", "3,2"})
    void rebalancingIsTheSameInBothForms(int d, int m) {
        ShallowNetwork one = RandomNetworks.network(d, m, 7, true, 11L * d + m);
        Network layered = DeepNetwork.of(one);
        Rebalance.rebalanceInPlace(one);
        Rebalance.rebalanceInPlace(layered);
        double[] a = new double[one.parameterCount()];
        double[] b = new double[layered.parameterCount()];
        one.getParameters(a);
        layered.getParameters(b);
        assertThat(b).containsExactly(a);   // the same unit step, the same order of operations
        for (int k = 0; k < one.width(); k++) {
            assertThat(Math.abs(one.outputNorm(k) - one.inputNorm(k))).isLessThanOrEqualTo(1e-12 * one.inputNorm(k));
        }
    }

    @ParameterizedTest(name = "d = {0}, m = {1}")
    @CsvSource({"1,1", "2,1", "2,2"})
    void polishAndPruneAgreeInBothForms(int d, int m) {
        ShallowNetwork one = RandomNetworks.network(d, m, 9, true, 5L * d + m);
        DMatrixRMaj x = RandomNetworks.matrix(60, d, 17);
        DMatrixRMaj y = one.predict(x, null);
        DMatrixRMaj noise = RandomNetworks.matrix(60, m, 23);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] += 0.1 * noise.data[i];
        }
        FitProblem problem = new FitProblem(x, y);
        double lambda = 0.05;
        Polish.Result<ShallowNetwork> shallow = Polish.polish(one, problem, lambda);
        Polish.Result<Network> layered = Polish.polish((Network) DeepNetwork.of(one), problem, lambda);
        assertThat(layered.objective()).isCloseTo(shallow.objective(), org.assertj.core.data.Offset.offset(1e-9 * shallow.objective()));
        assertThat(layered.network().lastWidth()).isEqualTo(shallow.network().width());
        assertThat(RandomNetworks.relativeDifference(layered.network().predict(x, null), shallow.network().predict(x, null)))
                .isLessThan(1e-9);
        // The objective the polish reports is the one an independent evaluation gives: 1/2 ||f - y||^2 + lambda pathNorm.
        DMatrixRMaj f = shallow.network().predict(x, null);
        double fit = 0;
        for (int i = 0; i < f.data.length; i++) {
            fit += 0.5 * (f.data[i] - y.data[i]) * (f.data[i] - y.data[i]);
        }
        double path = 0;
        for (int k = 0; k < shallow.network().width(); k++) {
            path += shallow.network().outputNorm(k) * shallow.network().inputNorm(k);
        }
        assertThat(shallow.objective()).isCloseTo(fit + lambda * path, org.assertj.core.data.Offset.offset(1e-12 * shallow.objective()));
        // Pruning exact zeros (no data rule: one that is inactive on every sample would go from the one-layer form only):
        // the layered form drops the same units as the one-layer form with a zero relative threshold.
        ShallowNetwork zeroed = one.copy();
        java.util.Arrays.fill(zeroed.outputWeights().data, 0, m, 0.0);                 // neuron 0: no output
        java.util.Arrays.fill(zeroed.inputWeights().data, d, 2 * d, 0.0);              // neuron 1: a constant
        Network prunedLayered = Prune.prune((Network) DeepNetwork.of(zeroed), 0.0);
        ShallowNetwork prunedOne = Prune.prune(zeroed, 0.0);
        assertThat(prunedLayered.lastWidth()).isEqualTo(prunedOne.width()).isEqualTo(7);
        assertThat(RandomNetworks.relativeDifference(prunedLayered.predict(x, null), zeroed.predict(x, null))).isLessThan(1e-12);
        assertThat(RandomNetworks.relativeDifference(prunedOne.predict(x, null), zeroed.predict(x, null))).isLessThan(1e-12);
    }

    @ParameterizedTest(name = "regularization {0}")
    @CsvSource({"WEIGHT_DECAY", "NONE"})
    void finishingKeepsTheFunctionInBothForms(Regularization regularization) {
        ShallowNetwork one = RandomNetworks.network(2, 1, 8, true, 3);
        DMatrixRMaj x = RandomNetworks.matrix(80, 2, 4);
        Network layered = Finishing.finish((Network) DeepNetwork.of(one), regularization);
        ShallowNetwork finished = Finishing.finish(one, regularization);
        assertThat(RandomNetworks.relativeDifference(layered.predict(x, null), one.predict(x, null))).isLessThan(1e-12);
        assertThat(RandomNetworks.relativeDifference(finished.predict(x, null), one.predict(x, null))).isLessThan(1e-12);
    }
}
