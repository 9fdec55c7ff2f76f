package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The polish (theory C3) for every loss and sample weights (A2b): a gradient fit's finishing re-solves the group lasso
 * of its fixed hyperplanes with the problem's loss, so an {@code lbfgs} classifier of width 64 on N = 30 points ends
 * sparse (at most N - 1 neurons, the bound of T7 where only the intercept is free; N - 3 for Huber in two inputs) on
 * the data of {@link ConvexLoss2DTest}, and its objective, recomputed here
 * from the network ({@link IndependentDual#objective}), is no higher than that of the same solver's network before the
 * finishing (its objective at balance, A3/A4, which is at most its weight-decay objective).
 */
class LossPolishTest {

    private static final int N = 30;

    @ParameterizedTest
    @ValueSource(strings = {"logistic", "cross_entropy", "huber"})
    void aGradientFitEndsSparseAndNoWorseAfterThePolish(String name) {
        Loss loss = Loss.of(name, 0.3, 3);
        for (boolean weighted : new boolean[] {false, true}) {
            FitProblem p = ConvexLoss2DTest.problem(loss, N, 11, weighted);
            double lambda = 0.05;
            FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.LBFGS).withWidth(64).withSeed(3)
                    .withMaxIter(2000);
            ShallowNetwork raw = new Lbfgs().solve(p, settings, ProgressListener.NONE, CancellationToken.NEVER)
                    .network().oneLayer();
            double before = IndependentDual.objective(raw, p, lambda);

            FitOutcome finished = SparseFit.fit(p, settings, ProgressListener.NONE, CancellationToken.NEVER);
            double after = IndependentDual.objective(finished.shallow(), p, lambda);
            String what = name + (weighted ? " weighted" : "");
            int bound = loss.classification() ? N - 1 : N - 3;
            assertThat(finished.diagnostics().activeNeurons()).as("neurons, %s", what).isLessThanOrEqualTo(bound);
            assertThat(after).as("J after the finishing, %s", what).isLessThanOrEqualTo(before * (1 + 1e-12));
            assertThat(finished.diagnostics().objective()).as("reported J, %s", what)
                    .isCloseTo(after, Offset.offset(1e-10 * after));
        }
    }
}
