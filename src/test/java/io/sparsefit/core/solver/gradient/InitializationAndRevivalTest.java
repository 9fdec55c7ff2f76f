package io.sparsefit.core.solver.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InitializationAndRevivalTest {

    @Test
    void oneInputStartHasAKnotJustBesideEveryDistinctInteriorPointAndIsDeterministic() {
        double[] x = {3.0, 0.0, 1.0, 1.0, 2.5, 4.0, 6.0};   // distinct: 0, 1, 2.5, 3, 4, 6; interior: 1, 2.5, 3, 4
        double[] y = {1, 0, 2, 2, 0, 1, 3};
        FitProblem problem = FitProblem.of1D(x, y);
        ShallowNetwork a = Initialization.initialize(problem, 7, true, 11, true);
        ShallowNetwork b = Initialization.initialize(problem, 7, true, 11, true);

        double[] pa = new double[a.parameterCount()];
        double[] pb = new double[b.parameterCount()];
        a.getParameters(pa);
        b.getParameters(pb);
        assertThat(pa).containsExactly(pb);

        double[] interior = {1.0, 2.5, 3.0, 4.0};
        double[] next = {2.5, 3.0, 4.0, 6.0};
        for (int k = 0; k < interior.length; k++) {
            double knot = a.bias[k] / a.inputWeights.data[k];
            assertThat(knot).isBetween(interior[k], interior[k] + Initialization.KNOT_JITTER * (next[k] - interior[k]));
        }
        // Balanced start (A4): |w| = |v| for every neuron.
        assertThat(DiagnosticsCalculator.balanceError(a)).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void narrowOneInputStartFallsBackToRandomHyperplanes() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        FitProblem problem = FitProblem.of1D(x, x.clone());
        ShallowNetwork net = Initialization.initialize(problem, 3, true, 5);
        assertThat(net.width()).isEqualTo(3);
        for (int k = 0; k < 3; k++) {
            assertThat(net.inputNorm(k)).isPositive();
        }
    }

    @Test
    void revivalAddsTheMissingKnotAtADataPointAndLowersTheObjective() {
        // Data with a clear kink at x = 5; the network is affine (its only neuron has v = 0).
        double[] x = new double[11];
        double[] y = new double[11];
        for (int i = 0; i < 11; i++) {
            x[i] = i;
            y[i] = Math.abs(i - 5.0);
        }
        FitProblem problem = FitProblem.of1D(x, y);
        ShallowNetwork net = new ShallowNetwork(1, 1, 1, true);
        net.inputWeights.data[0] = 1;
        net.bias[0] = -100;      // knot far outside the data
        net.skipBias[0] = Arrays.stream(y).average().orElseThrow();
        double lambda = 0.5;
        double before = DiagnosticsCalculator.dataFit(net, problem) + lambda * WeightDecay.INSTANCE.value(net);

        KnotRevival revival = new KnotRevival(problem, lambda, WeightDecay.INSTANCE, 5);
        assertThat(revival.revive(net)).isTrue();

        double after = DiagnosticsCalculator.dataFit(net, problem) + lambda * WeightDecay.INSTANCE.value(net);
        assertThat(after).isLessThan(before);
        double knot = net.bias[0] / net.inputWeights.data[0];
        assertThat(knot).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(DiagnosticsCalculator.balanceError(net)).isLessThanOrEqualTo(1e-12);
        assertThat(revival.revivals()).isEqualTo(1);
    }

    @Test
    void noRevivalWhenNoKnotBeatsLambda() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0, 1, 2, 3, 4, 5};   // affine: the residual of the affine fit is zero
        FitProblem problem = FitProblem.of1D(x, y);
        ShallowNetwork net = new ShallowNetwork(1, 1, 1, true);
        net.inputWeights.data[0] = 1;
        net.skipWeights.data[0] = 1;
        KnotRevival revival = new KnotRevival(problem, 0.1, PathNorm.INSTANCE, 5);
        assertThat(revival.revive(net)).isFalse();
        assertThat(net.outputWeights.data[0]).isZero();
    }
}
