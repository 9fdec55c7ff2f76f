package io.sparsefit.core.objective;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.LossGroupLasso;
import io.sparsefit.core.network.Network;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one affine refit (theory A1, A2b): with every neuron fixed, the skip connection's intercept {@code c0} (and its
 * weights {@code C} when the network has a skip) minimize {@code sum_n w_n loss(F0_n + c0 + C x_n; y_n)} (plus
 * {@code lambda/2 ||C||_F^2} for a classification loss, {@link SkipDecay}), with {@code F0} what the neurons give.
 * For squared loss without weights that is linear least squares on {@code [1, X]} ({@link #setLeastSquares}); for
 * every other case a small smooth convex problem in {@code m (1 + d)} unknowns, solved by {@link LossGroupLasso} with no
 * atoms: Newton's method with a Levenberg damping (the Huber loss has zero curvature outside delta) and a backtracking
 * line search from the current affine part, so the objective never rises.
 */
public final class AffineRefit {

    private AffineRefit() {
    }

    /**
     * Sets {@code net}'s {@code c0} (and {@code C} with skip) to the least-squares fit of {@code rest} (N x m, what the
     * neurons leave of the targets, not modified) on {@code [1, X]} (pseudo-inverse: N <= d is allowed). {@code net}
     * is modified.
     */
    public static void setLeastSquares(Network net, DMatrixRMaj x, DMatrixRMaj rest) {
        DMatrixRMaj beta = AffineProjection.leastSquares(x, rest, net.hasSkip());
        int m = net.outputDim();
        int d = net.inputDim();
        double[] c0 = net.skipBias();
        double[] c = net.skipWeights().data;
        for (int i = 0; i < m; i++) {
            c0[i] = beta.data[i];
            if (net.hasSkip()) {
                for (int t = 0; t < d; t++) {
                    c[i * d + t] = beta.data[(1 + t) * m + i];
                }
            }
        }
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
        int m = net.outputDim();
        int d = net.inputDim();
        double[] c0 = net.skipBias();
        double[] c = net.skipWeights().data;
        double[] savedC0 = c0.clone();
        double[] savedC = c.clone();
        java.util.Arrays.fill(c0, 0.0);
        if (!interceptOnly) {
            java.util.Arrays.fill(c, 0.0);
        }
        DMatrixRMaj neurons = net.predict(problem.x(), null);
        if (problem.plainLeastSquares() && !interceptOnly) {
            DMatrixRMaj rest = problem.y().copy();
            CommonOps_DDRM.subtractEquals(rest, neurons);
            setLeastSquares(net, problem.x(), rest);
            return;
        }
        boolean linear = net.hasSkip() && !interceptOnly;
        double[] start = new double[linear ? m + m * d : m];
        System.arraycopy(savedC0, 0, start, 0, m);
        if (linear) {
            System.arraycopy(savedC, 0, start, m, m * d);
        }
        LossGroupLasso.Outcome solved = new LossGroupLasso(problem, new DMatrixRMaj(problem.rows(), 0), lambda, linear)
                .withOffset(neurons.data).solve(new double[0], start, 0.0);
        System.arraycopy(solved.affine(), 0, c0, 0, m);
        if (linear) {
            System.arraycopy(solved.affine(), m, c, 0, m * d);
        }
    }
}
