package io.sparsefit.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Predict evaluates in row blocks (bounded memory) and answers bitwise what one evaluation of the
 * whole matrix gives, for row counts around and across the block size and for several shapes.
 */
class PredictInBlocksTest {

    @Test
    void blocksGiveBitwiseTheWholeMatrixResult() {
        int b = ModelService.PREDICT_BLOCK_ROWS;
        int[][] shapes = {{1, 1, 16, 1}, {3, 2, 64, 1}, {5, 1, 20, 0}, {2, 17, 33, 1}};
        for (int[] shape : shapes) {
            ShallowNetwork net = RandomNetworks.network(shape[0], shape[1], shape[2], shape[3] == 1, 42 + shape[2]);
            for (int n : new int[] {1, b - 1, b, b + 1, 3 * b + 7}) {
                DMatrixRMaj x = RandomNetworks.matrix(n, shape[0], n * 31L + shape[0]);
                DMatrixRMaj whole = net.predict(x, null);
                double[][] rows = new double[n][shape[0]];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x.data, i * shape[0], rows[i], 0, shape[0]);
                }
                double[][] blocked = ModelService.predictInBlocks(net, rows);
                assertThat(blocked.length).isEqualTo(n);
                for (int i = 0; i < n; i++) {
                    assertThat(blocked[i].length).isEqualTo(shape[1]);
                    for (int j = 0; j < shape[1]; j++) {
                        assertThat(Double.doubleToRawLongBits(blocked[i][j]))
                                .as("row %d output %d, n %d, shape %s", i, j, n, java.util.Arrays.toString(shape))
                                .isEqualTo(Double.doubleToRawLongBits(whole.get(i, j)));
                    }
                }
            }
        }
    }
}
