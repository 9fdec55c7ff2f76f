package io.sparsefit.core;

import io.sparsefit.core.network.ShallowNetwork;

/** A finished fit: the network (finished: balanced, pruned, merged) and its diagnostics. */
public record FitOutcome(ShallowNetwork network, Diagnostics diagnostics) {
}
