package io.sparsefit.core.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link Network#selectUnits} against what it must equal, computed independently: keeping every unit of a layer in
 * another order computes the same function (a permutation of hidden units), and dropping a unit computes what the
 * network computes with that unit's outgoing weights set to zero.
 */
class SelectUnitsTest {

    /** Two ReLU layers of 4 and 3 units with a linear layer before each, random weights, a skip connection. */
    private static Network deep() {
        Network net = Network.zeros(2, 2, new int[] {4, 3}, 1, true);
        double[] theta = RandomNetworks.matrix(1, net.parameterCount(), 7).data;
        net.setParameters(theta);
        return net;
    }

    @Test
    void aPermutationOfTheUnitsOfAnyLayerKeepsTheFunction() {
        Network net = deep();
        DMatrixRMaj x = RandomNetworks.matrix(20, 2, 3);
        DMatrixRMaj expected = net.predict(x, null);
        int[][] orders = {{1, 0}, {3, 1, 0, 2}, {2, 0, 3, 1}, {2, 0, 1}};
        for (int l = 0; l < net.layers().size(); l++) {
            Network permuted = net.selectUnits(l, orders[l]);
            assertThat(RandomNetworks.relativeDifference(permuted.predict(x, null), expected)).as("layer %d", l)
                    .isLessThan(1e-14);
        }
        assertThat(net.predict(x, null).data).containsExactly(expected.data);   // not modified
    }

    @Test
    void droppingAUnitIsZeroingItsOutgoingWeights() {
        DMatrixRMaj x = RandomNetworks.matrix(20, 2, 5);
        for (int l = 0; l < 4; l++) {
            Network net = deep();
            List<Layer> layers = net.layers();
            int units = layers.get(l).outputs();
            int dropped = units - 1;
            Network zeroed = net.copy();
            DMatrixRMaj outgoing = l + 1 < layers.size() ? zeroed.layers().get(l + 1).weights() : zeroed.outputWeights();
            for (int i = 0; i < (l + 1 < layers.size() ? outgoing.numRows : outgoing.numCols); i++) {
                if (l + 1 < layers.size()) {
                    outgoing.set(i, dropped, 0.0);
                } else {
                    outgoing.set(dropped, i, 0.0);
                }
            }
            int[] keep = new int[units - 1];
            for (int k = 0; k < keep.length; k++) {
                keep[k] = k;
            }
            Network smaller = net.selectUnits(l, keep);
            assertThat(smaller.layers().get(l).outputs()).isEqualTo(units - 1);
            assertThat(smaller.parameterCount()).isLessThan(net.parameterCount());
            assertThat(RandomNetworks.relativeDifference(smaller.predict(x, null), zeroed.predict(x, null)))
                    .as("layer %d", l).isLessThan(1e-14);
        }
    }

    @Test
    void aShallowSelectionIsAnIndependentCopy() {
        ShallowNetwork net = RandomNetworks.network(2, 1, 5, true, 11);
        ShallowNetwork picked = net.select(new int[] {4, 2});
        assertThat(picked.width()).isEqualTo(2);
        assertThat(picked.bias()).containsExactly(net.bias()[4], net.bias()[2]);
        picked.skipBias()[0] += 1;
        picked.skipWeights().data[0] += 1;
        assertThat(net.skipBias()[0]).isNotEqualTo(picked.skipBias()[0]);
        assertThat(net.skipWeights().data[0]).isNotEqualTo(picked.skipWeights().data[0]);
    }
}
