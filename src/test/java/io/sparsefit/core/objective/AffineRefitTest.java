package io.sparsefit.core.objective;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The affine refit ends where the objective's own gradient (computed by {@link NetworkObjective}, independently of
 * the refit's Newton steps) vanishes in {@code c0} and {@code C}, without raising the objective, for every loss with
 * weights; with a classification loss {@code C} carries the skip decay.
 */
class AffineRefitTest {

    static List<Loss> losses() {
        return List.of(Loss.squared(), new HuberLoss(0.4), LogisticLoss.INSTANCE, new CrossEntropyLoss(3));
    }

    @ParameterizedTest
    @MethodSource("losses")
    void endsStationaryInTheAffineParameters(Loss loss) {
        Random rnd = new Random(21);
        int n = 40;
        int d = 2;
        int m = loss instanceof CrossEntropyLoss ce ? ce.classes() : loss instanceof LogisticLoss ? 1 : 2;
        double[][] x = new double[n][d];
        double[][] y = new double[n][loss.targetColumns(m)];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            x[i][0] = rnd.nextGaussian();
            x[i][1] = rnd.nextGaussian();
            for (int c = 0; c < y[i].length; c++) {
                y[i][c] = loss.classification() ? rnd.nextInt(m == 1 ? 2 : m) : 2 * rnd.nextGaussian() + 1;
            }
            w[i] = 0.3 + rnd.nextDouble();
        }
        FitProblem p = FitProblem.of(x, y).withLoss(loss).withSampleWeights(w);
        ShallowNetwork net = RandomNetworks.network(d, m, 4, true, 8);
        double lambda = 0.7;
        NetworkObjective objective = new NetworkObjective(p, 4, true);
        double before = objective.evaluate(net, WeightDecay.INSTANCE, lambda, null);
        AffineRefit.refit(net, p, lambda);
        double[] grad = new double[net.parameterCount()];
        double after = objective.evaluate(net, WeightDecay.INSTANCE, lambda, grad);
        assertThat(after).isLessThanOrEqualTo(before);
        for (int k = net.offsetSkipBias(); k < net.parameterCount(); k++) {
            assertThat(Math.abs(grad[k])).as("affine parameter %d", k).isLessThan(1e-8 * Math.max(1, after));
        }
    }
}
