package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Finishing;
import io.sparsefit.core.finish.Rebalance;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.gradient.ReluLassoReference;
import io.sparsefit.core.solver.gradient.SolverFixtures;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PathProxTest {

    @ParameterizedTest
    @EnumSource(value = Regularization.class, names = {"PATH_NORM", "WEIGHT_DECAY"})
    void oneInputFitIsWithinAFewPercentOfTheExactOptimumAndNeverBelowIt(Regularization reg) {
        double[] x = SolverFixtures.sineX();
        double[] y = SolverFixtures.sineY(x);
        FitProblem problem = FitProblem.of1D(x, y);
        double lambda = 0.03;
        double reference = ReluLassoReference.optimum(x, y, lambda);
        FitSettings settings = SolverFixtures.settings(SolverType.PROX, lambda).withRegularization(reg).withWidth(40);
        SolverResult result = new PathProx().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        ShallowNetwork finished = Finishing.finish(result.shallow(), null, reg);
        double objective = SolverFixtures.pathNormObjective(finished, problem, lambda);

        assertThat(objective).isLessThanOrEqualTo(1.03 * reference);
        assertThat(objective).isGreaterThanOrEqualTo(reference * (1 - 1e-9));   // T1
        // the loss curve ends at the objective of the returned network (for weight decay: rebalanced, A3)
        LossPoint last = result.lossCurve().get(result.lossCurve().size() - 1);
        assertThat(last.objective()).isCloseTo(SolverFixtures.pathNormObjective(result.shallow(), problem, lambda),
                Offset.offset(1e-9 * objective));
    }

    @Test
    void largeLambdaZeroesNeuronsExactly() {
        FitProblem problem = SolverFixtures.planted2D(150, 7);
        FitSettings settings = SolverFixtures.settings(SolverType.PROX, 0.1).withRegularization(Regularization.PATH_NORM).withWidth(20);
        ShallowNetwork net = new PathProx().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER).shallow();
        int zeros = 0;
        for (int k = 0; k < net.width(); k++) {
            if (net.outputNorm(k) == 0.0) {
                zeros++;
            }
        }
        assertThat(zeros).isBetween(1, net.width() - 1);
    }

    @Test
    void lambdaAboveLambdaMaxLeavesTheAffineFit() {
        double[] x = SolverFixtures.sineX();
        double[] y = SolverFixtures.sineY(x);
        FitProblem problem = FitProblem.of1D(x, y);
        FitSettings settings = SolverFixtures.settings(SolverType.PROX, 10.0).withRegularization(Regularization.PATH_NORM).withWidth(10);
        SolverResult result = new PathProx().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        ShallowNetwork finished = Finishing.finish(result.shallow(), null, Regularization.PATH_NORM);
        assertThat(finished.width()).isZero();
        double affineOnly = ReluLassoReference.optimum(x, y, 1e9);
        assertThat(DiagnosticsCalculator.dataFit(finished, problem)).isCloseTo(affineOnly, Offset.offset(1e-6 * affineOnly));
    }

    @Test
    void plantedTwoInputNetworkGivesASparseBalancedFit() {
        int n = 150;
        int d = 2;
        FitProblem problem = SolverFixtures.planted2D(n, 7);
        FitSettings settings = SolverFixtures.settings(SolverType.PROX, 0.1).withRegularization(Regularization.PATH_NORM).withWidth(20);
        SolverResult result = new PathProx().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        ShallowNetwork finished = Finishing.finish(result.shallow(), null, Regularization.PATH_NORM);

        int active = DiagnosticsCalculator.activeNeurons(finished);
        assertThat(active).isLessThanOrEqualTo(n - (d + 1));   // T7
        assertThat(active).isBetween(3, 12);                   // planted 3; a few near-duplicates at most
        assertThat(Rebalance.balanceError(finished)).isLessThanOrEqualTo(1e-6);   // T2
        // a good fit: mean squared error near the noise level (uniform width 0.02 -> variance 3e-5) plus shrinkage
        assertThat(2 * DiagnosticsCalculator.dataFit(finished, problem) / n).isLessThan(0.01);
    }

    @Test
    void withoutPenaltyNothingIsThresholded() {
        FitProblem problem = SolverFixtures.planted2D(60, 8);
        FitSettings settings = SolverFixtures.settings(SolverType.PROX, 5.0).withRegularization(Regularization.NONE).withWidth(10).withMaxIter(300);
        SolverResult result = new PathProx().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        for (int k = 0; k < result.shallow().width(); k++) {
            assertThat(result.shallow().outputNorm(k)).isPositive();
        }
        assertThat(result.lossCurve().get(0).penalty()).isZero();
    }

    /**
     * Issue 21: for a classification loss PathProx trains {@code sum loss + lambda pathNorm + lambda/2 ||C||_F^2}
     * (A2b, intercept free): its loss curve ends at that objective of the returned network, computed here, and the
     * finished fit is never below the convex optimum (T1) and close to it.
     */
    @Test
    void logisticLossTrainsAndReportsTheSkipDecay() {
        java.util.Random rnd = new java.util.Random(5);
        int n = 50;
        org.ejml.data.DMatrixRMaj x = new org.ejml.data.DMatrixRMaj(n, 2);
        org.ejml.data.DMatrixRMaj y = new org.ejml.data.DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, rnd.nextGaussian());
            x.set(i, 1, rnd.nextGaussian());
            double score = 2 * x.get(i, 0) + x.get(i, 1) + 0.3 * rnd.nextGaussian();   // nearly separable: C matters
            y.set(i, 0, score > 0 ? 1 : 0);
        }
        FitProblem problem = new FitProblem(x, y).withLoss(io.sparsefit.core.loss.LogisticLoss.INSTANCE);
        double lambda = 0.3;
        FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.PROX).withWidth(32).withMaxIter(3000);
        SolverResult result = new PathProx().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        ShallowNetwork net = result.shallow();
        double c = 0;
        for (double v : net.skipWeights().data) {
            c += v * v;
        }
        assertThat(c).as("the skip weights are in use").isGreaterThan(0.1);
        double expected = logisticObjective(net, problem, lambda);
        LossPoint last = result.lossCurve().get(result.lossCurve().size() - 1);
        assertThat(last.objective()).isCloseTo(expected, Offset.offset(1e-10 * expected));

        double optimum = io.sparsefit.core.SparseFit.fit(problem, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX)
                .withTol(1e-11), ProgressListener.NONE, CancellationToken.NEVER).diagnostics().objective();
        io.sparsefit.core.FitOutcome prox = io.sparsefit.core.SparseFit.fit(problem, settings, ProgressListener.NONE,
                CancellationToken.NEVER);
        double finished = logisticObjective(prox.network().oneLayer(), problem, lambda);
        assertThat(finished).isCloseTo(prox.diagnostics().objective(), Offset.offset(1e-9 * finished));
        assertThat(finished).isGreaterThanOrEqualTo(optimum * (1 - 1e-9));   // T1
        assertThat(finished).isLessThanOrEqualTo(optimum * 1.02);
    }

    /** {@code sum log(1 + e^f) - y f + lambda sum ||v_k|| ||w_k|| + lambda/2 ||C||_F^2}, from the network's arrays. */
    private static double logisticObjective(ShallowNetwork net, FitProblem problem, double lambda) {
        org.ejml.data.DMatrixRMaj f = net.predict(problem.x(), null);
        double value = 0;
        for (int r = 0; r < problem.rows(); r++) {
            double z = f.get(r, 0);
            value += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - problem.y().get(r, 0) * z;
        }
        for (int k = 0; k < net.width(); k++) {
            value += lambda * net.outputNorm(k) * net.inputNorm(k);
        }
        double c = 0;
        for (double v : net.skipWeights().data) {
            c += v * v;
        }
        return value + 0.5 * lambda * c;
    }
}
