package io.sparsefit.core.linalg;

import java.util.SplittableRandom;

/** Standard normal draws for the seeded searches (pricing starts, initial weights): one formula, so the same draws. */
public final class Gaussian {

    private Gaussian() {
    }

    /** Standard normal by Box-Muller (SplittableRandom has no nextGaussian on Java 17); {@code random} is advanced twice. */
    public static double next(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
