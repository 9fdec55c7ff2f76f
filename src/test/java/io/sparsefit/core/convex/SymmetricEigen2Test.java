package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SymmetricEigen2Test {

    /**
     * Against the definition: G v = top v, top the larger root of the characteristic polynomial, and the Rayleigh
     * quotient of 720 directions on the half circle never above it.
     */
    @Test
    void theTopEigenpairSatisfiesItsDefinition() {
        SplittableRandom random = new SplittableRandom(11);
        double[] v = new double[2];
        for (int trial = 0; trial < 200; trial++) {
            double g00 = random.nextDouble(-3, 3);
            double g01 = random.nextDouble(-3, 3);
            double g11 = random.nextDouble(-3, 3);
            double top = SymmetricEigen2.top(g00, g01, g11);
            double scale = Math.abs(g00) + Math.abs(g01) + Math.abs(g11);
            // characteristic polynomial t^2 - trace t + det at top, and the other root trace - top not above it
            double det = g00 * g11 - g01 * g01;
            assertThat(Math.abs(top * top - (g00 + g11) * top + det)).isLessThan(1e-12 * scale * scale);
            assertThat((g00 + g11) - top).isLessThanOrEqualTo(top);
            double len = SymmetricEigen2.topVector(g00, g01, g11, top, v);
            assertThat(len).isPositive();
            assertThat(Math.hypot(v[0], v[1])).isCloseTo(len, offset(1e-12 * len));
            double x = v[0] / len;
            double y = v[1] / len;
            assertThat(Math.abs(g00 * x + g01 * y - top * x)).isLessThan(1e-12 * scale);
            assertThat(Math.abs(g01 * x + g11 * y - top * y)).isLessThan(1e-12 * scale);
            for (int a = 0; a < 720; a++) {
                double c = Math.cos(Math.PI * a / 720);
                double s = Math.sin(Math.PI * a / 720);
                assertThat(g00 * c * c + 2 * g01 * c * s + g11 * s * s).isLessThanOrEqualTo(top + 1e-12 * scale);
            }
        }
    }

    @Test
    void aMultipleOfTheIdentityHasNoPreferredDirection() {
        double[] v = new double[2];
        assertThat(SymmetricEigen2.top(2.5, 0.0, 2.5)).isEqualTo(2.5);
        assertThat(SymmetricEigen2.topVector(2.5, 0.0, 2.5, 2.5, v)).isZero();
    }
}
