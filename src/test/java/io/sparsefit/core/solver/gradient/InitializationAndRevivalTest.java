package io.sparsefit.core.solver.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Rebalance;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
            double knot = a.bias()[k] / a.inputWeights().data[k];
            assertThat(knot).isBetween(interior[k], interior[k] + Initialization.KNOT_JITTER * (next[k] - interior[k]));
        }
        // Balanced start (A4): |w| = |v| for every neuron.
        assertThat(Rebalance.balanceError(a)).isLessThanOrEqualTo(1e-12);
    }

    @Test
    void narrowOneInputStartFallsBackToRandomHyperplanes() {
        double[] x = {0, 1, 2, 3, 4, 5, 6, 7};
        FitProblem problem = FitProblem.of1D(x, x.clone());
        ShallowNetwork net = Initialization.initialize(problem, 3, true, 5, false);
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
        net.inputWeights().data[0] = 1;
        net.bias()[0] = -100;      // knot far outside the data
        net.skipBias()[0] = Arrays.stream(y).average().orElseThrow();
        double lambda = 0.5;
        double before = DiagnosticsCalculator.dataFit(net, problem) + lambda * WeightDecay.INSTANCE.value(net);

        KnotRevival revival = new KnotRevival(problem, lambda, WeightDecay.INSTANCE, 5);
        assertThat(revival.revive(net)).isTrue();

        double after = DiagnosticsCalculator.dataFit(net, problem) + lambda * WeightDecay.INSTANCE.value(net);
        assertThat(after).isLessThan(before);
        double knot = net.bias()[0] / net.inputWeights().data[0];
        assertThat(knot).isCloseTo(5.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(Rebalance.balanceError(net)).isLessThanOrEqualTo(1e-12);
        assertThat(revival.revivals()).isEqualTo(1);
    }

    @Test
    void noRevivalWhenNoKnotBeatsLambda() {
        double[] x = {0, 1, 2, 3, 4, 5};
        double[] y = {0, 1, 2, 3, 4, 5};   // affine: the residual of the affine fit is zero
        FitProblem problem = FitProblem.of1D(x, y);
        ShallowNetwork net = new ShallowNetwork(1, 1, 1, true);
        net.inputWeights().data[0] = 1;
        net.skipWeights().data[0] = 1;
        KnotRevival revival = new KnotRevival(problem, 0.1, PathNorm.INSTANCE, 5);
        assertThat(revival.revive(net)).isFalse();
        assertThat(net.outputWeights().data[0]).isZero();
    }

    /**
     * The knot a revival picks is the best one of theory T8 found by brute force here: every interior distinct input
     * t and orientation s scored as ||sum_n g_n relu(s (x_n - t))||, g the residual y - f made orthogonal to the
     * affine functions (with skip) or to the constants (without) by least squares; inputs with ties, two outputs,
     * unsorted rows. Without skip the orientation that scored is kept, so both orientations' scores are checked.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void revivalPicksTheBruteForceBestKnot(boolean skip) {
        SplittableRandom random = new SplittableRandom(skip ? 11 : 12);
        int n = 80;
        int m = 2;
        DMatrixRMaj x = new DMatrixRMaj(n, 1);
        DMatrixRMaj y = new DMatrixRMaj(n, m);
        for (int r = 0; r < n; r++) {
            x.data[r] = 0.37 * random.nextInt(50) - 4;   // about 40 distinct values: ties
            y.data[r * m] = Math.max(0, x.data[r] - 1.3) + 0.2 * random.nextDouble();
            y.data[r * m + 1] = Math.max(0, -x.data[r] - 0.5) - 0.5 * x.data[r] + 0.2 * random.nextDouble();
        }
        FitProblem problem = new FitProblem(x, y);
        // set and read through the flat parameter vector (w of neuron k at offsetLayer(0) + k, b at offsetBias(0) + k,
        // v_k at offsetOutput() + k m)
        ShallowNetwork net = new ShallowNetwork(1, m, 2, skip);
        double[] theta = new double[net.parameterCount()];
        theta[net.offsetLayer(0)] = 1;
        theta[net.offsetBias(0)] = 0.2;
        theta[net.offsetOutput()] = 0.4;
        theta[net.offsetOutput() + 1] = -0.3;
        theta[net.offsetLayer(0) + 1] = 1;
        theta[net.offsetBias(0) + 1] = -100;        // the weakest neuron: zero outer weight, knot outside the data
        net.setParameters(theta);

        double[] f = net.predict(x, null).data;
        double[] g = new double[n * m];
        double mx = Arrays.stream(x.data).average().orElseThrow();
        double sxx = Arrays.stream(x.data).map(v -> (v - mx) * (v - mx)).sum();
        for (int i = 0; i < m; i++) {
            double mean = 0;
            double sxy = 0;
            for (int r = 0; r < n; r++) {
                mean += (y.data[r * m + i] - f[r * m + i]) / n;
            }
            for (int r = 0; r < n; r++) {
                sxy += (x.data[r] - mx) * (y.data[r * m + i] - f[r * m + i] - mean);
            }
            for (int r = 0; r < n; r++) {
                g[r * m + i] = y.data[r * m + i] - f[r * m + i] - mean - (skip ? sxy / sxx * (x.data[r] - mx) : 0);
            }
        }
        double[] distinct = Arrays.stream(x.data).sorted().distinct().toArray();
        double best = 0;
        double bestKnot = Double.NaN;
        int bestSign = 0;
        for (int j = 1; j + 1 < distinct.length; j++) {
            for (int sign = -1; sign <= 1; sign += 2) {
                double[] c = new double[m];
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < m; i++) {
                        c[i] += Math.max(0, sign * (x.data[r] - distinct[j])) * g[r * m + i];
                    }
                }
                double score = Math.hypot(c[0], c[1]);
                if (score > best * (1 + 1e-9)) {
                    best = score;
                    bestKnot = distinct[j];
                    bestSign = sign;
                }
            }
        }

        KnotRevival revival = new KnotRevival(problem, 0.3 * best, WeightDecay.INSTANCE, 5);
        assertThat(revival.revive(net)).isTrue();
        net.getParameters(theta);
        double w = theta[net.offsetLayer(0) + 1];
        assertThat(theta[net.offsetBias(0) + 1] / w).isCloseTo(bestKnot, org.assertj.core.data.Offset.offset(1e-5));
        if (!skip) {
            assertThat(Math.signum(w)).isEqualTo((double) bestSign);
        }
    }
}
