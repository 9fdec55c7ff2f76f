package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.finish.ExactDualNorm2D;
import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pricing of a dual point orthogonal to the constants only (a classification loss, whose skip weights are decayed,
 * theory A2b): then {@code relu(-u . x + c)} is not the mirror of {@code relu(u . x - c)}, and the value must come from
 * the full circle of directions. In two inputs it is exact: compared here with the test's own arc enumeration over the
 * full circle ({@link ExactDualNorm2D}), to 1e-12 relative; the half-turn sweep alone would miss the other half.
 */
class ConstantsOnlyPricingTest {

    @ParameterizedTest(name = "N={0}, m={1}, seed={2}")
    @CsvSource({"12, 1, 1", "30, 1, 2", "40, 3, 3", "80, 1, 4", "25, 2, 5"})
    void twoInputsAreExactOverTheFullCircle(int n, int m, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, 2, seed);
        DMatrixRMaj r = RandomNetworks.matrix(n, m, seed + 100);
        // a linear trend in x too, so that the two half-turns differ
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < m; k++) {
                r.add(i, k, (k + 1) * (x.get(i, 0) - 0.5 * x.get(i, 1)));
            }
        }
        AffineProjection.of(x, false).projectInPlace(r);   // constants only
        double reference = ExactDualNorm2D.supremum(x, r);
        Pricing.Best best = new Pricing(x, m, seed).best(r, null, true);
        assertThat(best.exact()).isTrue();
        assertThat(best.value()).isCloseTo(reference, org.assertj.core.data.Offset.offset(1e-12 * reference));
        // the atom's value is its own: ||sum r_n relu(u . x_n - c)||
        double[] u = best.atom().direction();
        double s = 0;
        for (int k = 0; k < m; k++) {
            double c = 0;
            for (int i = 0; i < n; i++) {
                c += r.get(i, k) * Math.max(0, u[0] * x.get(i, 0) + u[1] * x.get(i, 1) - best.atom().offset());
            }
            s += c * c;
        }
        assertThat(Math.sqrt(s)).isCloseTo(reference, org.assertj.core.data.Offset.offset(1e-12 * reference));
    }
}
