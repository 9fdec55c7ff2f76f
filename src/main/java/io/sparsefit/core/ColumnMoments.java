package io.sparsefit.core;

import java.util.function.IntToDoubleFunction;

/**
 * Mean and population standard deviation of one data column, the statistics that dataset views report and that
 * standardization divides by (one implementation for both, so the two always agree to the bit).
 */
public final class ColumnMoments {

    private ColumnMoments() {
    }

    /**
     * {@code {mean, std}} of the cells {@code cell(0 .. rows-1)} (read twice, not modified); NaN cells are skipped
     * ({@code {NaN, NaN}} when none is present). Two passes (squared deviations from the mean), not
     * {@code E[x^2] - E[x]^2}: no cancellation for columns far from zero.
     */
    public static double[] of(int rows, IntToDoubleFunction cell) {
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
