package io.sparsefit.core.path;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Seeded, deterministic assignment of rows to validation folds. The same {@code (rows, seed)} always gives
 * the same assignment, independent of the data values, so a path and a single fit with the same seed and
 * hold-out fraction validate on the same rows.
 */
public final class Folds {

    private Folds() {
    }

    /** Rows held out by a hold-out fraction: {@code round(fraction * N)}, none for {@code fraction <= 0}. */
    public static int holdoutRows(int rows, double fraction) {
        return fraction <= 0 ? 0 : (int) Math.round(fraction * rows);
    }

    /**
     * The hold-out rule of single fits: {@link #holdoutRows} rows chosen by a partial Fisher-Yates shuffle from
     * {@code SplittableRandom(seed)}. Returns which rows are held out.
     */
    public static boolean[] holdout(int rows, double fraction, long seed) {
        int nv = holdoutRows(rows, fraction);
        int[] idx = identity(rows);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < nv; i++) {
            swap(idx, i, i + random.nextInt(rows - i));
        }
        boolean[] held = new boolean[rows];
        for (int i = 0; i < nv; i++) {
            held[idx[i]] = true;
        }
        return held;
    }

    /**
     * K folds: a full Fisher-Yates shuffle from {@code SplittableRandom(seed)}, then the row at shuffled position
     * i goes to fold {@code i mod k}, so fold sizes differ by at most one. Returns the fold of every row.
     */
    public static int[] kFold(int rows, int k, long seed) {
        if (k < 2 || k > rows) {
            throw new IllegalArgumentException("folds must be between 2 and the number of rows (" + rows + "), got " + k);
        }
        int[] idx = identity(rows);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < rows - 1; i++) {
            swap(idx, i, i + random.nextInt(rows - i));
        }
        int[] fold = new int[rows];
        for (int i = 0; i < rows; i++) {
            fold[idx[i]] = i % k;
        }
        return fold;
    }

    /** The rows of {@code m} with {@code mask[i] == keep}, in their original order. */
    public static DMatrixRMaj rows(DMatrixRMaj m, boolean[] mask, boolean keep) {
        int count = 0;
        for (boolean b : mask) {
            count += b == keep ? 1 : 0;
        }
        DMatrixRMaj out = new DMatrixRMaj(count, m.numCols);
        for (int i = 0, r = 0; i < mask.length; i++) {
            if (mask[i] == keep) {
                System.arraycopy(m.data, i * m.numCols, out.data, r * m.numCols, m.numCols);
                r++;
            }
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static void swap(int[] a, int i, int j) {
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
