package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.Atom;
import io.sparsefit.core.convex.DualNorm1D;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.convex.PricedDualPoint;
import io.sparsefit.core.convex.ProvenDualNorm;
import io.sparsefit.core.linalg.RecordedStop;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.penalty.PathNorm;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;

/**
 * The duality-gap certificate of theory T8, for the problem's loss and sample weights (A2b).
 *
 * <p>The fit's dual point ({@code g = -w dloss/df}; for squared loss the residual {@code r = y - f(X)}) is projected
 * onto the functions orthogonal to what is unpenalized (every affine function, or the constants for a
 * classification loss), then scaled by {@code min(1, lambda / S(g))} with
 * {@code S(g) = sup_{||w||=1, b} || sum_n g_n relu(w . x_n - b) ||}; its dual value ({@link FenchelDual}; for squared
 * loss {@code r . y - 1/2 ||r||^2}) is a lower bound on the optimal objective, and
 * {@code gap = dataFit + lambda * pathNorm (+ lambda/2 ||C||^2 for classification) - dual >= 0} bounds how far the
 * network is from optimal.
 * In 1-D, and in 2-D for up to {@link Pricing#EXACT_2D_MAX_ROWS} samples, {@code S} is computed exactly
 * ({@link io.sparsefit.core.convex.ExactPricing2D}); otherwise by a multi-start local maximization seeded
 * with the network's own neuron directions ({@link io.sparsefit.core.convex.LocalPricing}), which can only
 * underestimate {@code S}, and then bracketed from above ({@link ProvenDualNorm}: the d = 3 arrangement enumeration
 * for small N, else branch and bound within a work budget, theory C4; for a classification loss always the branch and
 * bound, over the whole sphere) to the tolerance that moves the gap by at most a
 * tenth of the sampled one or 1e-5 max(1, J) ({@link ProvenDualNorm#tolerance}). The certificate is {@code exact} when the bracket
 * proves {@code S} to it, and its gap is then computed with the upper bound; otherwise its gap is the sampled estimate
 * and {@code gapBound} the gap with the (looser) upper bound.
 *
 * <p>A network without a skip connection solves a more constrained problem (its affine part costs
 * path norm), so its gap measures the distance to the skip-connection optimum and need not reach zero.
 */
public final class DualCertificate {

    private DualCertificate() {
    }

    /**
     * Certificate for {@code net} on {@code problem} at strength {@code lambda > 0}: exact where the dual norm is proven
     * (see the class comment), sampled (seeded by {@code seed}) otherwise. Inputs are not modified.
     */
    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed) {
        return compute(net, problem, lambda, seed, () -> false, () -> false, null);
    }

    /**
     * As above; the pricing looks at {@code stop} every few milliseconds and ends early once it is true. The best atom
     * found by then is a lower bound on {@code S}, so the certificate is then a sampled estimate (never {@code exact}):
     * what a fit past its deadline's grace reports ({@code CancellationToken#finishing}); a cancelled fit's caller
     * discards it. The proof of the dual norm ({@link ProvenDualNorm}) ends once {@code proofStop} is true (e.g. at the
     * fit's deadline), and then the certificate is not exact but keeps a proven {@code gapBound} where it has one.
     */
    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed, BooleanSupplier stop,
                                      BooleanSupplier proofStop) {
        return compute(net, problem, lambda, seed, stop, proofStop, null);
    }

    /**
     * As above, with {@code carried} (nullable): a pricing of {@link #price} the caller already has, used instead of
     * pricing again only when it is the whole pricing of this very {@code net}, {@code problem}, {@code lambda} and
     * {@code seed} ({@link PricedDualPoint#isFor}); the certificate is then the one pricing afresh gives (the same
     * seeded search, so the same atom). Any other {@code carried} is ignored.
     */
    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed, BooleanSupplier stop,
                                      BooleanSupplier proofStop, PricedDualPoint<ShallowNetwork> carried) {
        PricedDualPoint<ShallowNetwork> priced = carried != null && carried.isFor(net, problem, lambda, seed) ? carried
                : price(net, problem, lambda, seed, stop);
        ProvenDualNorm.Bracket s = ProvenDualNorm.forCertificate(problem.x(), priced.g(), priced.found(),
                problem.loss().classification(), priced::dual, priced.primal(), proofStop);
        double proven = Double.isFinite(s.upper()) ? priced.dual(s.upper()) : Double.NaN;
        if (s.proven()) {
            return new Certificate(priced.primal() - proven, proven, true);
        }
        double estimate = priced.dual(s.lower());
        return new Certificate(priced.primal() - estimate, estimate, false, Double.isNaN(proven) ? null : priced.primal() - proven);
    }

    /**
     * The certificate of {@code net} from the pricing alone, without {@link #compute}'s proof of the dual norm: the same
     * seeded search, so the same atom and, where the proof does not raise its lower bound, the same gap. {@code exact}
     * where the pricing is (1-D; 2-D within {@link Pricing#EXACT_2D_MAX_ROWS} rows), else a sampled estimate without a
     * {@code gapBound}. What {@code auto} asks of a finished gradient fit (is an atom outside it priced above lambda, and
     * by how much does that open the gap), where the proof's branch and bound would cost more than the answer is worth.
     * Stops as {@link #compute} does when {@code stop} is true.
     */
    public static Certificate sampled(ShallowNetwork net, FitProblem problem, double lambda, long seed,
                                      BooleanSupplier stop) {
        return sampled(price(net, problem, lambda, seed, stop));
    }

    /** {@link #sampled(ShallowNetwork, FitProblem, double, long, BooleanSupplier)} of a pricing already made. */
    public static Certificate sampled(PricedDualPoint<?> priced) {
        double dual = priced.dual(priced.found().value());
        return new Certificate(priced.primal() - dual, dual, priced.found().exact());
    }

    /**
     * The fit's primal objective (path-norm form), its dual point {@code g} and the best atom the seeded pricing finds
     * for it: the first step of {@link #compute} and all of {@link #sampled}, to be handed to {@link #compute} of the
     * same fit ({@code carried}) by a caller that asks both. Looks at {@code stop} as {@link #compute} does; a pricing
     * stopped early is not {@link PricedDualPoint#whole()}. Inputs are not modified.
     */
    public static PricedDualPoint<ShallowNetwork> price(ShallowNetwork net, FitProblem problem, double lambda, long seed,
                                                         BooleanSupplier stop) {
        if (!(lambda > 0)) {
            throw new IllegalArgumentException("the certificate needs lambda > 0, got " + lambda);
        }
        DMatrixRMaj x = problem.x();
        DMatrixRMaj predictions = net.predict(x, null);
        double dataFit = problem.loss().value(predictions.data, problem.y().data, problem.sampleWeights(),
                problem.rows(), problem.outputDim());
        DMatrixRMaj g = FenchelDual.point(problem, predictions, true);
        double primal = dataFit + lambda * PathNorm.of(net) + SkipDecay.value(problem.loss(), net, lambda);
        RecordedStop cut = new RecordedStop(stop);   // a search that never looked, as in 1-D, ran whole
        Pricing.Best found = bestAtom(g, x, net, seed, problem.loss().classification(), cut);
        if (cut.seen()) {
            found = new Pricing.Best(found.atom(), false);   // stopped early: only a lower bound, whatever it says
        }
        return new PricedDualPoint<>(net, problem, lambda, seed, primal, g, found, !cut.seen());
    }

    /**
     * {@code S(g)}, exact in 1-D and wherever {@link Pricing#best} is; the network's own directions seed the local
     * search in d >= 2 (at an optimum S is attained at its neurons).
     */
    private static Pricing.Best bestAtom(DMatrixRMaj g, DMatrixRMaj x, ShallowNetwork net, long seed,
                                         boolean constantsOnly, BooleanSupplier stop) {
        if (x.numCols == 1 && !constantsOnly) {
            double s = DualNorm1D.supremum(x.data, g);
            return new Pricing.Best(s == 0 ? null : new Atom(new double[] {1.0}, 0.0, s), true);
        }
        return new Pricing(x, g.numCols, seed).stopWhen(stop).best(g, net.inputWeights(), constantsOnly);
    }
}
