package io.sparsefit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sparsefit.core.ColumnMoments;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.ejml.data.DMatrixRMaj;

/**
 * Metrics of predictions against targets: for a regression model one entry per output (MSE, RMSE, MAE, R^2); for a
 * classification model accuracy, mean log loss, confusion matrix and AUC ({@link ClassificationScores}), the
 * regression fields left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Evaluation", description = "Metrics of the model's predictions on rows with known targets: per output for a "
        + "regression model (mse, rmse, mae, r2), or for a classification model accuracy, logLoss, confusion and auc.")
public record RegressionMetrics(
        @Schema(description = "Rows evaluated.", example = "10") int rows,
        @Schema(description = "Mean squared error (1/N) sum (f - y)^2 (regression).", nullable = true) double[] mse,
        @Schema(description = "Root of mse (regression).", nullable = true) double[] rmse,
        @Schema(description = "Mean absolute error (1/N) sum |f - y| (regression).", nullable = true) double[] mae,
        @Schema(description = "Coefficient of determination 1 - sum (f - y)^2 / sum (y - mean y)^2; null when y is constant "
                + "(the ratio is undefined) (regression).", nullable = true) Double[] r2,
        @Schema(description = "Classification: the share of rows whose most probable class is their own.", nullable = true,
                example = "0.95") Double accuracy,
        @Schema(description = "Classification: the mean log loss (1/N) sum_n -log p_{y_n}(x_n), the loss itself unweighted "
                + "(theory A2b).", nullable = true, example = "0.12") Double logLoss,
        @ArraySchema(arraySchema = @Schema(description = "Classification: confusion[k][j] counts the rows of class k (in the order "
                + "of the model's classes) predicted as class j.", nullable = true),
                schema = @Schema(type = "array", implementation = long[].class)) long[][] confusion,
        @Schema(description = "Two classes: the area under the ROC curve of the second class's probability (ties count half); "
                + "null for more classes or when a class is absent.", nullable = true, example = "0.98") Double auc) {

    /** Regression metrics, per output. */
    public RegressionMetrics(int rows, double[] mse, double[] rmse, double[] mae, Double[] r2) {
        this(rows, mse, rmse, mae, r2, null, null, null, null);
    }

    /** Classification metrics. */
    static RegressionMetrics of(ClassificationScores s) {
        return new RegressionMetrics(s.rows(), null, null, null, null, s.accuracy(), s.logLoss(), s.confusion(), s.auc());
    }

    /** The metrics of {@code predicted} against {@code y} (both N x m, not modified; N >= 1). */
    public static RegressionMetrics of(DMatrixRMaj predicted, DMatrixRMaj y) {
        int n = y.numRows;
        int m = y.numCols;
        double[] mse = new double[m];
        double[] rmse = new double[m];
        double[] mae = new double[m];
        Double[] r2 = new Double[m];
        for (int o = 0; o < m; o++) {
            double mean = ColumnMoments.mean(y.data, n, m, o);
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
