package io.sparsefit.fit;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * Seeded hold-out split: {@code round(fraction * N)} rows chosen by a partial Fisher-Yates shuffle
 * from {@code SplittableRandom(seed)}; both parts keep the original row order, so the same request
 * always trains on the same rows.
 */
final class ValidationSplit {

    final DMatrixRMaj trainX;
    final DMatrixRMaj trainY;
    final DMatrixRMaj validX;
    final DMatrixRMaj validY;

    private ValidationSplit(DMatrixRMaj trainX, DMatrixRMaj trainY, DMatrixRMaj validX, DMatrixRMaj validY) {
        this.trainX = trainX;
        this.trainY = trainY;
        this.validX = validX;
        this.validY = validY;
    }

    static int validationRows(int rows, double fraction) {
        return fraction <= 0 ? 0 : (int) Math.round(fraction * rows);
    }

    static ValidationSplit of(DMatrixRMaj x, DMatrixRMaj y, double fraction, long seed) {
        int n = x.numRows;
        int nv = validationRows(n, fraction);
        if (nv == 0) {
            return new ValidationSplit(x, y, null, null);
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < nv; i++) {
            int j = i + random.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        boolean[] held = new boolean[n];
        for (int i = 0; i < nv; i++) {
            held[idx[i]] = true;
        }
        int[] train = new int[n - nv];
        int[] valid = new int[nv];
        for (int i = 0, a = 0, b = 0; i < n; i++) {
            if (held[i]) {
                valid[b++] = i;
            } else {
                train[a++] = i;
            }
        }
        return new ValidationSplit(rows(x, train), rows(y, train), rows(x, valid), rows(y, valid));
    }

    private static DMatrixRMaj rows(DMatrixRMaj m, int[] which) {
        DMatrixRMaj out = new DMatrixRMaj(which.length, m.numCols);
        for (int i = 0; i < which.length; i++) {
            System.arraycopy(m.data, which[i] * m.numCols, out.data, i * m.numCols, m.numCols);
        }
        return out;
    }

    boolean hasValidation() {
        return validX != null;
    }

    @Override
    public String toString() {
        return "ValidationSplit" + Arrays.asList(trainX.numRows, validX == null ? 0 : validX.numRows);
    }
}
