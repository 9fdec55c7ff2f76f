package io.sparsefit.core.convex;

import io.sparsefit.core.linalg.Vectors;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The dual norm of theory T8 for three inputs, exactly, by enumerating the great-circle arrangement around
 * every anchor: {@code S(r) = max_{||u|| = 1, c} ||sum_n r_n relu(u . x_n - c)||_2} for a residual r (N x m,
 * any m >= 1) orthogonal to the affine functions of x.
 *
 * <p>Why this is exact. For fixed u the best offset is at a data point {@code c = u . x_j}: outside the projections
 * the value is 0 (every ramp zero, or every ramp affine and r orthogonal to the affine functions), and between
 * consecutive projections it is the norm of an affine function of c, hence convex, so
 * {@code S = max_j max_u F_j(u)}, {@code F_j(u) = ||sum_{n : u . y_n > 0} r_n y_n^T u||},
 * {@code y_n = x_n - x_j}. The great circles {@code u . y_n = 0} cut the sphere into faces on which F_j is
 * the norm {@code ||M u||} of one linear map. A maximizer lies at a vertex of the arrangement, in the
 * relative interior of an edge (then it is a local maximum of {@code ||M u||} on that great circle, i.e. a
 * top eigenvector of the restricted 2 x 2 form), or inside a face (then a top right singular vector of M,
 * the only local maxima of a quadratic form on the sphere). Every edge and face touches a vertex, so the
 * candidates are generated vertex by vertex: at a vertex v, the points on circles through v (a set Z, any
 * size, so degenerate arrangements are handled) get their sides from the directions of the tangent plane,
 * sorted by angle: each sector between consecutive circle directions is an adjacent face, each direction
 * an adjacent edge. Every candidate is evaluated with the true function, so the maximum over a set that
 * contains the maximizer is exact (up to rounding, and for m >= 2 up to a tie in the top singular value,
 * where the face's computed singular vector may lie outside the face). Since {@code F_j(-u) = F_j(u)} (r is
 * orthogonal to affine functions) one vertex of each antipodal pair suffices, as do the directions
 * {@code +-y_n} for anchors whose circles all coincide.
 *
 * <p>Cost: per anchor, each of the N - 1 circles is swept once over a half-turn (its N - 2 crossings sorted,
 * the positive set updated one point at a time), so the vertices cost {@code O(N^3 log N)} in all; at each vertex
 * the adjacent faces and edges give candidates, which are skipped unless their top singular value beats the
 * best value so far and they lie in their own face (a sign test that usually fails on its first points), and
 * only then evaluated ({@code O(N m)}). Anchors whose crude bound cannot beat the best value are skipped. Reach
 * measured in docs/benchmarks.md (N = 100 in seconds, N = 200-400 in tens of seconds to minutes on a loaded
 * machine); beyond that {@link ProvenDualNorm} takes the branch and bound of {@link OffsetCellBound}. Deterministic.
 * Work buffers are allocated once per instance; one instance serves one thread.
 */
public final class ArrangementPricing3D {

    /** Crossings closer than this (radians) along a circle are one vertex. */
    private static final double ANGLE_TIE = 1e-10;
    private static final double PARALLEL = 1e-12;
    /** Relative slack of the face-membership test: a candidate this close to a circle counts as on it. */
    private static final double INSIDE = 1e-9;

    private final DMatrixRMaj x;
    private final int n;
    private final int m;
    private final double[] ys;       // K x 3, the anchored points
    private final double[] yn;       // |y|
    private final double[] rr;       // K x m
    private final double[] rn;       // |r|
    private final int[] zero;        // indices on circles through the vertex
    private final double[] angles;   // 2|Z| ray angles
    private final int[] rayCircle;
    private final long[] rayOrder;
    private final double[] pos;      // M_pos, m x 3
    private final double[] running;  // the strictly positive map along the sweep, m x 3
    private final int[] parallel;    // points on the swept circle itself
    private final double[] crossing;
    private final boolean[] entering;
    private final long[] eventOrder;
    private final long[] stamp;       // stamp[q] == vertexStamp: q is on a circle through the current vertex
    private final boolean[] side;     // for those: positive in the current sector
    private long vertexStamp;
    private double vertexAngle;
    private int sweptCircle;
    private final double[] sector;   // M_S, m x 3
    private final double[] work;
    private final double[] cand = new double[3];
    private final double[] eigen = new double[2];
    private final double[] gram = new double[9];
    private final double[] vecs = new double[9];
    // Orthonormal plane bases (g = [0..3), h = [3..6)) of planeBasis: one per level, since the circle's stays in use
    // while its vertices (their tangent planes) and those vertices' edges (their circles' planes) are priced.
    private final double[] circleBasis = new double[6];
    private final double[] tangentBasis = new double[6];
    private final double[] basis = new double[6];

    private BooleanSupplier stop = () -> false;
    private double best;
    private double[] bestU;
    private double bestOffset;
    private int k;

    public ArrangementPricing3D(DMatrixRMaj x, int outputs) {
        if (x.numCols != 3) {
            throw new IllegalArgumentException("the arrangement enumeration needs 3 inputs, x has " + x.numCols + " columns");
        }
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
        if (x.numRows >= 1 << 19) {
            throw new IllegalArgumentException("the arrangement enumeration supports fewer than 2^19 rows, got " + x.numRows);
        }
        this.x = x;
        this.n = x.numRows;
        this.m = outputs;
        this.ys = new double[3 * n];
        this.yn = new double[n];
        this.rr = new double[n * m];
        this.rn = new double[n];
        this.zero = new int[n];
        this.angles = new double[2 * n];
        this.rayCircle = new int[2 * n];
        this.rayOrder = new long[2 * n];
        this.pos = new double[3 * m];
        this.running = new double[3 * m];
        this.parallel = new int[n];
        this.crossing = new double[n];
        this.entering = new boolean[n];
        this.eventOrder = new long[n];
        this.stamp = new long[n];
        this.side = new boolean[n];
        this.sector = new double[3 * m];
        this.work = new double[m];
    }

    /**
     * Makes {@link #best} look at {@code stop} before each anchor (O(N^2 log N) work each) and return what it found so
     * far once it is true: then the value is only a lower bound, and the caller knows it from {@code stop}. Returns this.
     */
    public ArrangementPricing3D stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /**
     * The atom attaining {@code S(r)}, or {@code start} if nothing beats its (recomputed) value; null when every
     * value is zero and no start was given.
     *
     * @param r     residual, N x m, orthogonal to {@code [1, x]}; not modified
     * @param start a known atom whose value prunes the enumeration; may be null
     */
    public Atom best(DMatrixRMaj r, Atom start) {
        if (r.numRows != n || r.numCols != m) {
            throw new IllegalArgumentException("pricer sized for " + n + " x " + m + ", r is " + r.numRows + " x " + r.numCols);
        }
        best = 0.0;
        bestU = null;
        Atom kept = null;
        if (start != null && start.direction().length == 3) {
            double[] u = start.direction().clone();
            if (LocalPricing.normalize(u)) {
                best = AtomValue.of(x, r, u, start.offset(), work);
                kept = new Atom(u, start.offset(), best);
            }
        }
        for (int j = 0; j < n && !stop.getAsBoolean(); j++) {
            anchor(r, j);
        }
        return bestU == null ? (best > 0 ? kept : null) : new Atom(bestU, bestOffset, best);
    }

    private void anchor(DMatrixRMaj r, int j) {
        double[] xs = x.data;
        k = 0;
        double crude = 0;
        for (int q = 0; q < n; q++) {
            double a = xs[3 * q] - xs[3 * j];
            double b = xs[3 * q + 1] - xs[3 * j + 1];
            double c = xs[3 * q + 2] - xs[3 * j + 2];
            double len = Math.sqrt(a * a + b * b + c * c);
            if (len == 0) {
                continue;
            }
            ys[3 * k] = a;
            ys[3 * k + 1] = b;
            ys[3 * k + 2] = c;
            yn[k] = len;
            double s = 0;
            for (int i = 0; i < m; i++) {
                double v = r.data[q * m + i];
                rr[k * m + i] = v;
                s += v * v;
            }
            rn[k] = Math.sqrt(s);
            crude += rn[k] * len;
            k++;
        }
        // F_j(u) = ||positive part|| = ||negative part|| (their difference sum r_n y_n^T u is 0): at most half the sum.
        if (!(0.5 * crude * (1 + 1e-12) > best)) {
            return;
        }
        double xj0 = xs[3 * j];
        double xj1 = xs[3 * j + 1];
        double xj2 = xs[3 * j + 2];
        for (int a = 0; a < k; a++) {
            cand[0] = ys[3 * a] / yn[a];
            cand[1] = ys[3 * a + 1] / yn[a];
            cand[2] = ys[3 * a + 2] / yn[a];
            offer(cand, xj0, xj1, xj2);
        }
        for (int a = 0; a < k; a++) {
            sweepCircle(a, xj0, xj1, xj2);
        }
    }

    /**
     * Walks the great circle normal to y_a over a half-turn (the other half gives the antipodal vertices, equal by
     * symmetry): every other point's ramp changes sign once, so sorting those crossings lists the circle's
     * vertices in order while the strictly positive set is updated one point at a time.
     */
    private void sweepCircle(int a, double xj0, double xj1, double xj2) {
        double y0 = ys[3 * a] / yn[a];
        double y1 = ys[3 * a + 1] / yn[a];
        double y2 = ys[3 * a + 2] / yn[a];
        double[] gh = circleBasis;
        planeBasis(y0, y1, y2, gh);
        Arrays.fill(running, 0.0);
        sweptCircle = a;
        int same = 0;
        int events = 0;
        for (int q = 0; q < k; q++) {
            if (q == a) {
                continue;
            }
            double al = dot3(gh, 0, ys, 3 * q);
            double be = dot3(gh, 3, ys, 3 * q);
            if (Math.sqrt(al * al + be * be) <= PARALLEL * yn[q]) {
                if (q < a) {
                    return;   // the same circle, swept from its smallest index
                }
                parallel[same++] = q;
                continue;
            }
            // al cos(phi) + be sin(phi) = 0 once in [0, pi); near pi counts as 0 (the antipodal vertex).
            double phi = Math.atan2(-al, be);
            if (phi < 0) {
                phi += Math.PI;
            }
            if (phi >= Math.PI - ANGLE_TIE) {
                phi -= Math.PI;
            }
            double slope = -al * Math.sin(phi) + be * Math.cos(phi);
            crossing[q] = phi;
            entering[q] = slope > 0;
            if (!entering[q]) {
                addTo(running, q, 1.0);   // positive before its crossing
            }
            eventOrder[events++] = ((long) ((phi + ANGLE_TIE) * 0x1p40) << 20) | q;
        }
        Arrays.sort(eventOrder, 0, events);
        int e = 0;
        while (e < events) {
            int first = (int) (eventOrder[e] & 0xFFFFF);
            double at = crossing[first];
            int z = 0;
            zero[z++] = a;
            for (int t = 0; t < same; t++) {
                zero[z++] = parallel[t];
            }
            boolean owner = true;
            int groupEnd = e;
            while (groupEnd < events && crossing[(int) (eventOrder[groupEnd] & 0xFFFFF)] - at <= ANGLE_TIE) {
                int q = (int) (eventOrder[groupEnd] & 0xFFFFF);
                zero[z++] = q;
                if (q < a) {
                    owner = false;   // the vertex is handled on the circle of its smallest index
                }
                groupEnd++;
            }
            if (owner) {
                System.arraycopy(running, 0, pos, 0, 3 * m);
                for (int t = e; t < groupEnd; t++) {
                    int q = (int) (eventOrder[t] & 0xFFFFF);
                    if (!entering[q]) {
                        addTo(pos, q, -1.0);   // zero at the vertex itself
                    }
                }
                double c = Math.cos(at);
                double sn = Math.sin(at);
                vertexAngle = at;
                vertexStamp++;
                for (int t = 0; t < z; t++) {
                    stamp[zero[t]] = vertexStamp;
                }
                vertex(c * gh[0] + sn * gh[3], c * gh[1] + sn * gh[4], c * gh[2] + sn * gh[5], z, xj0, xj1, xj2);
            }
            for (int t = e; t < groupEnd; t++) {
                int q = (int) (eventOrder[t] & 0xFFFFF);
                addTo(running, q, entering[q] ? 1.0 : -1.0);
            }
            e = groupEnd;
        }
    }

    private void addTo(double[] target, int q, double sign) {
        for (int i = 0; i < m; i++) {
            double ri = sign * rr[q * m + i];
            target[3 * i] += ri * ys[3 * q];
            target[3 * i + 1] += ri * ys[3 * q + 1];
            target[3 * i + 2] += ri * ys[3 * q + 2];
        }
    }

    /** Candidates at the vertex v, whose circles hold the points zero[0..z) and whose strictly positive map is pos. */
    private void vertex(double v0, double v1, double v2, int z, double xj0, double xj1, double xj2) {
        double spare = 0;   // sum over Z of |r| |y|: what the points on the circles can add
        for (int t = 0; t < z; t++) {
            spare += rn[zero[t]] * yn[zero[t]];
        }
        // The vertex itself: the points on its circles contribute 0 there.
        double s = 0;
        double fro = 0;
        for (int i = 0; i < m; i++) {
            double g = pos[3 * i] * v0 + pos[3 * i + 1] * v1 + pos[3 * i + 2] * v2;
            s += g * g;
            fro += pos[3 * i] * pos[3 * i] + pos[3 * i + 1] * pos[3 * i + 1] + pos[3 * i + 2] * pos[3 * i + 2];
        }
        double at = Math.sqrt(s);
        if (at > best) {
            cand[0] = v0;
            cand[1] = v1;
            cand[2] = v2;
            offer(cand, xj0, xj1, xj2);
        }
        if (!((Math.sqrt(fro) + spare) * (1 + 1e-12) > best)) {
            return;   // no adjacent face or edge can beat the best value
        }
        // Tangent basis e = ef[0..3), f = ef[3..6) of v.
        double[] ef = tangentBasis;
        planeBasis(v0, v1, v2, ef);
        // Rays leaving v along circle q: the tangent directions w with w . y_q = 0, two opposite ones.
        int rays = 0;
        for (int t = 0; t < z; t++) {
            int q = zero[t];
            double al = dot3(ef, 0, ys, 3 * q);
            double be = dot3(ef, 3, ys, 3 * q);
            double phi = Math.atan2(al, -be);   // direction (-be, al) is orthogonal to (al, be)
            if (phi < 0) {
                phi += 2 * Math.PI;
            }
            double opposite = phi >= Math.PI ? phi - Math.PI : phi + Math.PI;
            angles[rays] = phi;
            rayCircle[rays++] = q;
            angles[rays] = opposite;
            rayCircle[rays++] = q;
        }
        for (int t = 0; t < rays; t++) {
            rayOrder[t] = ((long) (angles[t] * 0x1p40) << 20) | t;   // angle < 2 pi: 43 bits, ray index in the low 20
        }
        Arrays.sort(rayOrder, 0, rays);
        for (int t = 0; t < rays; t++) {
            int ray = (int) (rayOrder[t] & 0xFFFFF);
            int next = (int) (rayOrder[(t + 1) % rays] & 0xFFFFF);
            double from = angles[ray];
            double to = angles[next];
            if (to <= from) {
                to += 2 * Math.PI;
            }
            if (to - from < 1e-13 && rays > 2) {
                continue;   // an empty sector between coinciding circles: its neighbours cover the edge
            }
            double mid = 0.5 * (from + to);
            double cm = Math.cos(mid);
            double sm = Math.sin(mid);
            double w0 = cm * ef[0] + sm * ef[3];
            double w1 = cm * ef[1] + sm * ef[4];
            double w2 = cm * ef[2] + sm * ef[5];
            System.arraycopy(pos, 0, sector, 0, 3 * m);
            for (int u = 0; u < z; u++) {
                int q = zero[u];
                double p = w0 * ys[3 * q] + w1 * ys[3 * q + 1] + w2 * ys[3 * q + 2];
                side[q] = p > 0;
                if (p > 0) {
                    for (int i = 0; i < m; i++) {
                        double ri = rr[q * m + i];
                        sector[3 * i] += ri * ys[3 * q];
                        sector[3 * i + 1] += ri * ys[3 * q + 1];
                        sector[3 * i + 2] += ri * ys[3 * q + 2];
                    }
                }
            }
            faceCandidate(xj0, xj1, xj2);
            edgeCandidate(rayCircle[ray], xj0, xj1, xj2);
        }
    }

    /** The face's candidate: a top right singular vector of M_S (the top eigenvector of M_S^T M_S). */
    private void faceCandidate(double xj0, double xj1, double xj2) {
        Arrays.fill(gram, 0.0);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < 3; p++) {
                for (int q = 0; q < 3; q++) {
                    gram[3 * p + q] += sector[3 * i + p] * sector[3 * i + q];
                }
            }
        }
        double top = SymmetricEigen3.top(gram, vecs, cand);
        if (Math.sqrt(Math.max(0.0, top)) * (1 + 1e-12) > best && inside(cand)) {
            offer(cand, xj0, xj1, xj2);
        }
    }

    /** The edge's candidate on the great circle normal to y_q: the top of {@code ||M_S u||} on that circle. */
    private void edgeCandidate(int q, double xj0, double xj1, double xj2) {
        planeBasis(ys[3 * q] / yn[q], ys[3 * q + 1] / yn[q], ys[3 * q + 2] / yn[q], basis);
        double[] gh = basis;   // g = gh[0..3), h = gh[3..6): the circle's plane
        double s00 = 0;
        double s01 = 0;
        double s11 = 0;
        for (int i = 0; i < m; i++) {
            double p = dot3(sector, 3 * i, gh, 0);
            double t = dot3(sector, 3 * i, gh, 3);
            s00 += p * p;
            s01 += p * t;
            s11 += t * t;
        }
        double top = SymmetricEigen2.top(s00, s01, s11);
        if (!(Math.sqrt(top) * (1 + 1e-12) > best)) {
            return;
        }
        double len = SymmetricEigen2.topVector(s00, s01, s11, top, eigen);
        if (!(len > 0)) {
            return;   // the form is a multiple of the identity on the circle: the vertices attain it
        }
        double ex = eigen[0];
        double ey = eigen[1];
        cand[0] = (ex * gh[0] + ey * gh[3]) / len;
        cand[1] = (ex * gh[1] + ey * gh[4]) / len;
        cand[2] = (ex * gh[2] + ey * gh[5]) / len;
        if (inside(cand)) {
            offer(cand, xj0, xj1, xj2);
        }
    }

    /** {@code a[i..i+3) . b[j..j+3)} left to right, no leading 0 (a -0.0 keeps its sign for the sweeps' atan2). */
    private static double dot3(double[] a, int i, double[] b, int j) {
        return a[i] * b[j] + a[i + 1] * b[j + 1] + a[i + 2] * b[j + 2];
    }

    /** An orthonormal basis (out[0..3), out[3..6)) of the plane normal to the unit vector y; out is modified. */
    private static void planeBasis(double y0, double y1, double y2, double[] out) {
        double g0;
        double g1;
        double g2;
        if (Math.abs(y0) < 0.9) {
            g0 = 0;
            g1 = y2;
            g2 = -y1;
        } else {
            g0 = -y2;
            g1 = 0;
            g2 = y0;
        }
        double gl = Math.sqrt(g0 * g0 + g1 * g1 + g2 * g2);
        g0 /= gl;
        g1 /= gl;
        g2 /= gl;
        out[0] = g0;
        out[1] = g1;
        out[2] = g2;
        out[3] = y1 * g2 - y2 * g1;
        out[4] = y2 * g0 - y0 * g2;
        out[5] = y0 * g1 - y1 * g0;
    }

    /**
     * Whether u or -u (F_j is even) lies in the closure of the current sector's face (or edge: points on its circle
     * are 0 there and pass the tolerance). A candidate outside is not the face's maximum, which then lies on its
     * boundary, covered by the edges and vertices; most candidates fail on one of the first points, so this is
     * much cheaper than an evaluation. Flips u to the sign inside when it returns true.
     */
    private boolean inside(double[] u) {
        for (int sign = 1; sign >= -1; sign -= 2) {
            boolean ok = true;
            for (int q = 0; q < k && ok; q++) {
                double p = sign * dot3(u, 0, ys, 3 * q);
                double tol = INSIDE * yn[q];
                boolean positive;
                if (stamp[q] == vertexStamp) {
                    positive = side[q];
                } else if (q == sweptCircle) {
                    continue;
                } else {
                    positive = entering[q] ? crossing[q] < vertexAngle : crossing[q] > vertexAngle;
                }
                ok = positive ? p >= -tol : p <= tol;
            }
            if (ok) {
                if (sign < 0) {
                    u[0] = -u[0];
                    u[1] = -u[1];
                    u[2] = -u[2];
                }
                return true;
            }
        }
        return false;
    }

    /** Evaluates the true function at the anchored atom {@code (u, u . x_j)} and keeps it if it is the best. */
    private void offer(double[] u, double xj0, double xj1, double xj2) {
        Arrays.fill(work, 0.0);
        for (int q = 0; q < k; q++) {
            double p = dot3(u, 0, ys, 3 * q);
            if (p > 0) {
                for (int i = 0; i < m; i++) {
                    work[i] += rr[q * m + i] * p;
                }
            }
        }
        double value = Vectors.norm(work, 0, m);
        if (value > best) {
            best = value;
            bestU = u.clone();
            bestOffset = u[0] * xj0 + u[1] * xj1 + u[2] * xj2;
        }
    }
}
