package io.sparsefit.core.convex;

import java.util.function.BooleanSupplier;
import java.util.function.DoubleUnaryOperator;
import org.ejml.data.DMatrixRMaj;

/**
 * The dual norm {@code S(g)} of theory T8 bracketed for a certificate: a value reached ({@code lower}, the sampled
 * estimate) and a proven upper bound ({@code upper}), so that scaling the dual point by {@code lambda / upper} makes it
 * feasible for certain and its dual value a proven lower bound on the optimum (theory T8, A2b). Where the bound comes
 * from:
 * <ul>
 *   <li>one input, and two inputs up to {@link Pricing#EXACT_2D_MAX_ROWS} rows: the exact sweeps ({@link Pricing}
 *       already says so through {@link Pricing.Best#exact()}), {@code upper = lower};</li>
 *   <li>three inputs up to {@link Pricing#EXACT_3D_MAX_ROWS} rows: the arrangement enumeration of {@link ArrangementPricing3D},
 *       its maximum inflated by {@link #ENUMERATION_ROUNDING} for the rounding of its candidates;</li>
 *   <li>four inputs and more, one output, while the arrangement is small ({@link #enumerates}): the enumeration of
 *       {@link ArrangementPricingND}, inflated likewise; a little beyond ({@link #enumeratesAfterSearch}), the same
 *       enumeration after a branch and bound given a thirtieth of the budget did not prove (at a fit's optimum the
 *       enumeration is the one that finishes);</li>
 *   <li>otherwise (d = 2 beyond the sweep's rows, d = 3 beyond the enumeration's, d >= 4 beyond it): a branch and bound
 *       (theory C4) over directions and offsets together ({@link OffsetCellBound}, any number of outputs; it replaced
 *       an anchored search over directions for several outputs), from the sampled atom, to the caller's relative tolerance, within
 *       {@link #WORK_BUDGET_LOW_D} operations ({@link #WORK_BUDGET_HIGH_D} from d = 4 on with several outputs): a budget in work, not in
 *       time, so a fit's certificate is the same on any machine. Where the budget ends first, or the search's own
 *       forecast ({@code ProofForecast}) says it would not prove within it, its upper bound is still proven (only
 *       looser).</li>
 * </ul>
 * {@code proven} is true when {@code upper <= lower (1 + relTol)} (up to the enumeration's rounding margin): then the
 * dual norm is known to the tolerance and a certificate computed with {@code upper} is exact. {@link #tolerance} picks
 * the tolerance from the gap: S needs no more precision than moves the dual value by a tenth of the gap estimate.
 * A point orthogonal to the constants only (a classification loss, whose skip weights are penalized, A2b) lacks the
 * mirror symmetry the enumerations rely on: beyond the exact sweeps of {@link Pricing} (one input; two inputs, both
 * half-turns) it takes the branch and bound of {@link OffsetCellBound} over the whole sphere (its affine tail, the
 * offsets below every data point, is attained at the smallest projection), with any number of outputs, within the same
 * budgets.
 *
 * <p>The caller's {@code stop} (a cancel, or a fit's deadline) ends the enumeration or the search early: the
 * enumeration's value is then only a lower bound (no proof), the branch and bound's upper bound stays valid.
 */
public final class ProvenDualNorm {

    /**
     * Relative margin added to the enumerated maximum: its candidates (vertices, edge and face maxima) are computed in
     * floating point, so the value found may sit a few ulps times the arrangement's conditioning below the true one.
     */
    public static final double ENUMERATION_ROUNDING = 1e-9;
    /**
     * Operations the branch and bound may spend ({@link OffsetCellBound.Result#work()}) in two and three inputs. Measured in
     * docs/benchmarks.md ("Proven certificates"): 1.7-4e8 operations per CPU second on the benchmark machine, so at most
     * about 10 s. With {@link OffsetCellBound} a d = 3 fit's certificate (one output) is proven at N = 1,000, 2,000 and
     * 10^4 after 5.4e7, 7.3e7 and 4.1e8 operations (0.26, 0.24 and 1.65 CPU s; the anchored search it replaced
     * needed 2.8e8 and 4.4e8 for the first two, and its forecast gave up on the third).
     */
    public static final long WORK_BUDGET_LOW_D = 3_000_000_000L;
    /**
     * The same from four inputs on with several outputs, a tenth, chosen for the anchored search over directions
     * that bounded several outputs before {@link OffsetCellBound} did (not measured again with it): there it
     * converged at small N only, and a larger budget buys little (measured at d = 5 and 10: the ratio upper / lower fell
     * from 2.8 to 1.6 at d = 5, N = 100, and from 24 to 21 at d = 10, for ten times the work), so this caps the time a
     * fit spends on a loose bound at about 1 s. One output keeps {@link #WORK_BUDGET_LOW_D} in every d: there {@link
     * OffsetCellBound}'s forecast ended every case measured after 3.75e8 operations (d = 5 and 10, N = 100 and 1,000,
     * 0.5-1.4 CPU s), and at d = 5, N = 100 it proved {@code gapBound} 12 % of J, against 45 % within 3e8.
     */
    public static final long WORK_BUDGET_HIGH_D = 300_000_000L;
    /**
     * The most operations ({@link ArrangementPricingND#work}, its forecast before pruning, in general position) for which
     * four inputs and more take the exact enumeration instead of the branch and bound. Measured with {@code DualNormReach}
     * (docs/benchmarks.md, "Proven certificates"): in general position the enumeration runs at about 1-3e8 forecast
     * operations per CPU second, so this keeps it near the high-d branch and bound's one to two seconds; the reach is
     * N = 39 rows in d = 4, 21 in d = 5, 15 in d = 6, 11 in d = 8 to 10. Inputs on a lattice (integer, binary, one-hot)
     * put many hyperplanes through a vertex and may cost far more than the forecast: the enumeration's own count stops
     * them at {@link #ENUMERATION_MAX_WORK} and the branch and bound takes over. Beyond, within the budget, the
     * enumeration still follows a branch and bound that did not prove ({@link #enumeratesAfterSearch}).
     */
    public static final long ENUMERATION_WORK = 300_000_000L;
    /**
     * The operations the enumeration taken first ({@link #enumerates}) may actually spend
     * ({@link ArrangementPricingND.Result#work()}, counted as it goes,
     * so the same on any machine) before it gives up: a few times {@link #ENUMERATION_WORK}, which a general-position
     * input within that forecast does not reach (measured at the reach in d = 4, 5, 6, 8, 10, two seeds each: 0.8 to 1.9
     * times the forecast, at most 5.5e8). Random 0/1 features in d = 6, N = 15 (forecast 2.75e8) reach it and give up
     * after 2.7 s on the benchmark machine, where completing took 29.5 CPU s.
     */
    public static final long ENUMERATION_MAX_WORK = 4 * ENUMERATION_WORK;
    /**
     * The share (one in this many) of the work budget the branch and bound spends first where the enumeration may
     * follow it ({@link #enumeratesAfterSearch}).
     */
    static final int SEARCH_SHARE = 30;
    /**
     * The enumeration after the search ({@link #enumeratesAfterSearch}) may count this many times its forecast, and
     * runs only where that fits in the rest of the budget: in general position it counts 1.2-1.8 times its forecast
     * (four inputs at 40 and 60 rows 1.79 and 1.70, five at 30 rows 1.39, six at 20 rows 1.24), at a fit's optimum more
     * (four inputs, 40 rows, three seeds of ConvexTrueGapProbe: 2.51-2.55, 2.2-2.6 s). Sized so, the enumeration and
     * the search before it cost at most the budget the branch and bound alone had.
     */
    static final int ENUMERATION_OVERRUN = 4;
    /** {@link #tolerance}: the proven gap may exceed the sampled estimate by this fraction of it ... */
    public static final double GAP_SLACK = 0.1;
    /**
     * ... or by this fraction of {@code max(1, |primal|)}, whichever is larger (the floor for a gap near 0). With the
     * local ascent's tight steps ({@link LocalPricing}) fits in three inputs end at their optimum to about 1e-9 of J,
     * where a proof to 1e-7 spent the whole work budget without finishing: FitFingerprint's three-input problem
     * (80 rows, lambda 0.05), fit and certificate 112 s and not exact (bound 3.6e-7 of J) at 1e-7, 13.6 s exact at
     * 1.3e-6 with 1e-6, 3.7 s exact at 1.3e-5 with 1e-5 (on a loaded 2-core machine; 2.3 s before the tight steps,
     * when the fit ended 6.3e-4 of J from its optimum).
     */
    public static final double ABSOLUTE_SLACK = 1e-5;
    /** The tightest tolerance {@link #tolerance} asks of the branch and bound (its rounding margin is 1e-11). */
    public static final double MIN_REL_TOL = 1e-9;

    /**
     * The bracket.
     *
     * @param best   the atom attaining {@code lower} (null when every value found is 0)
     * @param lower  a value of S reached: the sampled estimate
     * @param upper  a proven upper bound on S, {@code >= lower}; {@code +infinity} when none
     * @param proven whether S is known to the requested tolerance: {@code upper} may then be used as S itself
     */
    public record Bracket(Atom best, double lower, double upper, boolean proven) {
    }

    private ProvenDualNorm() {
    }

    /**
     * The relative tolerance on S for a certificate: the largest {@code rho} (at least {@link #MIN_REL_TOL}, at most 1)
     * with {@code dualAt(sampled (1 + rho)) >= dualAt(sampled) - slack}, {@code slack = max(GAP_SLACK (primal -
     * dualAt(sampled)), ABSOLUTE_SLACK max(1, |primal|))}: bracketing S that closely proves a gap within the slack of
     * the sampled one. {@code dualAt(s)} is the dual value of the point scaled by {@code min(1, lambda / s)}, concave in
     * the scale (theory A2b), so the admissible s form an interval starting at {@code sampled} and bisection finds its end.
     */
    public static double tolerance(DoubleUnaryOperator dualAt, double sampled, double primal) {
        double at = dualAt.applyAsDouble(sampled);
        double slack = Math.max(GAP_SLACK * Math.max(0.0, primal - at), ABSOLUTE_SLACK * Math.max(1.0, Math.abs(primal)));
        if (!(sampled > 0) || !(at > Double.NEGATIVE_INFINITY)) {
            return MIN_REL_TOL;
        }
        if (dualAt.applyAsDouble(2 * sampled) >= at - slack) {
            return 1.0;
        }
        double lo = Math.log(MIN_REL_TOL);   // bisection on log rho
        double hi = 0.0;
        if (dualAt.applyAsDouble(sampled * (1 + MIN_REL_TOL)) < at - slack) {
            return MIN_REL_TOL;
        }
        for (int step = 0; step < 40; step++) {
            double mid = 0.5 * (lo + hi);
            if (dualAt.applyAsDouble(sampled * (1 + Math.exp(mid))) >= at - slack) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.exp(lo);
    }

    /**
     * {@link #of} to the tolerance a certificate needs ({@link #tolerance}): the bracket of S for a dual point whose
     * dual value at a dual norm s is {@code dualAt(s)} and whose primal objective is {@code primal}, within the default
     * budgets. Arguments as in {@link #tolerance} and {@link #of}.
     */
    public static Bracket forCertificate(DMatrixRMaj x, DMatrixRMaj g, Pricing.Best found, boolean constantsOnly,
                                         DoubleUnaryOperator dualAt, double primal, BooleanSupplier stop) {
        return of(x, g, found, constantsOnly, tolerance(dualAt, found.value(), primal), stop);
    }

    /**
     * As above within {@code maxWork} operations, {@code >= 1}: of the branch and bound, and the budget the enumeration
     * after it may have ({@link #enumeratesAfterSearch}).
     */
    public static Bracket forCertificate(DMatrixRMaj x, DMatrixRMaj g, Pricing.Best found, boolean constantsOnly,
                                         DoubleUnaryOperator dualAt, double primal, long maxWork, BooleanSupplier stop) {
        return of(x, g, found, constantsOnly, tolerance(dualAt, found.value(), primal), maxWork, stop);
    }

    /**
     * Whether {@link #of} proves S by enumerating the arrangement in d >= 4 ({@link ArrangementPricingND}: one output,
     * more rows than inputs, at most {@link ArrangementPricingND#MAX_VERTEX_DEGREE} + 1 inputs, forecast within
     * {@link #ENUMERATION_WORK}) rather than by the branch and bound (unless the enumeration finds the arrangement too
     * degenerate or passes {@link #ENUMERATION_MAX_WORK}). With N <= d rows the data cannot span R^d affinely (no
     * vertex, the enumeration could prove nothing) and the forecast, counting vertices, is 0.
     */
    public static boolean enumerates(int rows, int inputs, int outputs) {
        return enumerable(rows, inputs, outputs) && ArrangementPricingND.work(rows, inputs) <= ENUMERATION_WORK;
    }

    /**
     * Brackets {@code S(g)}.
     *
     * @param x             inputs, N x d; not modified
     * @param g             the dual point, N x m, orthogonal to {@code [1, x]} (or to the constants when
     *                      {@code constantsOnly}); not modified
     * @param found         what the sampled pricing found on {@code g} ({@link Pricing#best}), its atom the search's start
     * @param constantsOnly whether {@code g} is orthogonal to the constants only
     * @param relTol        the branch and bound's relative tolerance ({@link #tolerance}), {@code > 0}
     * @param stop          polled during the enumeration and the search; may end them early
     */
    public static Bracket of(DMatrixRMaj x, DMatrixRMaj g, Pricing.Best found, boolean constantsOnly, double relTol,
                             BooleanSupplier stop) {
        return of(x, g, found, constantsOnly, relTol, x.numCols <= 3 || g.numCols == 1 ? WORK_BUDGET_LOW_D : WORK_BUDGET_HIGH_D,
                stop);
    }

    /**
     * As above with another work budget ({@code >= 1}; for measuring the reach, and column generation's confirmations):
     * the branch and bound's, and the one that decides and limits the enumeration after it
     * ({@link #enumeratesAfterSearch}).
     */
    public static Bracket of(DMatrixRMaj x, DMatrixRMaj g, Pricing.Best found, boolean constantsOnly, double relTol,
                             long maxWork, BooleanSupplier stop) {
        double sampled = found.value();
        if (found.exact()) {
            return new Bracket(found.atom(), sampled, sampled, true);
        }
        int n = x.numRows;
        int d = x.numCols;
        if (constantsOnly) {
            return bracket(new OffsetCellBound(x, g.numCols, true).bound(g, found.atom(), relTol, Long.MAX_VALUE, maxWork,
                    stop), found.atom(), sampled);
        }
        if (d < 2) {
            return new Bracket(found.atom(), sampled, Double.POSITIVE_INFINITY, false);
        }
        if (d == 3 && n <= Pricing.EXACT_3D_MAX_ROWS) {
            Atom a = new ArrangementPricing3D(x, g.numCols).stopWhen(stop).best(g, found.atom());
            double value = a == null ? 0.0 : Math.max(a.value(), sampled);
            if (stop.getAsBoolean()) {
                return new Bracket(a == null ? found.atom() : a, value, Double.POSITIVE_INFINITY, false);
            }
            return new Bracket(a, value, value * (1 + ENUMERATION_ROUNDING), true);
        }
        Atom start = found.atom();
        long budget = maxWork;
        if (enumerates(n, d, g.numCols)) {
            Enumerated first = enumerated(x, g, start, sampled, ENUMERATION_MAX_WORK, stop);
            if (first.bracket().proven()) {
                return first.bracket();
            }
            // Stopped (the branch and bound below then stops at its roots, keeping their bound), too degenerate, past its
            // work or not finite: what it found is still a value reached, and a better start for the branch and bound,
            // which has what is left of the budget.
            start = first.bracket().best();
            sampled = first.bracket().lower();
            budget = Math.max(1, maxWork - first.work());
        }
        // The cells over directions and offsets (their cost shrinks with the cell's band; at d = 3, N = 10^4 a fit's
        // certificate is proven in about 4e8 operations where the anchored search's forecast gave up; with two outputs at
        // d = 3, N = 1,000 in 1.3e8 where the anchored search stopped at 3.75e8, 8.8 % apart).
        OffsetCellBound cells = new OffsetCellBound(x, g.numCols);
        if (!enumeratesAfterSearch(n, d, g.numCols, maxWork)) {
            return bracket(cells.bound(g, start, relTol, Long.MAX_VALUE, budget, stop), start, sampled);
        }
        OffsetCellBound.Result first = cells.bound(g, start, relTol, Long.MAX_VALUE, maxWork / SEARCH_SHARE, stop);
        Bracket searched = bracket(first, start, sampled);
        if (searched.proven() || stop.getAsBoolean()) {
            return searched;
        }
        Enumerated after = enumerated(x, g, searched.best(), searched.lower(),
                ENUMERATION_OVERRUN * ArrangementPricingND.work(n, d), stop);
        Bracket reached = after.bracket();
        long rest = maxWork - first.work() - after.work();
        if (reached.proven()) {
            return reached;
        }
        Bracket bounded = reached;
        if (!stop.getAsBoolean() && rest > 0) {
            // Too degenerate or past its work (inputs on a lattice, or a residual whose faces it cannot prune): the
            // branch and bound takes what is left of the budget, from the best atom reached.
            bounded = bracket(cells.bound(g, reached.best(), relTol, Long.MAX_VALUE, rest, stop), reached.best(),
                    reached.lower());
        }
        // the first search's bound stands where it is the tighter (a short rest) or the only one
        double upper = Math.max(bounded.lower(), Math.min(bounded.upper(), searched.upper()));
        return new Bracket(bounded.best(), bounded.lower(), upper,
                bounded.proven() || upper <= bounded.lower() * (1 + relTol));
    }

    /** An enumeration's bracket and the operations it counted. */
    private record Enumerated(Bracket bracket, long work) {
    }

    /**
     * The enumeration of {@link ArrangementPricingND} from {@code start} (value {@code sampled}), counting at most
     * {@code maxWork}: complete, the exact bracket (its maximum, at least {@code sampled}, inflated by
     * {@link #ENUMERATION_ROUNDING}); otherwise unproven, with no upper bound, and the better of its best and
     * {@code start}.
     */
    private static Enumerated enumerated(DMatrixRMaj x, DMatrixRMaj g, Atom start, double sampled, long maxWork,
                                         BooleanSupplier stop) {
        ArrangementPricingND.Result e = new ArrangementPricingND(x).stopWhen(stop).limitWork(maxWork).best(g, start);
        boolean higher = e.best() != null && e.best().value() > sampled;
        Atom best = higher ? e.best() : start;
        double value = higher ? e.best().value() : sampled;
        return new Enumerated(e.complete()
                ? new Bracket(best, value, value * (1 + ENUMERATION_ROUNDING), true)
                : new Bracket(best, value, Double.POSITIVE_INFINITY, false), e.work());
    }

    /** Whether {@link #of} within {@code maxWork} proves S of one output by an enumeration in d >= 4, first or after. */
    public static boolean enumeratesWithin(int rows, int inputs, long maxWork) {
        return enumerates(rows, inputs, 1) || enumeratesAfterSearch(rows, inputs, 1, maxWork);
    }

    /**
     * Whether {@link #of} follows an unproven branch and bound (given {@code 1 / }{@value #SEARCH_SHARE} of
     * {@code maxWork}) with the enumeration of {@link ArrangementPricingND} (counting up to {@link #ENUMERATION_OVERRUN}
     * times its forecast) where {@link #enumerates} does not take it first: the enumeration's conditions, and that many
     * times its forecast within the rest of the budget. At a fit's optimum every active atom prices at lambda, and the
     * branch and bound must close a cell around each to the tolerance: in four inputs at 40 rows (ConvexTrueGapProbe,
     * the fits at their optimum) it spent the whole one-output budget, about a minute, without a proof, where the
     * enumeration (forecast 3.3e8) takes about 2.3 s. Away from an optimum the search proves in a fraction of its share
     * (DualNormReach, four inputs, 40-70 rows: 0.13-0.5 s). The reach within the one-output budget: 47 rows in four
     * inputs, 25 in five, 17 in six, 13 in seven, 12 in eight (11 in nine and ten, where the enumeration taken first
     * reaches as far). Where the enumeration does not complete, the branch and bound has what is left of the budget:
     * the whole costs at most the budget, as the branch and bound alone did, up to what each may pass its own limit by
     * (a branch and bound its roots and two cells, the enumeration a chunk of its count).
     */
    static boolean enumeratesAfterSearch(int rows, int inputs, int outputs, long maxWork) {
        return enumerable(rows, inputs, outputs) && !enumerates(rows, inputs, outputs)
                && ArrangementPricingND.work(rows, inputs) <= (maxWork - maxWork / SEARCH_SHARE) / ENUMERATION_OVERRUN;
    }

    /**
     * Whether {@link ArrangementPricingND} can prove S at all: d >= 4 (three inputs have their own enumeration), one
     * output, more rows than inputs, at most {@link ArrangementPricingND#MAX_VERTEX_DEGREE} + 1 inputs.
     */
    private static boolean enumerable(int rows, int inputs, int outputs) {
        return inputs >= 4 && outputs == 1 && rows > inputs && inputs - 1 <= ArrangementPricingND.MAX_VERTEX_DEGREE;
    }

    /** The bracket of a branch and bound's result {@code b} started from {@code start}, whose value is {@code sampled}. */
    private static Bracket bracket(OffsetCellBound.Result b, Atom start, double sampled) {
        Atom best = b.lower() >= sampled && b.best() != null ? b.best() : start;
        double lower = Math.max(sampled, b.lower());
        return new Bracket(best, lower, Math.max(lower, b.upper()), b.converged());
    }
}
