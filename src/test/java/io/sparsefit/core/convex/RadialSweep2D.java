package io.sparsefit.core.convex;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * Test reference: the plain radial sweep around every anchor that {@link ExactPricing2D} replaced (its algorithm until
 * the pruned rotating sweep; {@code O(N^2 log N)}, no pruning beyond its arcs), kept to check the fast sweep against.
 * The dual norm of theory T8 for two inputs, exactly, with the atom that attains it:
 * {@code S(r) = max_{||u|| = 1, c} ||sum_n r_n relu(u . x_n - c)||_2}, for a residual {@code r} (N x m)
 * orthogonal to the affine functions of x.
 *
 * <p>Why this is exact. For a fixed direction the best offset is at a data point, {@code c = u . x_j}
 * (the map {@code c -> sum r_n relu(p_n - c)} is affine between projections, its norm convex). So
 * {@code S = max_j max_u ||M_j(u) u||} with {@code M_j(u) = sum_{n : u.(x_n - x_j) > 0} r_n (x_n - x_j)^T}
 * (m x 2). Around the anchor x_j the set of points above the line changes only when u passes the normal
 * of some {@code x_n - x_j}: sorting those N - 1 events by angle (a radial sweep around x_j) cuts the
 * circle into arcs on which {@code M_j} is constant, and on an arc {@code ||M_j u||^2 = u^T G u}
 * ({@code G = M_j^T M_j}) is a sinusoid of twice the angle, largest at an arc end or at the top
 * eigenvector of G when it lies inside the arc. Every candidate is a value of the function itself, so
 * the result is exact up to rounding. Because r is orthogonal to affine functions,
 * {@code relu(z) - relu(-z) = z} gives the same value for u and -u, so a half-turn of directions suffices.
 *
 * <p>Cost: {@code O(N^2 log N)} time (one sort of N angles per anchor) and {@code O(N)} memory. Arcs whose
 * top eigenvalue cannot beat the best value so far are skipped without evaluation, so a good starting
 * atom (from {@link LocalPricing}) makes the sweep cheaper. Single-threaded and deterministic: ties keep the
 * first atom found in anchor order.
 */
final class RadialSweep2D {

    /** Events are sorted as longs: a quantized pseudo-angle above the index and the enter/leave bit. */
    private static final double ANGLE_SCALE = 0x1p40;
    private static final int MAX_ROWS = 1 << 20;

    private final DMatrixRMaj x;
    private final int n;
    private final long[] events;
    private final double[] window;   // M_j, m x 2 row-major

    RadialSweep2D(DMatrixRMaj x, int outputs) {
        if (x.numCols != 2) {
            throw new IllegalArgumentException("exact pricing in the plane needs 2 inputs, x has " + x.numCols + " columns");
        }
        if (x.numRows >= MAX_ROWS) {
            throw new IllegalArgumentException("exact pricing supports fewer than " + MAX_ROWS + " rows, got " + x.numRows);
        }
        this.x = x;
        this.n = x.numRows;
        this.events = new long[n];
        this.window = new double[2 * outputs];
    }

    /**
     * The atom attaining {@code S(r)}, or {@code start} if nothing beats it (null when both are absent, i.e.
     * every value is zero and no start was given).
     *
     * @param r     residual, N x m, orthogonal to [1, x]; not modified
     * @param start a known atom (e.g. from a local search) whose value the sweep must beat; may be null
     */
    public Atom best(DMatrixRMaj r, Atom start) {
        if (r.numRows != n) {
            throw new IllegalArgumentException("x has " + n + " rows but r has " + r.numRows);
        }
        if (window.length != 2 * r.numCols) {
            throw new IllegalArgumentException("pricer was sized for " + window.length / 2 + " outputs, r has " + r.numCols);
        }
        Sweep sweep = new Sweep(start);
        for (int j = 0; j < n; j++) {
            sweepAround(j, r, sweep);
        }
        return sweep.atom();
    }

    private void sweepAround(int j, DMatrixRMaj r, Sweep sweep) {
        int m = r.numCols;
        double[] xs = x.data;
        double[] rs = r.data;
        double xj0 = xs[2 * j];
        double xj1 = xs[2 * j + 1];
        Arrays.fill(window, 0.0);
        int count = 0;
        for (int q = 0; q < n; q++) {
            double dx = xs[2 * q] - xj0;
            double dy = xs[2 * q + 1] - xj1;
            if (dx == 0 && dy == 0) {
                continue;
            }
            // u . (x_q - x_j) turns positive when u passes (dy, -dx): the point enters the window there.
            double enter = pseudoAngle(dy, -dx);
            long type;
            double at;
            if (enter < 2.0) {
                type = 0;    // outside at u = (1, 0); enters within the half-turn
                at = enter;
            } else {
                type = 1;    // inside at u = (1, 0); leaves at the opposite normal
                at = pseudoAngle(-dy, dx);
                for (int i = 0; i < m; i++) {
                    double ri = rs[q * m + i];
                    window[2 * i] += ri * dx;
                    window[2 * i + 1] += ri * dy;
                }
            }
            long quantized = Math.min((long) (at * ANGLE_SCALE), (long) (2.0 * ANGLE_SCALE) - 1);
            events[count++] = (quantized << 21 | (long) q) << 1 | type;
        }
        Arrays.sort(events, 0, count);
        double px = 1.0;
        double py = 0.0;
        for (int e = 0; e < count; e++) {
            long key = events[e];
            boolean enters = (key & 1L) == 0;
            int q = (int) ((key >>> 1) & ((1L << 21) - 1));
            double dx = xs[2 * q] - xj0;
            double dy = xs[2 * q + 1] - xj1;
            // The arc's end, unnormalized: arc() normalizes only when the arc is not pruned.
            double vx = enters ? dy : -dy;
            double vy = enters ? -dx : dx;
            arc(px, py, vx, vy, m, xj0, xj1, sweep);
            double sign = enters ? 1.0 : -1.0;
            for (int i = 0; i < m; i++) {
                double ri = sign * rs[q * m + i];
                window[2 * i] += ri * dx;
                window[2 * i + 1] += ri * dy;
            }
            px = vx;
            py = vy;
        }
        arc(px, py, -1.0, 0.0, m, xj0, xj1, sweep);
    }

    /** The largest {@code ||M u||} on the counter-clockwise arc from a to b (at most a half-turn; a, b need not be unit). */
    private void arc(double ax, double ay, double bx, double by, int m, double xj0, double xj1, Sweep sweep) {
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
        double half = 0.5 * (g00 - g11);
        double top = 0.5 * (g00 + g11) + Math.sqrt(half * half + g01 * g01);
        if (!(top > sweep.bestSquared)) {
            return;   // no direction on this arc can beat the best value
        }
        double la = Math.sqrt(ax * ax + ay * ay);
        ax /= la;
        ay /= la;
        double lb = Math.sqrt(bx * bx + by * by);
        bx /= lb;
        by /= lb;
        sweep.offer(ax, ay, quadratic(g00, g01, g11, ax, ay), xj0, xj1);
        sweep.offer(bx, by, quadratic(g00, g01, g11, bx, by), xj0, xj1);
        // Top eigenvector of G: (g01, top - g00) or (top - g11, g01), whichever is better conditioned.
        double ex = g01;
        double ey = top - g00;
        double fx = top - g11;
        double fy = g01;
        if (fx * fx + fy * fy > ex * ex + ey * ey) {
            ex = fx;
            ey = fy;
        }
        double len = Math.sqrt(ex * ex + ey * ey);
        if (!(len > 0)) {
            return;   // G is a multiple of the identity: the value is the same everywhere, ends suffice
        }
        ex /= len;
        ey /= len;
        if (ax * ey - ay * ex < 0) {   // take the sign on a's side
            ex = -ex;
            ey = -ey;
        }
        if (ax * ey - ay * ex >= 0 && ex * by - ey * bx >= 0) {
            sweep.offer(ex, ey, Math.sqrt(top), xj0, xj1);
        }
    }

    private static double quadratic(double g00, double g01, double g11, double ux, double uy) {
        return Math.sqrt(Math.max(0.0, g00 * ux * ux + 2 * g01 * ux * uy + g11 * uy * uy));
    }

    /**
     * A monotone stand-in for the angle of (vx, vy) in [0, 4) ("diamond angle"): quarter-turns map to
     * [0, 1), [1, 2), [2, 3), [3, 4). Sorting by it sorts by angle without trigonometry.
     */
    static double pseudoAngle(double vx, double vy) {
        double p = vy / (Math.abs(vx) + Math.abs(vy));
        if (vx >= 0) {
            return p >= 0 ? p : 4.0 + p;
        }
        return 2.0 - p;
    }

    /** The running best of one sweep. */
    private static final class Sweep {
        double bestSquared;
        double bestValue;
        double ux;
        double uy;
        double offset;
        final Atom start;
        boolean improved;

        Sweep(Atom start) {
            this.start = start;
            this.bestValue = start == null ? 0.0 : start.value();
            this.bestSquared = bestValue * bestValue;
        }

        void offer(double vx, double vy, double value, double xj0, double xj1) {
            if (value > bestValue) {
                bestValue = value;
                bestSquared = value * value;
                ux = vx;
                uy = vy;
                offset = vx * xj0 + vy * xj1;
                improved = true;
            }
        }

        Atom atom() {
            return improved ? new Atom(new double[] {ux, uy}, offset, bestValue) : start;
        }
    }
}
