package io.sparsefit.core.solver.exact;

import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The whole 1-D solution path of theory C1, {@code lambda -> z(lambda)} for
 * {@code min_z 1/2 sum_i c_i (z_i - y_i)^2 + lambda ||L z||_1}, from lambda_max (T6) down to a floor, by
 * homotopy (the dual path algorithm of the generalized lasso, Tibshirani and Taylor 2011, for the signal
 * approximator with weights).
 *
 * <p>For a fixed knot set with fixed signs the optimality system solved by {@link KnotSpline} is linear in
 * lambda, so the fitted values, the slope changes and the dual function {@code q} are affine in lambda on the
 * set's segment (theory C1: the fitted values are piecewise linear in lambda). Two solves with the same set
 * (at the current lambda and at 0) give those affine maps exactly. Going down from the current lambda the
 * set stays optimal until either a non-knot point's dual reaches the bound, {@code |q_j(lambda)| = lambda}
 * (it becomes a knot with the sign of q, its slope change starting at zero), or a knot's slope change
 * reaches zero ({@code s_l a_l(lambda) = 0}: it leaves). The largest such lambda is the next breakpoint. At
 * lambda_max the set is empty (the affine fit, T6); every breakpoint is a point where the knot set changes.
 *
 * <p>Cost: two O(N) solves and an O(N) scan per breakpoint. The number of breakpoints grows as the floor
 * goes down (about the number of knots at the floor, plus the leavings); {@code maxBreakpoints} bounds it.
 */
public final class SplinePath {

    /** A root within this relative distance of the current lambda counts as "now" (simultaneous events). */
    static final double SAME_LAMBDA = 1e-10;

    /**
     * A breakpoint: at {@code lambda} the knot set changes; {@code knots} (positions, ascending) is the set optimal
     * from this lambda down to the next breakpoint.
     */
    public record Breakpoint(double lambda, double[] knots) {
        public int knotCount() {
            return knots.length;
        }
    }

    private final MergedData data;
    private final double lambdaMax;
    private final double floor;
    private final List<Double> lambdas = new ArrayList<>();
    private final List<int[]> sets = new ArrayList<>();
    private final List<double[]> setSigns = new ArrayList<>();
    private final KnotSpline spline;
    private final boolean complete;

    private SplinePath(MergedData data, double floor, int maxBreakpoints, CancellationToken cancel) {
        this.data = data;
        this.floor = floor;
        int n = data.n;
        if (n < 3) {
            lambdaMax = 0.0;
            spline = null;
            lambdas.add(0.0);
            sets.add(new int[0]);
            setSigns.add(new double[0]);
            complete = true;
            return;
        }
        lambdaMax = LambdaMax.of(data);
        spline = new KnotSpline(data);
        complete = trace(maxBreakpoints, cancel);
    }

    /**
     * Traces the path of 1-D data (any order, duplicates merged) from lambda_max down to {@code floor > 0}.
     *
     * @param maxBreakpoints stop after this many breakpoints ({@link #complete()} tells whether the floor was reached)
     */
    public static SplinePath trace(double[] x, double[] y, double floor, int maxBreakpoints, CancellationToken cancel) {
        if (!(floor > 0)) {
            throw new IllegalArgumentException("the path floor must be > 0, got " + floor);
        }
        return new SplinePath(MergedData.of(x, y), floor, maxBreakpoints, cancel);
    }

    private boolean trace(int maxBreakpoints, CancellationToken cancel) {
        int n = data.n;
        double[] signAt = new double[n];
        double[] q0 = new double[n];
        double[] a0 = new double[n];
        double lambda = lambdaMax;
        lambdas.add(lambda);
        sets.add(new int[0]);
        setSigns.add(new double[0]);
        int changed = -1;
        // The sign patterns the events have visited at the current lambda: one seen again is a cycle of simultaneous
        // events (ties the one-event-at-a-time rule cannot order), which would otherwise repeat for ever.
        Set<String> visitedAtLambda = new HashSet<>();
        while (lambda > floor) {
            if (cancel.isCancelled() || lambdas.size() > maxBreakpoints) {
                return false;
            }
            load(signAt);
            spline.solve(0.0);
            System.arraycopy(spline.dual, 0, q0, 0, n);
            System.arraycopy(spline.amplitude, 0, a0, 0, spline.knotCount);
            spline.solve(lambda);
            double next = floor;
            int event = -1;
            double now = lambda * (1 + SAME_LAMBDA);
            double strictlyBelow = lambda * (1 - SAME_LAMBDA);
            // Hitting: g(t) = sigma q_j(t) - t, affine in t, <= 0 at lambda; it reaches 0 going down iff its slope
            // in t, sigma q'_j - 1, is negative, at t = sigma q0_j / (1 - sigma q'_j).
            for (int j = 1; j < n - 1; j++) {
                if (signAt[j] != 0.0) {
                    continue;
                }
                double slope = (spline.dual[j] - q0[j]) / lambda;
                for (int sigma = -1; sigma <= 1; sigma += 2) {
                    double denominator = 1.0 - sigma * slope;
                    if (denominator <= 0) {
                        continue;
                    }
                    double root = sigma * q0[j] / denominator;
                    if (root > next && root <= now && (root < strictlyBelow || j != changed)) {
                        next = root;
                        event = j;
                    }
                }
            }
            // Leaving: s_l a_l(t) = s_l (a0_l + t a'_l) decreases to 0 going down iff s_l a'_l > 0.
            for (int l = 0; l < spline.knotCount; l++) {
                double s = spline.knotSign[l];
                double slope = (spline.amplitude[l] - a0[l]) / lambda;
                int j = spline.knotIndex[l];
                double root;
                if (s * spline.amplitude[l] < 0 && j != changed) {
                    // Already past its zero: the crossing fell between two events closer than SAME_LAMBDA (a knot entering
                    // next to it, e.g. two data points 4e-8 apart). It leaves now; kept, its amplitude
                    // grows against its sign and the penalty explodes while the data fit stays right.
                    root = lambda;
                } else if (s * slope <= 0) {
                    continue;
                } else {
                    root = -a0[l] / slope;
                }
                if (root > next && root <= now && (root < strictlyBelow || j != changed)) {
                    next = root;
                    event = j;
                }
            }
            if (event < 0) {
                return true; // the set stays optimal down to the floor
            }
            next = Math.min(next, lambda);
            if (signAt[event] != 0.0) {
                signAt[event] = 0.0;
            } else {
                double q = q0[event] + next * (spline.dual[event] - q0[event]) / lambda;
                signAt[event] = Math.signum(q);
            }
            if (next < lambda) {
                visitedAtLambda.clear();
            }
            if (!visitedAtLambda.add(Arrays.toString(signAt))) {
                return false;   // a cycle of simultaneous events: traced down to here only (complete() is false)
            }
            changed = event;
            lambda = next;
            // Simultaneous events share a lambda: the later set replaces the earlier one.
            if (lambdas.get(lambdas.size() - 1) == lambda) {
                lambdas.remove(lambdas.size() - 1);
                sets.remove(sets.size() - 1);
                setSigns.remove(setSigns.size() - 1);
            }
            lambdas.add(lambda);
            int[] set = new int[n];
            double[] signs = new double[n];
            int p = 0;
            for (int j = 1; j < n - 1; j++) {
                if (signAt[j] != 0.0) {
                    set[p] = j;
                    signs[p] = signAt[j];
                    p++;
                }
            }
            sets.add(Arrays.copyOf(set, p));
            setSigns.add(Arrays.copyOf(signs, p));
        }
        return true;
    }

    private void load(double[] signAt) {
        int p = 0;
        for (int j = 1; j < data.n - 1; j++) {
            if (signAt[j] != 0.0) {
                spline.knotIndex[p] = j;
                spline.knotSign[p] = signAt[j];
                p++;
            }
        }
        spline.knotCount = p;
    }

    /** lambda_max (T6): at and above it the affine fit is optimal. */
    public double lambdaMax() {
        return lambdaMax;
    }

    /** The floor the path was traced to. */
    public double floor() {
        return floor;
    }

    /** Whether the path reached its floor (false if cut off by the breakpoint limit or cancelled). */
    public boolean complete() {
        return complete;
    }

    /** The smallest lambda the path covers: the floor when complete, else its last breakpoint. */
    public double lowest() {
        return complete ? floor : lambdas.get(lambdas.size() - 1);
    }

    /** The merged data the path was traced on. */
    public MergedData data() {
        return data;
    }

    /** The breakpoints from lambda_max down, each with the knot set valid below it. */
    public List<Breakpoint> breakpoints() {
        List<Breakpoint> out = new ArrayList<>(lambdas.size());
        for (int k = 0; k < lambdas.size(); k++) {
            int[] set = sets.get(k);
            double[] positions = new double[set.length];
            for (int l = 0; l < set.length; l++) {
                positions[l] = data.x[set[l]];
            }
            out.add(new Breakpoint(lambdas.get(k), positions));
        }
        return out;
    }

    /** The optimal network at {@code lambda >= lowest()} (canonical, or the sparsest of T5). */
    public ShallowNetwork networkAt(double lambda, boolean sparsest) {
        if (spline == null || lambda >= lambdaMax) {
            WeightedAffineFit fit = WeightedAffineFit.of(data.x, data.y, data.weight, data.n);
            return SplineNetwork.affine(fit.intercept, fit.slope);
        }
        solveAt(lambda);
        return ExactSplineFit.network(spline, data, sparsest);
    }

    private void solveAt(double lambda) {
        if (lambda < lowest() * (1 - SAME_LAMBDA)) {
            throw new IllegalArgumentException("lambda " + lambda + " is below the traced path (down to " + lowest() + ")");
        }
        // Segment k covers [lambda_{k+1}, lambda_k]: the last breakpoint at or above lambda.
        int k = 0;
        while (k + 1 < lambdas.size() && lambdas.get(k + 1) >= lambda) {
            k++;
        }
        int[] set = sets.get(k);
        double[] signs = setSigns.get(k);
        System.arraycopy(set, 0, spline.knotIndex, 0, set.length);
        System.arraycopy(signs, 0, spline.knotSign, 0, set.length);
        spline.knotCount = set.length;
        spline.solve(lambda);
    }
}
