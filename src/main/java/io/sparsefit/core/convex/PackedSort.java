package io.sparsefit.core.convex;

import java.util.Arrays;

/**
 * The stable ascending permutation of doubles ({@link DualNorm1D#sortedOrder}'s result, exactly), faster for the
 * branch and bound's per-cell sorts: each key's order-preserving bits, their lowest bits replaced by the index, sorted
 * as primitive longs; keys that differ only in the dropped bits then sit in index order, and one insertion pass on the
 * exact values puts them right (the array is sorted but for such near-ties, so the pass is linear). Work buffers are
 * allocated once per instance; one instance serves one thread.
 */
final class PackedSort {

    private final long[] packed;
    private final int indexBits;
    private final long indexMask;

    /** For arrays of up to {@code capacity} keys. */
    PackedSort(int capacity) {
        this.packed = new long[capacity];
        this.indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, capacity - 1)));
        this.indexMask = (1L << indexBits) - 1;
    }

    /**
     * Writes into {@code order} the permutation that sorts {@code keys[0..n)} ascending, ties in index order.
     * {@code keys} must hold no NaN; not modified.
     */
    void sortedOrder(double[] keys, int n, int[] order) {
        for (int i = 0; i < n; i++) {
            long bits = Double.doubleToRawLongBits(keys[i] == 0.0 ? 0.0 : keys[i]);   // -0.0 sorts with 0.0
            bits ^= (bits >> 63) & Long.MAX_VALUE;   // signed-long order = double order
            packed[i] = (bits & ~indexMask) | i;
        }
        Arrays.sort(packed, 0, n);
        for (int i = 0; i < n; i++) {
            order[i] = (int) (packed[i] & indexMask);
        }
        // Only keys equal in their kept bits can be out of order (by value or, for equal values, by index: there the
        // packed order is the index order already); move each down past the larger values before it.
        for (int i = 1; i < n; i++) {
            int q = order[i];
            double v = keys[q];
            int k = i - 1;
            while (k >= 0 && keys[order[k]] > v) {
                order[k + 1] = order[k];
                k--;
            }
            order[k + 1] = q;
        }
    }
}
