package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.finish.Finishing;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.gradient.ReluLassoReference;
import io.sparsefit.core.solver.gradient.SolverFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LbfgsTest {

    @ParameterizedTest
    @CsvSource({"0.003,PATH_NORM", "0.03,WEIGHT_DECAY", "0.03,PATH_NORM"})
    void oneInputFitIsWithinAFewPercentOfTheExactOptimumAndNeverBelowIt(double lambda, Regularization reg) {
        double[] x = SolverFixtures.sineX();
        double[] y = SolverFixtures.sineY(x);
        FitProblem problem = FitProblem.of1D(x, y);
        double reference = ReluLassoReference.optimum(x, y, lambda);
        FitSettings settings = SolverFixtures.settings(SolverType.LBFGS, lambda).withRegularization(reg).withWidth(40);
        SolverResult result = new Lbfgs().solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        ShallowNetwork finished = Finishing.finish(result.network(), reg);
        double objective = SolverFixtures.pathNormObjective(finished, problem, lambda);

        assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(objective).isLessThanOrEqualTo(1.03 * reference);
        assertThat(objective).isGreaterThanOrEqualTo(reference * (1 - 1e-9));   // T1
        // weight decay is what was minimized; the path norm is never above it (A3)
        assertThat(PathNorm.of(result.network())).isLessThanOrEqualTo(WeightDecay.INSTANCE.value(result.network()) * (1 + 1e-12));
    }
}
