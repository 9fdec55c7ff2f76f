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

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) of a matrix in this form ({@code bytes}, not modified), as
     * a matrix in this form.
     */
    static byte[] slice(byte[] bytes, int from, int to) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int cols = buf.getInt(8);
        byte[] out = new byte[HEADER + 8 * (to - from) * cols];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).put(MAGIC).putInt(to - from).putInt(cols);
        System.arraycopy(bytes, HEADER + 8 * from * cols, out, HEADER, 8 * (to - from) * cols);
        return out;
    }

    /** Matrices in this form with the same columns, stacked (rows in order); the parts are not modified. */
    static DMatrixRMaj decodeRows(java.util.List<byte[]> parts) {
        int rows = 0;
        int cols = -1;
        for (byte[] part : parts) {
            int[] shape = shape(part);
            if (cols >= 0 && shape[1] != cols) {
                throw new IllegalStateException("stored chunks have " + cols + " and " + shape[1] + " columns");
            }
            rows += shape[0];
            cols = shape[1];
        }
        DMatrixRMaj m = new DMatrixRMaj(rows, Math.max(cols, 0));
        int offset = 0;
        for (byte[] part : parts) {
            int count = (part.length - HEADER) / 8;
            ByteBuffer.wrap(part, HEADER, part.length - HEADER).slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer()
                    .get(m.data, offset, count);
            offset += count;
        }
        return m;
    }

    public static DMatrixRMaj decode(byte[] bytes) {
        return decodeRows(java.util.List.of(bytes));
    }

    /** The first {@value #HEADER} bytes of a matrix of {@code rows x cols} in this form (what precedes its doubles). */
    static byte[] header(int rows, int cols) {
        return ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN).put(MAGIC).putInt(rows).putInt(cols).array();
    }

    /** {rows, cols} of a matrix in this form, after checking its header and length. */
    static int[] shape(byte[] bytes) {
        if (bytes.length < HEADER || bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2] || bytes[3] != MAGIC[3]) {
            throw new IllegalStateException("stored matrix has no SFM1 header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int rows = buf.getInt(4);
        int cols = buf.getInt(8);
        if (bytes.length != HEADER + 8 * Math.multiplyExact(rows, cols)) {
            throw new IllegalStateException("stored matrix " + rows + " x " + cols + " has " + bytes.length + " bytes");
        }
        return new int[] {rows, cols};
    }
}
