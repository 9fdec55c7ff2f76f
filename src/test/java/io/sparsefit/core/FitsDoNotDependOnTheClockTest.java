package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fits must be deterministic for a seed whatever the timing: a fit that does not hit its budget gives the same network
 * and the same diagnostics (all but {@code runtimeMs}) with no deadline and slowed down under a generous one
 * ({@link ClockPerturbation}), for every solver and every pricing regime of the convex one and its certificate (the 2-D
 * sweep, the 3-D enumeration, the branch and bound beyond, whose budget is counted in work).
 */
class FitsDoNotDependOnTheClockTest {

    /** A planted network of three neurons plus noise, on standard normal inputs. */
    private static FitProblem planted(int n, int d, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        DMatrixRMaj y = RandomNetworks.network(d, 1, 3, true, seed + 1).predict(x, null);
        CommonOps_DDRM.addEquals(y, 0.05, RandomNetworks.matrix(n, 1, seed + 2));
        return new FitProblem(x, y);
    }

    static List<Arguments> fits() {
        FitSettings base = FitSettings.defaults(0.05).withSeed(7);
        FitSettings gradient = base.withWidth(8).withMaxIter(300).withLambda(0.01);
        return List.of(
                Arguments.of("exact, 1-D", planted(80, 1, 1), base.withSolver(SolverType.EXACT)),
                Arguments.of("convex, 2-D sweep", planted(40, 2, 4), base.withSolver(SolverType.CONVEX).withLambda(1)),
                Arguments.of("convex, 3-D enumeration", planted(24, 3, 4), base.withSolver(SolverType.CONVEX).withLambda(0.5)),
                Arguments.of("convex, 4-D branch and bound", planted(16, 4, 4), base.withSolver(SolverType.CONVEX).withLambda(1)),
                Arguments.of("prox", planted(60, 2, 5), gradient.withSolver(SolverType.PROX)),
                Arguments.of("lbfgs", planted(60, 2, 6), gradient.withSolver(SolverType.LBFGS)),
                Arguments.of("adam", planted(60, 2, 7), gradient.withSolver(SolverType.ADAM)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fits")
    void aFitWithinItsBudgetGivesTheSameBitsHoweverFastItRuns(String name, FitProblem problem, FitSettings settings) {
        List<String> alone = ClockPerturbation.fingerprint(SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER));
        List<String> slowed = ClockPerturbation.fingerprint(SparseFit.fit(problem, settings, ProgressListener.NONE,
                ClockPerturbation.slowUnderDeadline(64, 200_000)));
        assertThat(alone.get(0)).as("stop reason").isNotEqualTo(StopReason.TIME_LIMIT.name());
        assertThat(slowed).isEqualTo(alone);
    }
}
