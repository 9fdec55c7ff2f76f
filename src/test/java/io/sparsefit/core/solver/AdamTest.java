package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.finish.Finishing;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.gradient.ReluLassoReference;
import io.sparsefit.core.solver.gradient.SolverFixtures;
import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void miniBatchesAreDeterministicAndDependOnTheSeed() {
        FitProblem problem = SolverFixtures.random(100, 3, 2, 21);
        FitSettings settings = SolverFixtures.settings(SolverType.ADAM, 0.1).withWidth(10).withMaxIter(200)
                .withAdam(new AdamOptions(0.01, 16));
        ShallowNetwork a = new Adam().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER).shallow();
        ShallowNetwork b = new Adam().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER).shallow();
        ShallowNetwork full = new Adam().solve(problem, settings.withAdam(new AdamOptions(0.01, 0)), ProgressListener.NONE, CancellationToken.NEVER).shallow();
        assertThat(SolverFixtures.parameters(a)).isEqualTo(SolverFixtures.parameters(b));
        assertThat(SolverFixtures.parameters(a)).isNotEqualTo(SolverFixtures.parameters(full));
    }

    @Test
    void fullBatchReachesTheOneInputOptimum() {
        double[] x = SolverFixtures.sineX();
        double[] y = SolverFixtures.sineY(x);
        FitProblem problem = FitProblem.of1D(x, y);
        double lambda = 0.03;
        double reference = ReluLassoReference.optimum(x, y, lambda);
        FitSettings settings = SolverFixtures.settings(SolverType.ADAM, lambda).withRegularization(Regularization.PATH_NORM)
                .withWidth(40).withAdam(new AdamOptions(0.01, 0)).withMaxIter(5000);
        SolverResult result = new Adam().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        double objective = SolverFixtures.pathNormObjective(Finishing.finish(result.shallow(), null, Regularization.PATH_NORM), problem, lambda);
        assertThat(objective).isLessThanOrEqualTo(1.03 * reference);
        assertThat(objective).isGreaterThanOrEqualTo(reference * (1 - 1e-9));
    }

    @Test
    void miniBatchTrainingLowersTheFullObjective() {
        FitProblem problem = SolverFixtures.planted2D(200, 3);
        FitSettings settings = SolverFixtures.settings(SolverType.ADAM, 0.1).withRegularization(Regularization.WEIGHT_DECAY)
                .withWidth(20).withAdam(new AdamOptions(0.01, 32)).withMaxIter(1500).withLogEvery(50);
        SolverResult result = new Adam().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        double first = result.lossCurve().get(0).objective();
        double last = result.lossCurve().get(result.lossCurve().size() - 1).objective();
        assertThat(last).isLessThan(0.2 * first);
    }

    @Test
    void absurdLearningRateDiverges() {
        FitProblem problem = SolverFixtures.random(30, 2, 1, 5);
        FitSettings settings = SolverFixtures.settings(SolverType.ADAM, 0.1).withWidth(5).withAdam(new AdamOptions(1e200, 0)).withMaxIter(100);
        SolverResult result = new Adam().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(result.stopReason()).isEqualTo(StopReason.DIVERGED);
    }
}
