package io.sparsefit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * The held-out error a fit stores ({@code validationMse}, {@link ModelService#validationError}) is its loss's error,
 * not a squared error written in the service: checked against the definitions computed here, and, for a fit with
 * huber loss through the core, against the core's own training error on the same rows.
 */
class ValidationErrorTest {

    private static DMatrixRMaj matrix(int rows, int cols, double... values) {
        DMatrixRMaj m = new DMatrixRMaj(rows, cols);
        m.setData(values);
        return m;
    }

    @Test
    void aHuberFitIsValidatedByTheSquaredErrorAsTheCoreMeasuresItsTrainingRows() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 60;
        DMatrixRMaj x = new DMatrixRMaj(n, 2);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 2 * random.nextDouble() - 1);
            x.set(i, 1, 2 * random.nextDouble() - 1);
            // an outlier every tenth row: where huber and the squared loss part ways
            y.set(i, 0, Math.max(0, x.get(i, 0) - 0.2 * x.get(i, 1)) + (i % 10 == 0 ? 3 : 0.05 * random.nextDouble()));
        }
        Loss huber = new HuberLoss(0.3);
        FitProblem problem = new FitProblem(x, y).withLoss(huber);
        FitOutcome outcome = SparseFit.fit(problem, FitSettings.defaults(1e-3).withSolver(SolverType.LBFGS).withWidth(8)
                .withMaxIter(300).withSeed(3), ProgressListener.NONE, CancellationToken.NEVER);
        DMatrixRMaj f = ModelService.predict(outcome.network(), x);
        double squared = 0;
        double huberValue = 0;
        for (int i = 0; i < n; i++) {
            double r = f.get(i, 0) - y.get(i, 0);
            squared += r * r;
            huberValue += Math.abs(r) <= 0.3 ? 0.5 * r * r : 0.3 * (Math.abs(r) - 0.15);
        }
        double error = ModelService.validationError(huber, f, y);
        assertThat(error).isCloseTo(squared / n, within(1e-12 * squared / n));
        assertThat(error).isCloseTo(outcome.diagnostics().trainMse(), within(1e-12 * squared / n));
        assertThat(huberValue / n).as("the loss's value is not its reported error").isLessThan(0.5 * error);
    }

    @Test
    void aLogisticFitIsValidatedByTheMeanLogLoss() {
        double[] logits = {2.0, -1.0, 0.5, -3.0, 0.0};
        double[] classes = {1, 1, 0, 0, 1};
        double expected = 0;
        for (int i = 0; i < logits.length; i++) {
            double sign = classes[i] == 1 ? 1 : -1;
            expected += Math.log1p(Math.exp(-sign * logits[i]));
        }
        expected /= logits.length;
        double error = ModelService.validationError(LogisticLoss.INSTANCE, matrix(5, 1, logits), matrix(5, 1, classes));
        assertThat(error).isCloseTo(expected, within(1e-14));
    }

    @Test
    void aCrossEntropyFitIsValidatedByTheMeanCrossEntropy() {
        double[] outputs = {1.0, 0.0, -1.0, 0.2, 0.3, 2.5, -4.0, 1.0, 0.0, 0.0, 0.0, 0.0};
        double[] classes = {0, 2, 1, 1};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double sum = 0;
            for (int c = 0; c < 3; c++) {
                sum += Math.exp(outputs[3 * i + c]);
            }
            expected += Math.log(sum) - outputs[3 * i + (int) classes[i]];
        }
        expected /= 4;
        double error = ModelService.validationError(new CrossEntropyLoss(3), matrix(4, 3, outputs), matrix(4, 1, classes));
        assertThat(error).isCloseTo(expected, within(1e-14));
    }
}
