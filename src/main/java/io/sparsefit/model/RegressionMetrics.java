package io.sparsefit.model;

import io.swagger.v3.oas.annotations.media.Schema;
import org.ejml.data.DMatrixRMaj;

/** Regression metrics of predictions against targets, one entry per output. */
@Schema(name = "Evaluation", description = "Metrics of the model's predictions on rows with known targets, one entry per output.")
public record RegressionMetrics(
        @Schema(description = "Rows evaluated.", example = "10") int rows,
        @Schema(description = "Mean squared error (1/N) sum (f - y)^2.") double[] mse,
        @Schema(description = "Root of mse.") double[] rmse,
        @Schema(description = "Mean absolute error (1/N) sum |f - y|.") double[] mae,
        @Schema(description = "Coefficient of determination 1 - sum (f - y)^2 / sum (y - mean y)^2; null when y is constant "
                + "(the ratio is undefined).") Double[] r2) {

    /** The metrics of {@code predicted} against {@code y} (both N x m, not modified; N >= 1). */
    public static RegressionMetrics of(DMatrixRMaj predicted, DMatrixRMaj y) {
        int n = y.numRows;
        int m = y.numCols;
        double[] mse = new double[m];
        double[] rmse = new double[m];
        double[] mae = new double[m];
        Double[] r2 = new Double[m];
        for (int o = 0; o < m; o++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y.data[i * m + o];
            }
            mean /= n;
            double sse = 0;
            double sae = 0;
            double sst = 0;
            for (int i = 0; i < n; i++) {
                double r = predicted.data[i * m + o] - y.data[i * m + o];
                sse += r * r;
                sae += Math.abs(r);
                double c = y.data[i * m + o] - mean;
                sst += c * c;
            }
            mse[o] = sse / n;
            rmse[o] = Math.sqrt(mse[o]);
            mae[o] = sae / n;
            r2[o] = sst > 0 ? 1 - sse / sst : null;
        }
        return new RegressionMetrics(n, mse, rmse, mae, r2);
    }
}
