package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.finish.Finishing;
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
        ShallowNetwork finished = Finishing.finish(result.shallow(), reg);
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
        ShallowNetwork finished = Finishing.finish(result.shallow(), Regularization.PATH_NORM);
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
        ShallowNetwork finished = Finishing.finish(result.shallow(), Regularization.PATH_NORM);

        int active = DiagnosticsCalculator.activeNeurons(finished);
        assertThat(active).isLessThanOrEqualTo(n - (d + 1));   // T7
        assertThat(active).isBetween(3, 12);                   // planted 3; a few near-duplicates at most
        assertThat(DiagnosticsCalculator.balanceError(finished)).isLessThanOrEqualTo(1e-6);   // T2
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
}
