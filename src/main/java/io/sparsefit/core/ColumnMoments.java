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

    /** The mean of column {@code j} of {@code a} ({@code rows x cols} row-major, not modified), summed in row order. */
    public static double mean(double[] a, int rows, int cols, int j) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            sum += a[r * cols + j];
        }
        return sum / rows;
    }

    /**
     * {@code sum_j sum_r (a_rj - mean_j)^2}: the squared Frobenius norm of {@code a} ({@code rows x cols} row-major, not
     * modified) with every column centred, summed column by column.
     */
    public static double centredSquares(double[] a, int rows, int cols) {
        return centredSquares(a, rows, cols, null);
    }

    /**
     * As {@link #centredSquares(double[], int, int)} with the rows weighted by {@code weights} (not modified; null: all
     * 1, the same bits, since a sum of ones is exact): {@code sum_j sum_r w_r (a_rj - mean_j)^2}, {@code mean_j} the
     * weighted mean {@code sum_r w_r a_rj / sum_r w_r}.
     */
    public static double centredSquares(double[] a, int rows, int cols, double[] weights) {
        double weightSum = 0;
        for (int r = 0; r < rows; r++) {
            weightSum += weights == null ? 1.0 : weights[r];
        }
        double total = 0;
        for (int j = 0; j < cols; j++) {
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                sum += (weights == null ? 1.0 : weights[r]) * a[r * cols + j];
            }
            double mean = sum / weightSum;
            for (int r = 0; r < rows; r++) {
                double c = a[r * cols + j] - mean;
                total += (weights == null ? 1.0 : weights[r]) * c * c;
            }
        }
        return total;
    }
}
