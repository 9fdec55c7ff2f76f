package io.sparsefit.core.finish;

import io.sparsefit.core.ColumnMoments;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * The finishing of theory C3 after a fit, for a network of any depth, in one flat sequence that prunes at most twice:
 * <ol>
 *   <li>with a penalty and {@code lambda > 0}: <b>prune</b> what is negligible on this data ({@link Prune#prune(Network,
 *       FitProblem)}: at {@code lambda >= lambda_max}, T6, gradient training leaves every neuron tiny, which the
 *       relative rule cannot see, and a neuron with a tiny w and a huge bias would also be a needlessly ill-conditioned
 *       feature for the polish), the <b>polish</b> ({@link Polish}: the last layer's outer weights and the affine
 *       part re-solved with its hyperplanes fixed, a convex group lasso with the problem's loss that can only lower the
 *       objective; problems {@link Polish#affordable} in size), and for one hidden layer the <b>merge</b> of the neurons
 *       active on the same samples ({@link Canonicalize#mergeOnData}, exact on the data for every loss). The merge runs after the
 *       polish, where it cannot raise the objective; before it only when a wide gradient fit has too many neurons for
 *       the polish (hundreds of such copies at width 1024), since a merged hyperplane is a different feature and the
 *       polish over both copies can end lower than over their merge. One input with a skip connection and one
 *       hidden layer: the polish starts from the linear spline through the network's own fitted values (knots moved
 *       onto the data points, see {@link #splineThroughFittedValues}) and keeps that result unless it ends above the
 *       input's objective (beyond rounding); that is what brings a finished 1-D network to at most N - 2 knots
 *       (T3);</li>
 *   <li><b>rebalance</b> ({@link Rebalance}, A4 and A8: for depth its run step turns zero singular values into exact
 *       zero units), then, with linear layers, weight decay and data, the <b>low-rank step</b> ({@link LowRankStep}, A8:
 *       proximal gradient on each run's product, singular value thresholding, kept only when it lowers the
 *       objective);</li>
 *   <li>one hidden layer: <b>canonicalize and merge</b> ({@link Canonicalize}, A6; on data also hyperplanes equal to
 *       {@link Canonicalize#NEAR_TOLERANCE}, kept when the objective does not rise by more than {@link #NEAR_MERGE_SLACK}
 *       relative). A classification loss weight-decays the skip's {@code C} (A2b), and turning an antipodal neuron
 *       around moves a linear function into {@code C}, which would change the objective: there only neurons of the
 *       same orientation merge;</li>
 *   <li><b>prune</b> again: on the data after step 1, else relative to the largest neuron only ({@code 1e-9}, C3;
 *       exact zeros only without a penalty, when there is no reason to drop small ones, and in {@link #finishOptimal},
 *       the convex solver's); a layered network loses its
 *       idle units;</li>
 *   <li><b>rebalance</b>, since merging and pruning leave the kept units as they were (for depth until the balance
 *       error is at most {@link Rebalance#BALANCE_TOLERANCE}).</li>
 * </ol>
 * The result computes the same function as the polished network up to what pruning removes (a neuron whose path-norm
 * share is at most {@code 1e-9} of the largest, except in {@link #finishOptimal}, or whose output over the data is at
 * most 1e-9 of the data scale) and,
 * on data, what the near merge and the low-rank step change (each kept only under the objective tests above), has
 * a path norm no larger than the input's, and is balanced, so its weight-decay penalty equals its path norm. Each step
 * is public on its own class. The sequence prunes exactly twice on data (once without) and rebalances twice; a test reads
 * the steps from {@link Trace} to hold it to that.
 */
public final class Finishing {

    /** Relative slack when comparing objectives that agree in exact arithmetic. */
    static final double ROUNDING = 1e-12;
    /** How far (relative) the near merge of step 3 may raise the objective: the scale of a gradient fit's own stop. */
    static final double NEAR_MERGE_SLACK = 1e-9;

    private Finishing() {
    }

    /**
     * Steps 2-5 for {@code problem}'s loss (a classification loss is not canonicalized), without the data rules: for a
     * network already optimal over its hyperplanes (the convex solver's takes {@link #finishOptimal}). Without a {@code problem} (null), steps 2-5
     * without data ({@code network} not modified): a finished copy computing the same function.
     */
    public static <N extends Network> N finish(N network, FitProblem problem, Regularization regularization) {
        return finish(network, problem, regularization, 0.0, () -> false);
    }

    /**
     * As {@link #finish(Network, FitProblem, Regularization)}, for the convex solver's network (T8: optimal over its
     * hyperplanes to its restricted solve's gap; also when the deadline or the round cap ended it, since keeping what the
     * solver returned is never worse than dropping part of it): its prune without data takes only the neurons that are
     * exactly zero. There a neuron far below the relative rule's {@code 1e-9} of the largest share is part of the optimum,
     * not rounding: column generation's last atoms enter at the amplitude their small excess over lambda asks (two
     * inputs at lambda 0.01, 300 rows: 4e-10 to 6e-10 next to a largest of 4.3), and dropping one of amplitude
     * {@code delta} moves every correlation {@code F_j^T r} with the other atoms by {@code delta G_jk} (G the Gram
     * matrix of the features, of order N): the certificate's gap rose from 1.2e-7 to 2.4e-6 of J there by the prune
     * of one such neuron.
     */
    public static <N extends Network> N finishOptimal(N network, FitProblem problem, Regularization regularization) {
        return finish(network, problem, regularization, 0.0, () -> false, Trace.NONE, 0.0);
    }

    /**
     * The whole sequence; for {@code none} or {@code lambda = 0} there is no group lasso to solve (the subproblem
     * would be plain least squares on the fixed features, which can only overfit further) and this is
     * {@link #finish(Network, FitProblem, Regularization)}. Otherwise the result's {@link Polish#objective}, which is its
     * objective under either regularizer once rebalanced (A3, A4), is at most the input's, which is at most the input's
     * objective under the regularizer it was trained with.
     *
     * @throws IllegalArgumentException when the network does not match the problem's shape
     */
    public static <N extends Network> N finish(N network, FitProblem problem, Regularization regularization, double lambda) {
        return finish(network, problem, regularization, lambda, () -> false);
    }

    /**
     * As above; the polish (its features too) and the low-rank step end early once {@code stop} is true: a cancelled
     * fit, whose caller discards the result, or a fit past half its deadline's grace (the
     * {@code CancellationToken#polishing} view that {@code SparseFit} passes), which keeps it. The polish is a descent method that returns its best iterate, never above its input; the passes
     * over the data that do not look at {@code stop} are not started once it is true (the merge on the data and the near
     * merge are skipped, the prune on the data gives way to the relative rule: each keeps what it has), and the
     * other steps are direct (bounded work), so a stopped finishing still ends at most at the objective of the one whose
     * polish never started, and without a stop computes the same bits.
     */
    public static <N extends Network> N finish(N network, FitProblem problem, Regularization regularization, double lambda,
                                               BooleanSupplier stop) {
        return finish(network, problem, regularization, lambda, stop, Trace.NONE);
    }

    /**
     * The steps a finishing took, in order, by name ({@code prune}, {@code merge}, {@code polish}, {@code rebalance},
     * {@code low-rank}, {@code canonicalize}): what the tests read to pin the flat sequence (at most two prunes and two
     * rebalancings). Every call of {@link Prune} and {@link Rebalance} in this class goes through
     * {@link #prune} and {@link #rebalance}, which report them (an architecture test checks that).
     */
    @FunctionalInterface
    interface Trace {
        Trace NONE = step -> { };

        void step(String name);
    }

    /** The whole sequence, reporting each step to {@code trace}. */
    @SuppressWarnings("unchecked")
    static <N extends Network> N finish(N network, FitProblem problem, Regularization regularization, double lambda,
                                        BooleanSupplier stop, Trace trace) {
        return finish(network, problem, regularization, lambda, stop, trace, Prune.DEFAULT_RELATIVE_THRESHOLD);
    }

    /** As above, the prune without data at {@code relativeThreshold} of the largest share (with a penalty). */
    private static <N extends Network> N finish(N network, FitProblem problem, Regularization regularization,
                                                double lambda, BooleanSupplier stop, Trace trace,
                                                double relativeThreshold) {
        boolean onData = problem != null && regularization != Regularization.NONE && lambda > 0;
        N net = network;
        if (onData) {
            net = prune(net, problem, regularization, true, relativeThreshold, stop, trace);
            ShallowNetwork pruned = net.oneLayer();
            // The merge first only where the polish could not run otherwise (too many neurons): a merged hyperplane
            // is a different feature, and the polish over the merged set can end above the polish over both copies.
            // After the polish the merge is exact on the data and cannot raise the objective.
            boolean mergeFirst = pruned != null && !Polish.affordable(problem.rows(), pruned.width());
            if (mergeFirst) {
                net = merged(net, pruned, problem, stop, trace);
            }
            net = polished(net, problem, lambda, stop, trace);
            ShallowNetwork polished = net.oneLayer();
            if (!mergeFirst && polished != null) {
                net = merged(net, polished, problem, stop, trace);
            }
        }
        net = rebalance(net, trace);
        if (onData && regularization == Regularization.WEIGHT_DECAY && !Rebalance.runs(net).isEmpty()) {
            trace.step("low-rank");
            net = LowRankStep.apply(net, problem, lambda, stop);
        }
        ShallowNetwork one = net.oneLayer();
        if (one != null) {
            trace.step("canonicalize");
            net = (N) canonical(one, problem, onData, lambda, stop);
        }
        net = prune(net, problem, regularization, onData, relativeThreshold, stop, trace);
        return rebalance(net, trace);
    }

    /**
     * The exact merge of neurons sharing their activation pattern on the data ({@link Canonicalize#mergeOnData}), or
     * {@code net} as it is ({@code one} is its one-layer view) once {@code stop} is true: the merge reads every
     * neuron on every row and does not look at the stop, and without it the network computes the same function.
     */
    @SuppressWarnings("unchecked")
    private static <N extends Network> N merged(N net, ShallowNetwork one, FitProblem problem, BooleanSupplier stop,
                                                Trace trace) {
        if (stop.getAsBoolean()) {
            return net;
        }
        trace.step("merge");
        return (N) Canonicalize.mergeOnData(one, problem, !problem.loss().classification());
    }

    /**
     * Steps 1 and 4: on the data ({@link Prune#prune(Network, FitProblem)}), else relative to the largest neuron only
     * (exact zeros only without a penalty). Once {@code stop} is true the rule on the data (a pass over every neuron on
     * every row that does not look at the stop) gives way to the relative one, which keeps what it cannot judge
     * without the data.
     */
    private static <N extends Network> N prune(N net, FitProblem problem, Regularization regularization, boolean onData,
                                               double relativeThreshold, BooleanSupplier stop, Trace trace) {
        trace.step("prune");
        return onData && !stop.getAsBoolean() ? Prune.prune(net, problem)
                : Prune.prune(net, regularization == Regularization.NONE ? 0.0 : relativeThreshold);
    }

    /** Steps 2 and 5: a rebalanced copy (A4, A8). */
    private static <N extends Network> N rebalance(N net, Trace trace) {
        trace.step("rebalance");
        return Rebalance.rebalance(net);
    }

    /**
     * Step 3: the canonical form (A6; antipodal neurons turned around for a regression loss only), and on data the near
     * merge ({@link Canonicalize#NEAR_TOLERANCE}) when it has fewer neurons and an objective at most
     * {@link #NEAR_MERGE_SLACK} relative above the exact canonical form's; once {@code stop} is true the exact form
     * (the near merge's test predicts on the data twice).
     */
    private static ShallowNetwork canonical(ShallowNetwork one, FitProblem problem, boolean onData, double lambda,
                                            BooleanSupplier stop) {
        boolean turn = problem == null || !problem.loss().classification();
        ShallowNetwork exact = Canonicalize.canonicalize(one, turn);
        if (!onData || stop.getAsBoolean()) {
            return exact;
        }
        ShallowNetwork near = Canonicalize.canonicalize(one, turn, Canonicalize.NEAR_TOLERANCE);
        if (near.width() == exact.width()) {
            return exact;
        }
        double before = Polish.objective(exact, problem, lambda);
        return Polish.objective(near, problem, lambda) <= before + NEAR_MERGE_SLACK * Math.abs(before) ? near : exact;
    }

    /**
     * Step 1's polish, or {@code net} itself when the problem is too large for it or {@code stop} is already true (a
     * deadline's grace spent on an earlier finishing: the features and their Gram matrix would be built for nothing).
     */
    @SuppressWarnings("unchecked")
    private static <N extends Network> N polished(N net, FitProblem problem, double lambda, BooleanSupplier stop,
                                                  Trace trace) {
        if (stop.getAsBoolean()) {
            return net;
        }
        ShallowNetwork one = net.oneLayer();
        if (one != null && problem.inputDim() == 1 && one.hasSkip()) {
            ShallowNetwork spline = splineThroughFittedValues(one, problem);
            if (!Polish.affordable(problem.rows(), spline.width())) {
                return net;
            }
            // T3: the spline through the fitted values has the same data fit and no larger TV2 (= its path
            // norm), so polishing it cannot end above the input; the comparison only guards rounding and the
            // dropped rounding-level bends.
            trace.step("polish");
            Polish.Result<ShallowNetwork> onData = Polish.polish(spline, problem, lambda, stop);
            double before = Polish.objective(one, problem, lambda);
            // Rounding slack of 1e-12 relative: when the input is already optimal the two agree to rounding, and
            // the spline's knots (at most N - 2, T3) are the ones to keep.
            if (onData.objective() <= before + ROUNDING * Math.abs(before)) {
                return (N) onData.network();
            }
        }
        if (!Polish.affordable(problem.rows(), net.lastWidth())) {
            return net;
        }
        trace.step("polish");
        return Polish.polish(net, problem, lambda, stop).network();
    }

    /**
     * One input, skip connection: the linear spline through the network's own fitted values at the distinct
     * data points, affine outside them, as a network with one unit-normal neuron per interior data point where
     * the slope changes (A5). It has the same data fit, and its TV2, which is its path norm, is at most the
     * network's (T3: each slope change of the interpolant is an average of the network's slope changes over
     * the two adjacent gaps, with weights that sum to at most one per knot, for vector outputs too), so the
     * objective cannot rise. Slope changes below {@code 1e-9} of the largest are rounding in a stretch where the
     * network is affine, and are not turned into knots; so are those whose output over the data is below Prune's absolute
     * threshold ({@link Prune#ABSOLUTE_THRESHOLD} of the data scale). Duplicate x values share one fitted value.
     */
    static ShallowNetwork splineThroughFittedValues(ShallowNetwork network, FitProblem problem) {
        int n = problem.rows();
        int m = problem.outputDim();
        double[] samples = Arrays.copyOf(problem.x().data, n);
        Arrays.sort(samples);   // duplicates kept
        double[] points = Vectors.sortedDistinct(samples, n);
        int distinct = points.length;
        double[] values = network.predict(new org.ejml.data.DMatrixRMaj(distinct, 1, true, points), null).data;
        ShallowNetwork out;
        if (distinct == 1) {
            out = new ShallowNetwork(1, m, 0, true);
            System.arraycopy(values, 0, out.skipBias(), 0, m);
            return out;
        }
        // slope[j] (per output) on [points[j], points[j+1]].
        double[] slope = new double[(distinct - 1) * m];
        for (int j = 0; j + 1 < distinct; j++) {
            double h = points[j + 1] - points[j];
            for (int i = 0; i < m; i++) {
                slope[j * m + i] = (values[(j + 1) * m + i] - values[j * m + i]) / h;
            }
        }
        int interior = Math.max(0, distinct - 2);
        double[] change = new double[interior * m];
        double largest = 0;
        for (int j = 0; j < interior; j++) {
            double norm = 0;
            for (int i = 0; i < m; i++) {
                double a = slope[(j + 1) * m + i] - slope[j * m + i];
                change[j * m + i] = a;
                norm += a * a;
            }
            largest = Math.max(largest, Math.sqrt(norm));
        }
        // ||relu(x_n - t)||_2 over all samples for every interior t, from suffix sums of the (centred) sorted inputs
        double mean = ColumnMoments.mean(samples, n, 1, 0);
        double[] s0 = new double[n + 1];
        double[] s1 = new double[n + 1];
        double[] s2 = new double[n + 1];
        for (int r = n - 1; r >= 0; r--) {
            double v = samples[r] - mean;
            s0[r] = s0[r + 1] + 1;
            s1[r] = s1[r + 1] + v;
            s2[r] = s2[r + 1] + v * v;
        }
        double scale = Prune.dataScale(problem);
        int[] keep = new int[interior];
        int kept = 0;
        int first = 0;   // first sample above the current knot
        for (int j = 0; j < interior; j++) {
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += change[j * m + i] * change[j * m + i];
            }
            double t = points[j + 1];
            while (first < n && samples[first] <= t) {
                first++;
            }
            double tc = t - mean;
            double featureSquares = Math.max(0.0, s2[first] - 2 * tc * s1[first] + tc * tc * s0[first]);
            // Prune's two rules: relative to the largest bend, and absolute (output over the data against the data scale)
            if (Math.sqrt(norm) > Prune.DEFAULT_RELATIVE_THRESHOLD * largest
                    && Math.sqrt(norm * featureSquares) > Prune.ABSOLUTE_THRESHOLD * scale) {
                keep[kept++] = j;
            }
        }
        out = new ShallowNetwork(1, m, kept, true);
        for (int q = 0; q < kept; q++) {
            int j = keep[q];
            out.inputWeights().data[q] = 1.0;
            out.bias()[q] = points[j + 1];          // knot at the interior point points[j + 1]
            System.arraycopy(change, j * m, out.outputWeights().data, q * m, m);
        }
        // f(x) = f(x_1) + s_1 (x - x_1) + sum_j a_j relu(x - x_j).
        for (int i = 0; i < m; i++) {
            out.skipWeights().data[i] = slope[i];
            out.skipBias()[i] = values[i] - slope[i] * points[0];
        }
        return out;
    }
}
