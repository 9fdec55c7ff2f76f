package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.ShallowNetwork;

/** PLACEHOLDER: the duality-gap certificate of theory T8; being implemented on feature branches. */
public final class DualCertificate {

    private DualCertificate() {
    }

    /**
     * Certificate for {@code net} on {@code problem} at strength {@code lambda > 0}: exact for d = 1,
     * sampled (seeded by {@code seed}) for d >= 2.
     */
    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed) {
        throw new UnsupportedOperationException("DualCertificate is not implemented yet");
    }
}
