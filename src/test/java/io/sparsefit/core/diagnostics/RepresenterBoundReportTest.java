package io.sparsefit.core.diagnostics;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The reported {@code representerBound} for m outputs and every loss kind (theory T7, A7, A2b), against the count
 * worked out by hand for each shape: {@code min(q r, r (r + 1) / 2)}, {@code r = N - (d + 1)} with the affine part free
 * ({@code N - 1} for a classification loss), {@code q = m} ({@code C - 1} for cross-entropy). A lambda far above
 * lambda_max makes each fit the affine one, quickly; the bound does not depend on the fit.
 */
class RepresenterBoundReportTest {

    @ParameterizedTest(name = "{0} N={1} d={2} m={3}: {4}")
    @CsvSource({
            "squared,7,1,1,5",           // T3: N - 2 knots in one input
            "squared,20,3,1,16",         // T7: N - (d + 1)
            "squared,20,3,3,48",         // linnerud's shape: 3 x 16 (was reported as 16)
            "squared,121,3,2,234",       // two outputs: 2 x 117 (was reported as 117)
            "huber,12,2,2,18",           // any regression loss: 2 x 9
            "squared,10,1,6,36",         // r = 8: 6 x 8 = 48 > r (r + 1) / 2 = 36, the bound independent of m
            "logistic,9,2,1,8",          // only the intercept free: N - 1 (was reported as N - 3)
            "cross_entropy,15,2,3,28",   // (C - 1)(N - 1) = 2 x 14: the softmax ignores a common shift of the logits
            "cross_entropy,6,1,5,15"})   // r = 5: 4 x 5 = 20 > 15
    void theReportedBoundIsTheMultiOutputCount(String loss, int n, int d, int m, int expected) {
        Random rnd = new Random(n + 31L * d + 7L * m);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        for (int i = 0; i < x.data.length; i++) {
            x.data[i] = rnd.nextGaussian();
        }
        boolean classes = loss.equals("logistic") || loss.equals("cross_entropy");
        DMatrixRMaj y = new DMatrixRMaj(n, classes ? 1 : m);
        for (int i = 0; i < y.data.length; i++) {
            y.data[i] = classes ? i % Math.max(2, m) : rnd.nextGaussian();
        }
        FitProblem p = new FitProblem(x, y).withLoss(Loss.of(loss, 0.5, m));
        assertThat(p.outputDim()).isEqualTo(m);
        FitOutcome out = SparseFit.fit(p, FitSettings.defaults(1e6).withSolver(SolverType.CONVEX), ProgressListener.NONE,
                CancellationToken.NEVER);
        assertThat(out.diagnostics().representerBound()).isEqualTo(expected);
    }
}
