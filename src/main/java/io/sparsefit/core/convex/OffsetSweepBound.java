package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Vectors;
import org.ejml.data.DMatrixRMaj;

/**
 * The cheap cell bound of {@link PricingBound}: over a cap of directions, an upper bound of
 * {@code sup_u ||sum_n r_n relu(u . x_n - c)||} for every offset c at once, by one sweep over c
 * ({@code O(N log N + N d m)}, no anchors). In coordinates centred at the data mean, each point's projection
 * ranges over {@code [lo_n, hi_n]} on the cap; for a given c the points with {@code lo_n > c} are active on the
 * whole cap (a linear map of (u, c), bounded over the cap in closed form) and those with
 * {@code lo_n <= c <= hi_n} are ambiguous (each adds at most {@code ||r_n|| (hi_n - c)}). Between consecutive
 * ends of these ranges the bound is convex in c (a norm of an affine function plus a linear one), so its values
 * at the ends, each taken with both adjacent intervals' sets, bound it everywhere; outside all ranges the value
 * is 0 (r orthogonal to affine functions). A range-maximum table over those values then bounds each anchor
 * j, whose offset {@code u . x_j} stays in its own range {@code [lo_j, hi_j]}. The bound is of first order in the
 * cap's radius: it prunes wide cells cheaply; {@link PricingBound}'s anchored bound finishes narrow ones.
 */
final class OffsetSweepBound {

    private final int n;
    private final int d;
    private final int m;
    private final double[] centred;   // N x d, x minus its mean
    private final double[] mean;
    private final double[] radius;
    private final double[] lo;
    private final double[] hi;
    private final double[] ends;      // 2N: lo then hi
    private final int[] rank;         // 2N: position of each end in descending order
    private final double[][] table;   // range maxima over the ends in descending order
    private final double[] a;         // m x d
    private final double[] au;        // m: A u0
    private final double[] b;         // m
    private final double[] p;         // N: u0 . centred
    private final int[] descending;
    private final int[] endOrder;
    private final PackedSort sorter;
    // One output: max and min of a . u over the cap for the current active set, recomputed when it changes.
    private double capTop;
    private double capBottom;
    private boolean capRangeStale;
    private final double[] ambiguousWeight = new double[2];
    private final double[] ambiguousMoment = new double[2];

    OffsetSweepBound(DMatrixRMaj x, int outputs) {
        this.n = x.numRows;
        this.d = x.numCols;
        this.m = outputs;
        this.mean = new double[d];
        this.radius = new double[n];
        this.centred = centre(x, mean, radius);
        this.lo = new double[n];
        this.hi = new double[n];
        this.ends = new double[2 * n];
        this.rank = new int[2 * n];
        int levels = 1;
        while ((1 << levels) < 2 * n) {
            levels++;
        }
        this.table = new double[levels + 1][2 * n];
        this.a = new double[m * d];
        this.au = new double[m];
        this.b = new double[m];
        this.p = new double[n];
        this.descending = new int[2 * n];
        this.endOrder = new int[2 * n];
        this.sorter = new PackedSort(2 * n);
    }

    /**
     * The inputs minus their mean (N x d, row-major, returned), writing the mean into {@code mean} (d) and each row's
     * distance from it into {@code radius} (N); x not modified. Also {@link OffsetCellBound}'s coordinates.
     */
    static double[] centre(DMatrixRMaj x, double[] mean, double[] radius) {
        int n = x.numRows;
        int d = x.numCols;
        for (int q = 0; q < n; q++) {
            for (int t = 0; t < d; t++) {
                mean[t] += x.data[q * d + t] / n;
            }
        }
        double[] centred = new double[n * d];
        for (int q = 0; q < n; q++) {
            double s = 0;
            for (int t = 0; t < d; t++) {
                double e = x.data[q * d + t] - mean[t];
                centred[q * d + t] = e;
                s += e * e;
            }
            radius[q] = Math.sqrt(s);
        }
        return centred;
    }

    /**
     * Sweeps the cap around {@code u0} (unit, not modified) of radius theta ({@code cos}, {@code sin} given) and
     * returns the bound over every offset.
     *
     * @param r     residual, N x m, orthogonal to [1, x]; not modified
     * @param norms {@code ||r_n||}, not modified
     */
    double sweep(double[] u0, double ct, double st, DMatrixRMaj r, double[] norms) {
        Vectors.rowDots(centred, n, d, u0, p);
        for (int q = 0; q < n; q++) {
            hi[q] = capMax(radius[q], p[q], ct, st);
            lo[q] = radius[q] == 0 ? 0 : -capMax(radius[q], -p[q], ct, st);   // +0 at the centre: the ends' sort tells -0 from +0
            ends[q] = lo[q];
            ends[n + q] = hi[q];
        }
        int[] ascending = endOrder;
        sorter.sortedOrder(ends, 2 * n, ascending);
        int e2 = 2 * n;
        for (int k = 0; k < e2; k++) {
            descending[k] = ascending[e2 - 1 - k];
            rank[descending[k]] = k;
        }
        java.util.Arrays.fill(a, 0.0);
        java.util.Arrays.fill(au, 0.0);
        java.util.Arrays.fill(b, 0.0);
        double[] at = table[0];
        java.util.Arrays.fill(at, 0.0);
        // Over the ambiguous points: sums of ||r_n|| and ||r_n|| hi_n, split by the sign of r_n for one output ([0]: r_n
        // > 0 or several outputs, [1]: r_n < 0), so that each point adds (hi_n - c) ||r_n|| on its own side.
        double[] amb0 = ambiguousWeight;
        double[] amb1 = ambiguousMoment;
        java.util.Arrays.fill(amb0, 0.0);
        java.util.Arrays.fill(amb1, 0.0);
        capRangeStale = true;
        double[] rs = r.data;
        for (int k = 0; k < e2; k++) {
            int end = descending[k];
            int q = end < n ? end : end - n;
            int side = m == 1 && rs[q] < 0 ? 1 : 0;
            if (end >= n) {
                amb0[side] += norms[q];   // c drops below hi_q: ambiguous
                amb1[side] += norms[q] * hi[q];
            } else {
                amb0[side] -= norms[q];   // c drops below lo_q: active on the whole cap
                amb1[side] -= norms[q] * hi[q];
                capRangeStale = true;
                for (int i = 0; i < m; i++) {
                    double ri = rs[q * m + i];
                    au[i] += ri * p[q];
                    b[i] += ri;
                    for (int t = 0; t < d; t++) {
                        a[i * d + t] += ri * centred[q * d + t];
                    }
                }
            }
            double here = ends[descending[k]];
            at[k] = Math.max(at[k], value(here, ct, st, Math.max(0.0, amb1[0] - here * amb0[0]),
                    Math.max(0.0, amb1[1] - here * amb0[1])));
            if (k + 1 < e2) {
                double next = ends[descending[k + 1]];
                at[k + 1] = value(next, ct, st, Math.max(0.0, amb1[0] - next * amb0[0]),
                        Math.max(0.0, amb1[1] - next * amb0[1]));
            }
        }
        double best = 0;
        for (int k = 0; k < e2; k++) {
            best = Math.max(best, at[k]);
        }
        for (int level = 1; level < table.length; level++) {
            int half = 1 << (level - 1);
            double[] prev = table[level - 1];
            double[] cur = table[level];
            for (int k = 0; k + (1 << level) <= e2; k++) {
                cur[k] = Math.max(prev[k], prev[k + half]);
            }
        }
        return best;
    }

    /** After {@link #sweep}: a bound over the cap for anchor j, whose offset stays in {@code [lo_j, hi_j]}. */
    double anchor(int j) {
        int from = rank[n + j];   // hi_j comes first in descending order
        int to = rank[j];
        int e2 = 2 * n;
        while (from > 0 && ends[descending[from - 1]] == ends[descending[from]]) {
            from--;
        }
        while (to + 1 < e2 && ends[descending[to + 1]] == ends[descending[to]]) {
            to++;
        }
        if (from > to) {
            int s = from;
            from = to;
            to = s;
        }
        int level = 31 - Integer.numberOfLeadingZeros(to - from + 1);
        return Math.max(table[level][from], table[level][to - (1 << level) + 1]);
    }

    /**
     * Linear part (A u - b c over the cap) plus the ambiguous part: {@code up} and {@code down} the reach of the
     * ambiguous points with r_n > 0 and r_n < 0 for one output, which raise and lower f only ({@code |f| <=
     * max(max f, -min f)}); for several outputs {@code up} is all of it and {@code down} 0.
     */
    private double value(double c, double ct, double st, double up, double down) {
        if (m == 1) {
            if (capRangeStale) {   // the range of a . u over the cap changes only when a point turns active
                double na = Vectors.norm(a, 0, d);
                capTop = na > 0 ? capMax(na, au[0], ct, st) : au[0];
                capBottom = na > 0 ? -capMax(na, -au[0], ct, st) : au[0];
                capRangeStale = false;
            }
            return Math.max(capTop - b[0] * c + up, b[0] * c - capBottom + down) * (1 + PricingBound.ROUNDING);
        }
        double fro = Vectors.dot(a, a);
        double s = 0;
        for (int i = 0; i < m; i++) {
            double g = au[i] - b[i] * c;
            s += g * g;
        }
        double chord2 = ct <= -1.0 ? 4.0 : 2.0 * st * st / (1.0 + ct);
        return (Math.sqrt(s) + Math.sqrt(fro * chord2) + up) * (1 + PricingBound.ROUNDING);
    }

    /**
     * {@code max_{u in cap} a . u} for a vector a of norm {@code norm} with {@code a . u0 = dot} (0 for a = 0); the
     * minimum is {@code -capMax(norm, -dot, ...)}. The one range of a linear function over the cap, for this sweep
     * and for {@code PricingBound}'s anchored bound.
     */
    static double capMax(double norm, double dot, double ct, double st) {
        return norm > 0 ? norm * capCosine(Math.max(-1.0, Math.min(1.0, dot / norm)), ct, st) : 0.0;
    }

    /** {@code max_{u in cap} cos angle(u, y)} given {@code cos angle(u0, y)}: cos(max(0, alpha - theta)). */
    static double capCosine(double cos, double ct, double st) {
        if (cos >= ct) {
            return 1.0;
        }
        double sin = Math.sqrt(Math.max(0.0, 1.0 - cos * cos));
        return cos * ct + sin * st;
    }
}
