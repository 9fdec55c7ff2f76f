package io.sparsefit.core.solver.exact;

/**
 * Weighted least-squares affine fit {@code min_{a,b} sum_i w_i (v_i - a - b x_i)^2} over n points:
 * the projection onto the null space of the regularizer (theory A1, T6, T8). Centred formulas, so
 * large offsets in x do not cancel. With one distinct position the slope is zero.
 */
public final class WeightedAffineFit {

    /** Value at {@code x = 0}. */
    public final double intercept;
    /** Slope. */
    public final double slope;
    /** Weighted mean of x; {@code intercept + slope * xMean} is the weighted mean of v. */
    public final double xMean;
    /** Weighted mean of v. */
    public final double vMean;

    private WeightedAffineFit(double slope, double xMean, double vMean) {
        this.slope = slope;
        this.xMean = xMean;
        this.vMean = vMean;
        this.intercept = vMean - slope * xMean;
    }

    public static WeightedAffineFit of(double[] x, double[] v, double[] w, int n) {
        double sw = 0.0;
        double sx = 0.0;
        double sv = 0.0;
        for (int i = 0; i < n; i++) {
            sw += w[i];
            sx += w[i] * x[i];
            sv += w[i] * v[i];
        }
        double xm = sx / sw;
        double vm = sv / sw;
        double sxx = 0.0;
        double sxv = 0.0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - xm;
            sxx += w[i] * dx * dx;
            sxv += w[i] * dx * (v[i] - vm);
        }
        double slope = sxx > 0 ? sxv / sxx : 0.0;
        return new WeightedAffineFit(slope, xm, vm);
    }

    /** The fitted value at {@code x}, evaluated around the mean for accuracy. */
    public double at(double x) {
        return vMean + slope * (x - xMean);
    }
}
