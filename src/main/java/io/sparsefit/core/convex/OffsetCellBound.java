package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.linalg.Vectors;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * A proven upper bound on the dual norm of theory T8, {@code S(r) = sup_{||u|| = 1, c} ||sum_n r_n relu(u . x_n -
 * c)||}, by branch and bound over directions and offsets together (theory C4): the directions covered by boxes on the
 * faces of the cube, each inside a spherical cap ({@link CapGeometry}), each cell a box times an interval of offsets
 * {@code [cLo, cHi]} (centred coordinates, x minus its mean). Rather than keep per cell every anchor j (offset
 * {@code u . x_j}) that can still win, at {@code O(N log N)} a cell (the anchored search this class replaced), a cell
 * here looks only at its band: the points whose ramp {@code z_n = u . x_n - c} can change sign on the cell. A point whose
 * z stays positive on the cell is active on all of it and joins the cell's fixed sums ({@code sum r_n (x_n - mean)^T},
 * {@code sum r_n}), one whose z stays negative drops out, and a child (inside its parent in both the directions and the
 * offsets) inherits the fixed sums and looks at its parent's band only: the cost of a cell is {@code O(band d)}, and the
 * band shrinks with the cell.
 *
 * <p><b>The bound per cell.</b> The fixed actives give {@code A u - B c}, whose largest and smallest values over the cap
 * times the interval are closed forms (a linear function's range on a cap, {@link CapGeometry#capMax}; on the
 * interval at its ends). Each ambiguous point's z ranges in {@code [low, high]} ({@code low < 0 < high}, its projection's
 * range on the cap minus the interval); with one output it is relaxed linearly between its chord and the parallel line
 * through 0 ({@code slope z <= relu(z) <= slope (z - low)}, {@code slope = high / (high - low)}: the linear part joins A
 * and B, the spread {@code |r_n| slope (-low)}, of second order in the cell's size, stays a constant on its residual's
 * side), or bounded by its reach {@code |r_n| high} on its side, whichever bound is smaller ({@code |f| <= max(max f, -min
 * f)}). With several outputs the smaller of two: {@code ||A u0 - B c0|| + ||A||_F chord + ||B|| (cHi - cLo) / 2} plus
 * every ambiguous point's reach (first order), and the same chords as with one output in every output at once (each
 * ambiguous ramp is its chord's linear function plus an error in {@code [0, slope (-low)]}): the norm of the linear
 * map with the chords bounded to second order ({@code ||L p||^2} expanded around the centre, its linear term's largest
 * value on the cell in closed form), plus the spreads {@code ||r_n|| slope (-low)}. Every upper bound is inflated by {@link CapGeometry#ROUNDING}; the side tests keep a
 * relative margin so that rounding never fixes a point that may cross. The lower bound is the value at each cell's
 * centre {@code (u0, (cLo + cHi) / 2)}, computed exactly over the band and the fixed sums, and the caller's start atom.
 *
 * <p><b>The roots.</b> Outside the range of the projections on the cap every ramp is 0, or every ramp active and the sum
 * {@code sum r_n (u . x_n - c) = 0} (r is orthogonal to the affine functions): each face's interval is that range.
 * The d faces {@code v_k = +1} cover the half sphere that suffices for such an r ({@code relu(z) - relu(-z) = z}: the
 * value at {@code (u, c)} equals the value at {@code (-u, -c)}).
 *
 * <p><b>A point orthogonal to the constants only</b> ({@link #OffsetCellBound(DMatrixRMaj, int, boolean)}: a
 * classification loss, whose skip weights are penalized, or a fit without the free linear part; theory A2b) lacks that
 * symmetry, so the 2 d faces {@code v_k = +1} and {@code v_k = -1} cover the whole sphere. The offsets still reduce to
 * the same range: above every projection the value is 0, and below every projection every ramp is active, the value
 * {@code ||sum r_n (u . x_n - c)|| = ||sum r_n u . x_n||} (the constants drop out) is the same for every such offset, and
 * equals the value at the smallest projection, which lies in the cell's interval (the affine tail is attained there).
 * Nothing else in the bound uses the symmetry. The dual norm of A2b ranges over these atoms only (unit direction, free
 * offset): the penalized linear part enters the dual value through {@code ||X^T g||^2 / (2 lambda)}, not through S.
 * A cell splits its offsets when their width exceeds the spread its directions give a typical point ({@code 2 sin theta}
 * times the root-mean-square radius of the data), otherwise its box's longest side, at the middle. Best-first on the
 * upper bound; stops when {@code upper - lower <= relTol * lower}, or when the cell budget, the work budget, the
 * {@link ProofForecast} (the gap's rate per doubling of work cannot reach relTol within the budget) or the stop signal
 * ends the search, and returns both bounds either way (a fit's deadline comes in through {@code stop}: there is no
 * wall-clock budget here). Work is an operation count, so that a budget in work follows the running time while a fit's
 * result stays independent of the machine's speed: {@code 2 d + m + 6} per band point (several outputs: {@code m d}
 * more per ambiguous point) and the cap's corners per cell. Deterministic; one instance serves one thread.
 */
public final class OffsetCellBound {

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

    /** Relative margin (of the data's radius and the offset) on the side tests. */
    private static final double SIDE_MARGIN = 1e-12;

    private final DMatrixRMaj x;
    private final int n;
    private final int d;
    private final int m;
    private final double[] mean;
    private final double[] centred;
    private final double[] radius;
    private final double scale;       // the largest radius
    private final double typical;     // the root-mean-square radius
    private final double[] norms;     // ||r_n||
    private final double[] v0;
    private final double[] u0;
    private final double[] corner;
    private final double[] value;     // m
    private final double[] chordA;    // m x d: A with the ambiguous ramps' chords
    private final double[] chordOffsets;    // several outputs: B with the chords
    private final double[] gradient;  // several outputs: d
    private final double[] work;      // m
    private final int[] ambiguous;
    private final long capWork;
    private final int faces;          // d (half sphere) or 2 d (whole sphere)
    private double sinTheta;
    private double cosTheta;

    private double lower;
    private long visited;
    private double[] bestDirection;
    private double bestOffset;

    /**
     * For inputs {@code x} (N x d, not modified, kept by reference) and residuals with {@code outputs} columns,
     * orthogonal to the affine functions of x.
     */
    public OffsetCellBound(DMatrixRMaj x, int outputs) {
        this(x, outputs, false);
    }

    /**
     * As above, for residuals orthogonal to the constants only when {@code constantsOnly} (then the search covers the
     * whole sphere, see the class comment), to the affine functions otherwise.
     */
    public OffsetCellBound(DMatrixRMaj x, int outputs, boolean constantsOnly) {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
        this.x = x;
        this.n = x.numRows;
        this.d = x.numCols;
        this.m = outputs;
        this.mean = new double[d];
        this.radius = new double[n];
        this.centred = CapGeometry.centre(x, mean, radius);
        double largest = 0;
        double squares = 0;
        for (double v : radius) {
            largest = Math.max(largest, v);
            squares += v * v;
        }
        this.scale = largest;
        this.typical = n == 0 ? 0 : Math.sqrt(squares / n);
        this.norms = new double[n];
        this.v0 = new double[d];
        this.u0 = new double[d];
        this.corner = new double[d];
        this.value = new double[m];
        this.chordA = new double[m * d];
        this.chordOffsets = new double[m];
        this.gradient = new double[d];
        this.work = new double[m];
        this.ambiguous = new int[n];
        this.capWork = d - 1 <= CapGeometry.MAX_CORNER_DIMENSION ? 3L * d << Math.max(0, d - 1) : 2L * d;
        this.faces = constantsOnly ? 2 * d : d;
    }

    /**
     * Bounds {@code S(r)} from both sides.
     *
     * @param r        residual, N x m, orthogonal to {@code [1, x]} (to the constants only with {@code constantsOnly}; the
     *                 caller projects it); not modified
     * @param start    a known atom (e.g. from {@link LocalPricing}); its value is recomputed here; may be null
     * @param relTol   stop once {@code upper - lower <= relTol * lower}; {@code >= 0}
     * @param maxCells cell budget, {@code >= 1}
     * @param maxWork  stop once this many operations were counted (see the class comment; checked between cells, so the
     *                 last two cells may overrun it), {@code >= 1}
     * @param stop     polled once per cell; the search stops when it returns true; may be null
     */
    public Result bound(DMatrixRMaj r, Atom start, double relTol, long maxCells, long maxWork, BooleanSupplier stop) {
        checkArguments(r, relTol, maxCells, maxWork);
        visited = 0;
        for (int q = 0; q < n; q++) {
            norms[q] = MatrixNorms.rowNorm(r, q);
        }
        Atom first = startAtom(r, start);
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
        for (int face = 0; face < faces; face++) {
            cap(face, lo, hi);
            double cLo = Double.POSITIVE_INFINITY;
            double cHi = Double.NEGATIVE_INFINITY;
            for (int q = 0; q < n; q++) {
                double p = projection(q);
                cLo = Math.min(cLo, low(q, p));
                cHi = Math.max(cHi, CapGeometry.capMax(radius[q], p, cosTheta, sinTheta));
            }
            visited += (long) n * (d + 4);
            if (!(cLo <= cHi)) {
                continue;
            }
            Cell root = evaluate(r, face, lo.clone(), hi.clone(), cLo, cHi, all, new double[m * d], new double[m], cells++);
            if (root != null) {
                queue.add(root);
            }
        }
        boolean converged = false;
        double upper = lower;
        ProofForecast forecast = new ProofForecast(relTol, maxWork);
        while (true) {
            Cell top = queue.peek();
            while (top != null && top.upper <= lower) {   // a NaN bound stays queued: the run then ends not proven
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
            queue.poll();
            boolean splitOffset = d == 1 || top.cHi - top.cLo > 2.0 * top.sin * typical;
            Cell left;
            Cell right;
            if (splitOffset) {
                double mid = 0.5 * (top.cLo + top.cHi);
                left = evaluate(r, top.face, top.lo, top.hi, top.cLo, mid, top.band, top.fixedA, top.fixedB, cells++);
                right = evaluate(r, top.face, top.lo, top.hi, mid, top.cHi, top.band, top.fixedA, top.fixedB, cells++);
            } else {
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
                left = evaluate(r, top.face, top.lo, leftHi, top.cLo, top.cHi, top.band, top.fixedA, top.fixedB, cells++);
                right = evaluate(r, top.face, rightLo, top.hi, top.cLo, top.cHi, top.band, top.fixedA, top.fixedB, cells++);
            }
            if (left != null && !(left.upper <= lower)) {
                queue.add(left);
            }
            if (right != null && !(right.upper <= lower)) {
                queue.add(right);
            }
        }
        Atom best = bestDirection == null ? null : new Atom(bestDirection, bestOffset, lower);
        return new Result(lower, upper, best, cells, converged, visited);
    }

    private void checkArguments(DMatrixRMaj r, double relTol, long maxCells, long maxWork) {
        if (r.numRows != n || r.numCols != m) {
            throw new IllegalArgumentException("bound sized for " + n + " x " + m + ", r is " + r.numRows + " x " + r.numCols);
        }
        if (!(relTol >= 0) || maxCells < 1 || maxWork < 1) {
            throw new IllegalArgumentException("relTol must be >= 0, maxCells and maxWork >= 1");
        }
    }

    /**
     * The caller's start atom as the search's first lower bound: its direction normalized and its value recomputed on r
     * ({@link AtomValue}); null when there is none, its size or direction is unusable or its value is 0.
     */
    private Atom startAtom(DMatrixRMaj r, Atom start) {
        if (start == null || start.direction().length != d) {
            return null;
        }
        double[] u = start.direction().clone();
        if (!LocalPricing.normalize(u)) {
            return null;
        }
        double v = AtomValue.of(x, r, u, start.offset(), work);
        return v > 0 ? new Atom(u, start.offset(), v) : null;
    }

    /** The cap of a box on face {@code face} (from d on: the face {@code v_(face - d) = -1}, the antipodal cap). */
    private void cap(int face, double[] lo, double[] hi) {
        double sin = CapGeometry.capSine(face % d, lo, hi, v0, u0, corner);
        if (face >= d) {
            for (int t = 0; t < d; t++) {
                u0[t] = -u0[t];
            }
        }
        sinTheta = Math.min(1.0, sin);
        cosTheta = CapGeometry.capCosine(sin);
    }

    /** {@code u0 . (x_q - mean)}. */
    private double projection(int q) {
        double s = 0;
        for (int t = 0, base = q * d; t < d; t++) {
            s += centred[base + t] * u0[t];
        }
        return s;
    }

    /** The smallest projection of point q over the cap, given its projection p at the centre. */
    private double low(int q, double p) {
        return radius[q] == 0 ? 0 : -CapGeometry.capMax(radius[q], -p, cosTheta, sinTheta);
    }

    /**
     * Evaluates a cell: its centre's value (raising the lower bound), its points sorted into the fixed sums and its band,
     * its upper bound. Null when no point can be active on it (its value is 0). {@code fixedA}, {@code fixedB} and
     * {@code band} are the parent's, not modified.
     */
    private Cell evaluate(DMatrixRMaj r, int face, double[] lo, double[] hi, double cLo, double cHi, int[] band,
                          double[] fixedA, double[] fixedB, long sequence) {
        cap(face, lo, hi);
        double st = sinTheta;
        double ct = cosTheta;
        visited += capWork + (long) band.length * (2L * d + m + 6);
        double c0 = 0.5 * (cLo + cHi);
        double[] fa = fixedA.clone();
        double[] fb = fixedB.clone();
        Vectors.rowDots(fixedA, m, d, u0, value);
        for (int i = 0; i < m; i++) {
            value[i] -= fixedB[i] * c0;   // the parent's fixed actives are active at the centre
        }
        double reachUp = 0.0;      // sum over ambiguous points of ||r_n|| high (one output: r_n > 0 ...)
        double reachDown = 0.0;    // ... and r_n < 0)
        double chordB = 0.0;       // one output: B with the ambiguous ramps' chords ...
        double chordUp = 0.0;      // ... and their spreads, by side
        double chordDown = 0.0;
        double spreads = 0.0;      // several outputs: the sum of the chords' spreads, ||r_n|| slope (-low)
        System.arraycopy(fixedA, 0, chordA, 0, m * d);
        if (m == 1) {
            chordB = fixedB[0];
        } else {
            System.arraycopy(fixedB, 0, chordOffsets, 0, m);
        }
        double margin = SIDE_MARGIN * (scale + Math.abs(cLo) + Math.abs(cHi));
        double[] rs = r.data;
        int count = 0;
        for (int q : band) {
            int base = q * d;
            double p = projection(q);
            int rq = q * m;
            if (p > c0) {
                for (int i = 0; i < m; i++) {
                    value[i] += rs[rq + i] * (p - c0);
                }
            }
            double zLow = low(q, p) - cHi;
            double zHigh = CapGeometry.capMax(radius[q], p, ct, st) - cLo;
            if (zLow > margin) {
                for (int i = 0; i < m; i++) {
                    double ri = rs[rq + i];
                    fb[i] += ri;
                    for (int t = 0; t < d; t++) {
                        fa[i * d + t] += ri * centred[base + t];
                    }
                }
                if (m == 1) {
                    addRow(chordA, rs[rq], base);
                    chordB += rs[rq];
                } else {
                    addChords(rs, rq, 1.0, base);
                }
            } else if (!(zHigh < -margin)) {
                ambiguous[count++] = q;
                double high = Math.max(0.0, zHigh + margin);
                double reach = norms[q] * high;
                if (m == 1) {
                    double ri = rs[rq];
                    if (ri < 0) {
                        reachDown += reach;
                    } else {
                        reachUp += reach;
                    }
                    double lowZ = Math.min(0.0, zLow - margin);
                    if (high > lowZ) {
                        double slope = high / (high - lowZ);
                        double spread = ri * slope * -lowZ;
                        addRow(chordA, ri * slope, base);
                        chordB += ri * slope;
                        if (spread > 0) {
                            chordUp += spread;
                        } else {
                            chordDown -= spread;
                        }
                    }
                } else {
                    reachUp += reach;
                    double lowZ = Math.min(0.0, zLow - margin);
                    if (high > lowZ) {
                        double slope = high / (high - lowZ);
                        addChords(rs, rq, slope, base);
                        spreads += norms[q] * slope * -lowZ;
                    }
                }
            }
        }
        if (m > 1) {
            visited += (long) count * m * d;
        }
        double at = Vectors.norm(value, 0, m);
        if (at > lower) {
            lower = at;
            bestDirection = u0.clone();
            bestOffset = c0 + Vectors.dot(mean, u0);
        }
        if (count == 0 && allZero(fa) && allZero(fb)) {
            return null;   // every ramp off on the cell (or the fixed sums vanish): the value is 0 there
        }
        double upper;
        if (m == 1) {
            double fixedBound = signedBound(fa, fb[0], cLo, cHi, ct, st, reachUp, reachDown);
            double chordBound = signedBound(chordA, chordB, cLo, cHi, ct, st, chordUp, chordDown);
            upper = Math.min(fixedBound, chordBound);
        } else {
            Vectors.rowDots(fa, m, d, u0, work);
            double centre = 0;
            for (int i = 0; i < m; i++) {
                double g = work[i] - fb[i] * c0;
                centre += g * g;
            }
            double chord2 = ct <= -1.0 ? 4.0 : 2.0 * st * st / (1.0 + ct);
            upper = Math.sqrt(centre) + Math.sqrt(Vectors.dot(fa, fa) * chord2) + Vectors.norm(fb) * 0.5 * (cHi - cLo)
                    + reachUp;
            upper = Math.min(upper, chordNormBound(c0, 0.5 * (cHi - cLo), ct, st, Math.sqrt(chord2)) + spreads);
        }
        upper *= 1 + CapGeometry.ROUNDING;
        int[] kept = count == band.length ? band : java.util.Arrays.copyOf(ambiguous, count);
        return new Cell(face, lo, hi, cLo, cHi, st, kept, fa, fb, upper, sequence);
    }

    /** Several outputs: {@code chordA += s r_q (x_q - mean)^T}, {@code chordOffsets += s r_q}, q's rows at {@code rq}, {@code base}. */
    private void addChords(double[] rs, int rq, double s, int base) {
        for (int i = 0; i < m; i++) {
            double si = rs[rq + i] * s;
            chordOffsets[i] += si;
            addRow(chordA, si, base, i * d);
        }
    }

    /**
     * Several outputs: the largest norm of the linear map {@code L(u, c) = chordA u - chordOffsets c} over the cap times the
     * offsets {@code c0 +- half}, of second order in the cell's size near a smooth maximum: {@code ||L p||^2 = ||L p0||^2
     * + 2 L(p0) . L(p - p0) + ||L (p - p0)||^2}, the middle term linear in (u, c) (its largest value on the cap in
     * closed form, {@link CapGeometry#capMax}), the last at most {@code (||chordA||_F chord + ||chordOffsets|| half)^2}.
     */
    private double chordNormBound(double c0, double half, double ct, double st, double chordLength) {
        Vectors.rowDots(chordA, m, d, u0, work);
        double atCentre = 0;
        double offsetSlope = 0;
        java.util.Arrays.fill(gradient, 0.0);
        for (int i = 0; i < m; i++) {
            work[i] -= chordOffsets[i] * c0;
            atCentre += work[i] * work[i];
            offsetSlope += chordOffsets[i] * work[i];
            addScaled(gradient, chordA, i * d, work[i]);
        }
        double along = Vectors.dot(gradient, u0);
        double linear = CapGeometry.capMax(Vectors.norm(gradient), along, ct, st) - along + Math.abs(offsetSlope) * half;
        double step = Math.sqrt(Vectors.dot(chordA, chordA)) * chordLength + Vectors.norm(chordOffsets) * half;
        return Math.sqrt(atCentre + 2 * Math.max(0.0, linear) + step * step);
    }

    /** {@code a[t] += s b[from + t]} for t below d. */
    private void addScaled(double[] a, double[] b, int from, double s) {
        for (int t = 0; t < d; t++) {
            a[t] += s * b[from + t];
        }
    }

    /** {@code a[at + t] += s (x_q - mean)[t]}, q's row starting at {@code base}. */
    private void addRow(double[] a, double s, int base, int at) {
        for (int t = 0; t < d; t++) {
            a[at + t] += s * centred[base + t];
        }
    }

    /** {@code a += s (x_q - mean)}, q's row starting at {@code base}. */
    private void addRow(double[] a, double s, int base) {
        for (int t = 0; t < d; t++) {
            a[t] += s * centred[base + t];
        }
    }

    private static boolean allZero(double[] a) {
        for (double v : a) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * One output: where {@code a . u - b c - down <= f <= a . u - b c + up} on the cap times {@code [cLo, cHi]},
     * {@code |f| <= max(max (a . u - b c) + up, down - min (a . u - b c))}.
     */
    private double signedBound(double[] a, double b, double cLo, double cHi, double ct, double st, double up,
                               double down) {
        double na = Vectors.norm(a, 0, d);
        double dot = Vectors.dot(a, u0);
        double top = CapGeometry.capMax(na, dot, ct, st) + Math.max(-b * cLo, -b * cHi);
        double bottom = -CapGeometry.capMax(na, -dot, ct, st) + Math.min(-b * cLo, -b * cHi);
        return Math.max(top + up, down - bottom);
    }

    /** A box on a face times an interval of offsets, with its band and fixed sums. */
    private static final class Cell implements Comparable<Cell> {
        final int face;
        final double[] lo;
        final double[] hi;
        final double cLo;
        final double cHi;
        final double sin;
        final int[] band;
        final double[] fixedA;
        final double[] fixedB;
        final double upper;
        final long sequence;

        Cell(int face, double[] lo, double[] hi, double cLo, double cHi, double sin, int[] band, double[] fixedA,
             double[] fixedB, double upper, long sequence) {
            this.face = face;
            this.lo = lo;
            this.hi = hi;
            this.cLo = cLo;
            this.cHi = cHi;
            this.sin = sin;
            this.band = band;
            this.fixedA = fixedA;
            this.fixedB = fixedB;
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
