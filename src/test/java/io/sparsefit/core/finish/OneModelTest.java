package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One network model (issue 19): a one-hidden-layer network is one whatever built it. Held by the general
 * {@link Network} constructor (as the stored-model decoder builds it; {@link RandomNetworks#general}) it is read
 * through its {@link Network#oneLayer()} view and goes through the very same rebalancing, polish, pruning and finishing
 * as when built as a {@link ShallowNetwork}: the same parameters bit for bit. The polish's reported objective is also
 * checked against an independent evaluation, {@code 1/2 ||f - y||^2 + lambda pathNorm}, to 1e-12 relative.
 */
class OneModelTest {

    @ParameterizedTest(name = "d = {0}, m = {1}")
    @CsvSource({"1,1", "2,1", "3,2"})
    void rebalancingIsTheSameWhateverBuiltTheNetwork(int d, int m) {
        ShallowNetwork one = RandomNetworks.network(d, m, 7, true, 11L * d + m);
        Network general = RandomNetworks.general(one);
        Rebalance.rebalanceInPlace(one);
        Rebalance.rebalanceInPlace(general);
        assertThat(parameters(general)).containsExactly(parameters(one));
        for (int k = 0; k < one.width(); k++) {
            assertThat(Math.abs(one.outputNorm(k) - one.inputNorm(k))).isLessThanOrEqualTo(1e-12 * one.inputNorm(k));
        }
    }

    @ParameterizedTest(name = "d = {0}, m = {1}")
    @CsvSource({"1,1", "2,1", "2,2"})
    void polishAndPruneAreTheSameWhateverBuiltTheNetwork(int d, int m) {
        ShallowNetwork one = RandomNetworks.network(d, m, 9, true, 5L * d + m);
        DMatrixRMaj x = RandomNetworks.matrix(60, d, 17);
        DMatrixRMaj y = one.predict(x, null);
        DMatrixRMaj noise = RandomNetworks.matrix(60, m, 23);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] += 0.1 * noise.data[i];
        }
        FitProblem problem = new FitProblem(x, y);
        double lambda = 0.05;
        Polish.Result<ShallowNetwork> shallow = Polish.polish(one, problem, lambda, () -> false);
        Polish.Result<Network> general = Polish.polish(RandomNetworks.general(one), problem, lambda, () -> false);
        assertThat(general.objective()).isEqualTo(shallow.objective());
        assertThat(parameters(general.network())).containsExactly(parameters(shallow.network()));
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
        // Pruning exact zeros: neuron 0 has no output, neuron 1 is a constant; both forms drop them.
        ShallowNetwork zeroed = one.copy();
        java.util.Arrays.fill(zeroed.outputWeights().data, 0, m, 0.0);
        java.util.Arrays.fill(zeroed.inputWeights().data, d, 2 * d, 0.0);
        Network prunedGeneral = Prune.prune(RandomNetworks.general(zeroed), 0.0);
        ShallowNetwork prunedOne = Prune.prune(zeroed, 0.0);
        assertThat(prunedOne.width()).isEqualTo(7);
        assertThat(parameters(prunedGeneral)).containsExactly(parameters(prunedOne));
        assertThat(RandomNetworks.relativeDifference(prunedOne.predict(x, null), zeroed.predict(x, null))).isLessThan(1e-12);
    }

    @ParameterizedTest(name = "regularization {0}")
    @CsvSource({"WEIGHT_DECAY", "NONE"})
    void finishingIsTheSameWhateverBuiltTheNetwork(Regularization regularization) {
        ShallowNetwork one = RandomNetworks.network(2, 1, 8, true, 3);
        DMatrixRMaj x = RandomNetworks.matrix(80, 2, 4);
        Network general = Finishing.finish(RandomNetworks.general(one), null, regularization);
        ShallowNetwork finished = Finishing.finish(one, null, regularization);
        assertThat(parameters(general)).containsExactly(parameters(finished));
        assertThat(RandomNetworks.relativeDifference(finished.predict(x, null), one.predict(x, null))).isLessThan(1e-12);
    }

    private static double[] parameters(Network net) {
        double[] p = new double[net.parameterCount()];
        net.getParameters(p);
        return p;
    }
}
