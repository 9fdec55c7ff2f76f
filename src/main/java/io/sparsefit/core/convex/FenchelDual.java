package io.sparsefit.core.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.loss.Loss;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one Fenchel dual bound of the infinite-width problem for every loss (theory A2b, T8): from a fit's predictions
 * {@code F}, the dual point {@code g_n = -w_n dloss/df (f_n; y_n)} (for squared loss the residual
 * {@code y - f}) is made orthogonal to what is unpenalized (the affine functions, or only the constants when the loss
 * is a classification loss and so weight-decays {@code C}), scaled by {@code min(1, lambda / S(g))} with {@code S}
 * the dual norm over all ReLU atoms (the caller's pricing, {@link #value}) or over a fixed set of them
 * ({@link #overFeatures}), and valued by {@code D(g) = -sum_n w_n loss*(-g_n / w_n; y_n)}, minus {@code ||X^T g||_F^2 / (2 lambda)} when {@code C}
 * is decayed. {@code D(g)} is a lower bound on the optimal objective whenever {@code S} is exact (an upper bound
 * of the true supremum is as good). When the projection moves the point out of the conjugate's domain (a fit far
 * from stationarity in the intercept; never at an optimum, where the projection is the identity), the point is first
 * moved back towards the loss's constant dual point, so the bound stays finite.
 */
public final class FenchelDual {

    private FenchelDual() {
    }

    /**
     * The dual bound at the fit with {@code predictions} (N x m, not modified) on {@code problem} at {@code lambda > 0},
     * priced over a fixed set of atoms: {@code S(g) = max_k ||H_k^T g||} with {@code H} (N x K, not modified) their
     * features on the data, exact for a problem restricted to those atoms (the polish, the convex solver's restricted
     * problem), so the value is a proven lower bound on that problem's optimum.
     *
     * @param affine whether the unpenalized part may include the linear functions (a skip connection); a
     *               classification loss always leaves only the constants free
     */
    public static double overFeatures(FitProblem problem, DMatrixRMaj predictions, double lambda, boolean affine,
                                      DMatrixRMaj features) {
        DMatrixRMaj g = point(problem, predictions, affine);
        DMatrixRMaj correlation = new DMatrixRMaj(features.numCols, g.numCols);
        CommonOps_DDRM.multTransA(features, g, correlation);
        double norm = 0;
        for (int k = 0; k < features.numCols; k++) {
            norm = Math.max(norm, MatrixNorms.rowNorm(correlation, k));
        }
        scale(g, lambda, norm);
        return valueOfFeasible(problem, g, lambda, affine);
    }

    /**
     * The dual point before scaling (N x m, new): {@code g_n = -w_n dloss/df} at {@code predictions} (not modified),
     * projected off the unpenalized functions ({@link #overFeatures} for {@code affine}) and moved back into the conjugate's
     * domain where the projection took it out.
     */
    public static DMatrixRMaj point(FitProblem problem, DMatrixRMaj predictions, boolean affine) {
        Loss loss = problem.loss();
        int n = problem.rows();
        int m = problem.outputDim();
        DMatrixRMaj g = new DMatrixRMaj(n, m);
        loss.dualPoint(predictions.data, problem.y().data, problem.sampleWeights(), n, m, g.data);
        AffineProjection.of(problem.x(), affine && !loss.classification()).projectInPlace(g);
        intoDomain(loss, problem, g);
        return g;
    }

    /**
     * {@code D(min(1, lambda / s) g)} for a point from {@link #point} (not modified) and a value {@code s} of its dual
     * norm: a proven lower bound on the optimum when {@code s >= S(g)}.
     */
    public static double value(FitProblem problem, DMatrixRMaj point, double lambda, double s, boolean affine) {
        DMatrixRMaj g = point.copy();
        scale(g, lambda, s);
        return valueOfFeasible(problem, g, lambda, affine);
    }

    private static void scale(DMatrixRMaj g, double lambda, double s) {
        if (s > lambda) {
            CommonOps_DDRM.scale(lambda / s, g);
        }
    }

    private static double valueOfFeasible(FitProblem problem, DMatrixRMaj g, double lambda, boolean affine) {
        Loss loss = problem.loss();
        int m = problem.outputDim();
        double dual = loss.dualValue(g.data, problem.y().data, problem.sampleWeights(), problem.rows(), m, new double[m]);
        if (loss.classification() && affine) {
            DMatrixRMaj xtg = new DMatrixRMaj(problem.inputDim(), m);
            CommonOps_DDRM.multTransA(problem.x(), g, xtg);
            dual -= MatrixNorms.inner(xtg, xtg) / (2 * lambda);   // sup_C <X^T g, C^T> - lambda/2 ||C||^2
        }
        return dual;
    }

    /**
     * Moves a projected dual point (modified) back into the conjugate's domain when the projection took it out (a fit
     * whose intercept is not yet stationary, e.g. a classifier with probabilities near 0 stopped early): along the
     * segment towards {@link Loss#constantDualPoint}, which is orthogonal to what is unpenalized and inside the
     * domain, to the farthest point still inside (the domain is convex, so bisection finds it). Any such point gives
     * a valid bound (weak duality holds for every feasible g), so this trades a little tightness for a finite one.
     */
    private static void intoDomain(Loss loss, FitProblem problem, DMatrixRMaj g) {
        int n = problem.rows();
        int m = problem.outputDim();
        double[] w = problem.sampleWeights();
        double[] y = problem.y().data;
        double[] work = new double[m];
        if (Double.isFinite(loss.dualValue(g.data, y, w, n, m, work))) {
            return;
        }
        double[] inside = new double[n * m];
        loss.constantDualPoint(y, w, n, m, inside);
        double[] trial = new double[n * m];
        double lo = 0;   // fraction of the way from inside to g known to be feasible
        double hi = 1;
        for (int step = 0; step < 60; step++) {
            double t = 0.5 * (lo + hi);
            mix(inside, g.data, t, trial);
            if (Double.isFinite(loss.dualValue(trial, y, w, n, m, work))) {
                lo = t;
            } else {
                hi = t;
            }
        }
        mix(inside, g.data, lo, g.data);
    }

    /** {@code out = a + t (b - a)}, entry by entry; {@code out} may be {@code b}. */
    private static void mix(double[] a, double[] b, double t, double[] out) {
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i] + t * (b[i] - a[i]);
        }
    }
}
