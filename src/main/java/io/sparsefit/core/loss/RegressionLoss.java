package io.sparsefit.core.loss;

/**
 * The regression losses: a Huber function of each residual {@code r = f_i - y_i}, summed over the m outputs (theory
 * A2b), {@code h(r) = 1/2 r^2} for {@code |r| <= delta}, else {@code delta (|r| - delta/2)}. The squared loss (A2) is
 * the member with {@code delta = +infinity}, so one implementation serves both: the derivative is {@code r} clipped
 * to {@code [-delta, delta]}, the curvature 1 inside the clip and 0 beyond, and the conjugate (per output, summed)
 * {@code loss*(u; y) = u y + 1/2 u^2} on {@code |u| <= delta}, {@code +infinity} outside (the squared norm restricted
 * to the box, shifted by the target; no box for squared loss).
 *
 * <p>Numbers: without weights the per-entry losses are summed in order, with weights per row and then weighted; the
 * factor 1/2 is a power of two, so for squared loss the sum of the halves is bit for bit half the sum of squares.
 */
sealed interface RegressionLoss extends Loss permits SquaredLoss, HuberLoss {

    /** The residual beyond which the loss grows linearly, {@code +infinity} for the squared loss. */
    double delta();

    @Override
    default double gradient(double[] f, int fOffset, double[] y, int yOffset, double[] w, int wOffset, int rows, int m,
                            double scale, double[] gradient, int gOffset) {
        double delta = delta();
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[wOffset + r];
            double rowSum = 0;
            for (int i = 0; i < m; i++) {
                double residual = f[fOffset + r * m + i] - y[yOffset + r * m + i];
                double a = Math.abs(residual);
                double h = a <= delta ? 0.5 * residual * residual : delta * (a - 0.5 * delta);
                if (w == null) {
                    sum += h;
                } else {
                    rowSum += h;
                }
                if (gradient != null) {
                    double slope = Math.max(-delta, Math.min(delta, residual));
                    gradient[gOffset + r * m + i] = w == null ? scale * slope : scale * wr * slope;
                }
            }
            if (w != null) {
                sum += wr * rowSum;
            }
        }
        return sum;
    }

    /** Diagonal: 1 where {@code |r| <= delta}, 0 beyond (for squared loss the identity). */
    @Override
    default void hessian(double[] f, int fOffset, double[] y, int yOffset, int m, double[] out) {
        java.util.Arrays.fill(out, 0, m * m, 0.0);
        double delta = delta();
        for (int i = 0; i < m; i++) {
            out[i * m + i] = Math.abs(f[fOffset + i] - y[yOffset + i]) > delta ? 0.0 : 1.0;
        }
    }

    @Override
    default double conjugate(double[] u, int uOffset, double[] y, int yOffset, int m) {
        double delta = delta();
        double s = 0;
        for (int i = 0; i < m; i++) {
            double ui = clip(u[uOffset + i], delta);
            if (Double.isNaN(ui)) {
                return Double.POSITIVE_INFINITY;
            }
            s += ui * y[yOffset + i] + 0.5 * ui * ui;
        }
        return s;
    }

    /**
     * {@code sum_n (g_n . y_n - ||g_n||^2 / (2 w_n))}: the conjugate written out (A2b; T8 for squared loss and
     * {@code w = 1}), with no division for {@code w = 1}; {@code -infinity} when some {@code |g_n / w_n|} is beyond
     * the box.
     */
    @Override
    default double dualValue(double[] g, double[] y, double[] w, int rows, int m, double[] work) {
        double delta = delta();
        double dual = 0;
        for (int r = 0; r < rows; r++) {
            double wr = w == null ? 1.0 : w[r];
            double half = w == null ? 0.5 : 0.5 / wr;
            for (int i = 0; i < m; i++) {
                double gi = g[r * m + i];
                if (Math.abs(gi) > delta * wr) {
                    gi = wr * clip(gi / wr, delta);
                    if (Double.isNaN(gi)) {
                        return Double.NEGATIVE_INFINITY;
                    }
                }
                dual += gi * y[r * m + i] - half * gi * gi;
            }
        }
        return dual;
    }

    /** The squared error {@code ||f_n - y_n||^2}, summed entry by entry in order (its mean is the MSE). */
    @Override
    default double error(double[] f, double[] y, int rows, int m, double[] perRow) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            double row = 0;
            for (int i = 0; i < m; i++) {
                double residual = f[r * m + i] - y[r * m + i];
                sum += residual * residual;
                row += residual * residual;
            }
            if (perRow != null) {
                perRow[r] = row;
            }
        }
        return sum;
    }

    /**
     * {@code u} clipped onto {@code [-delta, delta]} when it is beyond by at most {@link #DOMAIN_TOLERANCE} (relative
     * to {@code max(1, delta)}), NaN when it is further out.
     */
    private static double clip(double u, double delta) {
        double a = Math.abs(u);
        if (!(a > delta)) {
            return u;
        }
        return a > delta + DOMAIN_TOLERANCE * Math.max(1.0, delta) ? Double.NaN : Math.copySign(delta, u);
    }
}
