package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The absolute (data-scale) pruning rule of {@link Prune#prune(ShallowNetwork, FitProblem)}. */
class PruneTest {

    /** Predictions relative to the largest prediction (as in FinishingTest). */
    private static final double PREDICTION_TOLERANCE = 1e-12;

    @ParameterizedTest
    @CsvSource({"1,1,true", "1,2,false", "2,1,true", "3,2,true", "5,1,false", "10,3,true"})
    void nothingNegligibleMeansNothingRemovedAndTheSamePredictions(int d, int m, boolean skip) {
        for (long seed = 0; seed < 5; seed++) {
            FitProblem problem = new FitProblem(RandomNetworks.matrix(200, d, seed), RandomNetworks.matrix(200, m, seed + 1));
            ShallowNetwork net = RandomNetworks.network(d, m, 12, skip, seed + 2);
            // biases inside the data so that every neuron is active on part of it
            for (int k = 0; k < 12; k++) {
                net.bias()[k] *= 0.3;
            }
            ShallowNetwork pruned = Prune.prune(net, problem);
            assertThat(pruned.width()).isEqualTo(12);
            DMatrixRMaj elsewhere = RandomNetworks.matrix(300, d, seed + 3);
            assertThat(RandomNetworks.relativeDifference(net.predict(problem.x(), null), pruned.predict(problem.x(), null)))
                    .isLessThanOrEqualTo(PREDICTION_TOLERANCE);
            assertThat(RandomNetworks.relativeDifference(net.predict(elsewhere, null), pruned.predict(elsewhere, null)))
                    .isLessThanOrEqualTo(PREDICTION_TOLERANCE);
        }
    }

    /**
     * What gradient training leaves above lambda_max: every neuron tiny (the relative rule keeps all of them),
     * some with huge biases, so nearly constant or affine on the data. The absolute rule removes all of them and
     * moves the always-active ones into the affine part, so the fitted values change by less than the removed
     * neurons' own size.
     */
    @ParameterizedTest
    @CsvSource({"1,true", "2,true", "2,false", "5,true"})
    void allTinyNeuronsGoAndZeroNeuronsIsTheAnswer(int d, boolean skip) {
        FitProblem problem = new FitProblem(RandomNetworks.matrix(300, d, 40), RandomNetworks.matrix(300, 1, 41));
        ShallowNetwork net = RandomNetworks.network(d, 1, 64, skip, 42);
        for (int k = 0; k < 64; k++) {
            double scale = 1e-20 * (k + 1);
            for (int j = 0; j < d; j++) {
                net.inputWeights().data[k * d + j] *= scale;
            }
            net.outputWeights().data[k] *= scale;
            // as in the reported fit: biases ~1e8 (active everywhere, or dead), or a kink inside the data
            net.bias()[k] = k % 3 == 0 ? -1e8 : k % 3 == 1 ? 0.01 * scale : 1e8;
        }
        assertThat(Prune.prune(net, Prune.DEFAULT_RELATIVE_THRESHOLD).width()).as("relative rule").isEqualTo(64);
        ShallowNetwork pruned = Prune.prune(net, problem);
        assertThat(pruned.width()).isZero();
        // the removed neurons' outputs on the data, bounded independently: sum_k |v_k| max_n relu(w_k . x_n - b_k)
        double bound = 0;
        for (int k = 0; k < 64; k++) {
            double largest = 0;
            for (int r = 0; r < problem.rows(); r++) {
                double z = -net.bias()[k];
                for (int j = 0; j < d; j++) {
                    z += net.inputWeights().data[k * d + j] * problem.x().get(r, j);
                }
                largest = Math.max(largest, Math.max(0, z));
            }
            bound += Math.abs(net.outputWeights().data[k]) * largest;
        }
        double change = maxAbsDifference(net.predict(problem.x(), null), pruned.predict(problem.x(), null));
        if (skip) {
            // always-active neurons folded into the affine part exactly: only rounding of the predictions is left
            assertThat(RandomNetworks.relativeDifference(net.predict(problem.x(), null), pruned.predict(problem.x(), null)))
                    .isLessThanOrEqualTo(PREDICTION_TOLERANCE);
        }
        assertThat(change).isLessThanOrEqualTo(bound);
        assertThat(bound).isLessThan(1e-8);   // the removed neurons are negligible for unit-scale data
    }

    @Test
    void neuronsBelowTheDataScaleGoOthersStay() {
        int d = 2;
        FitProblem problem = new FitProblem(RandomNetworks.matrix(400, d, 50), RandomNetworks.matrix(400, 2, 51));
        double scale = Prune.dataScale(problem);
        ShallowNetwork net = RandomNetworks.network(d, 2, 6, true, 52);
        for (int k = 0; k < 6; k++) {
            net.bias()[k] *= 0.2;
        }
        // neuron 1: output 1e-11 of the data scale (goes); neuron 4: 1e-7 of it (stays)
        resize(net, 1, 1e-11 * scale, problem);
        resize(net, 4, 1e-7 * scale, problem);
        // neuron 2: dead on the data (kink beyond every sample), any size: contributes nothing, goes
        double reach = 0;
        for (int r = 0; r < problem.rows(); r++) {
            reach = Math.max(reach, net.inputWeights().get(2, 0) * problem.x().get(r, 0) + net.inputWeights().get(2, 1) * problem.x().get(r, 1));
        }
        net.bias()[2] = reach + 1;
        ShallowNetwork pruned = Prune.prune(net, problem);
        assertThat(pruned.width()).isEqualTo(4);
        assertThat(PathNorm.of(pruned)).isLessThan(PathNorm.of(net));
        double change = maxAbsDifference(net.predict(problem.x(), null), pruned.predict(problem.x(), null));
        assertThat(change).isLessThanOrEqualTo(1e-11 * scale * (1 + 1e-9));
        // with thresholds 0 only exact zeros go: the dead neuron has a zero output on the data, so it goes too
        assertThat(Prune.prune(net, problem, 0.0, 0.0).width()).isEqualTo(5);
    }

    /**
     * The weighted data scale against its definition written out here, with the unweighted one's fallbacks: the
     * weighted spread about the weighted mean; the weighted norm of constant targets; 1 for zero targets; unit weights
     * give the unweighted scale.
     */
    @Test
    void theWeightedDataScaleIsItsDefinitionWithTheSameFallbacks() {
        int n = 50;
        DMatrixRMaj x = RandomNetworks.matrix(n, 2, 60);
        DMatrixRMaj y = RandomNetworks.matrix(n, 1, 61);
        double[] w = new double[n];
        double[] ones = new double[n];
        for (int r = 0; r < n; r++) {
            w[r] = 0.5 + (r % 7);   // dyadic: the weighted mean of a constant column is exact
            ones[r] = 1.0;
        }
        double total = 0;
        double mean = 0;
        for (int r = 0; r < n; r++) {
            total += w[r];
            mean += w[r] * y.data[r];
        }
        mean /= total;
        double spread = 0;
        for (int r = 0; r < n; r++) {
            spread += w[r] * (y.data[r] - mean) * (y.data[r] - mean);
        }
        FitProblem varied = new FitProblem(x, y);
        assertThat(Prune.dataScale(varied, w)).isCloseTo(Math.sqrt(spread), org.assertj.core.data.Offset.offset(1e-12 * Math.sqrt(spread)));
        // Unit weights and no weights are the unweighted scale bit for bit: the textbook two-pass centred sum
        double plainMean = 0;
        for (int r = 0; r < n; r++) {
            plainMean += y.data[r];
        }
        plainMean /= n;
        double plainSpread = 0;
        for (int r = 0; r < n; r++) {
            plainSpread += (y.data[r] - plainMean) * (y.data[r] - plainMean);
        }
        assertThat(Prune.dataScale(varied, null)).isEqualTo(Math.sqrt(plainSpread));
        assertThat(Prune.dataScale(varied, ones)).isEqualTo(Prune.dataScale(varied, null));

        DMatrixRMaj constant = new DMatrixRMaj(n, 1);
        java.util.Arrays.fill(constant.data, 3.0);
        FitProblem flat = new FitProblem(x, constant);
        assertThat(Prune.dataScale(flat, w)).isCloseTo(3.0 * Math.sqrt(total), org.assertj.core.data.Offset.offset(1e-12 * total));
        assertThat(Prune.dataScale(flat, null)).isCloseTo(3.0 * Math.sqrt(n), org.assertj.core.data.Offset.offset(1e-12 * n));
        // Constant targets whose (weighted) mean does not round back to the constant still take the fallback
        DMatrixRMaj tenth = new DMatrixRMaj(n, 1);
        java.util.Arrays.fill(tenth.data, 0.1);
        double[] uneven = new double[n];
        double unevenTotal = 0;
        for (int r = 0; r < n; r++) {
            uneven[r] = 1.0 / 3 + 0.1 * (r % 5);
            unevenTotal += uneven[r];
        }
        FitProblem tenths = new FitProblem(x, tenth);
        assertThat(Prune.dataScale(tenths, null)).isCloseTo(0.1 * Math.sqrt(n), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(Prune.dataScale(tenths, uneven)).isCloseTo(0.1 * Math.sqrt(unevenTotal),
                org.assertj.core.data.Offset.offset(1e-12));
        FitProblem zero = new FitProblem(x, new DMatrixRMaj(n, 1));
        assertThat(Prune.dataScale(zero, w)).isEqualTo(1.0);
        assertThat(Prune.dataScale(zero, null)).isEqualTo(1.0);
    }

    /** The count of neurons in use checks the network's shape against the data as the prune does. */
    @Test
    void theCountInUseRefusesANetworkOfAnotherShape() {
        FitProblem problem = new FitProblem(RandomNetworks.matrix(30, 3, 70), RandomNetworks.matrix(30, 1, 71));
        ShallowNetwork narrower = RandomNetworks.network(2, 1, 5, true, 72);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Prune.inUseOnData(narrower, problem, 1e-4, 1e-9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not match");
    }

    /** Scales v_k so that the neuron's output over the data has 2-norm {@code target}. */
    private static void resize(ShallowNetwork net, int k, double target, FitProblem problem) {
        int d = net.inputDim();
        int m = net.outputDim();
        double s = 0;
        for (int r = 0; r < problem.rows(); r++) {
            double z = -net.bias()[k];
            for (int j = 0; j < d; j++) {
                z += net.inputWeights().get(k, j) * problem.x().get(r, j);
            }
            s += Math.max(0, z) * Math.max(0, z);
        }
        double current = net.outputNorm(k) * Math.sqrt(s);
        for (int i = 0; i < m; i++) {
            net.outputWeights().data[k * m + i] *= target / current;
        }
    }

    private static double maxAbsDifference(DMatrixRMaj a, DMatrixRMaj b) {
        double diff = 0;
        for (int i = 0; i < a.getNumElements(); i++) {
            diff = Math.max(diff, Math.abs(a.data[i] - b.data[i]));
        }
        return diff;
    }
}
