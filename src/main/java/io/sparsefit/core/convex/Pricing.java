package io.sparsefit.core.convex;

import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The pricing oracle of the convex solver and of the certificate (theory T8): the atom maximizing
 * {@code ||R^T relu(X u - c)||} over unit u and any c, for a residual R orthogonal to the affine
 * functions of x. One input: the directions are +1 and -1, so the local search from u = 1 is exact.
 * Two inputs, up to {@link #EXACT_2D_MAX_ROWS} rows: the exact pruned sweep of {@link ExactPricing2D}, alone (no local
 * search).
 * Otherwise: the multi-start local search of {@link LocalPricing}, a lower bound, reported as inexact (for a
 * classification loss run on x and on -x, see {@link #best(DMatrixRMaj, DMatrixRMaj, boolean)}); the convergence
 * check {@link #refine} also enumerates the arrangement in three inputs up to {@link #EXACT_3D_MAX_ROWS} rows
 * ({@link ArrangementPricing3D}), and {@link ProvenDualNorm} bounds the rest from above for the certificate.
 */
public final class Pricing {

    /**
     * Up to this many rows the 2-D sweep is exact ({@link ExactPricing2D}: {@code O(N^2)} plus the anchors its bound
     * cannot prune; on bench/auto-2d's column generation residuals about 0.04 s at N = 1,000 and 0.3-1 s at N = 10^4 on
     * one core, where the plain radial sweep it replaced took 7.7 s).
     */
    public static final int EXACT_2D_MAX_ROWS = 10_000;
    /**
     * Up to this many rows the d = 3 dual norm is enumerated exactly ({@code O(N^3 log N)}) by {@link #refine} and by the
     * certificate ({@link ProvenDualNorm}); beyond, branch and bound converges sooner. Measured in docs/benchmarks.md
     * ("Proven certificates"): the enumeration takes 0.05 s at N = 20, 0.44 s at 50 and 2.1 s at 100, where the branch
     * and bound took 0.3-2 s (its time varies with the residual).
     */
    public static final int EXACT_3D_MAX_ROWS = 60;
    /**
     * Up to this many rows (two inputs) {@link #candidates} comes from the local search, as in more inputs: cheap there,
     * and its ascents from the active atoms propose the nearby atoms that let the restricted problem close its last
     * gap (the exact sweep's distinct maxima can be the active atoms themselves; the column generation tests converge to
     * tol with it). Beyond, the local search's ascents are most of a round (75 % of a fit at N = 10^4) and the exact
     * sweep proposes the atoms.
     */
    public static final int LOCAL_CANDIDATES_2D_MAX_ROWS = 500;
    /** Random pair-difference and random-direction starts of the local search. */
    public static final int PAIR_STARTS = 16;
    public static final int RANDOM_STARTS = 16;

    /** The best atom found and whether it is the exact maximum. */
    public record Best(Atom atom, boolean exact) {
        public double value() {
            return atom == null ? 0.0 : atom.value();
        }
    }

    private final int d;
    private final LocalPricing local;
    private final ExactPricing2D exact2d;
    private final ArrangementPricing3D exact3d;
    private final DMatrixRMaj x;
    private final long seed;
    private LocalPricing mirroredLocal;   // the search over -x for a classification loss in d >= 3 (made when needed)
    private ExactPricing2D mirrored2d;   // the sweep over -x, for the other half-turn of directions (made when needed)
    private BooleanSupplier stop = () -> false;
    private double[] sweptResidual;   // the entries of the last residual swept exactly in two inputs
    private Atom sweptMaximum;        // its maximum
    private boolean exactCandidates2D;   // candidates from the exact sweep at every row count (exactCandidates2D())

    /**
     * For inputs {@code x} (N x d, not modified, kept by reference: it must not change while this instance is in use,
     * {@link LocalPricing} keeps a transposed copy) and residuals with {@code outputs} columns.
     */
    public Pricing(DMatrixRMaj x, int outputs, long seed) {
        this.d = x.numCols;
        this.x = x;
        this.seed = seed;
        this.local = new LocalPricing(x, outputs, seed);
        this.exact2d = d == 2 && x.numRows <= EXACT_2D_MAX_ROWS ? new ExactPricing2D(x, outputs) : null;
        this.exact3d = d == 3 && x.numRows <= EXACT_3D_MAX_ROWS ? new ArrangementPricing3D(x, outputs) : null;
    }

    /**
     * Makes the searches look at {@code stop} every few milliseconds and return what they found so far once it is
     * true (then a value is only a lower bound, whatever {@link Best#exact} says: a stopped caller discards it). The
     * local search's two lanes look at it from two threads at once: it must be thread-safe. Returns this.
     */
    public Pricing stopWhen(BooleanSupplier stop) {
        local.stopWhen(stop);
        this.stop = stop;
        if (mirrored2d != null) {
            mirrored2d.stopWhen(stop);
        }
        if (mirroredLocal != null) {
            mirroredLocal.stopWhen(stop);
        }
        if (exact2d != null) {
            exact2d.stopWhen(stop);
        }
        if (exact3d != null) {
            exact3d.stopWhen(stop);
        }
        return this;
    }

    /**
     * Makes {@link #candidates} in two inputs come from the exact sweep at every row count up to
     * {@link #EXACT_2D_MAX_ROWS}, not only beyond {@link #LOCAL_CANDIDATES_2D_MAX_ROWS} (column generation's warm starts
     * in two inputs, which need many atoms a round). Returns this.
     */
    public Pricing exactCandidates2D() {
        this.exactCandidates2D = true;
        return this;
    }

    /** Whether {@link #best} is exact for this problem. */
    public boolean exact() {
        return d == 1 || exact2d != null;
    }

    /** Whether {@link #candidates} of a residual with {@code rows} rows come from an exact pricing (its best is S). */
    public boolean candidatesExact(int rows) {
        return d == 1 || exact2d != null && (exactCandidates2D || rows > LOCAL_CANDIDATES_2D_MAX_ROWS);
    }

    /**
     * Atoms to enter, best first: the distinct atoms above {@code threshold}, at most {@code limit}, or if none is, the
     * single best one found. One input: the one direction that matters. Two inputs from
     * {@link #LOCAL_CANDIDATES_2D_MAX_ROWS} (any count after {@link #exactCandidates2D}) to {@link #EXACT_2D_MAX_ROWS} rows:
     * the exact sweep ({@link ExactPricing2D#top};
     * its first atom is the maximum, so {@link #refine} of it on the same residual is free); it needs no seeds.
     * Otherwise the local search (a lower bound), see {@link LocalPricing#search}.
     */
    public List<Atom> candidates(DMatrixRMaj r, DMatrixRMaj seeds, double threshold, int limit) {
        if (d == 1) {
            return List.of(local.atomAlong(r, new double[] {1.0}));
        }
        if (exact2d != null && candidatesExact(r.numRows)) {
            List<Atom> found = exact2d.top(r, threshold, limit);
            remember(r, found.get(0));
            return found.get(0) == null ? List.of() : found;
        }
        return local.search(r, seeds, PAIR_STARTS, RANDOM_STARTS, threshold, limit);
    }

    /** Keeps the exact maximum of {@code r} (a copy of its entries), unless the sweep was stopped early. */
    private void remember(DMatrixRMaj r, Atom maximum) {
        if (stop.getAsBoolean()) {
            sweptResidual = null;
            return;
        }
        if (sweptResidual == null || sweptResidual.length != r.data.length) {
            sweptResidual = new double[r.data.length];
        }
        System.arraycopy(r.data, 0, sweptResidual, 0, sweptResidual.length);
        sweptMaximum = maximum;
    }

    /** Whether {@code atom} is the remembered exact maximum of a residual with exactly these entries. */
    private boolean known(DMatrixRMaj r, Atom atom) {
        return sweptResidual != null && atom != null && atom == sweptMaximum && sweptResidual.length == r.data.length
                && Arrays.equals(sweptResidual, 0, sweptResidual.length, r.data, 0, sweptResidual.length);
    }

    /**
     * The best atom: in two inputs within {@link #EXACT_2D_MAX_ROWS} the exact sweep alone (it needs no start); else the
     * local search from {@code seeds} (rows, may be null), exact in one input.
     */
    public Best best(DMatrixRMaj r, DMatrixRMaj seeds) {
        if (exact2d != null) {
            Atom maximum = exact2d.best(r, null);
            remember(r, maximum);
            return new Best(maximum, true);
        }
        List<Atom> found = candidates(r, seeds, Double.POSITIVE_INFINITY, 1);
        Atom start = found.isEmpty() ? null : found.get(0);
        return new Best(start, d == 1);
    }

    /**
     * As {@link #best(DMatrixRMaj, DMatrixRMaj)} for a point orthogonal to the constants only (a classification loss,
     * whose skip weights are penalized, A2b): then {@code relu(-u . x + c)} is not the mirror image of
     * {@code relu(u . x - c)} up to an affine function, so in one input both directions are swept (exact); in two
     * inputs (within {@link #EXACT_2D_MAX_ROWS}) the half-turn sweep of {@link ExactPricing2D} runs on x and on -x
     * ({@code relu(u . (-x) - c) = relu((-u) . x - c)}: the other half-turn), exact as well (its argument holds for
     * any point whose entries sum to zero: for a fixed direction the best offset is still at a data point); in more
     * inputs the local search of {@link #best(DMatrixRMaj, DMatrixRMaj)} plus its other half ({@link #mirroredSearch}),
     * the better atom, a lower bound (not flagged exact). The 3-D enumeration of {@link #refine} is not used here: it
     * visits one vertex of each antipodal pair and prunes anchors with a bound that both hold only under the symmetry.
     */
    public Best best(DMatrixRMaj r, DMatrixRMaj seeds, boolean constantsOnly) {
        if (!constantsOnly) {
            return best(r, seeds);
        }
        if (d == 1) {
            Atom up = local.atomAlong(r, new double[] {1.0});
            Atom down = local.atomAlong(r, new double[] {-1.0});
            return new Best(down.value() > up.value() ? down : up, true);
        }
        Atom upper = best(r, seeds).atom();
        if (exact2d == null) {
            return new Best(better(upper, mirroredSearch(r, seeds)), false);
        }
        if (mirrored2d == null) {
            mirrored2d = new ExactPricing2D(negatedX(), r.numCols).stopWhen(stop);
        }
        Atom flipped = upper == null ? null : new Atom(negate(upper.direction()), upper.offset(), upper.value());
        Atom lower = mirrored2d.best(r, flipped);
        return new Best(lower == flipped ? upper : new Atom(negate(lower.direction()), lower.offset(), lower.value()), true);
    }

    /**
     * The local search's other half for a point orthogonal to the constants only (d >= 3): a second {@link LocalPricing}
     * on -x, whose atom {@code relu(u . (-x) - c)} is {@code relu((-u) . x - c)}, with one-output steps on the side of
     * u ({@link LocalPricing#orientedSteps}: {@code s} is not even here). Its random starts are the antipodes of the
     * first search's (same seed); its seeds, the current directions, start it at their antipodes in x. Returns its best
     * atom in x (direction negated back), or null.
     */
    private Atom mirroredSearch(DMatrixRMaj r, DMatrixRMaj seeds) {
        if (mirroredLocal == null) {
            mirroredLocal = new LocalPricing(negatedX(), r.numCols, seed).orientedSteps().stopWhen(stop);
        }
        List<Atom> found = mirroredLocal.search(r, seeds, PAIR_STARTS, RANDOM_STARTS, Double.POSITIVE_INFINITY, 1);
        Atom lower = found.isEmpty() ? null : found.get(0);
        return lower == null ? null : new Atom(negate(lower.direction()), lower.offset(), lower.value());
    }

    /** A new copy of -x. */
    private DMatrixRMaj negatedX() {
        DMatrixRMaj negated = x.copy();
        CommonOps_DDRM.scale(-1.0, negated);
        return negated;
    }

    /** The larger-valued of two atoms (either may be null), {@code first} on a tie. */
    private static Atom better(Atom first, Atom second) {
        return second != null && (first == null || second.value() > first.value()) ? second : first;
    }

    private static double[] negate(double[] u) {
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = -u[i];
        }
        return out;
    }

    /**
     * The exact maximum from a known atom where one is affordable: the sweep (two inputs within budget) or the
     * arrangement enumeration (three inputs within {@link #EXACT_3D_MAX_ROWS}); else {@code start}. For a residual
     * orthogonal to the affine functions only (squared loss): a classification point goes to
     * {@link #best(DMatrixRMaj, DMatrixRMaj, boolean)} instead.
     */
    public Best refine(DMatrixRMaj r, Atom start) {
        if (exact2d != null && known(r, start)) {
            return new Best(start, true);   // the sweep that found it was exact on these very entries
        }
        if (exact2d != null) {
            return new Best(exact2d.best(r, start), true);
        }
        if (exact3d != null) {
            return new Best(exact3d.best(r, start), true);
        }
        return new Best(start, d == 1);
    }
}
