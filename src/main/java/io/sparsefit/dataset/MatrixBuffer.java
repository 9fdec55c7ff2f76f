package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.springframework.http.HttpStatus;

/**
 * A block of rows of doubles (row-major) that grows by rows while a CSV is parsed, up to one stored chunk
 * ({@code sparsefit.uploads.chunk-size}), held directly in {@link MatrixCodec}'s stored form (header, then little-endian
 * doubles): the bytes written to the database are this buffer, so a block is never held twice.
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

    /** Makes room for one more row (doubling, never beyond {@code maxRows}) and returns its index; 413 when the heap cannot. */
    int addRow() {
        if ((long) (rows + 1) * cols * 8 + MatrixCodec.HEADER > bytes.length) {
            grow();
        }
        return rows++;
    }

    /**
     * Doubles the capacity; when the heap cannot hold the buffer and its double at once, grows by an eighth instead; when
     * not even that fits, 413 (the upload cannot fit in this heap). A failed allocation of one array allocates nothing,
     * so the heap is as it was and the request can be answered; the buffer is garbage once it is.
     */
    private void grow() {
        try {
            allocate(Math.min(maxRows, Math.max(rows + 1, 2 * rows)));
            return;
        } catch (OutOfMemoryError noRoomToDouble) {
            // fall through to a modest step
        }
        try {
            allocate(Math.min(maxRows, Math.max(rows + 1, rows + rows / 8)));
        } catch (OutOfMemoryError full) {
            throw tooLarge(rows);
        }
    }

    /** 413 for a table of {@code parsedRows} rows that the heap cannot hold (or copy) in its stored form. */
    private ApiException tooLarge(int parsedRows) {
        long mb = 1 << 20;
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", String.format(java.util.Locale.ROOT,
                "The table does not fit in the service's memory: a block of %d rows of %d input columns (%d MB as stored, 8 "
                        + "bytes a cell) was more than the heap (at most %d MB) could hold besides the requests in progress. Retry "
                        + "later, lower sparsefit.uploads.chunk-size, or run the service with a larger heap (-Xmx).",
                parsedRows, cols, (8L * parsedRows * cols + mb - 1) / mb, Runtime.getRuntime().maxMemory() / mb),
                List.of(new FieldProblem("body", "does not fit in the heap after " + parsedRows + " rows")), null);
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

    /** The stored form ({@link MatrixCodec#decode} reads it): this buffer itself when it is exactly full, else a trimmed copy. */
    byte[] encoded() {
        view.put(0, MatrixCodec.MAGIC).putInt(4, rows).putInt(8, cols);
        int length = MatrixCodec.HEADER + 8 * rows * cols;
        if (bytes.length == length) {
            return bytes;
        }
        try {
            return Arrays.copyOf(bytes, length);
        } catch (OutOfMemoryError noRoomToCopy) {
            throw tooLarge(rows);
        }
    }
}
