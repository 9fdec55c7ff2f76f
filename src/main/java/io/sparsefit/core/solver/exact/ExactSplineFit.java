package io.sparsefit.core.solver.exact;

import io.sparsefit.core.network.ShallowNetwork;

/** Building the output network of the exact 1-D solver (theory C1, T5) from a solved spline. */
public final class ExactSplineFit {

    /**
     * Slope changes with {@code |a_j| <= ZERO_KNOT * max_j |a_j|} are treated as zero and give no neuron:
     * the active-set solution is exact up to rounding, and rounding leaves changes of that relative
     * size at points that are not knots of the true optimum. Dropping them moves f by a relative amount
     * of the same order.
     */
    public static final double ZERO_KNOT = 1e-12;

    private ExactSplineFit() {
    }

    /** The network of the spline last solved by {@code solver}, canonical or sparsest (T5). */
    public static ShallowNetwork network(ActiveSetSpline solver, MergedData data, boolean sparsest) {
        return network(solver.spline(), data, sparsest);
    }

    /** The network of a solved {@link KnotSpline} (the homotopy of {@link SplinePath} evaluates segments with it). */
    static ShallowNetwork network(KnotSpline spline, MergedData data, boolean sparsest) {
        return fromKnots(spline.knotIndex, spline.amplitude, spline.knotCount, data,
                spline.fitted[0], spline.firstSlope(), sparsest);
    }

    /** The piecewise-linear interpolant of the merged data (lambda = 0): slope changes {@code L y}. */
    public static ShallowNetwork interpolant(MergedData data, boolean sparsest) {
        int n = data.n;
        double[] x = data.x;
        double[] y = data.y;
        int[] index = new int[n];
        double[] amplitude = new double[n];
        int count = 0;
        for (int j = 1; j < n - 1; j++) {
            index[count] = j;
            amplitude[count] = (y[j + 1] - y[j]) / (x[j + 1] - x[j]) - (y[j] - y[j - 1]) / (x[j] - x[j - 1]);
            count++;
        }
        return fromKnots(index, amplitude, count, data, y[0], (y[1] - y[0]) / (x[1] - x[0]), sparsest);
    }

    private static ShallowNetwork fromKnots(int[] knotIndex, double[] knotAmplitude, int count, MergedData data,
                                            double z0, double slope0, boolean sparsest) {
        double largest = 0.0;
        for (int k = 0; k < count; k++) {
            largest = Math.max(largest, Math.abs(knotAmplitude[k]));
        }
        double zero = ZERO_KNOT * largest;
        int[] index = new int[count];
        double[] position = new double[count];
        double[] amplitude = new double[count];
        int kept = 0;
        for (int k = 0; k < count; k++) {
            double a = knotAmplitude[k];
            if (Math.abs(a) > zero) {
                index[kept] = knotIndex[k];
                position[kept] = data.x[knotIndex[k]];
                amplitude[kept] = a;
                kept++;
            }
        }
        if (sparsest) {
            kept = SparsestSpline.merge(index, position, amplitude, kept, data.x);
        }
        return SplineNetwork.build(position, amplitude, kept, data.x[0], z0, slope0);
    }

    /** {@code 1/2 sum_n (c0 + C x_n - y_n)^2} over the original samples for an affine function, O(N). */
    public static double affineDataFit(double intercept, double slope, MergedData data) {
        double fit = 0.0;
        for (int i = 0; i < data.n; i++) {
            double r = intercept + slope * data.x[i] - data.y[i];
            fit += data.weight[i] * r * r;
        }
        return 0.5 * (fit + data.withinSquares);
    }
}
