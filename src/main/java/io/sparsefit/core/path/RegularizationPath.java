package io.sparsefit.core.path;

import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.exact.SplinePath;
import java.util.List;

/**
 * A finished (or cancelled) path: the points in descending lambda, the choices and, for the exact 1-D solver,
 * every breakpoint of the solution path on all the data down to the smallest lambda.
 *
 * @param best      index of the point with the least mean validation error, -1 without validation
 * @param oneSe     index of the largest lambda whose mean validation error is within one standard error of the
 *                  best one's (the one-standard-error rule: the sparsest model statistically as good), -1 without
 * @param chosen    {@code oneSe} by default, {@code best} when the spec asks for it; -1 without validation
 * @param breakpointsComplete the breakpoints reach the smallest lambda and agree with the exact solves at every
 *                  point; false when the homotopy was capped, cancelled, or disagreed (its list then stops at the
 *                  last point where it agreed)
 * @param cancelled the run stopped at a cancel, or its token's deadline, before its last point (the point in progress
 *                  dropped)
 */
public record RegularizationPath(double lambdaMax, SolverType solver, List<PathPoint> points, int best, int oneSe, int chosen,
                                 List<SplinePath.Breakpoint> breakpoints, boolean breakpointsComplete, boolean cancelled) {

    public RegularizationPath {
        points = List.copyOf(points);
        breakpoints = List.copyOf(breakpoints);
    }

    /** The best and one-SE indices over validated points: {@code {best, oneSe}}, {@code {-1, -1}} without validation. */
    public static int[] choose(List<PathPoint> points) {
        int best = -1;
        for (int i = 0; i < points.size(); i++) {
            double v = points.get(i).validationMse();
            if (!Double.isNaN(v) && (best < 0 || v < points.get(best).validationMse())) {
                best = i;
            }
        }
        if (best < 0) {
            return new int[] {-1, -1};
        }
        double se = points.get(best).validationSe();
        double bound = points.get(best).validationMse() + (Double.isNaN(se) ? 0.0 : se);
        int oneSe = best;
        for (int i = 0; i < points.size(); i++) {
            PathPoint p = points.get(i);
            if (p.validationMse() <= bound && p.lambda() > points.get(oneSe).lambda()) {
                oneSe = i;
            }
        }
        return new int[] {best, oneSe};
    }
}
