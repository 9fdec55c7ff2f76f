package io.sparsefit.core.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Folding the input map into a network gives the same function of the original inputs as the network evaluated
 * on the standardized inputs (computed here by hand, row by row), for one ReLU layer and for deep networks whose
 * first layer is linear (the offset is carried to the first ReLU layer). Tolerance 1e-12 relative: the fold only
 * reorders a few products.
 */
class InputStandardizationTest {

    @Test
    void statisticsArePopulationMeanAndStandardDeviationAndAConstantColumnIsOnlyCentred() {
        DMatrixRMaj x = new DMatrixRMaj(new double[][] {{1, 10_000, 5}, {2, 30_000, 5}, {3, 20_000, 5}, {6, 40_000, 5}});
        InputStandardization s = InputStandardization.of(x);
        double mean0 = (1 + 2 + 3 + 6) / 4.0;
        double sd0 = Math.sqrt(((1 - mean0) * (1 - mean0) + (2 - mean0) * (2 - mean0) + (3 - mean0) * (3 - mean0)
                + (6 - mean0) * (6 - mean0)) / 4);
        assertThat(s.mean()[0]).isEqualTo(mean0);
        assertThat(s.scale()[0]).isCloseTo(sd0, within(1e-15 * sd0));
        assertThat(s.mean()[1]).isEqualTo(25_000);
        assertThat(s.scale()[1]).isCloseTo(Math.sqrt((15_000.0 * 15_000 + 5_000.0 * 5_000 + 5_000.0 * 5_000 + 15_000.0 * 15_000) / 4),
                within(1e-9));
        assertThat(s.mean()[2]).isEqualTo(5);
        assertThat(s.scale()[2]).isEqualTo(1.0);
        DMatrixRMaj z = s.apply(x);
        for (int i = 0; i < 4; i++) {
            assertThat(z.get(i, 2)).isZero();
            assertThat(z.get(i, 1)).isCloseTo((x.get(i, 1) - 25_000) / s.scale()[1], within(1e-15));
        }
    }

    @Test
    void foldedShallowNetworkIsTheSameFunctionOfTheOriginalInputs() {
        for (boolean skip : new boolean[] {true, false}) {
            ShallowNetwork f = RandomNetworks.network(3, 2, 7, skip, 11);
            DMatrixRMaj x = scaledInputs(50, 3, 5);
            InputStandardization s = InputStandardization.of(x);
            Network g = s.foldInto(f);
            assertThat(g).isInstanceOf(ShallowNetwork.class);
            assertSame(f, s, g, x);
            // f itself is untouched.
            assertThat(f.inputWeights().data).isEqualTo(RandomNetworks.network(3, 2, 7, skip, 11).inputWeights().data);
        }
    }

    @Test
    void foldedDeepNetworkWithALinearFirstLayerIsTheSameFunction() {
        SplittableRandom random = new SplittableRandom(3);
        int d = 4;
        Layer linear = new Layer(Layer.Kind.LINEAR, RandomNetworks.matrix(4, d, 21), new double[0]);
        Layer relu1 = new Layer(Layer.Kind.RELU, RandomNetworks.matrix(6, 4, 22), randomVector(6, random));
        Layer relu2 = new Layer(Layer.Kind.RELU, RandomNetworks.matrix(5, 6, 23), randomVector(5, random));
        Network f = new Network(d, 2, true, List.of(linear, relu1, relu2), RandomNetworks.matrix(5, 2, 24),
                RandomNetworks.matrix(2, d, 25), randomVector(2, random));
        DMatrixRMaj x = scaledInputs(40, d, 9);
        InputStandardization s = InputStandardization.of(x);
        assertSame(f, s, s.foldInto(f), x);
    }

    /** g(x) against f((x - mean) / scale), the standardization written out here. */
    private static void assertSame(Network f, InputStandardization s, Network g, DMatrixRMaj x) {
        DMatrixRMaj z = new DMatrixRMaj(x.numRows, x.numCols);
        for (int i = 0; i < x.numRows; i++) {
            for (int j = 0; j < x.numCols; j++) {
                z.set(i, j, (x.get(i, j) - s.mean()[j]) / s.scale()[j]);
            }
        }
        DMatrixRMaj expected = f.predict(z, null);
        DMatrixRMaj actual = g.predict(x, null);
        for (int i = 0; i < expected.getNumElements(); i++) {
            assertThat(actual.data[i]).isCloseTo(expected.data[i], within(1e-12 * (1 + Math.abs(expected.data[i]))));
        }
    }

    /** Columns on scales 1, 1e2, 1e4, ... and offsets far from zero. */
    private static DMatrixRMaj scaledInputs(int n, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double unit = Math.pow(100, j);
                x.set(i, j, unit * (3 + random.nextGaussian()));
            }
        }
        return x;
    }

    private static double[] randomVector(int n, SplittableRandom random) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }
}
