package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.linalg.Vectors;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * A proven upper bound on the dual norm of theory T8 in any number of inputs, by branch and bound over the
 * directions (theory C4): {@code S(r) = sup_{||u|| = 1, c} ||sum_n r_n relu(u . x_n - c)||_2} for a residual
 * r (N x m) orthogonal to the affine functions of x.
 *
 * <p><b>The offset is handled exactly.</b> For a fixed u, if {@code c >= max_n u . x_n} every ramp is zero,
 * and if {@code c <= min_n u . x_n} every ramp is affine, {@code sum r_n (u . x_n - c) = 0} because r is
 * orthogonal to affine functions: outside {@code [min_n u . x_n, max_n u . x_n]} the value is 0. Inside, the
 * value is the norm of a function affine between consecutive projections, hence convex there, so the
 * supremum over c is at a projection {@code c = u . x_j}. Hence {@code S = max_j sup_u F_j(u)} with the
 * anchored function {@code F_j(u) = ||sum_n r_n relu(u . y_n)||}, {@code y_n = x_n - x_j}, and the search
 * runs over u only, keeping per cell the anchors j that can still beat the best value.
 *
 * <p><b>The cover.</b> Since {@code relu(z) - relu(-z) = z} and r is orthogonal to affine functions, the
 * value at {@code (u, c)} equals the value at {@code (-u, -c)}: half the sphere suffices. The d faces
 * {@code v_k = +1} of the cube {@code [-1, 1]^d}, each a box in the other d - 1 coordinates, cover it after
 * {@code u = v / ||v||} (for any unit u, the largest |u_k| is positive for u or for -u). A cell is a box on a
 * face; its image on the sphere is the spherical hull of the box's corners, so it lies in the cap around the
 * centre's image u0 whose radius theta is the largest angle from u0 to a corner (the cap is convex while
 * theta is below a right angle; for d above {@value #MAX_CORNER_DIMENSION} the cheaper bound
 * {@code sin theta <= |v - v0| / |v0|} replaces the corners). Cells split at the middle of their longest side.
 *
 * <p><b>The bound per cell and anchor</b>, valid on the whole cap: a point with
 * {@code u0 . y_n > ||y_n|| sin theta} is active everywhere on the cap, one with
 * {@code u0 . y_n < -||y_n|| sin theta} inactive everywhere; the fixed actives give a linear map
 * {@code A u} ({@code A = sum r_n y_n^T}) whose largest norm on the cap is bounded in closed form (one
 * output: {@code max |a . u|} over a cap exactly; several: {@code ||A u||^2 <= ||A u0||^2 + 2 max_cap
 * w . (u - u0) + ||A||_F^2 rho^2} with {@code w = A^T A u0} and the chord rho), so near a smooth maximum the
 * slack is of second order in theta. Only the ambiguous points, whose great circle {@code u . y_n = 0} meets the
 * cap, add a Lipschitz-type term {@code ||r_n|| max_cap relu(u . y_n)} ({@code <= ||r_n|| ||y_n|| theta}, the
 * per-point share of theory C4's global constant); with one output, tighter: the ambiguous points bound f on their own
 * side only (r_n > 0 raise it, r_n < 0 lower it, {@code |f| <= max(max f, -min f)}), and each ambiguous ramp is relaxed
 * linearly between its chord and the parallel line through 0 over its range on the cap, so that only the spread
 * between the two lines stays a constant (the smaller of the two bounds is kept). The upper bound is inflated by a relative
 * {@value #ROUNDING} for rounding; values are computed, not bounded, so the lower bound is a value of the
 * function itself (at cell centres and at the caller's start atom).
 *
 * <p><b>Two bounds per cell.</b> Every cell first gets the anchor-free bound of {@link OffsetSweepBound} (one sweep
 * over the offset, {@code O(N log N + N d m)}, first order in theta), which prunes the cell or, through each
 * anchor's offset range, most of its anchors. The anchored bound above ({@code O(N (d + m))} per anchor) runs on
 * the anchors left once the cap's {@code sin theta <= }{@value #ANCHORED_RADIUS} or at most
 * {@value #ANCHORED_COUNT} anchors are live (0.03 measured best of 0.01, 0.03, 0.1 and 0.3 at d = 3, 5); a cell's
 * bound is the smaller of the two, each anchor's likewise. The exact value at each cell's centre (every offset,
 * sorted once) raises the lower bound. A cell whose anchors all got the anchored bound passes each anchor's fixed
 * actives (their map) and ambiguous points to its children, which then look at those points only (the box of a child
 * lies inside its parent's cap) and skip the sweep and the centre's sort: the anchors' values at the centre are the
 * candidates there.
 *
 * <p>Best-first on the upper bound; stops when {@code upper - lower <= relTol * lower}, or when the cell
 * budget, the work budget, the {@link ProofForecast} (the gap's rate per doubling of work cannot reach relTol within
 * the budget) or the stop signal ends the search, and returns both bounds either way (a fit's deadline
 * comes in through {@code stop}, from its cancellation token: there is no wall-clock budget here).
 * Work is an operation count: {@code N (3 d + 4 log2(2N) + 2) + 3 d 2^(d-1)} per cell (projections, the centre's
 * sorted sweep, the offset sweep with its sort and range-maximum table, the cap's corners), only the corners' for a
 * cell that inherits its anchors' states, and {@code d + m + 2} per point an anchored bound looks at, so that a
 * budget in work follows the running time while a fit's result stays independent of the machine's speed. Deterministic
 * (ties in the queue by creation order). Work buffers are allocated once per instance; one instance serves one thread.
 */
public final class PricingBound {

    /** Above this many inputs the cap radius comes from the box's half-diagonal instead of its 2^(d-1) corners. */
    public static final int MAX_CORNER_DIMENSION = 13;
    /** Relative inflation of every cell's upper bound, covering the rounding of its sums. */
    public static final double ROUNDING = 1e-11;
    /** Margin on the side tests, so that rounding never fixes the side of a point that is really ambiguous. */
    private static final double SIDE_MARGIN = 1e-12;
    /** The anchored bound runs when at most this many anchors are live in a cell ... */
    static final int ANCHORED_COUNT = 64;
    /** ... or when the cell's cap has at most this sine of its radius. */
    static final double ANCHORED_RADIUS = 0.03;
    /**
     * A cell keeps its anchors' states for its children while they hold at most N + this many entries. Measured with
     * {@code PricingBoundMemory} (test source; 2026-12-06) on d = 3, N = 10^4: at a fit's budget the search (385 cells,
     * 4.0e8 operations, stopped by the forecast) allocates 7.8 MB in all; run on to convergence (1,379 cells, 3.1e9
     * operations) 49 MB in all, and it completes in a 32 MB heap, so the states it keeps stay well below that.
     */
    static final long MAX_STATE_ENTRIES = 1L << 16;

    /**
     * What the search proved.
     *
     * @param lower     a value of the function reached at {@code best} (0 when every value is 0 and no start)
     * @param upper     a proven upper bound on {@code S(r)}, {@code >= lower}
     * @param best      the atom attaining {@code lower} (null when {@code lower = 0} and no start was given)
     * @param cells     cells evaluated, the roots included
     * @param converged whether {@code upper - lower <= relTol * lower} (or both are 0)
     * @param work      operations counted (see the class comment)
     */
    public record Result(double lower, double upper, Atom best, long cells, boolean converged, long work) {
        /** {@code upper / lower}, infinite when only lower is 0. */
        public double ratio() {
            if (upper == 0) {
                return 1.0;
            }
            return lower > 0 ? upper / lower : Double.POSITIVE_INFINITY;
        }
    }

    private final DMatrixRMaj x;
    private final int n;
    private final int d;
    private final int m;
    private final double[] projection;
    private final double[] norms;      // ||r_n||
    private final double[] value;      // m
    private final double[] linear;     // A, m x d row-major
    private final double[] chord;      // d: one output, A with the ambiguous ramps' chords
    private final double[] diff;       // d
    private final double[] au;         // m
    private final double[] w;          // d
    private final double[] v0;         // d
    private final double[] u0;         // d
    private final double[] corner;     // d
    private final int[] keep;
    private final int[] keepFrom;       // per live anchor: its index in the parent's states, -1 without
    private final int[] ambiguousList;  // the last anchored bound's ambiguous points ...
    private int ambiguousCount;         // ... and their number
    private final long capWork;
    private final int[] centreOrder;
    private final PackedSort sorter;
    private final double[] anchorBounds;
    private final double[] work;
    private final OffsetSweepBound sweep;
    private final long cellWork;

    // Outputs of evaluate() for the cell just evaluated.
    private double cellUpper;
    private int cellKept;
    private double sinTheta;
    private double cosTheta;

    // Running best and work of one search.
    private double lower;
    private long visited;
    private double[] bestDirection;
    private double bestOffset;

    /** For inputs {@code x} (N x d, not modified, kept by reference) and residuals with {@code outputs} columns. */
    public PricingBound(DMatrixRMaj x, int outputs) {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
        this.x = x;
        this.n = x.numRows;
        this.d = x.numCols;
        this.m = outputs;
        this.projection = new double[n];
        this.norms = new double[n];
        this.value = new double[m];
        this.linear = new double[m * d];
        this.chord = new double[d];
        this.diff = new double[d];
        this.au = new double[m];
        this.w = new double[d];
        this.v0 = new double[d];
        this.u0 = new double[d];
        this.corner = new double[d];
        this.keep = new int[n];
        this.keepFrom = new int[n];
        this.ambiguousList = new int[n];
        this.centreOrder = new int[n];
        this.sorter = new PackedSort(n);
        this.anchorBounds = new double[n];
        this.work = new double[m];
        this.sweep = new OffsetSweepBound(x, outputs);
        int lg = 64 - Long.numberOfLeadingZeros(2L * n);
        this.cellWork = (long) n * (3L * d + 4L * lg + 2) + (d - 1 <= MAX_CORNER_DIMENSION ? 3L * d << Math.max(0, d - 1) : 0);
        this.capWork = d - 1 <= MAX_CORNER_DIMENSION ? 3L * d << Math.max(0, d - 1) : 2L * d;
    }

    /**
     * Bounds {@code S(r)} from both sides.
     *
     * @param r             residual, N x m, orthogonal to {@code [1, x]} (the caller projects it); not modified
     * @param start         a known atom (e.g. from {@link LocalPricing}); its value is recomputed here; may be null
     * @param relTol        stop once {@code upper - lower <= relTol * lower}; {@code >= 0}
     * @param maxCells      cell budget, {@code >= 1}
     * @param maxWork       stop once this many operations were counted (see the class comment; checked between cells,
     *                      so the last two cells may overrun it), {@code >= 1}
     * @param stop          polled once per cell; the search stops when it returns true; may be null
     */
    public Result bound(DMatrixRMaj r, Atom start, double relTol, long maxCells, long maxWork, BooleanSupplier stop) {
        checkArguments(r, n, m, relTol, maxCells, maxWork);
        visited = 0;
        for (int q = 0; q < n; q++) {
            norms[q] = MatrixNorms.rowNorm(r, q);
        }
        Atom first = startAtom(x, r, start, work);
        lower = first == null ? 0.0 : first.value();
        bestDirection = first == null ? null : first.direction();
        bestOffset = first == null ? 0.0 : first.offset();
        PriorityQueue<Cell> queue = new PriorityQueue<>();
        long cells = 0;
        int[] all = new int[n];
        for (int q = 0; q < n; q++) {
            all[q] = q;
        }
        double[] lo = new double[Math.max(0, d - 1)];
        double[] hi = new double[Math.max(0, d - 1)];
        java.util.Arrays.fill(lo, -1.0);
        java.util.Arrays.fill(hi, 1.0);
        for (int face = 0; face < d; face++) {
            Cell root = evaluate(r, face, lo.clone(), hi.clone(), all, null, cells);
            cells++;
            if (root != null) {
                queue.add(root);
            }
        }
        boolean converged = false;
        double upper = lower;
        ProofForecast forecast = new ProofForecast(relTol, maxWork);
        while (true) {
            Cell top = queue.peek();
            // Cells below the best value are never split; drop them as they surface.
            while (top != null && !(top.upper > lower)) {
                queue.poll();
                top = queue.peek();
            }
            upper = top == null ? lower : Math.max(lower, top.upper);
            if (upper - lower <= relTol * lower || upper == 0) {
                converged = true;
                break;
            }
            if (cells >= maxCells || visited >= maxWork || (stop != null && stop.getAsBoolean())
                    || forecast.hopeless(visited, lower, upper)) {
                break;
            }
            if (d == 1) {
                break;   // one direction, evaluated exactly: nothing to split
            }
            queue.poll();
            int axis = 0;
            for (int t = 1; t < d - 1; t++) {
                if (top.hi[t] - top.lo[t] > top.hi[axis] - top.lo[axis]) {
                    axis = t;
                }
            }
            double mid = 0.5 * (top.lo[axis] + top.hi[axis]);
            double[] leftHi = top.hi.clone();
            leftHi[axis] = mid;
            double[] rightLo = top.lo.clone();
            rightLo[axis] = mid;
            Cell left = evaluate(r, top.face, top.lo, leftHi, top.anchors, top.states, cells);
            cells++;
            Cell right = evaluate(r, top.face, rightLo, top.hi, top.anchors, top.states, cells);
            cells++;
            if (left != null && left.upper > lower) {
                queue.add(left);
            }
            if (right != null && right.upper > lower) {
                queue.add(right);
            }
        }
        Atom best = bestDirection == null ? null : new Atom(bestDirection, bestOffset, lower);
        return new Result(lower, upper, best, cells, converged, visited);
    }

    /** Checks {@link #bound}'s arguments for a pricer of {@code n x m} residuals (also {@link OffsetCellBound}'s). */
    static void checkArguments(DMatrixRMaj r, int n, int m, double relTol, long maxCells, long maxWork) {
        if (r.numRows != n || r.numCols != m) {
            throw new IllegalArgumentException("pricer sized for " + n + " x " + m + ", r is " + r.numRows + " x " + r.numCols);
        }
        if (!(relTol >= 0) || maxCells < 1 || maxWork < 1) {
            throw new IllegalArgumentException("relTol must be >= 0, maxCells and maxWork >= 1");
        }
    }

    /**
     * The caller's start atom as a search's first lower bound: its direction normalized and its value recomputed on r
     * ({@code work}: m doubles); null when there is none, its size or direction is unusable or its value is 0.
     */
    static Atom startAtom(DMatrixRMaj x, DMatrixRMaj r, Atom start, double[] work) {
        if (start == null || start.direction().length != x.numCols) {
            return null;
        }
        double[] u = start.direction().clone();
        if (!LocalPricing.normalize(u)) {
            return null;
        }
        double v = AtomValue.of(x, r, u, start.offset(), work);
        return v > 0 ? new Atom(u, start.offset(), v) : null;
    }

    /**
     * Evaluates one cell: the cap, each live anchor's value at the centre and bound on the cap. Null if none is live.
     * With the parent's anchor states (its anchored bounds' fixed points and ambiguous lists) only the parent's
     * ambiguous points are looked at: a point active or inactive on the parent's cap is so on this cell's box (inside
     * the parent's), which is all the bound covers, and the anchors' values at the centre replace the centre's sweep
     * (an anchor left out cannot beat the best value).
     */
    private Cell evaluate(DMatrixRMaj r, int face, double[] lo, double[] hi, int[] anchors, AnchorState[] inherited,
                          long sequence) {
        cap(face, lo, hi);
        double[] bounds = anchorBounds;
        double cheap = Double.POSITIVE_INFINITY;
        int live = 0;
        if (inherited == null) {
            visited += cellWork;
            Vectors.rowDots(x.data, n, d, u0, projection);
            centreValue(r);
            cheap = sweep.sweep(u0, cosTheta, sinTheta, r, norms);
            if (!(cheap > lower)) {
                return null;
            }
            // Anchors whose offset range cannot reach the best value go first (cheap); the anchored bound, of second
            // order near a smooth maximum, runs once the cell is narrow or few anchors are left.
            for (int k = 0; k < anchors.length; k++) {
                double c = sweep.anchor(anchors[k]);
                if (c > lower) {
                    keep[live] = anchors[k];
                    keepFrom[live] = -1;
                    bounds[live++] = c;
                }
            }
        } else {
            visited += capWork;
            for (int k = 0; k < anchors.length; k++) {
                keep[live] = anchors[k];
                keepFrom[live] = k;
                bounds[live++] = Double.POSITIVE_INFINITY;
            }
        }
        boolean anchored = inherited != null || live <= ANCHORED_COUNT || sinTheta <= ANCHORED_RADIUS;
        AnchorState[] states = anchored ? new AnchorState[live] : null;
        long stored = 0;
        if (anchored) {
            for (int k = 0; k < live; k++) {
                AnchorState from = keepFrom[k] >= 0 ? inherited[keepFrom[k]] : null;
                bounds[k] = Math.min(bounds[k], anchorBound(r, keep[k], from));
                if (bounds[k] > lower) {
                    states[k] = new AnchorState(linear.clone(), java.util.Arrays.copyOf(ambiguousList, ambiguousCount));
                    stored += ambiguousCount + (long) linear.length;
                }
            }
        }
        // Prune against the best value after the whole cell, so that no anchor is kept only for being early.
        cellUpper = 0.0;
        cellKept = 0;
        for (int k = 0; k < live; k++) {
            if (bounds[k] > lower) {
                keep[cellKept] = keep[k];
                if (states != null) {
                    states[cellKept] = states[k];
                }
                cellKept++;
                cellUpper = Math.max(cellUpper, bounds[k]);
            }
        }
        if (cellKept == 0) {
            return null;
        }
        // Children inherit the states unless they would hold too much memory (then they start over from all points).
        AnchorState[] kept = states != null && stored <= MAX_STATE_ENTRIES + n ? java.util.Arrays.copyOf(states, cellKept) : null;
        return new Cell(face, lo, hi, java.util.Arrays.copyOf(keep, cellKept), kept, Math.min(cheap, cellUpper), sequence);
    }

    /** The exact value at the centre, {@code max_c} over the projections (running sums, sorted once). */
    private void centreValue(DMatrixRMaj r) {
        int[] order = centreOrder;
        sorter.sortedOrder(projection, n, order);
        double[] rs = r.data;
        java.util.Arrays.fill(value, 0.0);
        java.util.Arrays.fill(work, 0.0);
        double bestSquared = -1;
        int bestAt = -1;
        for (int t = n - 1; t >= 0; t--) {
            int q = order[t];
            double c = projection[q];
            double s = 0;
            for (int i = 0; i < m; i++) {
                double g = value[i] - c * work[i];   // sum_{above} r (p - c)
                s += g * g;
            }
            if (s > bestSquared) {
                bestSquared = s;
                bestAt = q;
            }
            for (int i = 0; i < m; i++) {
                value[i] += rs[q * m + i] * c;
                work[i] += rs[q * m + i];
            }
        }
        double v = Math.sqrt(Math.max(0.0, bestSquared));
        if (bestAt >= 0 && v > lower) {
            lower = v;
            bestDirection = u0.clone();
            bestOffset = projection[bestAt];
        }
    }

    /** Sets u0 (the unit centre), sinTheta and cosTheta (the cap radius) for a box on a face. */
    private void cap(int face, double[] lo, double[] hi) {
        double sin = capSine(face, lo, hi, v0, u0, corner);
        sinTheta = Math.min(1.0, sin);
        cosTheta = capCosine(sin);
    }

    /** The cosine of a cap's radius from {@link #capSine}'s value: -1 for the whole sphere (a value above 1). */
    static double capCosine(double capSine) {
        double sin = Math.min(1.0, capSine);
        return capSine > 1.0 ? -1.0 : Math.sqrt(Math.max(0.0, 1.0 - sin * sin));
    }

    /**
     * The cap around a box on a face of the cube (see the class comment): writes its unit centre into {@code u0} and
     * returns the sine of its radius, rounded up (at most 1), or 2 when the cap reaches a right angle (then take the
     * whole sphere: sine 1, cosine -1). {@code v0} and {@code corner} are work buffers of length d.
     */
    static double capSine(int face, double[] lo, double[] hi, double[] v0, double[] u0, double[] corner) {
        int d = u0.length;
        for (int t = 0, b = 0; t < d; t++) {
            v0[t] = t == face ? 1.0 : 0.5 * (lo[b] + hi[b++]);
        }
        double len = Vectors.norm(v0);
        for (int t = 0; t < d; t++) {
            u0[t] = v0[t] / len;
        }
        double sin;
        boolean wide = false;
        if (d - 1 <= MAX_CORNER_DIMENSION) {
            sin = 0.0;
            int corners = 1 << (d - 1);
            for (int mask = 0; mask < corners; mask++) {
                double cs = 0;
                for (int t = 0, b = 0; t < d; t++) {
                    if (t == face) {
                        corner[t] = 1.0;
                    } else {
                        corner[t] = ((mask >>> b) & 1) == 0 ? lo[b] : hi[b];
                        b++;
                    }
                    cs += corner[t] * corner[t];
                }
                double cl = Math.sqrt(cs);
                double dot = 0;
                for (int t = 0; t < d; t++) {
                    corner[t] /= cl;
                    dot += corner[t] * u0[t];
                }
                if (dot <= 0) {
                    wide = true;
                }
                double perp = 0;
                for (int t = 0; t < d; t++) {
                    double e = corner[t] - dot * u0[t];
                    perp += e * e;
                }
                sin = Math.max(sin, Math.sqrt(perp));
            }
        } else {
            // sin angle(v, v0) <= |v - v0| / |v0|: the ball of radius |v - v0| around v0 seen from the origin.
            double half = 0;
            for (int b = 0; b < d - 1; b++) {
                double h = 0.5 * (hi[b] - lo[b]);
                half += h * h;
            }
            sin = Math.sqrt(half) / len;
            wide = sin >= 1.0;
        }
        // wide: the whole sphere, every point ambiguous, every sup at |y|
        return wide ? 2.0 : Math.min(1.0, sin * (1 + 1e-12) + 1e-15);
    }

    /**
     * Records the anchor's value at u0 as a candidate and returns its upper bound over the cell. Looks at every point,
     * or with {@code from} (the parent's state) at the parent's ambiguous points only, the parent's fixed actives
     * entering through their linear map. Leaves this cell's state in {@link #linear} (the fixed actives' map) and
     * {@link #ambiguousList}.
     */
    private double anchorBound(DMatrixRMaj r, int j, AnchorState from) {
        int count = from == null ? n : from.ambiguous.length;
        visited += (long) count * (d + m + 2) + (long) m * d;
        double[] xs = x.data;
        double[] rs = r.data;
        java.util.Arrays.fill(value, 0.0);
        java.util.Arrays.fill(linear, 0.0);
        java.util.Arrays.fill(chord, 0.0);
        boolean anyFixed = false;
        if (from != null) {
            System.arraycopy(from.fixed, 0, linear, 0, linear.length);
            Vectors.rowDots(linear, m, d, u0, value);
            for (double a : linear) {
                anyFixed |= a != 0;
            }
            if (m == 1) {
                System.arraycopy(from.fixed, 0, chord, 0, d);
            }
        }
        double ambiguous = 0.0;     // sum over ambiguous points of ||r_n|| max_cap relu(u . y_n)
        double ambiguousUp = 0.0;   // one output: the part of it with r_n > 0 (can raise f) ...
        double ambiguousDown = 0.0; // ... and with r_n < 0 (can lower f)
        double chordUp = 0.0;       // one output, the linear relaxation: f <= chord . u + chordUp ...
        double chordDown = 0.0;     // ... and f >= chord . u - chordDown on the cap
        ambiguousCount = 0;
        int jr = j * d;
        double st = sinTheta;
        double ct = cosTheta;
        for (int k = 0; k < count; k++) {
            int q = from == null ? k : from.ambiguous[k];
            int qr = q * d;
            double yy = 0;
            double p = 0;
            for (int t = 0; t < d; t++) {
                double e = xs[qr + t] - xs[jr + t];
                diff[t] = e;
                yy += e * e;
                p += u0[t] * e;
            }
            if (yy == 0) {
                continue;   // x_q = x_j: relu(u . 0) = 0 for every u
            }
            int rq = q * m;
            if (p > 0) {
                for (int i = 0; i < m; i++) {
                    value[i] += rs[rq + i] * p;
                }
            }
            double ny = Math.sqrt(yy);
            double cos = p / ny;
            if (cos > st + SIDE_MARGIN) {
                anyFixed = true;
                for (int i = 0; i < m; i++) {
                    double ri = rs[rq + i];
                    int base = i * d;
                    for (int t = 0; t < d; t++) {
                        linear[base + t] += ri * diff[t];
                    }
                }
                if (m == 1) {
                    Vectors.addScaled(chord, rs[rq], diff, chord);
                }
            } else if (cos >= -st - SIDE_MARGIN) {
                ambiguousList[ambiguousCount++] = q;
                double high = Math.max(0.0, ny * OffsetSweepBound.capCosine(cos, ct, st));
                double reach = norms[q] * high;
                ambiguous += reach;
                if (m == 1) {
                    double ri = rs[rq];
                    if (ri < 0) {
                        ambiguousDown += reach;
                    } else {
                        ambiguousUp += reach;
                    }
                    // On the cap z = u . y_n stays in [low, high], low <= 0 <= high, where slope (z - low) >= relu(z)
                    // >= slope z with slope = high / (high - low): relu(z) = slope z + t, t in [0, -slope low].
                    double low = Math.min(0.0, -ny * OffsetSweepBound.capCosine(-cos, ct, st));
                    if (high > low) {
                        double slope = high / (high - low);
                        double spread = ri * slope * -low;
                        Vectors.addScaled(chord, ri * slope, diff, chord);
                        if (spread > 0) {
                            chordUp += spread;
                        } else {
                            chordDown -= spread;
                        }
                    }
                }
            }
        }
        double pj = 0;
        for (int t = 0; t < d; t++) {
            pj += u0[t] * xs[jr + t];
        }
        double at = Vectors.norm(value, 0, m);
        if (at > lower) {
            lower = at;
            bestDirection = u0.clone();
            bestOffset = pj;
        }
        if (m == 1) {
            double reached = signedBound(anyFixed ? linear : null, ct, st, ambiguousUp, ambiguousDown);
            return Math.min(reached, signedBound(chord, ct, st, chordUp, chordDown)) * (1 + ROUNDING);
        }
        double fixed = anyFixed ? linearBound(ct, st) : 0.0;
        return (fixed + ambiguous) * (1 + ROUNDING);
    }

    /**
     * One output: where {@code a . u - down <= f(u) <= a . u + up} on the cap, {@code |f| <= max(max_cap a . u + up,
     * down - min_cap a . u)} ({@code a} null for 0). Two pairs are used: a = the fixed actives' map with the ambiguous
     * points' reach split by the sign of r_n (residuals of both signs no longer add up on the same side), and the
     * linear relaxation of each ambiguous ramp between its chord and the parallel line through 0 on the cap's range of
     * {@code u . y_n} (the ramps' linear parts go into a, only their spread stays as a constant; of second order in the
     * cap's radius, a quarter of the reach where the range is symmetric).
     */
    private double signedBound(double[] a, double ct, double st, double up, double down) {
        double top = 0.0;
        double bottom = 0.0;
        if (a != null) {
            double na = Vectors.norm(a);
            double dot = Vectors.dot(a, u0);
            if (na > 0) {
                top = OffsetSweepBound.capMax(na, dot, ct, st);
                bottom = -OffsetSweepBound.capMax(na, -dot, ct, st);
            }
        }
        return Math.max(top + up, down - bottom);
    }

    /** An upper bound of {@code ||A u||} over the cap, A = linear (m x d), m >= 2 (one output: {@link #signedBound}). */
    private double linearBound(double ct, double st) {
        Vectors.rowDots(linear, m, d, u0, au);
        double fro = Vectors.dot(linear, linear);
        double q0 = Vectors.dot(au, au);
        double nw = 0;
        double wu = 0;
        for (int t = 0; t < d; t++) {
            double s = 0;
            for (int i = 0; i < m; i++) {
                s += linear[i * d + t] * au[i];
            }
            w[t] = s;
            nw += s * s;
            wu += s * u0[t];
        }
        nw = Math.sqrt(nw);
        double rise = nw == 0 ? 0.0 : Math.max(0.0, nw * OffsetSweepBound.capCosine(Math.min(1.0, wu / nw), ct, st) - wu);
        // chord^2 = 2 (1 - cos theta) = 2 sin^2 / (1 + cos), stable for small theta
        double chord2 = ct <= -1.0 ? 4.0 : 2.0 * st * st / (1.0 + ct);
        double b = Math.sqrt(q0 + 2.0 * rise + fro * chord2);
        return Math.min(b, Math.sqrt(fro));
    }

    /**
     * What an anchored bound learned on a cell for one anchor j: the map {@code sum r_n (x_n - x_j)^T} (m x d) of the
     * points active on the whole cap, and the points still ambiguous there (the rest are inactive on it).
     */
    private record AnchorState(double[] fixed, int[] ambiguous) {
    }

    /** A box on a face with its live anchors and their largest bound. */
    private static final class Cell implements Comparable<Cell> {
        final int face;
        final double[] lo;
        final double[] hi;
        final int[] anchors;
        final AnchorState[] states;   // per anchor, null when the children start over
        final double upper;
        final long sequence;

        Cell(int face, double[] lo, double[] hi, int[] anchors, AnchorState[] states, double upper, long sequence) {
            this.face = face;
            this.lo = lo;
            this.hi = hi;
            this.anchors = anchors;
            this.states = states;
            this.upper = upper;
            this.sequence = sequence;
        }

        @Override
        public int compareTo(Cell o) {
            int c = Double.compare(o.upper, upper);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
