package io.sparsefit.core.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The objective with every loss and sample weights (theory A2b): the value against the loss applied to the network's
 * own predictions plus the penalty (and the skip decay of a classification loss), and the gradient of both kernels
 * and of the deep objective against central differences of that value.
 */
class LossObjectiveTest {

    static Stream<Arguments> cases() {
        List<Loss> losses = List.of(Loss.squared(), new HuberLoss(0.5), LogisticLoss.INSTANCE, new CrossEntropyLoss(3));
        return losses.stream().flatMap(loss -> Stream.of(NetworkObjective.Kernel.FUSED, NetworkObjective.Kernel.BLOCKED)
                .map(kernel -> Arguments.of(loss, kernel)));
    }

    private static FitProblem problem(Loss loss, int n, int d, Random rnd) {
        double[][] x = new double[n][d];
        int m = loss instanceof CrossEntropyLoss ce ? ce.classes() : loss instanceof LogisticLoss ? 1 : 2;
        double[][] y = new double[n][loss.targetColumns(m)];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = rnd.nextGaussian();
            }
            for (int c = 0; c < y[i].length; c++) {
                y[i][c] = loss.classification() ? rnd.nextInt(m == 1 ? 2 : m) : rnd.nextGaussian();
            }
            w[i] = 0.2 + 2 * rnd.nextDouble();
        }
        return FitProblem.of(x, y).withLoss(loss).withSampleWeights(w);
    }

    /** The objective computed from scratch: predictions, the loss, the penalty, the skip decay. */
    private static double reference(FitProblem p, Network net, double lambda) {
        DMatrixRMaj f = net.predict(p.x(), null);
        double fit = p.loss().value(f.data, p.y().data, p.sampleWeights(), p.rows(), p.outputDim());
        double c = 0;
        if (p.loss().classification()) {
            for (double ci : net.skipWeights().data) {
                c += ci * ci;
            }
        }
        return fit + lambda * WeightDecay.INSTANCE.value(net) + 0.5 * lambda * c;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void shallowValueAndGradientWithWeights(Loss loss, NetworkObjective.Kernel kernel) {
        Random rnd = new Random(11);
        FitProblem p = problem(loss, 23, 3, rnd);
        ShallowNetwork net = RandomNetworks.network(3, p.outputDim(), 5, true, 3);
        double lambda = 0.3;
        NetworkObjective objective = new NetworkObjective(p, 5, true, kernel);
        double[] grad = new double[net.parameterCount()];
        double j = objective.evaluate(net, WeightDecay.INSTANCE, lambda, grad);
        assertThat(j).isCloseTo(reference(p, net, lambda), within(1e-10 * Math.abs(j)));
        assertThat(objective.lastDataFit() + objective.lastPenalty()).isEqualTo(j);
        checkAgainstCentralDifferences(p, net, lambda, grad);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void deepValueAndGradientWithWeights(Loss loss, NetworkObjective.Kernel ignored) {
        Random rnd = new Random(12);
        FitProblem p = problem(loss, 19, 2, rnd);
        Network net = Network.zeros(2, p.outputDim(), new int[] {4, 3}, 0, true);
        double[] theta = new double[net.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = 0.8 * rnd.nextGaussian();
        }
        net.setParameters(theta);
        double lambda = 0.2;
        NetworkObjective objective = new NetworkObjective(p, net);
        double[] grad = new double[net.parameterCount()];
        double j = objective.evaluateRows(net, null, p.rows(), 1.0, WeightDecay.INSTANCE, lambda, grad);
        assertThat(j).isCloseTo(reference(p, net, lambda), within(1e-10 * Math.abs(j)));
        checkAgainstCentralDifferences(p, net, lambda, grad);
    }

    private static void checkAgainstCentralDifferences(FitProblem p, Network net, double lambda, double[] grad) {
        double[] theta = new double[net.parameterCount()];
        net.getParameters(theta);
        Network probe = net.copy();
        double h = 1e-6;
        for (int i = 0; i < theta.length; i++) {
            double[] t = theta.clone();
            t[i] += h;
            probe.setParameters(t);
            double plus = reference(p, probe, lambda);
            t[i] -= 2 * h;
            probe.setParameters(t);
            double minus = reference(p, probe, lambda);
            double fd = (plus - minus) / (2 * h);
            assertThat(grad[i]).as("parameter %d", i).isCloseTo(fd, within(1e-5 * (1 + Math.abs(fd))));
        }
    }
}
