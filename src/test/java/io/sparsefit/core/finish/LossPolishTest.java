package io.sparsefit.core.finish;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.convex.IndependentDual;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The polish (theory C3) for every loss and sample weights (A2b): a gradient fit's finishing re-solves the group lasso
 * of its fixed hyperplanes with the problem's loss, so an {@code lbfgs} classifier of width 64 on N = 30 points ends
 * sparse (at most N - 1 neurons, the bound of T7 where only the intercept is free) and its objective, recomputed here
 * from the network ({@link IndependentDual#objective}), is no higher than that of the same solver's network before the
 * finishing (its objective at balance, A3/A4, which is at most its weight-decay objective).
 */
class LossPolishTest {

    private static final int N = 30;

    static FitProblem problem(String name, boolean weighted) {
        Random rnd = new Random(11);
        DMatrixRMaj x = new DMatrixRMaj(N, 2);
        DMatrixRMaj y = new DMatrixRMaj(N, 1);
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            int label = i % 2;
            double t = Math.PI * rnd.nextDouble();
            x.set(i, 0, (label == 0 ? Math.cos(t) : 1 - Math.cos(t)) + 0.2 * rnd.nextGaussian());
            x.set(i, 1, (label == 0 ? Math.sin(t) : 0.5 - Math.sin(t)) + 0.2 * rnd.nextGaussian());
            y.set(i, 0, name.equals("huber") ? Math.sin(3 * x.get(i, 0)) + 0.1 * rnd.nextGaussian()
                    : name.equals("cross_entropy") ? (x.get(i, 0) < 0 ? 0 : label + 1) : label);
            w[i] = 0.5 + rnd.nextDouble();
        }
        Loss loss = switch (name) {
            case "logistic" -> LogisticLoss.INSTANCE;
            case "cross_entropy" -> new CrossEntropyLoss(3);
            default -> new HuberLoss(0.3);
        };
        FitProblem p = new FitProblem(x, y).withLoss(loss);
        return weighted ? p.withSampleWeights(w) : p;
    }

    @ParameterizedTest
    @ValueSource(strings = {"logistic", "cross_entropy", "huber"})
    void aGradientFitEndsSparseAndNoWorseAfterThePolish(String name) {
        for (boolean weighted : new boolean[] {false, true}) {
            FitProblem p = problem(name, weighted);
            double lambda = 0.05;
            FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.LBFGS).withWidth(64).withSeed(3)
                    .withMaxIter(2000);
            ShallowNetwork raw = new Lbfgs().solve(p, settings, ProgressListener.NONE, CancellationToken.NEVER)
                    .network().oneLayer();
            double before = IndependentDual.objective(raw, p, lambda);

            FitOutcome finished = SparseFit.fit(p, settings, ProgressListener.NONE, CancellationToken.NEVER);
            double after = IndependentDual.objective(finished.shallow(), p, lambda);
            String what = name + (weighted ? " weighted" : "");
            int bound = p.loss().classification() ? N - 1 : N - 3;
            assertThat(finished.diagnostics().activeNeurons()).as("neurons, %s", what).isLessThanOrEqualTo(bound);
            assertThat(after).as("J after the finishing, %s", what).isLessThanOrEqualTo(before * (1 + 1e-12));
            assertThat(finished.diagnostics().objective()).as("reported J, %s", what)
                    .isCloseTo(after, Offset.offset(1e-10 * after));
        }
    }
}
