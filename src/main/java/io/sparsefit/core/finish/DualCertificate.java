package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.DualNorm1D;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The duality-gap certificate of theory T8 for squared loss with an unpenalized affine part.
 *
 * <p>The residual {@code r = y - f(X)} is projected onto the functions orthogonal to every affine
 * function ({@code sum r = 0, X^T r = 0}), then scaled by {@code min(1, lambda / S(r))} with
 * {@code S(r) = sup_{||w||=1, b} || sum_n r_n relu(w . x_n - b) ||}. The scaled point is dual
 * feasible, so {@code r . y - 1/2 ||r||^2} is a lower bound on the optimal objective, and
 * {@code gap = dataFit + lambda * pathNorm - dual >= 0} bounds how far the network is from optimal.
 * In 1-D, and in 2-D for up to {@link Pricing#EXACT_2D_MAX_ROWS} samples, {@code S} is computed exactly
 * ({@link io.sparsefit.core.convex.ExactPricing2D}); otherwise by a multi-start local maximization seeded
 * with the network's own neuron directions ({@link io.sparsefit.core.convex.LocalPricing}), which can only
 * underestimate {@code S}, so the certificate is then flagged {@code exact = false}.
 *
 * <p>A network without a skip connection solves a more constrained problem (its affine part costs
 * path norm), so its gap measures the distance to the skip-connection optimum and need not reach zero.
 */
public final class DualCertificate {


    private DualCertificate() {
    }

    /**
     * Certificate for {@code net} on {@code problem} at strength {@code lambda > 0}: exact for d = 1 and
     * small 2-D problems, sampled (seeded by {@code seed}) otherwise. Inputs are not modified.
     */
    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed) {
        return compute(net, problem, lambda, seed, () -> false);
    }

    /**
     * As above; the pricing looks at {@code stop} every few milliseconds and ends early once it is true, and then the
     * certificate is not valid (a cancelled fit, whose caller discards it).
     */
    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed, BooleanSupplier stop) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("the certificate needs lambda > 0, got " + lambda);
        }
        DMatrixRMaj x = problem.x();
        DMatrixRMaj y = problem.y();
        DMatrixRMaj residual = net.predict(x, null);
        CommonOps_DDRM.subtract(y, residual, residual);
        double dataFit = 0.5 * MatrixNorms.inner(residual, residual);
        AffineProjection.of(x, true).projectInPlace(residual);

        int d = x.numCols;
        boolean exact;
        double s;
        if (d == 1) {
            s = DualNorm1D.supremum(x.data, residual);
            exact = true;
        } else {
            // The network's own directions seed the local search: at an optimum S is attained at its neurons.
            Pricing.Best best = new Pricing(x, residual.numCols, seed).stopWhen(stop).best(residual, net.inputWeights);
            s = best.value();
            exact = best.exact();
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
}
