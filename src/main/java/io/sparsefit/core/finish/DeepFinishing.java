package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.penalty.Regularization;
import java.util.function.BooleanSupplier;

/**
 * The finishing steps for a deep network (theory C3, A4, A8), each of which keeps the function or lowers J:
 * the last-layer polish ({@link DeepPolish}, weight decay with {@code lambda > 0} and an affordable last layer, see
 * {@link Polish#affordable}), layer-wise rebalancing ({@link LayerBalance}), and pruning of units that do nothing in
 * every layer ({@link DeepPrune}); then a last rebalancing, since pruning frees nothing but keeps balance.
 */
public final class DeepFinishing {

    private DeepFinishing() {
    }

    /** A finished copy of {@code net} (not modified). */
    public static DeepNetwork finish(DeepNetwork net, FitProblem problem, Regularization regularization, double lambda) {
        return finish(net, problem, regularization, lambda, () -> false);
    }

    /** As above; the polish ends early once {@code stop} is true (a cancelled fit, whose caller discards the result). */
    public static DeepNetwork finish(DeepNetwork net, FitProblem problem, Regularization regularization, double lambda,
                                     BooleanSupplier stop) {
        DeepNetwork out = net.copy();
        if (regularization == Regularization.WEIGHT_DECAY && lambda > 0 && Polish.applies(problem)
                && Polish.affordable(problem.rows(), out.lastWidth())) {
            out = DeepPolish.polish(out, problem, lambda, stop);
        }
        if (regularization != Regularization.NONE) {
            LayerBalance.rebalance(out);
        }
        out = DeepPrune.prune(out);
        if (regularization != Regularization.NONE) {
            LayerBalance.rebalance(out);
        }
        return out;
    }
}
