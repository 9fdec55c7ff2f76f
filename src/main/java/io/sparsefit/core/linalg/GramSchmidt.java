package io.sparsefit.core.linalg;

/**
 * Classical Gram-Schmidt against orthonormal rows kept in a flat row-major array, twice over (one pass loses
 * orthogonality to rounding): the dual norm's exact enumeration builds the bases of its faces' subspaces with it and
 * the local ascent's tight steps the complement of the points held on a hyperplane (theory T8).
 */
public final class GramSchmidt {

    private GramSchmidt() {
    }

    /**
     * Removes from {@code vec[from, from + d)} (modified) its components along the {@code count} orthonormal rows of
     * length d in {@code rows} starting at {@code offset} (not modified), two passes.
     */
    public static void removeComponents(double[] vec, int from, double[] rows, int offset, int count, int d) {
        for (int pass = 0; pass < 2; pass++) {
            for (int b = 0; b < count; b++) {
                int row = offset + b * d;
                double c = 0;
                for (int t = 0; t < d; t++) {
                    c += rows[row + t] * vec[from + t];
                }
                for (int t = 0; t < d; t++) {
                    vec[from + t] -= c * rows[row + t];
                }
            }
        }
    }

    /**
     * One Gram-Schmidt step: removes from {@code vec} (length d, modified) its components along the {@code count}
     * orthonormal rows of {@code rows} (modified: the new row) starting at {@code offset}, and if more than
     * {@code dependent} of its norm is left (and {@code count < d}) stores it, normalized, as row {@code count}. Returns
     * whether it did.
     */
    public static boolean extend(double[] vec, double[] rows, int offset, int count, int d, double dependent) {
        double before = Vectors.norm(vec);
        removeComponents(vec, 0, rows, offset, count, d);
        double after = Vectors.norm(vec);
        if (count >= d || !(after > dependent * before)) {
            return false;
        }
        for (int t = 0; t < d; t++) {
            rows[offset + count * d + t] = vec[t] / after;
        }
        return true;
    }
}
