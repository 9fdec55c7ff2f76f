package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.MatrixNorms;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The dual norm of theory T8 for two inputs, exactly, with the atom that attains it:
 * {@code S(r) = max_{||u|| = 1, c} ||sum_n r_n relu(u . x_n - c)||_2}, for a residual {@code r} (N x m)
 * orthogonal to the affine functions of x.
 *
 * <p>Why this is exact. For a fixed direction the best offset is at a data point, {@code c = u . x_j}
 * (the map {@code c -> sum r_n relu(p_n - c)} is affine between projections, its norm convex). So
 * {@code S = max_j max_u ||M_j(u) u||} with {@code M_j(u) = sum_{n : u.(x_n - x_j) > 0} r_n (x_n - x_j)^T}
 * (m x 2). Around the anchor x_j the set of points above the line changes only when u passes the normal
 * of some {@code x_n - x_j}; between two such events {@code M_j} is constant, and there {@code ||M_j u||^2 = u^T G u}
 * ({@code G = M_j^T M_j}) is a sinusoid of twice the angle, largest at an arc end or at the top eigenvector of G when
 * it lies inside the arc. Every candidate is a value of the function itself, so the result is exact up to rounding.
 * Because r is orthogonal to affine functions, {@code relu(z) - relu(-z) = z} gives the same value for u and -u, so a
 * half-turn of directions suffices.
 *
 * <p>How it is fast: a rotating sweep with pruning. The half-turn is cut into G equal intervals
 * {@code [a_g, a_(g+1)]} (G grows with N, {@link #intervals}); at each grid direction a_g the projections are kept
 * sorted (insertion sort from the previous grid direction's order: all the swaps of a half-turn, {@code N^2 / 2}
 * moves, cost less than one comparison sort per anchor), and one pass of running sums over the sorted order gives
 * every anchor's matrix {@code M_j(a_g)} ({@code O(N m)} per grid direction). Within the interval only points whose
 * projection lies within {@code |x_n - x_j| sin(delta)} of the anchor's can change sides (delta = pi / G), so
 * {@code max_{u in interval} ||M_j(u) u|| <= max_{u in interval} ||M_j(a_g) u|| + sin(delta) D_j sum_{window} ||r_n||}
 * ({@code D_j >= |x_n - x_j|}; the window sum from prefix sums). Only the (anchor, interval) pairs whose bound beats
 * the best value so far are swept exactly, over their own few events, with the arc formula above. Pruned pairs are
 * provably no better, so the maximum is exact; the work is {@code O(N^2 + G N m)} plus the exact pairs, against
 * {@code O(N^2 log N)} for the plain radial sweep around every anchor (the test reference,
 * {@code RadialSweep2D}).
 *
 * <p>{@link #top} also returns, besides the maximum, further distinct atoms above a threshold (for column
 * generation, theory C2). Single-threaded and deterministic: ties keep the first atom found.
 */
public final class ExactPricing2D {

    private static final int MAX_ROWS = 1 << 20;
    /**
     * Grid intervals of the half-turn: about N / {@value #ROWS_PER_INTERVAL}, within [MIN, MAX]. More intervals narrow the
     * windows (the bound's slack shrinks as the square of the step) but cost a pass over the N anchors each; the
     * bounds were measured fastest on bench/auto-2d's column generation residuals.
     */
    static final int ROWS_PER_INTERVAL = 8;
    static final int MIN_INTERVALS = 1024;
    static final int MAX_INTERVALS = 4096;
    /** Grid directions of the pre-pass that raises the pruning floor (a full sort each). */
    static final int COARSE_DIRECTIONS = 32;
    /** Ranks that share one window in the one-output pass (a power of two). */
    private static final int BLOCK = 8;
    /** Relative safety on the pruning bound and on the window (rounding). */
    private static final double SAFETY = 1e-9;
    /** Event keys: the quantized tangent of the angle past a_g above the rank and the enter/leave bit. */
    private static final double KEY_SCALE = 0x1p40;

    private final DMatrixRMaj x;
    private final int n;
    private final int m;
    private final int intervals;
    private final double[] gridX;
    private final double[] gridY;
    private final double sinStep;
    private final double tanStep;
    private final double halfWindow;    // 2 R sin(delta), with margin: no pair is farther apart than 2 R
    private final double[] projection;
    private final int[] order;
    private final double[] norms;       // ||r_n||
    private final double[] distance;    // |x_n - centre|
    private final double[] sortedX0;    // x, projection and distance in the sorted order of the current grid direction
    private final double[] sortedX1;
    private final double[] sortedP;
    private final double[] sortedDistance;
    private final double[] prefixNorm;  // N + 1: sums of ||r|| in sorted order
    private final double[] prefixMoment; // N + 1: sums of ||r_n|| |x_n - centre| in sorted order
    private final double[] sum0;        // m: running sum of r over the ranks above
    private final double[] sum1;        // m x 2: running sum of r x^T
    private final double[] window;      // M_j, m x 2 row-major
    private final long[] events;
    private final double[] eventX;      // by rank: where that point changes sides
    private final double[] eventY;
    private final double[] eigen = new double[2];
    private double eigenX;              // the last top eigenvector of topOnArc
    private double eigenY;
    private BooleanSupplier stop = () -> false;

    public ExactPricing2D(DMatrixRMaj x, int outputs) {
        if (x.numCols != 2) {
            throw new IllegalArgumentException("exact pricing in the plane needs 2 inputs, x has " + x.numCols + " columns");
        }
        if (x.numRows >= MAX_ROWS) {
            throw new IllegalArgumentException("exact pricing supports fewer than " + MAX_ROWS + " rows, got " + x.numRows);
        }
        this.x = x;
        this.n = x.numRows;
        this.m = outputs;
        this.intervals = intervals(n);
        this.gridX = new double[intervals + 1];
        this.gridY = new double[intervals + 1];
        for (int g = 0; g <= intervals; g++) {
            double angle = Math.PI * g / intervals;
            gridX[g] = Math.cos(angle);
            gridY[g] = Math.sin(angle);
        }
        gridX[intervals] = -1.0;
        gridY[intervals] = 0.0;
        this.sinStep = Math.sin(Math.PI / intervals) * (1 + SAFETY);
        this.tanStep = Math.tan(Math.PI / intervals) * (1 + SAFETY);
        double[] xs = x.data;
        double c0 = 0;
        double c1 = 0;
        for (int q = 0; q < n; q++) {
            c0 += xs[2 * q] / n;
            c1 += xs[2 * q + 1] / n;
        }
        this.distance = new double[n];
        double radius = 0;
        for (int q = 0; q < n; q++) {
            distance[q] = Math.hypot(xs[2 * q] - c0, xs[2 * q + 1] - c1);
            radius = Math.max(radius, distance[q]);
        }
        double widest = 2 * radius * (1 + SAFETY);   // >= |x_n - x_j| for every pair
        this.halfWindow = widest * sinStep * (1 + SAFETY) + 1e-12 * widest;
        this.projection = new double[n];
        this.order = new int[n];
        this.norms = new double[n];
        this.sortedX0 = new double[n];
        this.sortedX1 = new double[n];
        this.sortedP = new double[n];
        this.sortedDistance = new double[n];
        this.prefixNorm = new double[n + 1];
        this.prefixMoment = new double[n + 1];
        this.sum0 = new double[m];
        this.sum1 = new double[2 * m];
        this.window = new double[2 * m];
        this.events = new long[n];
        this.eventX = new double[n];
        this.eventY = new double[n];
    }

    /**
     * Moves every hyperplane {@code w_k . x = b_k} of a hidden layer along its normal to the nearest data point:
     * {@code b_k} becomes {@code w_k . x_j} for the row j whose projection is nearest to it (a tie keeps the first row);
     * a neuron with {@code w_k = 0} is left as it is. Why (theory T8, C2): an atom of the optimum is a maximizer of the
     * dual function, and for a fixed direction that is attained with the offset at a data point (the class comment), so
     * the optimum's hyperplanes pass through data points, where the objective has a kink in the offset. Column
     * generation warm-started from a gradient fit's hyperplanes, which lie between data points, closed the last 1e-5 of
     * its gap by sliding toward those kinks in a slow tail of rounds; from the moved hyperplanes it takes about as many
     * rounds as a cold start. {@code O(N)} per neuron.
     *
     * @param x       the inputs, N x 2; not modified
     * @param weights the hidden layer's input weights, {@code width} x 2 row-major; not modified
     * @param bias    the hidden layer's biases ({@code relu(w_k . x - b_k)}); modified
     */
    public static void throughNearestPoints(DMatrixRMaj x, double[] weights, double[] bias, int width) {
        if (x.numCols != 2) {
            throw new IllegalArgumentException("hyperplanes in the plane need 2 inputs, x has " + x.numCols + " columns");
        }
        double[] xs = x.data;
        for (int k = 0; k < width; k++) {
            double w0 = weights[2 * k];
            double w1 = weights[2 * k + 1];
            if (w0 == 0 && w1 == 0) {
                continue;
            }
            double nearest = bias[k];
            double distance = Double.POSITIVE_INFINITY;
            for (int q = 0; q < x.numRows; q++) {
                double p = w0 * xs[2 * q] + w1 * xs[2 * q + 1];
                if (Math.abs(p - bias[k]) < distance) {
                    distance = Math.abs(p - bias[k]);
                    nearest = p;
                }
            }
            bias[k] = nearest;
        }
    }

    /** The grid intervals of the half-turn for N rows. */
    static int intervals(int rows) {
        return Math.max(MIN_INTERVALS, Math.min(MAX_INTERVALS, rows / ROWS_PER_INTERVAL));
    }

    /**
     * Makes {@link #best} and {@link #top} look at {@code stop} before each grid direction's pass (a few milliseconds
     * at most at N = 10^4) and return the best atom found so far once it is true: then the result is only a lower bound.
     * Returns this.
     */
    public ExactPricing2D stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /**
     * The atom attaining {@code S(r)}, or {@code start} if nothing beats it (null when both are absent, i.e.
     * every value is zero and no start was given).
     *
     * @param r     residual, N x m, orthogonal to [1, x]; not modified
     * @param start a known atom (e.g. from a local search) whose value the sweep must beat; may be null
     */
    public Atom best(DMatrixRMaj r, Atom start) {
        Collector found = sweep(r, start, Double.POSITIVE_INFINITY, 1);
        return found.atoms(Double.POSITIVE_INFINITY).get(0);
    }

    /**
     * The atom attaining {@code S(r)} first (as {@link #best} with no start; null only if every value is zero), then up
     * to {@code limit - 1} further distinct atoms whose value exceeds {@code threshold}, best first. Distinct: no two
     * within a few grid steps in direction and a few window widths in offset (a cell's neighbours are not new neurons).
     *
     * @param r residual, N x m, orthogonal to [1, x]; not modified
     */
    public List<Atom> top(DMatrixRMaj r, double threshold, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        return sweep(r, null, threshold, limit).atoms(threshold);
    }

    private Collector sweep(DMatrixRMaj r, Atom start, double threshold, int limit) {
        if (r.numRows != n) {
            throw new IllegalArgumentException("x has " + n + " rows but r has " + r.numRows);
        }
        if (r.numCols != m) {
            throw new IllegalArgumentException("pricer was sized for " + m + " outputs, r has " + r.numCols);
        }
        double[] rs = r.data;
        for (int q = 0; q < n; q++) {
            norms[q] = MatrixNorms.rowNorm(r, q);
        }
        Collector found = new Collector(start, threshold, limit, 4 * halfWindow, 1 - 8 * sinStep * sinStep);
        for (int q = 0; q < n; q++) {
            order[q] = q;
        }
        coarse(rs, found);
        for (int g = 0; g < intervals && !stop.getAsBoolean(); g++) {
            if (g == 0) {
                project(gridX[g], gridY[g]);
                sortDescending();
                for (int t = 0; t < n; t++) {
                    sortedP[t] = projection[order[t]];
                }
            } else {
                resortAlong(gridX[g], gridY[g]);
            }
            interval(g, rs, found);
        }
        return found;
    }

    /**
     * Values at every anchor for a few grid directions (a full sort each), offered before the pruned pass so that its
     * floor is high from the start: the pass then sweeps exactly only what can beat them.
     */
    private void coarse(double[] rs, Collector found) {
        double[] xs = x.data;
        int step = Math.max(1, intervals / COARSE_DIRECTIONS);
        for (int g = step / 2; g < intervals && !stop.getAsBoolean(); g += step) {
            double ax = gridX[g];
            double ay = gridY[g];
            project(ax, ay);
            sortDescending();
            Arrays.fill(sum0, 0.0);
            Arrays.fill(sum1, 0.0);
            for (int k = 0; k < n; k++) {
                int j = order[k];
                double xj0 = xs[2 * j];
                double xj1 = xs[2 * j + 1];
                double atA = 0;
                for (int i = 0; i < m; i++) {
                    double v = (sum1[2 * i] - sum0[i] * xj0) * ax + (sum1[2 * i + 1] - sum0[i] * xj1) * ay;
                    atA += v * v;
                    double ri = rs[j * m + i];
                    sum0[i] += ri;
                    sum1[2 * i] += ri * xj0;
                    sum1[2 * i + 1] += ri * xj1;
                }
                if (atA > found.floor * found.floor) {
                    found.offer(ax, ay, Math.sqrt(atA), projection[j]);
                }
            }
        }
    }

    /** Every anchor over the interval [a_g, a_(g+1)]: the value at a_g, the bound, the exact sweep where needed. */
    private void interval(int g, double[] rs, Collector found) {
        double[] xs = x.data;
        double ax = gridX[g];
        double ay = gridY[g];
        double bx = gridX[g + 1];
        double by = gridY[g + 1];
        // Gathered in sorted order once, so that the pass below reads memory in sequence.
        prefixNorm[0] = 0;
        prefixMoment[0] = 0;
        for (int t = 0; t < n; t++) {
            int q = order[t];
            sortedX0[t] = xs[2 * q];
            sortedX1[t] = xs[2 * q + 1];
            sortedDistance[t] = distance[q];
            prefixNorm[t + 1] = prefixNorm[t] + norms[q];
            prefixMoment[t + 1] = prefixMoment[t] + norms[q] * distance[q];
        }
        if (m == 1) {
            intervalOneOutput(ax, ay, bx, by, rs, found);
            return;
        }
        Arrays.fill(sum0, 0.0);
        Arrays.fill(sum1, 0.0);
        int lo = 0;
        int hi = 0;
        for (int k = 0; k < n; k++) {
            int j = order[k];
            double xj0 = sortedX0[k];
            double xj1 = sortedX1[k];
            double pk = sortedP[k];
            while (sortedP[lo] > pk + halfWindow) {
                lo++;
            }
            if (hi < k) {
                hi = k;
            }
            while (hi + 1 < n && sortedP[hi + 1] >= pk - halfWindow) {
                hi++;
            }
            // Points that can change sides: sum of ||r_n|| |x_n - x_j| sin(delta) <= sin(delta) sum ||r_n|| (d_n + d_j).
            double slack = sinStep * (1 + SAFETY) * (prefixMoment[hi + 1] - prefixMoment[lo]
                    + sortedDistance[k] * (prefixNorm[hi + 1] - prefixNorm[lo]));
            double g00 = 0;
            double g01 = 0;
            double g11 = 0;
            double atA = 0;
            for (int i = 0; i < m; i++) {
                double m0 = sum1[2 * i] - sum0[i] * xj0;
                double m1 = sum1[2 * i + 1] - sum0[i] * xj1;
                window[2 * i] = m0;
                window[2 * i + 1] = m1;
                g00 += m0 * m0;
                g01 += m0 * m1;
                g11 += m1 * m1;
                double v = m0 * ax + m1 * ay;
                atA += v * v;
            }
            if (atA > found.floor * found.floor) {
                found.offer(ax, ay, Math.sqrt(atA), pk);
            }
            double need = found.floor / (1 + SAFETY) - slack;
            double top = SymmetricEigen2.top(g00, g01, g11);
            if (need <= 0 || top > need * need && arcMaximum(g00, g01, g11, top, ax, ay, bx, by) > need) {
                exact(k, lo, hi, ax, ay, bx, by, rs, found);
            }
            for (int i = 0; i < m; i++) {
                double ri = rs[j * m + i];
                sum0[i] += ri;
                sum1[2 * i] += ri * xj0;
                sum1[2 * i + 1] += ri * xj1;
            }
        }
    }

    /** {@link #interval}'s pass for one output, its running sums in registers. */
    private void intervalOneOutput(double ax, double ay, double bx, double by, double[] rs, Collector found) {
        double s0 = 0;
        double s10 = 0;
        double s11 = 0;
        int lo = 0;
        int hi = 0;
        double normSum = 0;
        double momentSum = 0;
        for (int k = 0; k < n; k++) {
            double xj0 = sortedX0[k];
            double xj1 = sortedX1[k];
            double pk = sortedP[k];
            if ((k & (BLOCK - 1)) == 0) {
                // One window for a block of ranks, the union of theirs: fewer unpredictable branches, a looser bound.
                int last = Math.min(n, k + BLOCK) - 1;
                while (sortedP[lo] > pk + halfWindow) {
                    lo++;
                }
                if (hi < last) {
                    hi = last;
                }
                double bottom = sortedP[last] - halfWindow;
                while (hi + 1 < n && sortedP[hi + 1] >= bottom) {
                    hi++;
                }
                normSum = prefixNorm[hi + 1] - prefixNorm[lo];
                momentSum = prefixMoment[hi + 1] - prefixMoment[lo];
            }
            double w0 = s10 - s0 * xj0;
            double w1 = s11 - s0 * xj1;
            double v = w0 * ax + w1 * ay;
            double floor = found.floor;
            if (v * v > floor * floor) {
                found.offer(ax, ay, Math.abs(v), pk);   // a real value: the set above x_j at a_g is this rank's
                floor = found.floor;
            }
            // Points that can change sides: sum of ||r_n|| |x_n - x_j| sin(delta) <= sin(delta) sum ||r_n|| (d_n + d_j).
            double slack = sinStep * (1 + SAFETY) * (momentSum + sortedDistance[k] * normSum);
            double need = floor / (1 + SAFETY) - slack;   // ||M u|| must exceed this somewhere on the arc
            double ww = w0 * w0 + w1 * w1;
            if (need <= 0 || ww > need * need && lineMaximum(w0, w1, ww, ax, ay, bx, by) > need) {
                window[0] = w0;
                window[1] = w1;
                exact(k, lo, hi, ax, ay, bx, by, rs, found);
            }
            double ri = rs[order[k]];
            s0 += ri;
            s10 += ri * xj0;
            s11 += ri * xj1;
        }
    }

    /** {@code max |w . u|} over the counter-clockwise arc from unit a to unit b (less than a half-turn). */
    private static double lineMaximum(double w0, double w1, double ww, double ax, double ay, double bx, double by) {
        double crossA = ax * w1 - ay * w0;
        double crossB = w0 * by - w1 * bx;
        if (crossA >= 0 && crossB >= 0 || crossA <= 0 && crossB <= 0) {
            return Math.sqrt(ww);   // w or -w lies on the arc
        }
        return Math.max(Math.abs(w0 * ax + w1 * ay), Math.abs(w0 * bx + w1 * by));
    }

    /**
     * The exact maximum for the anchor at rank k over [a, b]: {@code window} holds its matrix at a (the ranks above
     * it); the window ranks [lo, hi] hold every point that can change sides within the interval.
     */
    private void exact(int k, int lo, int hi, double ax, double ay, double bx, double by, double[] rs, Collector found) {
        double[] xs = x.data;
        int j = order[k];
        double xj0 = xs[2 * j];
        double xj1 = xs[2 * j + 1];
        int count = 0;
        for (int t = lo; t <= hi; t++) {
            if (t == k) {
                continue;
            }
            int q = order[t];
            double dx = xs[2 * q] - xj0;
            double dy = xs[2 * q + 1] - xj1;
            if (dx == 0 && dy == 0) {
                continue;
            }
            double da = dx * ax + dy * ay;
            // The side just past a (on the line at a: the side the rotation takes it to, toward (-ay, ax)).
            boolean above = da > 0 || (da == 0 && dy * ax - dx * ay > 0);
            if (above != t < k) {
                toggle(q, above ? 1.0 : -1.0, dx, dy, rs);   // a tie at a, where its term is zero: no value changes
            }
            boolean aboveAtB = dx * bx + dy * by > 0;
            if (above != aboveAtB) {
                // It crosses where u is normal to x_q - x_j: v = (dy, -dx) or its opposite, past a (clamped to the
                // interval against rounding: M is the true matrix only there).
                double vx = dy;
                double vy = -dx;
                double cross = ax * vy - ay * vx;
                if (cross < 0) {
                    vx = -vx;
                    vy = -vy;
                    cross = -cross;
                }
                double dot = ax * vx + ay * vy;
                double tan;
                if (cross == 0 && dot > 0) {
                    vx = ax;
                    vy = ay;
                    tan = 0;
                } else if (!(dot > 0) || vx * by - vy * bx < 0) {
                    vx = bx;
                    vy = by;
                    tan = tanStep;
                } else {
                    tan = Math.min(cross / dot, tanStep);
                }
                eventX[t] = vx;
                eventY[t] = vy;
                long key = (long) (tan / tanStep * KEY_SCALE);
                events[count++] = (key << 21 | (long) t) << 1 | (above ? 1L : 0L);
            }
        }
        Arrays.sort(events, 0, count);
        double px = ax;
        double py = ay;
        for (int e = 0; e < count; e++) {
            long code = events[e];
            boolean leaves = (code & 1L) == 1L;
            int t = (int) ((code >>> 1) & ((1L << 21) - 1));
            int q = order[t];
            double vx = eventX[t];
            double vy = eventY[t];
            arc(px, py, vx, vy, xj0, xj1, found);
            toggle(q, leaves ? -1.0 : 1.0, xs[2 * q] - xj0, xs[2 * q + 1] - xj1, rs);
            px = vx;
            py = vy;
        }
        arc(px, py, bx, by, xj0, xj1, found);
    }

    private void toggle(int q, double sign, double dx, double dy, double[] rs) {
        for (int i = 0; i < m; i++) {
            double ri = sign * rs[q * m + i];
            window[2 * i] += ri * dx;
            window[2 * i + 1] += ri * dy;
        }
    }

    /** {@code max ||M u||} over the counter-clockwise arc from unit a to unit b (less than a half-turn). */
    private double arcMaximum(double g00, double g01, double g11, double top, double ax, double ay, double bx, double by) {
        if (topOnArc(g00, g01, g11, top, ax, ay, bx, by)) {
            return Math.sqrt(Math.max(0.0, top));
        }
        return Math.max(quadratic(g00, g01, g11, ax, ay), quadratic(g00, g01, g11, bx, by));
    }

    /**
     * Whether the top eigenvector of {@code G = [g00 g01; g01 g11]} (top eigenvalue {@code top}) lies on the
     * counter-clockwise arc from unit a to unit b; it is left in {@link #eigenX}, {@link #eigenY} (unit, the sign on a's
     * side). False when G is a multiple of the identity: then every direction has the same value and the ends suffice.
     */
    private boolean topOnArc(double g00, double g01, double g11, double top, double ax, double ay, double bx, double by) {
        double len = SymmetricEigen2.topVector(g00, g01, g11, top, eigen);
        if (!(len > 0)) {
            return false;
        }
        double ex = eigen[0] / len;
        double ey = eigen[1] / len;
        if (ax * ey - ay * ex < 0) {
            ex = -ex;
            ey = -ey;
        }
        eigenX = ex;
        eigenY = ey;
        return ax * ey - ay * ex >= 0 && ex * by - ey * bx >= 0;
    }

    /** The largest {@code ||M u||} on the counter-clockwise arc from a to b (less than a half-turn; a, b need not be unit). */
    private void arc(double ax, double ay, double bx, double by, double xj0, double xj1, Collector found) {
        double g00 = 0;
        double g01 = 0;
        double g11 = 0;
        for (int i = 0; i < m; i++) {
            double m0 = window[2 * i];
            double m1 = window[2 * i + 1];
            g00 += m0 * m0;
            g01 += m0 * m1;
            g11 += m1 * m1;
        }
        double top = SymmetricEigen2.top(g00, g01, g11);
        if (!(top > found.floor * found.floor)) {
            return;   // no direction on this arc can beat the values kept
        }
        double la = Math.sqrt(ax * ax + ay * ay);
        ax /= la;
        ay /= la;
        double lb = Math.sqrt(bx * bx + by * by);
        bx /= lb;
        by /= lb;
        found.offer(ax, ay, quadratic(g00, g01, g11, ax, ay), ax * xj0 + ay * xj1);
        found.offer(bx, by, quadratic(g00, g01, g11, bx, by), bx * xj0 + by * xj1);
        if (topOnArc(g00, g01, g11, top, ax, ay, bx, by)) {
            found.offer(eigenX, eigenY, Math.sqrt(top), eigenX * xj0 + eigenY * xj1);
        }
    }

    private static double quadratic(double g00, double g01, double g11, double ux, double uy) {
        return Math.sqrt(Math.max(0.0, g00 * ux * ux + 2 * g01 * ux * uy + g11 * uy * uy));
    }

    private void project(double ux, double uy) {
        double[] xs = x.data;
        for (int q = 0; q < n; q++) {
            projection[q] = ux * xs[2 * q] + uy * xs[2 * q + 1];
        }
    }

    /**
     * Projects on u in the current order (the previous grid direction's, whose inputs {@code sortedX0/1} hold) and
     * re-sorts by a stable insertion sort, descending, moving {@code order} along: {@code O(N + swaps since the last
     * grid direction)}, the keys read in sequence. Leaves the sorted projections in {@code sortedP}.
     */
    private void resortAlong(double ux, double uy) {
        double[] keys = sortedP;
        for (int t = 0; t < n; t++) {
            keys[t] = ux * sortedX0[t] + uy * sortedX1[t];
        }
        for (int i = 1; i < n; i++) {
            double key = keys[i];
            if (!(keys[i - 1] < key)) {
                continue;
            }
            int item = order[i];
            int j = i - 1;
            while (j >= 0 && keys[j] < key) {
                keys[j + 1] = keys[j];
                order[j + 1] = order[j];
                j--;
            }
            keys[j + 1] = key;
            order[j + 1] = item;
        }
    }

    /**
     * {@code order} by projection, descending, ties in index order (a full sort: the first grid direction and the
     * pre-pass). Overwrites {@code projection} with its negation on the way and restores it.
     */
    private void sortDescending() {
        for (int q = 0; q < n; q++) {
            projection[q] = -projection[q];
        }
        System.arraycopy(DualNorm1D.sortedOrder(projection), 0, order, 0, n);
        for (int q = 0; q < n; q++) {
            projection[q] = -projection[q];
        }
    }

    /**
     * The best atom and, when more are asked for, further distinct ones, best first. {@link #floor} is the value an
     * arc must beat to matter: the best value (one atom), the threshold while the list is not full (more), else the
     * last kept value. It never decreases, and never exceeds the best value, so pruning by it keeps the maximum exact.
     */
    private static final class Collector {
        final Atom start;
        final double threshold;
        final int limit;
        final double offsetRadius;
        final double sameDirection;
        final double[] ux;
        final double[] uy;
        final double[] offset;
        final double[] value;
        final boolean[] fromStart;
        int count;
        double floor;

        Collector(Atom start, double threshold, int limit, double offsetRadius, double sameDirection) {
            this.start = start;
            this.threshold = threshold;
            this.limit = limit;
            this.offsetRadius = offsetRadius;
            this.sameDirection = sameDirection;
            this.ux = new double[limit];
            this.uy = new double[limit];
            this.offset = new double[limit];
            this.value = new double[limit];
            this.fromStart = new boolean[limit];
            if (start != null) {
                value[0] = start.value();
                fromStart[0] = true;
                count = 1;
            }
            updateFloor();
        }

        void offer(double vx, double vy, double v, double c) {
            if (!(v > floor)) {
                return;
            }
            int slot = count;
            if (limit > 1) {
                for (int s = 0; s < count; s++) {
                    if (!fromStart[s] && vx * ux[s] + vy * uy[s] > sameDirection
                            && Math.abs(c - offset[s]) <= offsetRadius) {
                        if (!(v > value[s])) {
                            return;   // a neighbour of a better atom kept
                        }
                        slot = s;
                        break;
                    }
                }
            } else if (count == 1) {
                slot = 0;
            }
            if (slot == limit) {
                slot = limit - 1;   // full: the last (lowest) gives way
            } else if (slot == count) {
                count++;
            }
            // Move the new entry up to its place (values descending; equal values keep the earlier).
            while (slot > 0 && v > value[slot - 1]) {
                ux[slot] = ux[slot - 1];
                uy[slot] = uy[slot - 1];
                offset[slot] = offset[slot - 1];
                value[slot] = value[slot - 1];
                fromStart[slot] = fromStart[slot - 1];
                slot--;
            }
            ux[slot] = vx;
            uy[slot] = vy;
            offset[slot] = c;
            value[slot] = v;
            fromStart[slot] = false;
            updateFloor();
        }

        private void updateFloor() {
            double best = count == 0 ? 0.0 : value[0];
            floor = count == limit ? value[limit - 1] : Math.min(threshold, best);
        }

        /** The best atom (or the start, or null), then the others above the threshold. */
        List<Atom> atoms(double threshold) {
            List<Atom> out = new ArrayList<>();
            for (int s = 0; s < count; s++) {
                if (s > 0 && !(value[s] > threshold)) {
                    break;
                }
                out.add(fromStart[s] ? start : new Atom(new double[] {ux[s], uy[s]}, offset[s], value[s]));
            }
            if (out.isEmpty()) {
                out.add(null);
            }
            return out;
        }
    }
}
