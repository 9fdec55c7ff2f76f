package io.sparsefit.dataset;

import io.sparsefit.core.ColumnMoments;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A row-major matrix of doubles that grows by rows while a CSV is parsed, held directly in {@link MatrixCodec}'s
 * stored form (header, then little-endian doubles): the bytes written to the database are this buffer, so an upload
 * never holds its numbers twice (a 10^6 x 20 table is 160 MB once, not a double[] plus its encoding).
 */
final class MatrixBuffer {

    private final int cols;
    private final int maxRows;
    private byte[] bytes;
    private ByteBuffer view;
    private int rows;

    MatrixBuffer(int cols, int initialRows, int maxRows) {
        this.cols = cols;
        this.maxRows = maxRows;
        allocate(Math.max(1, Math.min(initialRows, maxRows)));
    }

    private void allocate(int capacityRows) {
        byte[] grown = new byte[MatrixCodec.HEADER + 8 * Math.multiplyExact(capacityRows, cols)];
        if (bytes != null) {
            System.arraycopy(bytes, 0, grown, 0, MatrixCodec.HEADER + 8 * rows * cols);
        }
        bytes = grown;
        view = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Makes room for one more row (doubling, never beyond {@code maxRows}) and returns its index. */
    int addRow() {
        if ((long) (rows + 1) * cols * 8 + MatrixCodec.HEADER > bytes.length) {
            allocate(Math.min(maxRows, Math.max(rows + 1, 2 * rows)));
        }
        return rows++;
    }

    void set(int row, int col, double v) {
        view.putDouble(MatrixCodec.HEADER + 8 * (row * cols + col), v);
    }

    double get(int row, int col) {
        return view.getDouble(MatrixCodec.HEADER + 8 * (row * cols + col));
    }

    int rows() {
        return rows;
    }

    /** {@code {mean, std}} of the present cells of column {@code j} (see {@link ColumnMoments}). */
    double[] scale(int j) {
        return ColumnMoments.of(rows, i -> get(i, j));
    }

    /** The stored form ({@link MatrixCodec#decode} reads it): this buffer itself when it is exactly full, else a trimmed copy. */
    byte[] encoded() {
        view.put(0, MatrixCodec.MAGIC).putInt(4, rows).putInt(8, cols);
        int length = MatrixCodec.HEADER + 8 * rows * cols;
        return bytes.length == length ? bytes : Arrays.copyOf(bytes, length);
    }
}
