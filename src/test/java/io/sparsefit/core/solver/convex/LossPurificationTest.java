package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.LogisticLoss;
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
 * Purification for every loss (theory T7, C2): the convex solver's optimum for one output has at most
 * {@code N - (d + 1)} neurons where the whole affine part is free (Huber), at most {@code N - 1} where only the
 * intercept is (logistic: the skip's weights are decayed, A2b), on small data with a small lambda, where an optimum
 * would take many neurons (before purification: 15 for Huber in two inputs at N = 10, bound 7); the objective is at
 * most the one the solver reached before purifying (its last logged point) and near optimal (the independent dual bound of
 * {@link IndependentDual}).
 */
class LossPurificationTest {

    @ParameterizedTest(name = "{0} d={1} N={2}")
    @CsvSource({"logistic,1,9", "logistic,2,10", "huber,1,9", "huber,2,10"})
    void theOptimumHasAtMostTheRepresenterBoundOfNeurons(String name, int d, int n) {
        Random rnd = new Random(31 + n + d);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x.set(i, j, rnd.nextGaussian());
            }
            // alternating targets: the interpolating optimum of a small lambda needs a knot between every pair
            y.set(i, 0, name.equals("logistic") ? (rnd.nextBoolean() ? 1 : 0) : 3 * rnd.nextGaussian());
        }
        Loss loss = name.equals("logistic") ? LogisticLoss.INSTANCE : new HuberLoss(0.5);
        FitProblem p = new FitProblem(x, y).withLoss(loss);
        double lambda = 1e-3;
        FitOutcome out = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX).withTol(1e-10),
                ProgressListener.NONE, CancellationToken.NEVER);
        int bound = loss.classification() ? n - 1 : n - (d + 1);
        assertThat(out.diagnostics().activeNeurons()).as("%s d=%d: neurons", name, d).isLessThanOrEqualTo(bound);
        // Purification keeps the fitted values and never raises the penalty (it moves only along directions where the
        // penalty does not grow; a not quite optimal point can even gain): J at most the solver's last logged point.
        double j = IndependentDual.objective(out.shallow(), p, lambda);
        double logged = out.diagnostics().lossCurve().get(out.diagnostics().lossCurve().size() - 1).objective();
        assertThat(j).as("purification does not raise J").isLessThanOrEqualTo(logged * (1 + 1e-12));
        assertThat(out.diagnostics().objective()).isCloseTo(j, org.assertj.core.data.Offset.offset(1e-9 * j));
        // Near interpolation (lambda = 1e-3, nearly separable classes: large logits) measured 1.7e-8 relative for logistic
        // in one input, below 1e-9 for the others (the restricted problem by proximal Newton, LossGroupLasso).
        assertThat(j - IndependentDual.lowerBound(out.shallow(), p, lambda)).as("optimal")
                .isLessThanOrEqualTo(1e-7 * j);
    }
}
