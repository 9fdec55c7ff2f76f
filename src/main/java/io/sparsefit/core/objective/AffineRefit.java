package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.LossGroupLasso;
import io.sparsefit.core.network.Network;
import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one affine refit (theory A1, A2b): with every neuron fixed, the skip connection's intercept {@code c0} (and its
 * weights {@code C} when the network has a skip) minimize {@code sum_n w_n loss(F0_n + c0 + C x_n; y_n)} (plus
 * {@code lambda/2 ||C||_F^2} for a classification loss, {@link SkipDecay}), with {@code F0} what the neurons give.
 * For squared loss without weights that is linear least squares on {@code [1, X]}; for
 * every other case a small smooth convex problem in {@code m (1 + d)} unknowns, solved by {@link LossGroupLasso} with no
 * atoms: Newton's method with a Levenberg damping (the Huber loss has zero curvature outside delta) and a backtracking
 * line search from the current affine part, so the objective never rises.
 */
public final class AffineRefit {

    private AffineRefit() {
    }

    /**
     * Refits the affine part of {@code net} (modified) on {@code problem} with its loss and weights; {@code lambda} is
     * the strength of the skip decay of a classification loss (ignored otherwise).
     */
    public static void refit(Network net, FitProblem problem, double lambda) {
        refit(net, problem, lambda, false);
    }

    /**
     * As {@link #refit(Network, FitProblem, double)}; with {@code interceptOnly} only {@code c0} moves ({@code C} is
     * kept), e.g. for a starting network. Beyond least squares this is the restricted problem of the convex solver and
     * the polish with no atoms ({@link LossGroupLasso}: damped Newton steps, here to stationarity at working precision),
     * the neurons' outputs a fixed offset.
     */
    public static void refit(Network net, FitProblem problem, double lambda, boolean interceptOnly) {
        double[] saved = net.affine();
        Arrays.fill(net.skipBias(), 0.0);
        if (!interceptOnly) {
            Arrays.fill(net.skipWeights().data, 0.0);
        }
        DMatrixRMaj neurons = net.predict(problem.x(), null);
        if (problem.plainLeastSquares() && !interceptOnly) {
            // Least squares on [1, X] of what the neurons leave (pseudo-inverse: N <= d is allowed).
            DMatrixRMaj rest = problem.y().copy();
            CommonOps_DDRM.subtractEquals(rest, neurons);
            net.setAffine(AffineProjection.leastSquares(problem.x(), rest, net.hasSkip()));
            return;
        }
        boolean linear = net.hasSkip() && !interceptOnly;
        double[] start = linear ? saved : Arrays.copyOf(saved, net.outputDim());
        LossGroupLasso.Outcome solved = new LossGroupLasso(problem, new DMatrixRMaj(problem.rows(), 0), lambda, linear)
                .withOffset(neurons.data).solve(new double[0], start, 0.0);
        net.setAffine(solved.affine());
    }
}
