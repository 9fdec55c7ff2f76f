package io.sparsefit.core.penalty;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.finish.Rebalance;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PenaltyTest {

    @ParameterizedTest
    @EnumSource(Regularization.class)
    void gradientMatchesCentralDifferencesOfTheValue(Regularization reg) {
        Penalty penalty = reg.penalty();
        for (int d : new int[] {1, 3}) {
            for (int m : new int[] {1, 2}) {
                ShallowNetwork net = RandomNetworks.network(d, m, 4, true, 10L * d + m);
                double lambda = 0.37;
                double[] gradient = new double[net.parameterCount()];
                penalty.addGradient(net, lambda, gradient);
                double[] theta = new double[net.parameterCount()];
                net.getParameters(theta);
                double h = 1e-6;
                for (int i = 0; i < theta.length; i++) {
                    double keep = theta[i];
                    theta[i] = keep + h;
                    double plus = valueAt(net, theta, penalty);
                    theta[i] = keep - h;
                    double minus = valueAt(net, theta, penalty);
                    theta[i] = keep;
                    double numeric = lambda * (plus - minus) / (2 * h);
                    // central differences of a smooth function: error ~1e-10 here
                    assertThat(gradient[i]).isCloseTo(numeric, Offset.offset(1e-7 * Math.max(1, Math.abs(numeric))));
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"1,1", "3,2"})
    void pathNormIsAtMostWeightDecayWithEqualityWhenBalanced(int d, int m) {
        ShallowNetwork net = RandomNetworks.network(d, m, 6, false, 5);
        assertThat(PathNorm.of(net)).isLessThanOrEqualTo(WeightDecay.INSTANCE.value(net));
        ShallowNetwork balanced = Rebalance.rebalance(net);
        assertThat(WeightDecay.INSTANCE.value(balanced)).isCloseTo(PathNorm.of(net), Offset.offset(1e-12 * PathNorm.of(net)));
    }

    @ParameterizedTest
    @CsvSource({"1", "3"})
    void pathNormGradientOfAVanishedNeuronIsZero(int d) {
        ShallowNetwork net = RandomNetworks.network(d, 2, 3, true, 6);
        net.outputWeights().data[2] = 0;
        net.outputWeights().data[3] = 0;
        double[] gradient = new double[net.parameterCount()];
        PathNorm.INSTANCE.addGradient(net, 1.0, gradient);
        for (int j = 0; j < d; j++) {
            assertThat(gradient[net.offsetLayer(0) + d + j]).isZero();
        }
        assertThat(gradient[net.offsetOutput() + 2]).isZero();
    }

    private static double valueAt(ShallowNetwork net, double[] theta, Penalty penalty) {
        ShallowNetwork probe = net.copy();
        probe.setParameters(theta.clone());
        return penalty.value(probe);
    }
}
