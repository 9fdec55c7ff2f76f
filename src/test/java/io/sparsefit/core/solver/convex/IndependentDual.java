package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.finish.ExactDualNorm2D;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.network.ShallowNetwork;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Test reference, written here from the formulas of theory A2b and T8 and independent of the core's {@code Loss},
 * {@code FenchelDual} and pricing code: the objective of a network straight from its predictions and weights, and a
 * proven lower bound on the optimum (a Fenchel dual value), so that {@code J - D <= eps J} shows a fit to be optimal
 * to {@code eps} relative whatever the solver did.
 *
 * <p>Dual bound: {@code g_n = -w_n dloss/df (f_n; y_n)} at the network's predictions, made orthogonal to what is
 * unpenalized (least squares on {@code [1, X]} for a regression loss; the column means for a classification loss,
 * whose skip weights C are decayed), scaled by {@code min(1, lambda / S(g))}, with S the exact dual norm in one input
 * (every anchor and both directions) or two ({@link ExactDualNorm2D}, the full circle); then
 * {@code D = -sum_n w_n loss*(-g_n / w_n; y_n)} minus {@code ||X^T g||_F^2 / (2 lambda)} for a classification loss.
 * The conjugates: squared {@code u y + u^2/2}; Huber the same on {@code |u| <= delta}; logistic
 * {@code p log p + (1-p) log(1-p)} with {@code p = u + y} in [0, 1]; cross-entropy {@code sum_i p_i log p_i} with
 * {@code p = u + e_y} on the simplex. A point that rounding put up to 1e-9 outside a domain is clipped onto it.
 */
public final class IndependentDual {

    private IndependentDual() {
    }

    /** {@code sum_n w_n loss(f_n; y_n)} for outputs f (N x m). */
    public static double dataFit(FitProblem p, DMatrixRMaj f) {
        int n = p.rows();
        int m = p.outputDim();
        double sum = 0;
        for (int r = 0; r < n; r++) {
            double w = p.weight(r);
            double y = p.y().get(r, 0);
            if (p.loss() instanceof LogisticLoss) {
                double z = f.get(r, 0);
                sum += w * (Math.log1p(Math.exp(-Math.abs(z))) + Math.max(z, 0) - y * z);
            } else if (p.loss() instanceof CrossEntropyLoss) {
                sum += w * -Math.log(softmax(f, r)[(int) y]);
            } else if (p.loss() instanceof HuberLoss h) {
                for (int i = 0; i < m; i++) {
                    double res = Math.abs(f.get(r, i) - p.y().get(r, i));
                    sum += w * (res <= h.delta() ? 0.5 * res * res : h.delta() * (res - 0.5 * h.delta()));
                }
            } else {
                for (int i = 0; i < m; i++) {
                    double res = f.get(r, i) - p.y().get(r, i);
                    sum += w * 0.5 * res * res;
                }
            }
        }
        return sum;
    }

    /** {@code softmax} of row r of f, the maximum factored out. */
    static double[] softmax(DMatrixRMaj f, int r) {
        int m = f.numCols;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < m; i++) {
            max = Math.max(max, f.get(r, i));
        }
        double z = 0;
        double[] prob = new double[m];
        for (int i = 0; i < m; i++) {
            prob[i] = Math.exp(f.get(r, i) - max);
            z += prob[i];
        }
        for (int i = 0; i < m; i++) {
            prob[i] /= z;
        }
        return prob;
    }

    /** {@code J} at balance: data fit + {@code lambda sum_k ||v_k|| ||w_k||} (+ {@code lambda/2 ||C||^2} for classification). */
    public static double objective(ShallowNetwork net, FitProblem p, double lambda) {
        double path = 0;
        for (int k = 0; k < net.width(); k++) {
            path += net.inputNorm(k) * net.outputNorm(k);
        }
        double c = 0;
        if (p.loss().classification()) {
            for (double v : net.skipWeights().data) {
                c += v * v;
            }
        }
        return dataFit(p, net.predict(p.x(), null)) + lambda * path + 0.5 * lambda * c;
    }

    /** The dual point {@code -w dloss/df} at outputs f, not yet projected. */
    public static DMatrixRMaj dualPoint(FitProblem p, DMatrixRMaj f) {
        int n = p.rows();
        int m = p.outputDim();
        DMatrixRMaj g = new DMatrixRMaj(n, m);
        for (int r = 0; r < n; r++) {
            double w = p.weight(r);
            double y = p.y().get(r, 0);
            if (p.loss() instanceof LogisticLoss) {
                g.set(r, 0, w * (y - 1 / (1 + Math.exp(-f.get(r, 0)))));
            } else if (p.loss() instanceof CrossEntropyLoss) {
                double[] prob = softmax(f, r);
                for (int i = 0; i < m; i++) {
                    g.set(r, i, w * ((i == (int) y ? 1 : 0) - prob[i]));
                }
            } else {
                double delta = p.loss() instanceof HuberLoss h ? h.delta() : Double.POSITIVE_INFINITY;
                for (int i = 0; i < m; i++) {
                    double res = p.y().get(r, i) - f.get(r, i);
                    g.set(r, i, w * Math.max(-delta, Math.min(delta, res)));
                }
            }
        }
        return g;
    }

    /** g made orthogonal to the constants (classification) or to {@code [1, X]} (regression), in place. */
    public static void project(FitProblem p, DMatrixRMaj g) {
        int n = p.rows();
        int d = p.inputDim();
        int cols = p.loss().classification() ? 1 : d + 1;
        DMatrixRMaj a = new DMatrixRMaj(n, cols);
        for (int r = 0; r < n; r++) {
            a.set(r, 0, 1.0);
            for (int j = 1; j < cols; j++) {
                a.set(r, j, p.x().get(r, j - 1));
            }
        }
        LinearSolverDense<DMatrixRMaj> qr = LinearSolverFactory_DDRM.leastSquares(n, cols);
        if (!qr.setA(a.copy())) {
            throw new IllegalStateException("rank-deficient [1, X]");
        }
        DMatrixRMaj coef = new DMatrixRMaj(cols, g.numCols);
        qr.solve(g.copy(), coef);
        DMatrixRMaj fitted = new DMatrixRMaj(n, g.numCols);
        CommonOps_DDRM.mult(a, coef, fitted);
        CommonOps_DDRM.subtractEquals(g, fitted);
    }

    /** The exact dual norm S(g) in one input (both directions, offset at every point) or two (the full circle). */
    public static double dualNorm(DMatrixRMaj x, DMatrixRMaj g) {
        if (x.numCols == 2) {
            return ExactDualNorm2D.supremum(x, g);
        }
        if (x.numCols != 1) {
            throw new IllegalArgumentException("exact dual norm only in one or two inputs");
        }
        int n = x.numRows;
        int m = g.numCols;
        double best = 0;
        for (int j = 0; j < n; j++) {
            for (int sign = -1; sign <= 1; sign += 2) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    double c = 0;
                    for (int r = 0; r < n; r++) {
                        c += g.get(r, i) * Math.max(0, sign * (x.get(r, 0) - x.get(j, 0)));
                    }
                    s += c * c;
                }
                best = Math.max(best, Math.sqrt(s));
            }
        }
        return best;
    }

    /** The Fenchel dual value of the network's own dual point: a lower bound on the optimal objective. */
    public static double lowerBound(ShallowNetwork net, FitProblem p, double lambda) {
        DMatrixRMaj g = dualPoint(p, net.predict(p.x(), null));
        project(p, g);
        double s = dualNorm(p.x(), g);
        if (s > lambda) {
            CommonOps_DDRM.scale(lambda / s, g);
        }
        return dualValue(p, g, lambda);
    }

    /** {@code D(g)} for a feasible g (N x m). */
    public static double dualValue(FitProblem p, DMatrixRMaj g, double lambda) {
        int n = p.rows();
        int m = p.outputDim();
        double dual = 0;
        for (int r = 0; r < n; r++) {
            double w = p.weight(r);
            double y = p.y().get(r, 0);
            double conjugate = 0;
            if (p.loss() instanceof LogisticLoss) {
                double q = clip(y - g.get(r, 0) / w);
                conjugate = xlogx(q) + xlogx(1 - q);
            } else if (p.loss() instanceof CrossEntropyLoss) {
                for (int i = 0; i < m; i++) {
                    conjugate += xlogx(clip((i == (int) y ? 1 : 0) - g.get(r, i) / w));
                }
            } else {
                double delta = p.loss() instanceof HuberLoss h ? h.delta() : Double.POSITIVE_INFINITY;
                for (int i = 0; i < m; i++) {
                    double u = -g.get(r, i) / w;
                    if (Math.abs(u) > delta * (1 + 1e-9)) {
                        return Double.NEGATIVE_INFINITY;
                    }
                    conjugate += u * p.y().get(r, i) + 0.5 * u * u;
                }
            }
            dual -= w * conjugate;
        }
        if (p.loss().classification()) {
            DMatrixRMaj xtg = new DMatrixRMaj(p.inputDim(), m);
            CommonOps_DDRM.multTransA(p.x(), g, xtg);
            dual -= CommonOps_DDRM.elementSum(elementSquares(xtg)) / (2 * lambda);
        }
        return dual;
    }

    private static DMatrixRMaj elementSquares(DMatrixRMaj a) {
        DMatrixRMaj out = a.copy();
        CommonOps_DDRM.elementMult(out, a);
        return out;
    }

    private static double clip(double q) {
        if (q < -1e-9 || q > 1 + 1e-9) {
            return Double.NaN;   // outside the conjugate's domain: the bound is -infinity
        }
        return Math.max(0, Math.min(1, q));
    }

    private static double xlogx(double q) {
        if (Double.isNaN(q)) {
            return Double.POSITIVE_INFINITY;
        }
        return q > 0 ? q * Math.log(q) : 0;
    }
}
