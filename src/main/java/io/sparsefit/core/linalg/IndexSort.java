package io.sparsefit.core.linalg;

/**
 * Stable sorts of an index permutation by {@code double} keys, on flat arrays with a caller's work buffer (no
 * allocation, no boxing). Stable: equal keys (0.0 and -0.0 too) keep their order on entry, so the result is the one
 * stable sort of the entry order, whatever the algorithm, and every fit that sorts is deterministic.
 */
public final class IndexSort {

    private IndexSort() {
    }

    /**
     * Bottom-up merge sort, {@code O(n log n)}: {@code order[0..n)} (modified) sorted by {@code keys} (not modified),
     * ascending or {@code descending}, equal keys in their order on entry; {@code scratch} (at least n) is work.
     */
    public static void mergeSort(double[] keys, int[] order, int n, int[] scratch, boolean descending) {
        int[] from = order;
        int[] to = scratch;
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int left = lo;
                int right = mid;
                for (int t = lo; t < hi; t++) {
                    // The right run's item goes first only when strictly before: ties keep the left (earlier) one first.
                    to[t] = right < hi && (left >= mid || before(keys[from[right]], keys[from[left]], descending))
                            ? from[right++] : from[left++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != order) {
            System.arraycopy(from, 0, order, 0, n);
        }
    }

    private static boolean before(double a, double b, boolean descending) {
        return descending ? a > b : a < b;
    }
}
