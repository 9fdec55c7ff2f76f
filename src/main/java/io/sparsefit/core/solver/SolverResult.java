package io.sparsefit.core.solver;

import io.sparsefit.core.convex.PricedDualPoint;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.network.ShallowNetwork;
import java.util.List;

/**
 * What a solver returns: the network, why it stopped, its loss curve, and what the solver knows of it that the facade
 * would otherwise compute again or ask the solver class for.
 *
 * @param solver    the solver type whose fit the network is (a composite solver, {@code WidthFreeSolver}, returns one of
 *                  its phases' networks); null when it is the type the fit was run as
 * @param finished  whether the network already went through the finishing of {@code SparseFit.solveAndFinish} (or was
 *                  deliberately left unfinished by a cancel there), so it is not finished again
 * @param dataFit   the network's data fit (theory A2) when the solver computed it, NaN otherwise
 * @param lambdaMax the problem's lambda_max (S of the affine fit's dual point, theory T6/T8) when the solver priced it
 *                  ({@code convex}), NaN otherwise
 * @param pricing   the certificate's pricing of exactly this result's network (its one-layer view, by identity), when
 *                  the solver made it on the fit's problem, lambda and seed ({@code auto} asking whether a finished
 *                  gradient fit opens a gap); null otherwise. The diagnostics' certificate then only adds its proof.
 *                  A result with another network never carries it: the constructor refuses a pricing of another
 *                  object, and {@link #finished(Network)} drops it
 */
public record SolverResult(Network network, StopReason stopReason, int iterations, List<LossPoint> lossCurve,
                           SolverType solver, boolean finished, double dataFit, double lambdaMax,
                           PricedDualPoint<ShallowNetwork> pricing) {

    public SolverResult {
        lossCurve = List.copyOf(lossCurve);
        if (pricing != null && pricing.fit() != network.oneLayer()) {
            throw new IllegalArgumentException("a pricing carried by a result must be of the result's own network");
        }
    }

    /** As above without a carried pricing. */
    public SolverResult(Network network, StopReason stopReason, int iterations, List<LossPoint> lossCurve,
                        SolverType solver, boolean finished, double dataFit, double lambdaMax) {
        this(network, stopReason, iterations, lossCurve, solver, finished, dataFit, lambdaMax, null);
    }

    /** A solver's own result: the type it was run as, not finished, nothing else known. */
    public SolverResult(Network network, StopReason stopReason, int iterations, List<LossPoint> lossCurve) {
        this(network, stopReason, iterations, lossCurve, null, false, Double.NaN, Double.NaN);
    }

    public boolean converged() {
        return stopReason == StopReason.CONVERGED;
    }

    /** {@link #solver()}, or {@code runAs} when the solver did not say (its network is a fit of the type it ran as). */
    public SolverType solverOr(SolverType runAs) {
        return solver == null ? runAs : solver;
    }

    /** This result with another stop reason, all else kept. */
    public SolverResult withStopReason(StopReason reason) {
        return new SolverResult(network, reason, iterations, lossCurve, solver, finished, dataFit, lambdaMax, pricing);
    }

    /**
     * This result marked finished ({@link #finished()}) with {@code finishedNetwork} (the finishing may change it, in
     * place or not: no {@link #pricing()} is kept).
     */
    public SolverResult finished(Network finishedNetwork) {
        return new SolverResult(finishedNetwork, stopReason, iterations, lossCurve, solver, true, dataFit, lambdaMax);
    }

    /** This result as the fit of {@code type} (a composite solver's phase), with its data fit when known (else NaN). */
    public SolverResult producedBy(SolverType type, double knownDataFit) {
        return new SolverResult(network, stopReason, iterations, lossCurve, type, finished, knownDataFit, lambdaMax, pricing);
    }

    /** This result with the problem's lambda_max the solver priced. */
    public SolverResult withLambdaMax(double priced) {
        return new SolverResult(network, stopReason, iterations, lossCurve, solver, finished, dataFit, priced, pricing);
    }

    /**
     * This result carrying {@code priced}, the certificate's pricing of its network
     * ({@code DualCertificate.price(shallow(), problem, lambda, seed, stop)}), all else kept.
     *
     * @throws IllegalArgumentException when {@code priced} is of another network
     */
    public SolverResult withPricing(PricedDualPoint<ShallowNetwork> priced) {
        return new SolverResult(network, stopReason, iterations, lossCurve, solver, finished, dataFit, lambdaMax, priced);
    }

    /**
     * The network as one hidden layer, for the code that only handles that case (the exact and convex solvers, the
     * 1-D views, the convex polish).
     *
     * @throws IllegalStateException when the network is deep
     */
    public ShallowNetwork shallow() {
        return Networks.shallow(network);
    }
}
