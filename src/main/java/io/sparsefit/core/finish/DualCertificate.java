package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The duality-gap certificate of theory T8 for squared loss with an unpenalized affine part.
 *
 * <p>The residual {@code r = y - f(X)} is projected onto the functions orthogonal to every affine
 * function ({@code sum r = 0, X^T r = 0}), then scaled by {@code min(1, lambda / S(r))} with
 * {@code S(r) = sup_{||w||=1, b} || sum_n r_n relu(w . x_n - b) ||}. The scaled point is dual
 * feasible, so {@code r . y - 1/2 ||r||^2} is a lower bound on the optimal objective, and
 * {@code gap = dataFit + lambda * pathNorm - dual >= 0} bounds how far the network is from optimal.
 * In 1-D, and in 2-D for up to {@link #EXACT_2D_MAX_ROWS} samples, {@code S} is computed exactly;
 * otherwise it is estimated from sampled directions (plus the network's own neuron directions), which
 * can only underestimate {@code S}, so the certificate is then flagged {@code exact = false}.
 *
 * <p>A network without a skip connection solves a more constrained problem (its affine part costs
 * path norm), so its gap measures the distance to the skip-connection optimum and need not reach zero.
 */
public final class DualCertificate {

    /** Random unit directions tried for d >= 2, in addition to the network's own directions. */
    public static final int SAMPLED_DIRECTIONS = 512;
    /** Up to this many samples the 2-D dual norm is computed exactly (its cost grows as N^3 log N). */
    public static final int EXACT_2D_MAX_ROWS = 200;

    private DualCertificate() {
    }

    /**
     * Certificate for {@code net} on {@code problem} at strength {@code lambda > 0}: exact for d = 1 and
     * small 2-D problems, sampled (seeded by {@code seed}) otherwise. Inputs are not modified.
     */
    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("the certificate needs lambda > 0, got " + lambda);
        }
        DMatrixRMaj x = problem.x();
        DMatrixRMaj y = problem.y();
        DMatrixRMaj residual = net.predict(x, null);
        CommonOps_DDRM.subtract(y, residual, residual);
        double dataFit = 0.5 * CommonOps_DDRM.dot(residual, residual);
        projectOutAffine(x, residual);

        int d = x.numCols;
        boolean exact = d == 1 || (d == 2 && x.numRows <= EXACT_2D_MAX_ROWS);
        double s;
        if (d == 1) {
            s = DualNorm1D.supremum(x.data, residual);
        } else if (exact) {
            s = ExactDualNorm2D.supremum(x, residual);
        } else {
            s = SampledDualNorm.supremum(x, residual, seed, SAMPLED_DIRECTIONS, net.inputWeights);
        }
        double scale = s > lambda ? lambda / s : 1.0;
        CommonOps_DDRM.scale(scale, residual);

        double dual = 0;
        double[] r = residual.data;
        double[] yy = y.data;
        int size = residual.getNumElements();
        for (int i = 0; i < size; i++) {
            dual += r[i] * yy[i] - 0.5 * r[i] * r[i];
        }
        double primal = dataFit + lambda * PathNorm.of(net);
        return new Certificate(primal - dual, dual, exact);
    }

    /**
     * Replaces {@code r} (N x m, modified) by its component orthogonal to the columns of {@code [1, X]}:
     * a least-squares fit by Householder QR, on centred inputs for conditioning.
     */
    static void projectOutAffine(DMatrixRMaj x, DMatrixRMaj r) {
        int n = x.numRows;
        int d = x.numCols;
        int p = Math.min(n, d + 1);
        DMatrixRMaj design = new DMatrixRMaj(n, d + 1);
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            design.data[i * (d + 1)] = 1.0;
            for (int j = 0; j < d; j++) {
                design.data[i * (d + 1) + 1 + j] = x.data[i * d + j] - mean[j];
            }
        }
        if (p < d + 1) {
            r.zero(); // N <= d: every residual is affine
            return;
        }
        LinearSolverDense<DMatrixRMaj> ls = LinearSolverFactory_DDRM.leastSquaresQrPivot(true, false);
        if (!ls.setA(design)) {
            r.zero();
            return;
        }
        DMatrixRMaj coef = new DMatrixRMaj(d + 1, r.numCols);
        ls.solve(r.copy(), coef);
        DMatrixRMaj fitted = new DMatrixRMaj(n, r.numCols);
        CommonOps_DDRM.mult(design, coef, fitted);
        CommonOps_DDRM.subtractEquals(r, fitted);
    }
}
