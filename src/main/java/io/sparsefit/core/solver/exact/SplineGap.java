package io.sparsefit.core.solver.exact;

import io.sparsefit.core.convex.DualNorm1D;

/**
 * The duality gap of theory T8 for a linear spline on merged 1-D data, O(N) with no allocation after
 * construction: the exact 1-D solver stops on it (C1).
 *
 * <p>T8: project the residual onto the complement of the affine functions, scale it by
 * {@code alpha = min(1, lambda / S)} with S the exact 1-D dual norm ({@link DualNorm1D}), and take
 * {@code gap = J - (r.y - 1/2 ||r||^2)}. Written naively that is a difference of two numbers of the size
 * of the objective; here it is evaluated in the algebraically equal form
 * <pre>
 *   gap = (1-alpha)^2/2 (||r'||^2 + W) + 1/2 ||e||^2 + sum_knots (lambda |a_l| - alpha q'_l a_l)
 * </pre>
 * where r' is the projected residual, e the removed affine part, W the within-duplicate sum of squares,
 * a_l the slope changes and q'_l the dual function of r' at the knots (summation by parts:
 * {@code r'^T C z = sum_l q'_l a_l} for a spline z). Every term is non-negative up to rounding, so the
 * gap is accurate to rounding relative to the objective, not to the size of y.
 */
final class SplineGap {

    private final MergedData data;
    private final double[] projected;
    private final double[] projectedDual;
    private final double[] residual;

    /** The last scale alpha and dual norm S. */
    double scale;
    double dualNorm;

    SplineGap(MergedData data) {
        this.data = data;
        projected = new double[data.n];
        projectedDual = new double[data.n];
        residual = new double[data.n];
    }

    /** The T8 gap of the spline last solved by {@code spline} at strength {@code lambda}. */
    double of(KnotSpline spline, double lambda) {
        int n = data.n;
        double[] c = data.weight;
        double[] x = data.x;
        for (int i = 0; i < n; i++) {
            residual[i] = spline.weightedResidual[i] / c[i];
        }
        WeightedAffineFit affine = WeightedAffineFit.of(x, residual, c, n);
        double affineSquares = 0.0;
        double projectedSquares = 0.0;
        for (int i = 0; i < n; i++) {
            double e = affine.at(x[i]);
            double r = residual[i] - e;
            affineSquares += c[i] * e * e;
            projectedSquares += c[i] * r * r;
            projected[i] = c[i] * r;
        }
        DualNorm1D.rampSums(x, projected, n, projectedDual);
        dualNorm = DualNorm1D.maxRowNorm(projectedDual, n, 1);
        scale = dualNorm > lambda ? lambda / dualNorm : 1.0;
        double knotTerms = 0.0;
        for (int l = 0; l < spline.knotCount; l++) {
            double a = spline.amplitude[l];
            knotTerms += lambda * Math.abs(a) - scale * projectedDual[spline.knotIndex[l]] * a;
        }
        double slack = 1.0 - scale;
        return 0.5 * slack * slack * (projectedSquares + data.withinSquares) + 0.5 * affineSquares + knotTerms;
    }
}
