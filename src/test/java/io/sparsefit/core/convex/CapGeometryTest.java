package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.junit.jupiter.api.Test;

/**
 * {@link CapGeometry#capCosine} on every value {@link CapGeometry#capSine} returns: a sine in [0, 1] gives the cosine of
 * that angle (against {@code cos(asin(s))}, computed independently), a value above 1 the whole sphere (-1). Without a
 * clamp the square root never sees a negative argument, at 1 itself and just below it.
 */
class CapGeometryTest {

    @Test
    void theCosineOfEverySineCapSineReturns() {
        for (int i = 0; i <= 1000; i++) {
            double s = i / 1000.0;
            assertThat(CapGeometry.capCosine(s)).as("sine %s", s).isCloseTo(Math.cos(Math.asin(s)), offset(1e-12));
        }
        assertThat(CapGeometry.capCosine(1.0)).isEqualTo(0.0);
        assertThat(CapGeometry.capCosine(Math.nextDown(1.0))).isGreaterThan(0.0);
        assertThat(CapGeometry.capCosine(0.0)).isEqualTo(1.0);
        assertThat(CapGeometry.capCosine(2.0)).isEqualTo(-1.0);
    }

    @Test
    void theCosineOfACapOfABox() {
        double[] u0 = new double[3];
        double sine = CapGeometry.capSine(0, new double[] {0.1, 0.1}, new double[] {0.11, 0.11}, new double[3], u0, new double[3]);
        assertThat(sine).isBetween(0.0, 1.0);
        assertThat(CapGeometry.capCosine(sine)).isCloseTo(Math.cos(Math.asin(sine)), offset(1e-12));
    }
}
