package io.sparsefit.dataset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.ejml.data.DMatrixRMaj;

/**
 * Compact binary form of a dense matrix, stored as {@code bytea}: the 4 ASCII bytes {@code SFM1},
 * rows and columns as little-endian int32, then rows * cols little-endian IEEE doubles, row-major.
 * Doubles round-trip bit for bit (unlike decimal text).
 */
public final class MatrixCodec {

    static final byte[] MAGIC = {'S', 'F', 'M', '1'};
    static final int HEADER = 12;

    private MatrixCodec() {
    }

    public static byte[] encode(DMatrixRMaj m) {
        return encode(m.data, m.numRows, m.numCols);
    }

    /** Encodes the first {@code rows * cols} values of {@code data} (row-major, not modified). */
    public static byte[] encode(double[] data, int rows, int cols) {
        int count = Math.multiplyExact(rows, cols);
        ByteBuffer buf = ByteBuffer.allocate(HEADER + 8 * count).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putInt(rows).putInt(cols);
        buf.asDoubleBuffer().put(data, 0, count);
        return buf.array();
    }

    public static DMatrixRMaj decode(byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < HEADER || bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2] || bytes[3] != MAGIC[3]) {
            throw new IllegalStateException("stored matrix has no SFM1 header");
        }
        buf.position(4);
        int rows = buf.getInt();
        int cols = buf.getInt();
        int count = Math.multiplyExact(rows, cols);
        if (bytes.length != HEADER + 8 * count) {
            throw new IllegalStateException("stored matrix " + rows + " x " + cols + " has " + bytes.length + " bytes");
        }
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        buf.asDoubleBuffer().get(m.data, 0, count);
        return m;
    }
}
