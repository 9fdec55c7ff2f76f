package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

class MatrixCodecTest {

    @Test
    void roundTripsEveryBitAndUsesTheDocumentedLayout() {
        SplittableRandom random = new SplittableRandom(1);
        DMatrixRMaj m = new DMatrixRMaj(7, 3);
        for (int i = 0; i < m.data.length; i++) {
            m.data[i] = random.nextDouble(-1e6, 1e6);
        }
        m.data[0] = -0.0;
        m.data[1] = Double.MIN_VALUE;
        m.data[2] = Double.MAX_VALUE;
        byte[] bytes = MatrixCodec.encode(m);
        assertThat(bytes).hasSize(12 + 8 * 21);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SFM1");
        assertThat(buf.getInt(4)).isEqualTo(7);
        assertThat(buf.getInt(8)).isEqualTo(3);
        assertThat(Double.doubleToRawLongBits(buf.getDouble(12 + 8 * 5))).isEqualTo(Double.doubleToRawLongBits(m.data[5]));
        DMatrixRMaj back = MatrixCodec.decode(bytes);
        assertThat(back.numRows).isEqualTo(7);
        assertThat(back.numCols).isEqualTo(3);
        for (int i = 0; i < m.data.length; i++) {
            assertThat(Double.doubleToRawLongBits(back.data[i])).isEqualTo(Double.doubleToRawLongBits(m.data[i]));
        }
    }

    @Test
    void rejectsForeignOrTruncatedBytes() {
        assertThatThrownBy(() -> MatrixCodec.decode(new byte[] {1, 2, 3})).isInstanceOf(IllegalStateException.class);
        byte[] bytes = MatrixCodec.encode(new double[] {1, 2}, 1, 2);
        assertThatThrownBy(() -> MatrixCodec.decode(java.util.Arrays.copyOf(bytes, bytes.length - 1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 x 2");
    }
}
