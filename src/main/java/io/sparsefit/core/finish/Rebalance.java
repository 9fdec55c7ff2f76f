package io.sparsefit.core.finish;

import io.sparsefit.core.network.ShallowNetwork;

/**
 * Neural balance (theory A4): {@code (v, w, b) -> (v/a, a w, a b)} with {@code a = sqrt(||v|| / ||w||)}
 * gives {@code ||v_k|| = ||w_k||}. ReLU is positively homogeneous, so the function is unchanged; the
 * path norm is unchanged and the weight-decay penalty drops to it (A3).
 */
public final class Rebalance {

    private Rebalance() {
    }

    /** A rebalanced copy; neurons with {@code v_k = 0} or {@code w_k = 0} are copied unchanged. */
    public static ShallowNetwork rebalance(ShallowNetwork network) {
        ShallowNetwork out = network.copy();
        out.balance();
        return out;
    }
}
