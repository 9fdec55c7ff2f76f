package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import org.assertj.core.data.Offset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The last loss-curve point describes the network the solver returns, wherever the fit stops: also right
 * after a knot revival, which changes the network without taking an iteration (and, for a window stall,
 * after that iteration's point was logged). A small 1-D problem whose fits revive a knot a few times is
 * cancelled at every one of its cancellation checks in turn, with a point logged at every iteration and
 * with only the first and the last point.
 */
class LossCurveEndTest {

    @ParameterizedTest
    @CsvSource({
            "PROX,PATH_NORM,1", "PROX,PATH_NORM,1073741824",
            "LBFGS,WEIGHT_DECAY,1", "LBFGS,WEIGHT_DECAY,1073741824"})
    void lastPointIsTheObjectiveOfTheReturnedNetworkAtEveryCancellation(SolverType type, Regularization reg, int logEvery) {
        int n = 12;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = -2 + 4.0 * i / (n - 1);
            y[i] = Math.sin(3 * x[i]) + 0.3 * Math.cos(7 * x[i]);
        }
        FitProblem problem = FitProblem.of1D(x, y);
        double lambda = 0.01;
        FitSettings settings = FitSettings.defaults(lambda).withSolver(type).withRegularization(reg).withWidth(6)
                .withTol(1e-4).withLogEvery(logEvery);
        CancelAt never = new CancelAt(Integer.MAX_VALUE);
        SolverResult full = solver(type).solve(problem, settings, ProgressListener.NONE, never);
        assertThat(full.stopReason()).isEqualTo(StopReason.CONVERGED);

        for (int stopAt = 1; stopAt <= never.checks; stopAt++) {
            SolverResult result = solver(type).solve(problem, settings, ProgressListener.NONE, new CancelAt(stopAt));
            assertThat(result.stopReason()).isEqualTo(StopReason.CANCELLED);
            LossPoint last = result.lossCurve().get(result.lossCurve().size() - 1);
            double expected = reportedObjective(type, reg, result.shallow(), problem, lambda);
            assertThat(last.iteration()).isEqualTo(result.iterations());
            assertThat(last.objective()).as("cancelled at check %d", stopAt)
                    .isCloseTo(expected, Offset.offset(1e-12 * Math.abs(expected)));
        }
    }

    /**
     * What each solver's loss curve reports, computed here from the network: PathProx the path-norm
     * objective (A3, A4), L-BFGS the objective under the requested regularizer.
     */
    private static double reportedObjective(SolverType type, Regularization reg, ShallowNetwork net, FitProblem problem,
                                            double lambda) {
        double[] pred = net.predict(problem.x(), null).data;
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            double r = pred[i] - problem.y().data[i];
            s += r * r;
        }
        double penalty = type == SolverType.PROX ? PathNorm.of(net) : reg.penalty().value(net);
        return 0.5 * s + lambda * penalty;
    }

    /** The bare solver (the facade would finish the network). */
    private static Solver solver(SolverType type) {
        return type == SolverType.PROX ? new PathProx() : new Lbfgs();
    }

    /** Cancels from the {@code at}-th check on (1-based); counts the checks. */
    private static final class CancelAt implements CancellationToken {
        final int at;
        int checks;

        CancelAt(int at) {
            this.at = at;
        }

        @Override
        public boolean isCancelled() {
            return ++checks >= at;
        }
    }
}
