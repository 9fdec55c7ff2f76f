package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.CanonicalNeuron;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FinishingTest {

    /** Finishing may change predictions only by rounding: 1e-12 relative to the largest prediction (T2). */
    private static final double PREDICTION_TOLERANCE = 1e-12;

    @ParameterizedTest
    @CsvSource({"1,1,true", "1,2,false", "2,1,true", "3,2,true", "3,1,false", "5,3,true"})
    void finishKeepsTheFunctionAndNeverRaisesThePathNorm(int d, int m, boolean skip) {
        for (long seed = 0; seed < 5; seed++) {
            ShallowNetwork net = messyNetwork(d, m, skip, seed);
            DMatrixRMaj x = RandomNetworks.matrix(300, d, seed + 77);
            ShallowNetwork finished = Finishing.finish(net, null, Regularization.WEIGHT_DECAY);

            assertThat(RandomNetworks.relativeDifference(net.predict(x, null), finished.predict(x, null)))
                    .isLessThanOrEqualTo(PREDICTION_TOLERANCE);
            assertThat(PathNorm.of(finished)).isLessThanOrEqualTo(PathNorm.of(net) * (1 + 1e-14));
            assertThat(balanceError(finished)).isLessThanOrEqualTo(1e-6);
            assertThat(finished.hasSkip()).isEqualTo(skip);
            // 6 random neurons, each with a rescaled duplicate (and with skip an antipode) that merge into it.
            assertThat(finished.width()).isEqualTo(6);
            assertSortedLikeCanonicalNeurons(finished);
        }
    }

    @Test
    void mergingSumsAmplitudesAndAntipodalFlipMovesTheRemainderIntoTheSkip() {
        // 1-D: 2 relu(x - 1) + 3 relu(1 - x) = 5 relu(1 - x) + 2 (x - 1): one neuron of amplitude 5.
        ShallowNetwork net = new ShallowNetwork(1, 1, 2, true);
        net.inputWeights().data[0] = 1;
        net.bias()[0] = 1;
        net.outputWeights().data[0] = 2;
        net.inputWeights().data[1] = -4;   // relu(-4x + 4) = 4 relu(1 - x)
        net.bias()[1] = -4;
        net.outputWeights().data[1] = 0.75;
        ShallowNetwork c = Canonicalize.canonicalize(net, true);

        assertThat(c.width()).isEqualTo(1);
        double w = c.inputWeights().data[0];
        double v = c.outputWeights().data[0];
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{-3}, {0}, {1}, {2.5}, {7}});
        assertThat(RandomNetworks.relativeDifference(net.predict(x, null), c.predict(x, null))).isLessThanOrEqualTo(1e-15);
        assertThat(v * w).isCloseTo(-5.0, org.assertj.core.data.Offset.offset(1e-14));
        assertThat(c.bias()[0] / w).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(c.skipWeights().data[0]).isCloseTo(2.0, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(c.skipBias()[0]).isCloseTo(-2.0, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(Math.abs(w)).isCloseTo(Math.abs(v), org.assertj.core.data.Offset.offset(1e-15));
        assertThat(PathNorm.of(c)).isLessThanOrEqualTo(PathNorm.of(net) * (1 + 1e-15));
    }

    @Test
    void withoutSkipAntipodalNeuronsStaySeparate() {
        ShallowNetwork net = new ShallowNetwork(2, 1, 2, false);
        net.inputWeights().data[0] = 0.6;
        net.inputWeights().data[1] = 0.8;
        net.bias()[0] = 0.5;
        net.outputWeights().data[0] = 1;
        net.inputWeights().data[2] = -1.2;
        net.inputWeights().data[3] = -1.6;
        net.bias()[1] = -1.0;
        net.outputWeights().data[1] = 1;
        ShallowNetwork c = Finishing.finish(net, null, Regularization.PATH_NORM);
        assertThat(c.width()).isEqualTo(2);
        DMatrixRMaj x = RandomNetworks.matrix(50, 2, 3);
        assertThat(RandomNetworks.relativeDifference(net.predict(x, null), c.predict(x, null))).isLessThanOrEqualTo(PREDICTION_TOLERANCE);
    }

    @Test
    void rebalanceEqualizesNormsAndKeepsTheFunction() {
        ShallowNetwork net = RandomNetworks.network(3, 2, 8, true, 9);
        for (int k = 0; k < 8; k++) {
            net.outputWeights().data[2 * k] *= Math.pow(10, k - 4);
        }
        ShallowNetwork balanced = Rebalance.rebalance(net);
        DMatrixRMaj x = RandomNetworks.matrix(100, 3, 10);
        assertThat(RandomNetworks.relativeDifference(net.predict(x, null), balanced.predict(x, null))).isLessThanOrEqualTo(PREDICTION_TOLERANCE);
        assertThat(balanceError(balanced)).isLessThanOrEqualTo(1e-12);
        assertThat(PathNorm.of(balanced)).isCloseTo(PathNorm.of(net), org.assertj.core.data.Offset.offset(1e-12 * PathNorm.of(net)));
        assertThat(Regularization.WEIGHT_DECAY.penalty().value(balanced))
                .isCloseTo(PathNorm.of(net), org.assertj.core.data.Offset.offset(1e-12 * PathNorm.of(net)));
    }

    @Test
    void pruneDropsZeroNeuronsAndFoldsConstantNeuronsIntoTheBias() {
        ShallowNetwork net = RandomNetworks.network(2, 2, 5, false, 4);
        // neuron 1: v = 0; neuron 3: w = 0, b = -2 so it outputs the constant 2 v.
        net.outputWeights().data[2] = 0;
        net.outputWeights().data[3] = 0;
        net.inputWeights().data[6] = 0;
        net.inputWeights().data[7] = 0;
        net.bias()[3] = -2;
        ShallowNetwork pruned = Prune.prune(net, Prune.DEFAULT_RELATIVE_THRESHOLD);
        assertThat(pruned.width()).isEqualTo(3);
        DMatrixRMaj x = RandomNetworks.matrix(60, 2, 5);
        assertThat(RandomNetworks.relativeDifference(net.predict(x, null), pruned.predict(x, null))).isLessThanOrEqualTo(PREDICTION_TOLERANCE);
    }

    @Test
    void pruneRemovesNeuronsBelowTheRelativeThreshold() {
        ShallowNetwork net = RandomNetworks.network(2, 1, 3, true, 8);
        net.outputWeights().data[1] *= 1e-12;
        assertThat(Prune.prune(net, Prune.DEFAULT_RELATIVE_THRESHOLD).width()).isEqualTo(2);
        assertThat(Prune.prune(net, 0.0).width()).isEqualTo(3);
    }

    /**
     * {@link Finishing#finishOptimal} (a certified convex fit) drops only exact zeros: a neuron whose share is 1e-12 of
     * the largest stays (its amplitude is the optimum's, review of twod), where {@link Finishing#finish} drops both.
     */
    @Test
    void finishOptimalKeepsTinyNeuronsAndDropsExactZeros() {
        ShallowNetwork net = RandomNetworks.network(2, 1, 4, true, 8);
        net.outputWeights().data[1] *= 1e-12;
        net.outputWeights().data[2] = 0;
        ShallowNetwork optimal = Finishing.finishOptimal(net, null, Regularization.WEIGHT_DECAY);
        assertThat(optimal.width()).isEqualTo(3);
        assertThat(Finishing.finish(net, null, Regularization.WEIGHT_DECAY).width()).isEqualTo(2);
        DMatrixRMaj x = RandomNetworks.matrix(60, 2, 5);
        assertThat(RandomNetworks.relativeDifference(net.predict(x, null), optimal.predict(x, null)))
                .isLessThanOrEqualTo(PREDICTION_TOLERANCE);
    }

    @Test
    void allZeroNetworkFinishesEmpty() {
        ShallowNetwork net = new ShallowNetwork(2, 1, 4, true);
        net.skipBias()[0] = 3;
        ShallowNetwork finished = Finishing.finish(net, null, Regularization.WEIGHT_DECAY);
        assertThat(finished.width()).isZero();
        assertThat(finished.skipBias()[0]).isEqualTo(3.0);
    }

    /**
     * Six random neurons; each also appears as a rescaled copy (a w, a b, v/a) with a different output
     * split, then (with skip) as an antipode (-w, -b) turned around in the skip, plus one neuron with v = 0,
     * one with w = 0 and b < 0 (a constant), shuffled.
     */
    static ShallowNetwork messyNetwork(int d, int m, boolean skip, long seed) {
        ShallowNetwork base = RandomNetworks.network(d, m, 6, skip, seed);
        int extra = skip ? 12 + 2 : 6 + 2;
        ShallowNetwork net = new ShallowNetwork(d, m, 6 + extra, skip);
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed + 1);
        net.skipWeights().setTo(base.skipWeights());
        System.arraycopy(base.skipBias(), 0, net.skipBias(), 0, m);
        int slot = 0;
        for (int k = 0; k < 6; k++) {
            double a = 0.1 + 3 * random.nextDouble();
            double split = 0.2 + 0.5 * random.nextDouble();
            double share = skip ? split / 2 : split;
            // original keeps (1 - split) of v, the scaled copy gets share, the antipode the rest
            copyNeuron(base, k, net, slot++, 1.0, 1.0 - split);
            copyNeuron(base, k, net, slot++, a, share);
            if (skip) {
                // share*v relu(z) = share*v relu(-z) + share*v z: add the antipodal neuron and compensate C, c0.
                copyNeuron(base, k, net, slot, -1.0 / a, share);
                for (int i = 0; i < m; i++) {
                    double vi = share * base.outputWeights().data[k * m + i];
                    for (int j = 0; j < d; j++) {
                        net.skipWeights().data[i * d + j] += vi * base.inputWeights().data[k * d + j];
                    }
                    net.skipBias()[i] -= vi * base.bias()[k];
                }
                slot++;
            }
        }
        copyNeuron(base, 0, net, slot, 1.0, 0.0);   // v = 0
        net.bias()[slot] += 0.5;
        slot++;
        net.bias()[slot] = -1.5;                        // w = 0: constant 1.5 v
        for (int i = 0; i < m; i++) {
            net.outputWeights().data[slot * m + i] = 1 + i;
        }
        int[] order = new int[net.width()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return net.select(order);
    }

    /** Neuron k of src with (w, b) scaled by a (negative a: antipode) and v scaled by share / |a|. */
    private static void copyNeuron(ShallowNetwork src, int k, ShallowNetwork dst, int slot, double a, double share) {
        int d = src.inputDim();
        int m = src.outputDim();
        for (int j = 0; j < d; j++) {
            dst.inputWeights().data[slot * d + j] = a * src.inputWeights().data[k * d + j];
        }
        dst.bias()[slot] = a * src.bias()[k];
        for (int i = 0; i < m; i++) {
            dst.outputWeights().data[slot * m + i] = share * src.outputWeights().data[k * m + i] / Math.abs(a);
        }
    }

    static double balanceError(ShallowNetwork net) {
        double worst = 0;
        for (int k = 0; k < net.width(); k++) {
            worst = Math.max(worst, Math.abs(net.outputNorm(k) - net.inputNorm(k)) / Math.max(net.inputNorm(k), 1e-300));
        }
        return worst;
    }

    private static void assertSortedLikeCanonicalNeurons(ShallowNetwork net) {
        List<CanonicalNeuron> canonical = CanonicalNeuron.of(net);
        int d = net.inputDim();
        for (int k = 0; k < net.width(); k++) {
            double nw = net.inputNorm(k);
            assertThat(canonical.get(k).w()[0]).isEqualTo(net.inputWeights().data[k * d] / nw);
            assertThat(canonical.get(k).b()).isEqualTo(net.bias()[k] / nw);
        }
    }
}
