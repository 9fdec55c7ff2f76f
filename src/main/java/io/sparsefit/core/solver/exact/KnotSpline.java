package io.sparsefit.core.solver.exact;

import io.sparsefit.core.convex.DualNorm1D;

/**
 * The optimal linear spline for a FIXED set of knots with FIXED signs of their slope changes: the
 * equality-constrained subproblem that the active-set method of {@link ActiveSetSpline} solves at every
 * step (theory C1).
 *
 * <p>With knots at data indices {@code k_1 < ... < k_p} (interior points), the spline is written in the
 * hat-function basis on the nodes {@code x_0, x_{k_1}, ..., x_{k_p}, x_{n-1}} with node values
 * {@code theta}. Its slope changes are second divided differences of theta, and with the signs
 * {@code s} fixed the penalty {@code lambda sum_l s_l a_l} is linear in theta, so the optimality
 * condition is the tridiagonal system
 * {@code (B^T C B) theta = B^T C y - lambda * grad(s^T a)} (solved for the correction to the data's
 * own interpolant through the nodes, for accuracy; see {@link #solve}), where B holds the hat functions at the data
 * and C the group weights. B^T C B is a weighted mass matrix: well conditioned even with very uneven
 * spacing, unlike the pentadiagonal {@code L C^-1 L^T} of the dual, whose condition number grows like N^4.
 *
 * <p>After {@link #solve} the fields hold the fitted values {@code z}, the weighted residual
 * {@code c (y - z)}, the slope changes at the knots and the dual function
 * {@code q_j = sum_i c_i (y_i - z_i) relu(x_i - x_j)} of theory T8 at every data point. At a KKT point
 * {@code q = lambda s} on the knots and {@code |q| <= lambda} elsewhere. All buffers are allocated once.
 */
final class KnotSpline {

    private final MergedData data;
    private final int n;

    /** Knot count and knot data indices (ascending, interior) with the signs of their slope changes. */
    int knotCount;
    final int[] knotIndex;
    final double[] knotSign;
    /** Slope change at each knot after {@link #solve}. */
    final double[] amplitude;

    final double[] theta;
    private final double[] diag;
    private final double[] off;
    private final int[] node;
    /** {@code 1 / (x_{node l+1} - x_{node l})} of each interval, set by the first pass of {@link #solve}. */
    private final double[] inverseWidth;

    /** Fitted values at the data. */
    final double[] fitted;
    /** Data minus its interpolant through the current nodes (work buffer of {@link #solve}). */
    private final double[] interpolationError;
    /** {@code weight_i * (y_i - fitted_i)}. */
    final double[] weightedResidual;
    /** The dual function q_j of theory T8 at every data point. */
    final double[] dual;

    /** {@code 1/2 sum_n (f(x_n) - y_n)^2} over the original samples, and {@code sum_l |a_l|}. */
    double dataFit;
    double totalVariation;

    KnotSpline(MergedData data) {
        this.data = data;
        this.n = data.n;
        knotIndex = new int[n];
        knotSign = new double[n];
        amplitude = new double[n];
        theta = new double[n];
        diag = new double[n];
        off = new double[n];
        node = new int[n];
        inverseWidth = new double[n];
        fitted = new double[n];
        interpolationError = new double[n];
        weightedResidual = new double[n];
        dual = new double[n];
    }

    /**
     * Solves the subproblem for the current knots and signs at strength {@code lambda}.
     *
     * @return false when the tridiagonal solve broke down numerically
     */
    boolean solve(double lambda) {
        double[] x = data.x;
        double[] y = data.y;
        double[] c = data.weight;
        int p = knotCount;
        int nodes = p + 2;
        loadNodes();
        java.util.Arrays.fill(diag, 0, nodes, 0.0);
        java.util.Arrays.fill(off, 0, nodes, 0.0);
        java.util.Arrays.fill(theta, 0, nodes, 0.0);
        // Unknown: the correction delta = theta - y(nodes) to the interpolant of the data through the
        // nodes. With e = y - (that interpolant), the system is (B^T C B) delta = B^T C e - lambda grad,
        // and the residual is e - B delta: for tight fits both terms are small, so the residual (and the
        // dual function q built from it) keeps its relative accuracy instead of being the difference of
        // two nearly equal numbers y - z. That is what lets the T8 gap certify near-interpolating fits.
        // Mass matrix and right side interval by interval; the point at a node has tau = 0 (e = 0).
        for (int l = 0; l < nodes - 1; l++) {
            int from = node[l];
            int to = node[l + 1];
            double left = x[from];
            double inverse = 1.0 / (x[to] - left);
            inverseWidth[l] = inverse;
            double yl = y[from];
            double ySlope = (y[to] - yl) * inverse;
            double dll = 0.0;
            double dlr = 0.0;
            double drr = 0.0;
            double rl = 0.0;
            double rr = 0.0;
            for (int i = from; i < to; i++) {
                double dx = x[i] - left;
                double tau = dx * inverse;
                double one = 1.0 - tau;
                double ci = c[i];
                double e = y[i] - (yl + dx * ySlope);
                interpolationError[i] = e;
                dll += ci * one * one;
                dlr += ci * one * tau;
                drr += ci * tau * tau;
                rl += ci * one * e;
                rr += ci * tau * e;
            }
            diag[l] += dll;
            off[l] += dlr;
            diag[l + 1] += drr;
            theta[l] += rl;
            theta[l + 1] += rr;
        }
        diag[nodes - 1] += c[n - 1];
        interpolationError[n - 1] = 0.0;
        // Penalty term lambda * s_l * a_l, a_l = (t_{l+1}-t_l)/H_l - (t_l - t_{l-1})/H_{l-1} (theory C1).
        for (int l = 1; l <= p; l++) {
            double s = lambda * knotSign[l - 1];
            theta[l - 1] -= s * inverseWidth[l - 1];
            theta[l] += s * (inverseWidth[l - 1] + inverseWidth[l]);
            theta[l + 1] -= s * inverseWidth[l];
        }
        if (!TridiagonalSolver.solveInPlace(diag, off, theta, nodes)) {
            return false;
        }
        // theta now holds delta. Fitted values = interpolant + B delta; residual = e - B delta.
        double fit = 0.0;
        for (int l = 0; l < nodes - 1; l++) {
            int from = node[l];
            double left = x[from];
            double dl = theta[l];
            double deltaSlope = (theta[l + 1] - dl) * inverseWidth[l];
            for (int i = from; i < node[l + 1]; i++) {
                double correction = dl + (x[i] - left) * deltaSlope;
                double r = interpolationError[i] - correction;
                fitted[i] = y[i] - r;
                weightedResidual[i] = c[i] * r;
                fit += c[i] * r * r;
            }
        }
        double rLast = -theta[nodes - 1];
        fitted[n - 1] = y[n - 1] - rLast;
        weightedResidual[n - 1] = c[n - 1] * rLast;
        fit += c[n - 1] * rLast * rLast;
        dataFit = 0.5 * (fit + data.withinSquares);
        // Slope changes: second divided differences of the node values y + delta, taken separately
        // for y and delta so the small correction is not rounded away.
        for (int l = 1; l <= p; l++) {
            double invLeft = inverseWidth[l - 1];
            double invRight = inverseWidth[l];
            double fromData = (y[node[l + 1]] - y[node[l]]) * invRight - (y[node[l]] - y[node[l - 1]]) * invLeft;
            double fromDelta = (theta[l + 1] - theta[l]) * invRight - (theta[l] - theta[l - 1]) * invLeft;
            amplitude[l - 1] = fromData + fromDelta;
        }
        finishEvaluation();
        return true;
    }

    /**
     * Makes {@code values} (a linear spline whose knots are among the current knots) the current fit and
     * recomputes the residual, the data fit, the slope changes at the knots and the dual function.
     */
    void evaluate(double[] values) {
        System.arraycopy(values, 0, fitted, 0, n);
        loadNodes();
        refresh();
    }

    /** Slope changes of the spline with the given values at the data, at the current knots, into {@code out}. */
    void amplitudesOf(double[] values, double[] out) {
        loadNodes();
        double[] x = data.x;
        for (int l = 1; l <= knotCount; l++) {
            out[l - 1] = (values[node[l + 1]] - values[node[l]]) / (x[node[l + 1]] - x[node[l]])
                    - (values[node[l]] - values[node[l - 1]]) / (x[node[l]] - x[node[l - 1]]);
        }
    }

    private void loadNodes() {
        int p = knotCount;
        node[0] = 0;
        System.arraycopy(knotIndex, 0, node, 1, p);
        node[p + 1] = n - 1;
    }

    /** Residual, data fit and slope changes from {@link #fitted}, then the rest. */
    private void refresh() {
        double[] y = data.y;
        double[] c = data.weight;
        double fit = 0.0;
        for (int i = 0; i < n; i++) {
            double r = y[i] - fitted[i];
            weightedResidual[i] = c[i] * r;
            fit += c[i] * r * r;
        }
        dataFit = 0.5 * (fit + data.withinSquares);
        amplitudesOf(fitted, amplitude);
        finishEvaluation();
    }

    /** Total variation and the dual function q from the residual and slope changes already set. */
    private void finishEvaluation() {
        double tv = 0.0;
        for (int l = 0; l < knotCount; l++) {
            tv += Math.abs(amplitude[l]);
        }
        totalVariation = tv;
        DualNorm1D.rampSums(data.x, weightedResidual, n, dual);
    }

    /** Slope of the first segment, {@code (theta_1 - theta_0) / (x_{node 1} - x_0)}. */
    double firstSlope() {
        loadNodes();
        return (fitted[node[1]] - fitted[0]) / (data.x[node[1]] - data.x[0]);
    }
}
