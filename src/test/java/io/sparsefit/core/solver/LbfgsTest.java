package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.finish.Finishing;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.NetworkObjective;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.gradient.ReluLassoReference;
import io.sparsefit.core.solver.gradient.SolverFixtures;
import io.sparsefit.core.solver.gradient.StrongWolfeLineSearch;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
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
        ShallowNetwork finished = Finishing.finish(result.shallow(), null, reg);
        double objective = SolverFixtures.pathNormObjective(finished, problem, lambda);

        assertThat(result.stopReason()).isEqualTo(StopReason.CONVERGED);
        assertThat(objective).isLessThanOrEqualTo(1.03 * reference);
        assertThat(objective).isGreaterThanOrEqualTo(reference * (1 - 1e-9));   // T1
        // weight decay is what was minimized; the path norm is never above it (A3)
        assertThat(PathNorm.of(result.shallow())).isLessThanOrEqualTo(WeightDecay.INSTANCE.value(result.shallow()) * (1 + 1e-12));
    }

    /**
     * Every step the solver accepts satisfies both strong Wolfe conditions, checked here at both ends of the
     * step: the objective from the network's own {@code predict} plus the penalty (slack 1e-12 relative for the
     * different summation order), the directional derivatives from a separate {@link NetworkObjective} (whose
     * gradient NetworkObjectiveTest checks against central differences).
     */
    @ParameterizedTest
    @CsvSource({"1,0.003,40", "2,0.01,16", "2,0.3,16", "3,0.05,24"})
    void everyAcceptedStepSatisfiesBothStrongWolfeConditions(int d, double lambda, int width) {
        FitProblem problem = d == 1 ? FitProblem.of1D(SolverFixtures.sineX(), SolverFixtures.sineY(SolverFixtures.sineX()))
                : d == 2 ? SolverFixtures.planted2D(150, 3) : SolverFixtures.random(120, d, 1, 9);
        FitSettings settings = SolverFixtures.settings(SolverType.LBFGS, lambda).withWidth(width).withMaxIter(400);
        NetworkObjective check = new NetworkObjective(problem, width, true);
        ShallowNetwork probe = new ShallowNetwork(d, 1, width, true);
        double[] g0 = new double[probe.parameterCount()];
        double[] g1 = new double[probe.parameterCount()];
        int[] steps = {0};
        Lbfgs.StepObserver observer = (from, direction, step, to) -> {
            probe.setParameters(from);
            double f0 = objective(probe, problem, lambda);
            check.evaluate(probe, WeightDecay.INSTANCE, lambda, g0);
            double slope0 = Vectors.dot(g0, direction);
            probe.setParameters(to);
            double f1 = objective(probe, problem, lambda);
            check.evaluate(probe, WeightDecay.INSTANCE, lambda, g1);
            double slope1 = Vectors.dot(g1, direction);
            assertThat(slope0).as("descent direction").isNegative();
            assertThat(f1).as("sufficient decrease at step %d", steps[0])
                    .isLessThanOrEqualTo(f0 + StrongWolfeLineSearch.C1 * step * slope0 + 1e-12 * Math.abs(f0));
            assertThat(Math.abs(slope1)).as("curvature at step %d", steps[0])
                    .isLessThanOrEqualTo(StrongWolfeLineSearch.C2 * Math.abs(slope0) * (1 + 1e-12));
            steps[0]++;
        };
        SolverResult result = new Lbfgs(observer).solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(steps[0]).isEqualTo(result.iterations()).isGreaterThan(20);
        assertThat(result.lossCurve().get(result.lossCurve().size() - 1).objective())
                .isLessThan(0.5 * result.lossCurve().get(0).objective());
    }

    /**
     * A run paused between two iterations ({@link Lbfgs.Run}) computes the bits of the run done at once: advanced in
     * uneven pieces (the network read at a pause is the iterate after that many accepted steps, as the step observer saw
     * it), it ends as the plain run; ended at {@code at} by {@link Lbfgs.Run#result}, it is the run with
     * {@code maxIter = at} (MAX_ITERATIONS, the same network and curve).
     */
    @Test
    void aRunPausedAndResumedIsTheRunDoneAtOnce() {
        FitProblem problem = SolverFixtures.random(120, 2, 1, 9);
        FitSettings settings = SolverFixtures.settings(SolverType.LBFGS, 0.01).withWidth(16).withMaxIter(300).withTol(1e-15);
        int at = 120;
        List<double[]> seen = new ArrayList<>();
        Lbfgs.StepObserver observer = (from, direction, step, to) -> seen.add(to.clone());
        SolverResult plain = new Lbfgs(observer).solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(plain.iterations()).isGreaterThan(at);

        Lbfgs.Run pieces = new Lbfgs().start(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        for (int until : new int[] {0, 1, 7, 7, at, at + 3, at + 50}) {
            assertThat(pieces.advanceTo(until)).isTrue();
            assertThat(pieces.iterations()).isEqualTo(until);
            double[] theta = new double[pieces.network().parameterCount()];
            pieces.network().getParameters(theta);
            if (until > 0) {
                assertThat(theta).isEqualTo(seen.get(until - 1));   // the iterate after the until-th step
            }
        }
        assertThat(pieces.advanceTo(Integer.MAX_VALUE)).isFalse();
        assertThat(pieces.ended()).isTrue();
        SolverResult resumed = pieces.result();
        assertThat(resumed.iterations()).isEqualTo(plain.iterations());
        assertThat(resumed.stopReason()).isEqualTo(plain.stopReason());
        assertThat(resumed.lossCurve()).isEqualTo(plain.lossCurve());
        assertThat(resumed.shallow().inputWeights().data).isEqualTo(plain.shallow().inputWeights().data);
        assertThat(resumed.shallow().outputWeights().data).isEqualTo(plain.shallow().outputWeights().data);
        assertThat(resumed.shallow().bias()).isEqualTo(plain.shallow().bias());
        assertThat(resumed.shallow().skipWeights().data).isEqualTo(plain.shallow().skipWeights().data);
        assertThat(pieces.result()).isSameAs(resumed);

        SolverResult shortRun = new Lbfgs().solve(problem, settings.withMaxIter(at), ProgressListener.NONE,
                CancellationToken.NEVER);
        Lbfgs.Run paused = new Lbfgs().start(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        paused.advanceTo(at);
        SolverResult stopped = paused.result();
        assertThat(paused.ended()).isTrue();
        assertThat(stopped.iterations()).isEqualTo(at).isEqualTo(shortRun.iterations());
        assertThat(stopped.stopReason()).isEqualTo(StopReason.MAX_ITERATIONS).isEqualTo(shortRun.stopReason());
        assertThat(stopped.lossCurve()).isEqualTo(shortRun.lossCurve());
        assertThat(stopped.shallow().inputWeights().data).isEqualTo(shortRun.shallow().inputWeights().data);
        assertThat(stopped.shallow().outputWeights().data).isEqualTo(shortRun.shallow().outputWeights().data);
    }

    private static double objective(ShallowNetwork net, FitProblem problem, double lambda) {
        DMatrixRMaj prediction = net.predict(problem.x(), null);
        double s = 0;
        for (int i = 0; i < prediction.getNumElements(); i++) {
            double r = prediction.data[i] - problem.y().data[i];
            s += r * r;
        }
        return 0.5 * s + lambda * WeightDecay.INSTANCE.value(net);
    }
}
