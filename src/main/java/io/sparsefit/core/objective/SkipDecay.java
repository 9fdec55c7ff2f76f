package io.sparsefit.core.objective;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Network;

/**
 * The weight decay {@code lambda/2 ||C||_F^2} on the skip's weight matrix that a classification loss adds to the
 * penalty (theory A2b: with a free {@code C} linearly separable data has no minimizer); the intercept {@code c0}
 * stays free. Zero for regression losses and networks without a skip connection.
 */
public final class SkipDecay {

    private SkipDecay() {
    }

    /** Whether {@code loss} decays the skip weights of {@code net}. */
    public static boolean applies(Loss loss, Network net) {
        return loss.classification() && net.hasSkip();
    }

    /** {@code lambda/2 ||C||_F^2} when it applies, else 0; nothing modified. */
    public static double value(Loss loss, Network net, double lambda) {
        if (!applies(loss, net)) {
            return 0.0;
        }
        return 0.5 * lambda * MatrixNorms.inner(net.skipWeights(), net.skipWeights());
    }

    /** Adds {@code lambda C} to the skip-weight block of {@code gradient} (flat layout of {@link Network}), modified. */
    public static void addGradient(Loss loss, Network net, double lambda, double[] gradient) {
        if (!applies(loss, net)) {
            return;
        }
        double[] c = net.skipWeights().data;
        int offset = net.offsetSkipWeights();
        for (int i = 0; i < net.skipWeights().getNumElements(); i++) {
            gradient[offset + i] += lambda * c[i];
        }
    }
}
