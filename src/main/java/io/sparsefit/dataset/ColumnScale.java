package io.sparsefit.dataset;

/** Mean and population standard deviation of the present (non-NaN) cells of one column. */
final class ColumnScale {

    private ColumnScale() {
    }

    /** {@code {mean, std}} of column {@code j} of a row-major {@code rows x cols} array; NaN cells are skipped ({@code {NaN, NaN}} when none is present). */
    static double[] of(double[] data, int rows, int cols, int j) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < rows; i++) {
            double v = data[i * cols + j];
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < rows; i++) {
            double v = data[i * cols + j];
            if (!Double.isNaN(v)) {
                ss += (v - mean) * (v - mean);
            }
        }
        return new double[] {mean, Math.sqrt(ss / n)};
    }
}
