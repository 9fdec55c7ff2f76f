package io.sparsefit.core.solver.gradient;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.solver.AdamOptions;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every gradient solver promises: determinism, cancellation, logging, shapes, divergence. */
class SolverContractTest {

    @ParameterizedTest
    @EnumSource(value = SolverType.class, names = {"PROX", "LBFGS", "ADAM"})
    void sameSeedGivesBitIdenticalParameters(SolverType type) {
        FitProblem problem = SolverFixtures.random(60, 3, 2, 11);
        for (Regularization reg : Regularization.values()) {
            FitSettings settings = SolverFixtures.settings(type, 0.1).withRegularization(reg).withWidth(12).withMaxIter(150);
            ShallowNetwork a = solve(type, problem, settings).shallow();
            ShallowNetwork b = solve(type, problem, settings).shallow();
            ShallowNetwork other = solve(type, problem, settings.withSeed(99)).shallow();
            assertThat(SolverFixtures.parameters(a)).isEqualTo(SolverFixtures.parameters(b));
            assertThat(SolverFixtures.parameters(a)).isNotEqualTo(SolverFixtures.parameters(other));
        }
    }

    @ParameterizedTest
    @EnumSource(value = SolverType.class, names = {"PROX", "LBFGS", "ADAM"})
    void alreadyCancelledTokenStopsBeforeTheFirstIteration(SolverType type) {
        FitProblem problem = SolverFixtures.random(30, 2, 1, 3);
        SolverResult result = solver(type).solve(problem, SolverFixtures.settings(type, 0.1).withWidth(8),
                ProgressListener.NONE, () -> true);
        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        assertThat(result.iterations()).isZero();
        assertThat(result.shallow().width()).isEqualTo(8);
    }

    @ParameterizedTest
    @EnumSource(value = SolverType.class, names = {"PROX", "LBFGS", "ADAM"})
    void tokenCancellingAfterFiveChecksStopsWithinOneIteration(SolverType type) {
        FitProblem problem = SolverFixtures.random(40, 2, 1, 4);
        SolverFixtures.CancelAfter token = new SolverFixtures.CancelAfter(5);
        SolverResult result = solver(type).solve(problem,
                SolverFixtures.settings(type, 0.01).withWidth(8).withTol(1e-15), ProgressListener.NONE, token);
        assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
        // At least one look per iteration (more inside line searches and backtracking), so five false answers allow at
        // most five iterations; after the first true one the solver stops without another step, looking at most twice
        // more (to tell a stopped line search from a failed one).
        assertThat(result.iterations()).isBetween(1, 5);
        assertThat(token.count()).isBetween(6, 8);
    }

    @ParameterizedTest
    @EnumSource(value = SolverType.class, names = {"PROX", "LBFGS", "ADAM"})
    void progressAndLossCurveAtEveryLogEveryIterations(SolverType type) {
        FitProblem problem = SolverFixtures.random(40, 3, 2, 5);
        List<Integer> reported = new ArrayList<>();
        ProgressListener listener = (iteration, objective, dataFit, penalty) -> {
            reported.add(iteration);
            assertThat(objective).isEqualTo(dataFit + penalty);
        };
        FitSettings settings = SolverFixtures.settings(type, 0.05).withWidth(10).withMaxIter(37).withLogEvery(10).withTol(1e-15);
        SolverResult result = solver(type).solve(problem, settings, listener, CancellationToken.NEVER);
        List<Integer> logged = result.lossCurve().stream().map(LossPoint::iteration).toList();
        assertThat(logged).isEqualTo(reported);
        int last = result.iterations();
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i <= last; i += 10) {
            expected.add(i);
        }
        if (last % 10 != 0) {
            expected.add(last);
        }
        assertThat(logged).isEqualTo(expected);
        // the objective never goes up for the monotone methods
        if (type != SolverType.ADAM) {
            for (int i = 1; i < result.lossCurve().size(); i++) {
                assertThat(result.lossCurve().get(i).objective()).isLessThanOrEqualTo(result.lossCurve().get(i - 1).objective());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = SolverType.class, names = {"PROX", "LBFGS", "ADAM"})
    void worksForOneSampleAndWithoutSkip(SolverType type) {
        FitProblem one = SolverFixtures.random(1, 2, 3, 6);
        SolverResult result = solver(type).solve(one, SolverFixtures.settings(type, 0.1).withWidth(3).withMaxIter(50),
                ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(result.stopReason()).isIn(StopReason.CONVERGED, StopReason.MAX_ITERATIONS);
        FitProblem problem = SolverFixtures.random(30, 4, 2, 7);
        FitSettings noSkip = SolverFixtures.settings(type, 0.1).withWidth(5).withSkip(false).withMaxIter(50);
        SolverResult r2 = solver(type).solve(problem, noSkip, ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(r2.network().hasSkip()).isFalse();
        assertThat(r2.shallow().width()).isEqualTo(5);
        assertThat(r2.lossCurve().get(r2.lossCurve().size() - 1).objective()).isLessThan(r2.lossCurve().get(0).objective());
        // width 0: only the affine part is fitted
        SolverResult affine = solver(type).solve(problem, SolverFixtures.settings(type, 0.1).withWidth(0).withMaxIter(3000)
                .withAdam(new AdamOptions(0.05, 0)), ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(affine.shallow().width()).isZero();
        assertThat(affine.lossCurve().get(affine.lossCurve().size() - 1).objective()).isLessThan(affine.lossCurve().get(0).objective());
    }

    private static SolverResult solve(SolverType type, FitProblem problem, FitSettings settings) {
        return solver(type).solve(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
    }

    /** A cold solver of {@code type} as a fit gets it. */
    private static Solver solver(SolverType type) {
        return SparseFit.create(type, false, null);
    }
}
