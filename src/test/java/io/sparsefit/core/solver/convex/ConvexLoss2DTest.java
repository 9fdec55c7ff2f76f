package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.List;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convex solver's optimum in two inputs for every loss (theory A2b, C2, T8), against the independent Fenchel dual
 * bound of {@link IndependentDual}: its own objective recomputed from the network, a dual value from the network's
 * predictions with the exact full-circle dual norm of the test's arc enumeration, and {@code J - D <= 1e-8 J}. Since
 * {@code D <= J* <= J}, that puts the fit within 1e-8 (relative) of the global optimum of the infinite-width problem.
 * (A dictionary of hyperplanes through pairs of points would not do as the reference: on an arc of directions with a
 * fixed activation pattern the dual norm peaks at the top eigenvector, not at an arc end, so the optimal atoms are in
 * general not through two data points.) The service's own certificate must be exact there and agree. Also T1: no
 * gradient solver ends below the dual bound. The 1-D counterpart is {@link ConvexLossTest}.
 */
class ConvexLoss2DTest {

    static List<Loss> losses() {
        return List.of(Loss.squared(), new HuberLoss(0.3), LogisticLoss.INSTANCE, new CrossEntropyLoss(3));
    }

    /** Two interleaved half-moons (two classes), three angular sectors (three classes) or a bump (regression), noisy. */
    static FitProblem problem(Loss loss, int n, long seed, boolean weighted) {
        Random rnd = new Random(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, 2);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            int label = i % 2;
            double t = Math.PI * rnd.nextDouble();
            double x0 = label == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double x1 = label == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            x.set(i, 0, x0 + 0.25 * rnd.nextGaussian());
            x.set(i, 1, x1 + 0.25 * rnd.nextGaussian());
            if (loss instanceof LogisticLoss) {
                y.set(i, 0, label);
            } else if (loss instanceof CrossEntropyLoss) {
                double angle = Math.atan2(x.get(i, 1) - 0.25, x.get(i, 0) - 0.5);
                int sector = (int) Math.floor((angle + Math.PI) / (2 * Math.PI / 3)) % 3;
                y.set(i, 0, rnd.nextDouble() < 0.15 ? (sector + 1) % 3 : sector);
            } else {
                double r2 = Math.pow(x.get(i, 0) - 0.5, 2) + Math.pow(x.get(i, 1) - 0.25, 2);
                y.set(i, 0, Math.max(0, 1 - r2) + 0.2 * rnd.nextGaussian() + (i == 3 ? 3 : 0));   // one outlier
            }
            w[i] = 0.5 + rnd.nextDouble();
        }
        FitProblem p = new FitProblem(x, y).withLoss(loss);
        return weighted ? p.withSampleWeights(w) : p;
    }

    static double lambda(Loss loss) {
        return loss.classification() ? 0.15 : 0.1;
    }

    static FitOutcome convex(FitProblem p, double lambda) {
        return SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX).withTol(1e-11),
                ProgressListener.NONE, CancellationToken.NEVER);
    }

    @ParameterizedTest
    @MethodSource("losses")
    void twoInputOptimumIsWithin1e8OfAnIndependentDualBoundWithAnExactCertificate(Loss loss) {
        for (boolean weighted : new boolean[] {false, true}) {
            FitProblem p = problem(loss, 24, 5, weighted);
            double lambda = lambda(loss);
            FitOutcome out = convex(p, lambda);
            double j = IndependentDual.objective(out.shallow(), p, lambda);
            double lower = IndependentDual.lowerBound(out.shallow(), p, lambda);
            String what = loss.wireName() + (weighted ? " weighted" : "");
            assertThat(out.diagnostics().objective()).as("reported J, %s", what).isCloseTo(j, Offset.offset(1e-10 * j));
            assertThat(j - lower).as("independent gap J - D, %s (J = %s)", what, j).isLessThanOrEqualTo(1e-8 * j);
            assertThat(out.diagnostics().activeNeurons()).as("neurons, %s", what).isPositive();
            assertThat(out.diagnostics().certificate().exact()).as("certificate exact, %s", what).isTrue();
            assertThat(out.diagnostics().certificate().gap()).as("certificate gap = independent gap, %s", what)
                    .isCloseTo(j - lower, Offset.offset(1e-9 * j));
        }
    }

    @ParameterizedTest
    @MethodSource("losses")
    void noSolverEndsBelowTheConvexOptimumInTwoInputs(Loss loss) {
        FitProblem p = problem(loss, 24, 6, false);
        double lambda = lambda(loss);
        FitOutcome out = convex(p, lambda);
        double lower = IndependentDual.lowerBound(out.shallow(), p, lambda);
        for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.ADAM, SolverType.PROX}) {
            for (int width : new int[] {8, 64}) {
                FitOutcome fit = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(type).withWidth(width)
                        .withMaxIter(3000).withSeed(width), ProgressListener.NONE, CancellationToken.NEVER);
                double j = fit.diagnostics().objective();
                assertThat(j).as("T1: %s width %d with %s", type.wireName(), width, loss.wireName())
                        .isGreaterThanOrEqualTo(lower - 1e-9 * Math.abs(lower));
                assertThat(IndependentDual.objective(fit.shallow(), p, lambda)).as("its objective from the network")
                        .isCloseTo(j, Offset.offset(1e-9 * j));
            }
        }
    }
}
