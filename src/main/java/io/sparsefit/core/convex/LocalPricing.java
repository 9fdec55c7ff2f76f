package io.sparsefit.core.convex;

import io.sparsefit.core.kernel.RowChunks;
import io.sparsefit.core.linalg.Gaussian;
import io.sparsefit.core.linalg.GramSchmidt;
import io.sparsefit.core.linalg.IndexSort;
import io.sparsefit.core.linalg.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A multi-start local maximization of the dual-norm function of theory T8 on the sphere, for any number
 * of inputs: {@code s(u) = max_c ||sum_n r_n relu(u . x_n - c)||}, for a residual r orthogonal to the
 * affine functions of x.
 *
 * <p>For a direction u, {@link #along} computes {@code s(u)} exactly: the projections sorted once, the
 * value at every offset {@code c = p_j} from running sums of {@code r_n} and {@code r_n p_n}
 * ({@code O(N log N + N (d + m))}). The best offset fixes an anchor {@code x_j} and the set A of points
 * above it; with A fixed the value is {@code ||M u||}, {@code M = sum_{n in A} r_n (x_n - x_j)^T}, and the
 * ascent step moves u to the top right singular vector of M (power iterations from u, which never lower
 * {@code ||M u||}), then re-evaluates {@code s} exactly. Where that step leaves the face for a worse one, the maximum
 * over the face lies on its boundary, with the hyperplane through more data points: in three inputs and more the
 * ascent then holds the points nearest the hyperplane on it and steps within their complement, toward the top right
 * singular vector of M restricted to it ({@link #tightStep}), as the exact enumeration's candidates are formed
 * ({@link ArrangementPricingND}). Starts: the caller's directions
 * (e.g. the current atoms), differences of seeded random pairs of data points, and seeded random directions.
 *
 * <p>Every returned value is a value of {@code s} itself, so the result is a lower bound of {@code S(r)}:
 * a certificate built on it is flagged inexact. Deterministic for a given seed, with one thread or two: {@link #search}
 * ascends its starts on two lanes ({@link io.sparsefit.core.kernel.RowChunks#both}, the rule of the objective's row
 * chunks: the second lane on an idle core, if any), each with its own work buffers, allocated once per instance (a
 * tight step allocates its few vectors of length d); one instance serves one caller at a time.
 */
public final class LocalPricing {

    /** Ascent steps per start; the active set usually stops changing after a few. */
    public static final int MAX_STEPS = 30;
    /** A held point whose direction keeps less than this of its norm off the ones held before is dependent on them. */
    private static final double DEPENDENT = 1e-10;
    private static final int POWER_STEPS = 30;

    private final DMatrixRMaj x;
    private final double[] columns;  // x transposed (d x N, row-major): the projections as d column passes
    private final int n;
    private final int d;
    private final int m;
    private final double[] projection;
    private final int[] order;
    private final int[] scratch;
    private final int[] home;        // the sorted order at the ascent's current direction
    private final int[] bucketStarts;   // the bucket sort's bucket boundaries, N + 1
    private final int[] bucketOf;       // the bucket of each projection
    private final double[] sum0;
    private final double[] sum1;
    private final double[] matrix;   // M, m x d
    private final double[] work;
    private final SplittableRandom random;
    private BooleanSupplier stop = () -> false;
    private boolean oriented;   // one output: ascent targets on the side of u (orientedSteps())
    private LocalPricing lane;  // search's second lane (secondLane())

    // Result of the last along(): value, offset and anchor position in the sorted order.
    private double lastValue;
    private double lastOffset;
    private int lastRank;
    private boolean fresh = true;

    /**
     * For inputs {@code x} (N x d, not modified; it must not change while this instance is in use: the projections
     * read a transposed copy taken here, the anchors and pair starts read {@code x} itself) and residuals with
     * {@code outputs} columns; {@code seed} seeds the random starts.
     */
    public LocalPricing(DMatrixRMaj x, int outputs, long seed) {
        this(x, CommonOps_DDRM.transpose(x, null).data, outputs, new SplittableRandom(seed));
    }

    /** A lane for {@link #search}: {@code first}'s data and transpose (shared, read only), buffers of its own. */
    private LocalPricing(LocalPricing first) {
        this(first.x, first.columns, first.m, null);   // the starts are drawn by the first lane
    }

    private LocalPricing(DMatrixRMaj x, double[] columns, int outputs, SplittableRandom random) {
        this.x = x;
        this.columns = columns;
        this.n = x.numRows;
        this.d = x.numCols;
        this.m = outputs;
        this.projection = new double[n];
        this.order = new int[n];
        this.scratch = new int[n];
        this.home = new int[n];
        this.bucketStarts = new int[n + 1];
        this.bucketOf = new int[n];
        this.sum0 = new double[m];
        this.sum1 = new double[m];
        this.matrix = new double[m * d];
        this.work = new double[m + d];
        this.random = random;
    }

    /**
     * Makes {@link #search} and {@link #ascend} look at {@code stop} before each start and each ascent step (a few
     * milliseconds each at N = 10^4, d = 10) and return what they reached once it is true. The search's two lanes look
     * at it from two threads at once: it must be thread-safe (a deadline token is; {@code RecordedStop} is). Returns
     * this.
     */
    public LocalPricing stopWhen(BooleanSupplier stop) {
        this.stop = stop;
        return this;
    }

    /**
     * Makes the one-output ascent step toward {@code sign(M . u) M}, the anchor's best direction on u's side, instead of
     * {@code M} (which lies on the other side when the active sum is negative). Without a free linear part (a
     * classification loss, A2b) {@code s(-u) != s(u)}, and the step to the other side leaves the active set for an
     * unrelated one (its damped steps then lower {@code |M . u|}), so the ascent stalls at its start. With it (squared
     * loss) {@code s} is even and either target serves. Returns this.
     */
    public LocalPricing orientedSteps() {
        this.oriented = true;
        return this;
    }

    /** The atom {@code relu(u . x - c)} with the best offset c for direction u (copied). */
    public Atom atomAlong(DMatrixRMaj r, double[] u) {
        resetOrder();
        along(r, u);
        return new Atom(u.clone(), lastOffset, lastValue);
    }

    /**
     * Local maxima of {@code s} from {@code seeds} (rows of a K x d matrix, may be null; normalized here),
     * {@code pairStarts} random pair differences and {@code randomStarts} random directions. Returns the
     * distinct local maxima whose value exceeds {@code threshold}, best first, at most {@code limit}; if none
     * does, the single best one found (so the caller always learns the best value reached).
     */
    public List<Atom> search(DMatrixRMaj r, DMatrixRMaj seeds, int pairStarts, int randomStarts, double threshold, int limit) {
        if (r.numRows != n || r.numCols != m) {
            throw new IllegalArgumentException("r is " + r.numRows + " x " + r.numCols + ", expected " + n + " x " + m);
        }
        List<double[]> starts = starts(seeds, pairStarts, randomStarts);
        Atom[] reached = new Atom[starts.size()];
        AtomicInteger next = new AtomicInteger();
        // Two lanes (RowChunks#both: the second on an idle core when there is one), each with its own buffers taking the
        // next start not yet taken and writing the atom into that start's slot. An ascent depends only on r and its
        // start, so the atoms, and their order below, are those of one lane taking every start in turn, whichever lane
        // ascends which start (a fixed split was measured 1.2 times faster than one lane, this one 1.5 times: ascents
        // differ in length).
        if (RowChunks.threads() > 1 && starts.size() > 1) {
            LocalPricing second = secondLane();
            RowChunks.both(() -> ascendEach(r, starts, next, reached), () -> second.ascendEach(r, starts, next, reached));
        } else {
            ascendEach(r, starts, next, reached);
        }
        List<Atom> found = new ArrayList<>(reached.length);
        for (Atom a : reached) {
            if (a != null) {   // null: not reached before the stop
                found.add(a);
            }
        }
        found.sort((p, q) -> Double.compare(q.value(), p.value()));
        List<Atom> distinct = new ArrayList<>();
        for (Atom a : found) {
            if (distinct.size() >= limit) {
                break;
            }
            if (a.value() <= threshold && !distinct.isEmpty()) {
                break;
            }
            boolean duplicate = false;
            for (Atom b : distinct) {
                if (same(a, b)) {
                    duplicate = true;
                    break;
                }
            }
            if (!duplicate) {
                distinct.add(a);
            }
            if (a.value() <= threshold) {
                break;   // only the single best is reported when nothing exceeds the threshold
            }
        }
        return distinct;
    }

    /**
     * The starts of {@link #search}, unit directions in order: the seeds' rows (those of zero or no finite norm
     * skipped), then the pair differences (coinciding pairs skipped), then the random directions. Draws from {@code random} in the same
     * order whatever the ascents do, so the starts of every later search are the same too.
     */
    private List<double[]> starts(DMatrixRMaj seeds, int pairStarts, int randomStarts) {
        List<double[]> starts = new ArrayList<>();
        if (seeds != null) {
            for (int k = 0; k < seeds.numRows; k++) {
                double[] u = Arrays.copyOfRange(seeds.data, k * d, (k + 1) * d);
                if (normalize(u)) {
                    starts.add(u);
                }
            }
        }
        double[] xs = x.data;
        for (int t = 0; t < pairStarts && n >= 2; t++) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            double[] u = new double[d];
            for (int j = 0; j < d; j++) {
                u[j] = xs[a * d + j] - xs[b * d + j];
            }
            if (normalize(u)) {
                starts.add(u);
            }
        }
        for (int t = 0; t < randomStarts; t++) {
            double[] u = new double[d];
            do {
                for (int j = 0; j < d; j++) {
                    u[j] = Gaussian.next(random);
                }
            } while (!normalize(u));
            starts.add(u);
        }
        return starts;
    }

    /**
     * Ascends from the next start not yet taken ({@code next}) into its slot of {@code reached}, until none is left or
     * the stop.
     */
    private void ascendEach(DMatrixRMaj r, List<double[]> starts, AtomicInteger next, Atom[] reached) {
        try {
            for (int k = next.getAndIncrement(); k < starts.size() && !stop.getAsBoolean(); k = next.getAndIncrement()) {
                reached[k] = ascend(r, starts.get(k));
            }
        } catch (RuntimeException | Error failed) {
            next.set(starts.size());   // the other lane takes no further start: the search fails as soon as it can
            throw failed;
        }
    }

    /** The second lane of {@link #search}: the same data and settings, its own work buffers (made once). */
    private LocalPricing secondLane() {
        if (lane == null) {
            lane = new LocalPricing(this);
        }
        lane.stop = stop;
        lane.oriented = oriented;
        return lane;
    }

    /** Ascent from the unit direction {@code u0} (not modified) to a local maximum of {@code s}. */
    public Atom ascend(DMatrixRMaj r, double[] u0) {
        double[] u = u0.clone();
        resetOrder();
        along(r, u);
        double value = lastValue;
        double offset = lastOffset;
        double[] next = new double[d];
        double[] target = new double[d];
        double[] tried = new double[d];
        for (int step = 0; step < MAX_STEPS && !stop.getAsBoolean(); step++) {
            if (!(value > 0)) {
                break;
            }
            int anchorRow = order[lastRank];
            anchorMatrix(r, lastRank);
            System.arraycopy(u, 0, target, 0, d);
            topSingularDirection(target);
            // Full step to the anchor's best direction; if that leaves the cell for a worse one, damped steps
            // along the chord (the value grows toward the target while the active set holds).
            System.arraycopy(order, 0, home, 0, n);
            boolean moved = chordSteps(r, u, u, target, value, next, tried);
            if (!moved && d >= 3) {
                System.arraycopy(home, 0, order, 0, n);
                moved = tightStep(r, u, anchorRow, value, next, tried);
            }
            if (!moved) {
                break;
            }
            value = lastValue;
            offset = lastOffset;
            System.arraycopy(next, 0, u, 0, d);
        }
        return new Atom(u, offset, value);
    }

    /**
     * The ascent's step where the full and the damped steps toward the anchor's best direction all leave the face for
     * a worse one: the maximum of {@code ||M u||} over the closed face lies on its boundary, where the hyperplane
     * through the anchor also passes through other data points (theory T8: with one output the maximizers are of the
     * form {@code P_T M / ||P_T M||}, P_T the projection off the directions {@code x_n - x_anchor} of the points T on
     * the hyperplane, as {@link ArrangementPricingND} enumerates them; with several, the top right singular vector of
     * {@code M P_T}). So the k = 1, ..., d - 1 points nearest the hyperplane (by angle) are held on it: from u projected
     * onto their complement toward the best direction there (the side of u), full and damped steps
     * ({@link #chordSteps}), the first that raises s kept.
     * Without it ascents started 1e-2 from a maximum stopped below it on 24 of 24 seeded residuals (0.983 S at the
     * least, LocalPricingTightStepTest), and cold column generation in four inputs stopped 1.8-5.3 % of J above its
     * optimum (ConvexTrueGapProbe). {@code matrix} holds M of u's anchor {@code anchorRow}; {@code order} u's sorted
     * order; {@code tried} the ascent's work buffer for {@link #chordSteps}. Fills {@code next} (modified) and the last
     * values; returns whether s rose above {@code value}.
     */
    private boolean tightStep(DMatrixRMaj r, double[] u, int anchorRow, double value, double[] next, double[] tried) {
        double[] xs = x.data;
        int k = Math.min(d - 1, n - 1);
        int[] nearest = new int[k];
        double[] angle = new double[k];
        int found = 0;
        for (int i = 0; i < n; i++) {
            if (i == anchorRow) {
                continue;
            }
            double dot = 0;
            double norm = 0;
            for (int j = 0; j < d; j++) {
                double y = xs[i * d + j] - xs[anchorRow * d + j];
                dot += y * u[j];
                norm += y * y;
            }
            if (!(norm > 0)) {
                continue;
            }
            double a = Math.abs(dot) / Math.sqrt(norm);
            if (found < k || a < angle[found - 1]) {
                int p = found < k ? found++ : found - 1;
                while (p > 0 && angle[p - 1] > a) {
                    angle[p] = angle[p - 1];
                    nearest[p] = nearest[p - 1];
                    p--;
                }
                angle[p] = a;
                nearest[p] = i;
            }
        }
        double[] basis = new double[k * d];
        double[] start = new double[d];
        double[] target = new double[d];
        double[] projected = new double[m * d];
        int rank = 0;
        for (int t = 0; t < found && !stop.getAsBoolean(); t++) {
            // one more point held on the hyperplane: its direction from the anchor, orthonormalized
            double[] b = new double[d];
            for (int j = 0; j < d; j++) {
                b[j] = xs[nearest[t] * d + j] - xs[anchorRow * d + j];
            }
            if (!GramSchmidt.extend(b, basis, 0, rank, d, DEPENDENT)) {
                continue;   // dependent on the points already held
            }
            rank++;
            System.arraycopy(u, 0, start, 0, d);
            GramSchmidt.removeComponents(start, 0, basis, 0, rank, d);
            if (!normalize(start)) {
                return false;
            }
            for (int i = 0; i < m; i++) {
                System.arraycopy(matrix, i * d, projected, i * d, d);
                GramSchmidt.removeComponents(projected, i * d, basis, 0, rank, d);
            }
            System.arraycopy(start, 0, target, 0, d);
            double[] saved = matrix.clone();
            System.arraycopy(projected, 0, matrix, 0, m * d);
            topSingularDirection(target);
            System.arraycopy(saved, 0, matrix, 0, m * d);
            if (Vectors.dot(target, start) < 0) {
                for (int j = 0; j < d; j++) {
                    target[j] = -target[j];
                }
            }
            if (chordSteps(r, u, start, target, value, next, tried)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Full and damped steps along the chord from {@code from} toward {@code target} (both unit, not modified): the value
     * grows toward the target while the active set holds, so the first trial that raises s above {@code value} is kept
     * in {@code next} (modified) and the last values. Each trial sorts from {@code home}, u's order, which a short step
     * barely changes. Near a local maximum the short trials round to u itself or to the last trial's direction: sorted
     * from the same order they would give the same value bit for bit and fail again, so they are skipped ({@code tried}
     * is a work buffer). Returns whether s rose.
     */
    private boolean chordSteps(DMatrixRMaj r, double[] u, double[] from, double[] target, double value, double[] next,
            double[] tried) {
        boolean triedAny = false;
        for (double t = 1.0; t >= 1.0 / 256; t *= 0.5) {
            for (int j = 0; j < d; j++) {
                next[j] = from[j] + t * (target[j] - from[j]);
            }
            if (!normalize(next) || Arrays.equals(next, u) || (triedAny && Arrays.equals(next, tried))) {
                continue;
            }
            System.arraycopy(next, 0, tried, 0, d);
            triedAny = true;
            System.arraycopy(home, 0, order, 0, n);
            along(r, next);
            if (lastValue > value * (1 + 1e-13)) {
                return true;
            }
        }
        return false;
    }

    /** Computes s(u) into lastValue, lastOffset, lastRank (u unit length). */
    private void along(DMatrixRMaj r, double[] u) {
        project(u);
        sortDescending();
        double[] rs = r.data;
        Arrays.fill(sum0, 0.0);
        Arrays.fill(sum1, 0.0);
        // One output on scalars (the JIT splits the loop on this invariant): the same operations in the same order, each
        // sum from 0.0 and 0.0 + g * g = g * g, so the same bits, without the loops over outputs.
        boolean one = m == 1;
        double sum0One = 0;
        double sum1One = 0;
        double best = -1;
        double bestOffset = 0;
        int bestRank = 0;
        for (int t = 0; t < n; t++) {
            int row = order[t];
            double p = projection[row];
            double s = 0;
            if (one) {
                double g = sum1One - p * sum0One;
                s = g * g;
            } else {
                for (int i = 0; i < m; i++) {
                    double g = sum1[i] - p * sum0[i];
                    s += g * g;
                }
            }
            if (s > best) {
                best = s;
                bestOffset = p;
                bestRank = t;
            }
            if (one) {
                double ri = rs[row];
                sum0One += ri;
                sum1One += ri * p;
            } else {
                for (int i = 0; i < m; i++) {
                    double ri = rs[row * m + i];
                    sum0[i] += ri;
                    sum1[i] += ri * p;
                }
            }
        }
        lastValue = Math.sqrt(Math.max(0.0, best));
        lastOffset = bestOffset;
        lastRank = bestRank;
    }

    /**
     * {@code projection = X u}, one pass per input over the transposed data: each projection still sums
     * {@code u_j x_nj} for j = 0, 1, ... in order from 0.0 (the bits of {@link Vectors#rowDots}), but the passes run
     * over contiguous columns, which the JIT vectorizes (a row's d = 3-10 products do not).
     */
    private void project(double[] u) {
        Arrays.fill(projection, 0.0);
        for (int j = 0; j < d; j++) {
            double uj = u[j];
            int base = j * n;
            for (int i = 0; i < n; i++) {
                projection[i] += uj * columns[base + i];
            }
        }
    }

    /** {@code M = sum_{t < rank} r_{o(t)} (x_{o(t)} - x_{o(rank)})^T}, in the order of the last along(). */
    private void anchorMatrix(DMatrixRMaj r, int rank) {
        Arrays.fill(matrix, 0.0);
        double[] xs = x.data;
        double[] rs = r.data;
        int anchor = order[rank] * d;
        for (int t = 0; t < rank; t++) {
            int row = order[t];
            for (int i = 0; i < m; i++) {
                double ri = rs[row * m + i];
                if (ri == 0) {
                    continue;
                }
                int base = i * d;
                for (int j = 0; j < d; j++) {
                    matrix[base + j] += ri * (xs[row * d + j] - xs[anchor + j]);
                }
            }
        }
    }

    /** Replaces u (unit) by the top right singular vector of M with the sign that keeps {@code M u} large. */
    private void topSingularDirection(double[] u) {
        double[] next = new double[d];
        if (m == 1) {
            System.arraycopy(matrix, 0, next, 0, d);
            if (oriented && Vectors.dot(next, u) < 0) {
                for (int j = 0; j < d; j++) {
                    next[j] = -next[j];
                }
            }
            if (normalize(next)) {
                System.arraycopy(next, 0, u, 0, d);
            }
            return;
        }
        double[] mu = work;
        for (int step = 0; step < POWER_STEPS; step++) {
            // u <- M^T M u / ||M^T M u||: the Rayleigh quotient of a PSD matrix never decreases along it.
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += matrix[i * d + j] * u[j];
                }
                mu[i] = s;
            }
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    s += matrix[i * d + j] * mu[i];
                }
                next[j] = s;
            }
            if (!normalize(next)) {
                return;
            }
            double change = 0;
            for (int j = 0; j < d; j++) {
                change = Math.max(change, Math.abs(next[j] - u[j]));
            }
            System.arraycopy(next, 0, u, 0, d);
            if (change < 1e-12) {
                return;
            }
        }
    }

    /** Whether {@link #search} counts {@code a} as a repeat of {@code b} (the same hyperplane, up to rounding). */
    static boolean same(Atom a, Atom b) {
        double dot = Vectors.dot(a.direction(), b.direction());
        return Math.abs(dot) > 1 - 1e-10 && Math.abs(Math.abs(a.offset()) - Math.abs(b.offset()))
                <= 1e-9 * Math.max(1.0, Math.abs(a.offset()));
    }

    /**
     * Sorts {@code order} by {@code projection}, descending, stably. Ascent steps move u a little, so the previous
     * order is nearly sorted: insertion sort from it costs {@code O(N + inversions)}; past a budget of {@code N / 8}
     * moves (a full ascent step usually reorders far more) it gives up and the bucket sort below finishes from
     * wherever it stopped, in expected {@code O(N)}. Insertion moves an item only past strictly smaller ones, so every
     * stable sort of any intermediate order gives the same result: the order (and so each fit) does not depend on
     * where the switch happened. {@link #resetOrder} starts from the identity for an unrelated direction.
     */
    private void sortDescending() {
        if (fresh) {
            fresh = false;
            bucketSortDescending();
            return;
        }
        if (!insertionSortDescending(projection, order, n, n / 8)) {
            bucketSortDescending();
        }
    }

    /** Identity order, before the first evaluation of an unrelated direction. */
    private void resetOrder() {
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        fresh = true;
    }

    /**
     * Stable sort of {@code order} by {@code projection}, descending, in expected {@code O(N)}, no allocation: a
     * counting sort into {@code N} equal-width buckets of the projections' range (the bucket index,
     * {@code (max - p) (N - 1) / (max - min)}, never decreases as p decreases, since rounded subtraction and
     * multiplication are monotone, so an earlier bucket holds only larger projections), then one insertion pass, which
     * only has the inversions inside buckets left to undo (a projection of the data on a direction spreads over its
     * range: a few items a bucket). Both passes keep equal projections in their order on entry, so the result is the
     * stable sort of the entry order, whatever algorithm computes it (the same bits as the natural merge sort it
     * replaced, which took a third of a warm column generation's time on diabetes, docs/benchmarks.md "auto beyond the
     * default width"). Any range, even an infinite or a subnormal one, gives a correct order; a range that leaves most
     * items in a few buckets (far-off outliers) costs {@code O(N log N)}: past {@code 8 N} moves the insertion pass
     * hands over to a stable merge sort.
     */
    private void bucketSortDescending() {
        sortDescending(projection, order, n, scratch, bucketOf, bucketStarts);
    }

    /**
     * The sort above on given arrays: {@code order[0..n)} (modified), a permutation of {@code 0..n-1}, sorted stably by
     * {@code keys[0..n)} (not modified), descending; {@code scratch} and {@code bucketOf} (n entries, the bucket
     * of each key) and {@code bucketStarts} (n + 1) are work buffers.
     */
    static void sortDescending(double[] keys, int[] order, int n, int[] scratch, int[] bucketOf, int[] bucketStarts) {
        // The range in key order (order is a permutation, so the same set), by comparisons: Math.max and Math.min on
        // doubles chain a slow NaN- and signed-zero-aware select (the largest part of the sort in a JFR profile of one
        // search, docs/benchmarks.md "The pricing alone (three inputs and more)"). A NaN key leaves
        // the order as it is, as a NaN range did; 0.0 and -0.0 give the same differences below.
        double hi = Double.NEGATIVE_INFINITY;
        double lo = Double.POSITIVE_INFINITY;
        boolean nan = false;
        for (int i = 0; i < n; i++) {
            double key = keys[i];
            hi = key > hi ? key : hi;
            lo = key < lo ? key : lo;
            nan |= key != key;
        }
        if (nan || !(hi > lo)) {
            return;   // all equal: the stable order is the entry order
        }
        double scale = (n - 1) / (hi - lo);
        Arrays.fill(bucketStarts, 0, n + 1, 0);
        int last = n - 1;
        for (int i = 0; i < n; i++) {
            // (int) maps NaN (0 x infinity: an infinite range gives scale 0) to 0 and saturates (a subnormal range gives
            // an infinite scale); min clamps: buckets stay in [0, n - 1] and in key order
            int bucket = Math.min((int) ((hi - keys[i]) * scale), last);
            bucketOf[i] = bucket;
            bucketStarts[bucket + 1]++;
        }
        int start = 0;
        for (int b = 1; b <= n; b++) {
            start += bucketStarts[b];
            bucketStarts[b] = start;
        }
        for (int t = 0; t < n; t++) {
            int item = order[t];
            scratch[bucketStarts[bucketOf[item]]++] = item;   // in entry order: equal keys keep it
        }
        System.arraycopy(scratch, 0, order, 0, n);
        if (!insertionSortDescending(keys, order, n, 8L * n)) {
            // A range stretched by a few far-off projections (an outlier in the data) leaves most items in a few
            // buckets, where insertion would cost O(N^2): finish in O(N log N). Both passes keep equal keys in their
            // entry order, so the result is the same stable sort.
            IndexSort.mergeSort(keys, order, n, scratch, true);
        }
    }

    /**
     * Stable insertion sort of {@code order[0..n)} by {@code keys}, descending, in place; it gives up once it has moved
     * items {@code budget} times, leaving a permutation in which equal keys keep their entry order (an item moves only
     * past strictly smaller ones). Returns whether it finished.
     */
    private static boolean insertionSortDescending(double[] keys, int[] order, int n, long budget) {
        long moves = budget;
        for (int i = 1; i < n; i++) {
            int item = order[i];
            double key = keys[item];
            int j = i - 1;
            while (j >= 0 && keys[order[j]] < key) {
                order[j + 1] = order[j];
                j--;
                if (--moves < 0) {
                    order[j + 1] = item;
                    return false;
                }
            }
            order[j + 1] = item;
        }
        return true;
    }

    static boolean normalize(double[] u) {
        double norm = Vectors.norm(u);
        if (!(norm > 0) || !Double.isFinite(norm)) {
            return false;
        }
        for (int j = 0; j < u.length; j++) {
            u[j] /= norm;
        }
        return true;
    }
}
