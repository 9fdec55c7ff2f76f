package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The one same-pattern merge (C2, A3): on random data, units built as positive combinations of a few base hyperplanes
 * (so several share a pattern) merge into one unit per pattern and outer direction, and an independent evaluation of
 * {@code sum_k v_k relu(w_k . x_n - b_k)} at every sample gives the same values before and after (1e-12 relative),
 * with a path norm {@code sum ||v_k|| ||w_k||} no larger. Units of opposite sign whose merged hyperplane would change
 * the pattern stay apart.
 */
class SamePatternTest {

    @Test
    void copiesOfAPatternMergeWithTheSameValuesAndNoLargerPathNorm() {
        int n = 40;
        int d = 2;
        int m = 2;
        SplittableRandom random = new SplittableRandom(5);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble(-1, 1);
        }
        // Three base units; each appears three times: itself, rescaled by 2, and rescaled by 0.5 with outer weights
        // scaled by 3 (same direction). The pattern of a positive rescaling is the base's.
        int base = 3;
        int k = 3 * base;
        double[] w = new double[k * d];
        double[] b = new double[k];
        double[] v = new double[k * m];
        double[] scale = {1.0, 2.0, 0.5};
        double[] outer = {1.0, 1.0, 3.0};
        for (int q = 0; q < base; q++) {
            double[] wq = {random.nextDouble(-1, 1), random.nextDouble(-1, 1)};
            double bq = random.nextDouble(-0.5, 0.5);
            double[] vq = {random.nextDouble(-1, 1), random.nextDouble(-1, 1)};
            for (int c = 0; c < 3; c++) {
                int unit = c * base + q;
                for (int j = 0; j < d; j++) {
                    w[unit * d + j] = scale[c] * wq[j];
                }
                b[unit] = scale[c] * bq;
                for (int i = 0; i < m; i++) {
                    v[unit * m + i] = outer[c] * vq[i];
                }
            }
        }
        double[] before = values(x, n, d, m, k, w, b, v, null);
        double pathBefore = pathNorm(d, m, k, w, v, null);
        SamePattern.Merged merged = SamePattern.merge(x, n, d, m, k, w, b, v,
                (unit, r) -> SamePattern.preActivation(w, unit, b[unit], x, r, d) > 0, true);
        assertThat(merged).isNotNull();
        int kept = 0;
        for (int unit = 0; unit < k; unit++) {
            kept += merged.removed()[unit] ? 0 : 1;
        }
        assertThat(kept).isEqualTo(base);
        double[] after = values(x, n, d, m, k, w, b, v, merged.removed());
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).isCloseTo(before[i], org.assertj.core.data.Offset.offset(1e-12 * (1 + Math.abs(before[i]))));
        }
        assertThat(pathNorm(d, m, k, w, v, merged.removed())).isLessThanOrEqualTo(pathBefore * (1 + 1e-12));
    }

    @Test
    void oppositeSignsStayApartWhenTheMergedHyperplaneWouldChangeThePattern() {
        // One input, samples 0..3; both units active on samples 2 and 3 only (knots 1.5 and 1.2), amplitudes +1 and -1
        // with slopes 1 and 2: the sum (x - 1.5) - 2 (x - 1.2) = -x + 0.9 is not a positive multiple of one ReLU there.
        double[] x = {0, 1, 2, 3};
        double[] w = {1, 2};
        double[] b = {1.5, 2.4};
        double[] v = {1, -1};
        assertThat(SamePattern.merge(x, 4, 1, 1, 2, w, b, v, (unit, r) -> SamePattern.preActivation(w, unit, b[unit], x, r, 1) > 0, true))
                .isNull();
        assertThat(w).containsExactly(1, 2);
        assertThat(v).containsExactly(1, -1);
    }

    /** {@code sum_k v_k relu(w_k . x_n - b_k)} over the units not removed, written out independently (N x m). */
    private static double[] values(double[] x, int n, int d, int m, int k, double[] w, double[] b, double[] v, boolean[] removed) {
        double[] f = new double[n * m];
        for (int r = 0; r < n; r++) {
            for (int unit = 0; unit < k; unit++) {
                if (removed != null && removed[unit]) {
                    continue;
                }
                double z = -b[unit];
                for (int j = 0; j < d; j++) {
                    z += w[unit * d + j] * x[r * d + j];
                }
                for (int i = 0; i < m; i++) {
                    f[r * m + i] += v[unit * m + i] * Math.max(0, z);
                }
            }
        }
        return f;
    }

    private static double pathNorm(int d, int m, int k, double[] w, double[] v, boolean[] removed) {
        double s = 0;
        for (int unit = 0; unit < k; unit++) {
            if (removed == null || !removed[unit]) {
                s += norm(w, unit * d, d) * norm(v, unit * m, m);
            }
        }
        return s;
    }

    private static double norm(double[] a, int offset, int length) {
        double s = 0;
        for (int i = 0; i < length; i++) {
            s += a[offset + i] * a[offset + i];
        }
        return Math.sqrt(s);
    }
}
