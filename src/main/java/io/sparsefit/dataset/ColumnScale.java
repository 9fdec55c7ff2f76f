package io.sparsefit.dataset;

import java.util.function.IntToDoubleFunction;

/** Mean and population standard deviation of the present (non-NaN) cells of one column. */
final class ColumnScale {

    private ColumnScale() {
    }

    /** {@code {mean, std}} of the cells {@code cell(0..rows-1)}; NaN cells are skipped ({@code {NaN, NaN}} when none is present). */
    static double[] of(int rows, IntToDoubleFunction cell) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < rows; i++) {
            double v = cell.applyAsDouble(i);
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < rows; i++) {
            double v = cell.applyAsDouble(i);
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new double[] {mean, Math.sqrt(ss / n)};
    }
}
