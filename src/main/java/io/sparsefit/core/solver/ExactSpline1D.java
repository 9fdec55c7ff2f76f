package io.sparsefit.core.solver;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.exact.ActiveSetSpline;
import io.sparsefit.core.solver.exact.ExactSplineFit;
import io.sparsefit.core.solver.exact.LambdaMax;
import io.sparsefit.core.solver.exact.MergedData;
import io.sparsefit.core.solver.exact.SplineNetwork;
import io.sparsefit.core.solver.exact.WeightedAffineFit;
import java.util.List;

/**
 * The exact global optimum for one input (theory C1): weight-decay or path-norm training of a network
 * of any width {@code >= N-2} has the same optimum (A3), a linear spline with knots at data points
 * (T3) minimizing {@code 1/2 sum_n (f(x_n) - y_n)^2 + lambda TV2(f)} (A5). It is found by solving the
 * generalized lasso of C1 with an active-set method ({@link ActiveSetSpline}) that stops when the
 * duality gap of T8 is below {@code tol * max(1, objective)}.
 *
 * <ul>
 *   <li>Only {@code d = 1} and one output {@code m = 1}; anything else is an {@link IllegalArgumentException}.</li>
 *   <li>The skip connection must be on ({@code settings.skip() == true}): the exact optimum has an
 *       unpenalized affine part (the null space of TV2) that only the skip connection can represent,
 *       so {@code skip = false} is an {@link IllegalArgumentException}.</li>
 *   <li>Regularization {@code none} or {@code lambda = 0}: the piecewise-linear interpolant of the
 *       (duplicate-averaged) data, which minimizes TV2 among all interpolants.</li>
 *   <li>{@code lambda >= lambda_max} (T6), or at most two distinct x values: the affine least-squares
 *       fit with zero neurons, returned at once.</li>
 *   <li>{@code settings.exact().sparsest()}: the optimal spline with the fewest knots (T5) instead of the
 *       canonical one with knots at data points.</li>
 *   <li>{@code settings.width()} is ignored: the width of the result is its number of knots.</li>
 * </ul>
 * The iteration count, limit and loss curve refer to tridiagonal solves of the active-set method, each
 * O(N); a loss point is recorded every {@code logEvery} solves and once more at the end.
 *
 * <p>Stop reasons: {@code CONVERGED} when the T8 gap is below {@code tol * max(1, objective)};
 * {@code CANCELLED} and {@code MAX_ITERATIONS} return the best sign-consistent spline reached so far.
 * {@code MAX_ITERATIONS} is also returned, before the limit, when the optimality conditions hold but
 * rounding keeps the gap above tol (only seen for near-interpolating fits with tiny lambda on ~1e4+
 * points, where the residual is at the rounding level of y). {@code DIVERGED} if a banded solve broke down.
 *
 * <p>Knots: a slope change with {@code |a_j| <= 1e-12 max|a|} counts as zero and gives no neuron
 * ({@link ExactSplineFit#ZERO_KNOT}).
 */
public final class ExactSpline1D implements Solver {

    public ExactSpline1D() {
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        if (problem.inputDim() != 1) {
            throw new IllegalArgumentException("the exact solver needs one input (d = 1), got d = " + problem.inputDim());
        }
        if (problem.outputDim() != 1) {
            throw new IllegalArgumentException("the exact solver supports one output (m = 1), got m = " + problem.outputDim());
        }
        if (!settings.skip()) {
            throw new IllegalArgumentException("the exact solver needs the skip connection (skip = true): "
                    + "the optimal spline has an unpenalized affine part that only the skip connection represents");
        }
        int samples = problem.rows();
        double[] x = java.util.Arrays.copyOf(problem.x().data, samples);
        double[] y = java.util.Arrays.copyOf(problem.y().data, samples);
        MergedData data = MergedData.of(x, y, problem.sampleWeights());
        double lambda = settings.regularization() == Regularization.NONE ? 0.0 : settings.lambda();
        boolean sparsest = settings.exact().sparsest();

        if (data.n <= 2) {
            return affine(data, progress);
        }
        if (lambda == 0.0) {
            // The interpolant fits every distinct x exactly: only the spread within duplicates remains.
            ShallowNetwork net = ExactSplineFit.interpolant(data, sparsest);
            return trivial(net, 0.5 * data.withinSquares, progress);
        }
        double lambdaMax = LambdaMax.of(data);
        if (lambda >= lambdaMax) {
            return affine(data, progress);
        }
        ActiveSetSpline solver = new ActiveSetSpline(data);
        solver.run(lambda, settings.tol(), settings.maxIter(), settings.logEvery(), progress, cancel);
        ShallowNetwork net = ExactSplineFit.network(solver, data, sparsest);
        return new SolverResult(net, solver.stopReason(), solver.iterations(), solver.lossCurve());
    }

    /** The affine least-squares fit (T6), zero neurons. */
    private static SolverResult affine(MergedData data, ProgressListener progress) {
        WeightedAffineFit fit = WeightedAffineFit.of(data.x, data.y, data.weight, data.n);
        ShallowNetwork net = SplineNetwork.affine(fit.intercept, fit.slope);
        return trivial(net, ExactSplineFit.affineDataFit(fit.intercept, fit.slope, data), progress);
    }

    /** A closed-form answer, penalty 0 (no neurons, or lambda = 0): converged at iteration 0, one loss point there. */
    private static SolverResult trivial(ShallowNetwork net, double dataFit, ProgressListener progress) {
        progress.onProgress(0, dataFit, dataFit, 0.0);
        return new SolverResult(net, StopReason.CONVERGED, 0, List.of(new LossPoint(0, dataFit, dataFit, 0.0)));
    }
}
