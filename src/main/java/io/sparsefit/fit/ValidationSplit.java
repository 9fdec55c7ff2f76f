package io.sparsefit.fit;

import io.sparsefit.core.path.Folds;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Seeded hold-out split by the rule of {@link Folds#holdout}: {@code round(fraction * N)} rows chosen by a
 * partial Fisher-Yates shuffle from {@code SplittableRandom(seed)}; both parts keep the original row order, so
 * the same request always trains on the same rows. Without held-out rows {@code validX} and {@code validY} are null.
 */
record ValidationSplit(DMatrixRMaj trainX, DMatrixRMaj trainY, DMatrixRMaj validX, DMatrixRMaj validY) {

    static int validationRows(int rows, double fraction) {
        return Folds.holdoutRows(rows, fraction);
    }

    static ValidationSplit of(DMatrixRMaj x, DMatrixRMaj y, double fraction, long seed) {
        if (validationRows(x.numRows, fraction) == 0) {
            return new ValidationSplit(x, y, null, null);
        }
        // The rule lives in the core so that paths (io.sparsefit.core.path) hold out the same rows.
        boolean[] held = Folds.holdout(x.numRows, fraction, seed);
        return new ValidationSplit(Folds.rows(x, held, false), Folds.rows(y, held, false), Folds.rows(x, held, true),
                Folds.rows(y, held, true));
    }

    boolean hasValidation() {
        return validX != null;
    }

    @Override
    public String toString() {
        return "ValidationSplit" + Arrays.asList(trainX.numRows, validX == null ? 0 : validX.numRows);
    }
}
