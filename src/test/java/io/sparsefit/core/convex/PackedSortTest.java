package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PackedSort} returns exactly {@link DualNorm1D#sortedOrder}'s stable permutation, including keys that differ
 * only in the low bits it packs the index into, exact ties, signed zeros and keys of both signs and many magnitudes.
 */
class PackedSortTest {

    @Test
    void matchesTheStableMergeSortOnHardKeys() {
        SplittableRandom random = new SplittableRandom(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + random.nextInt(3000);
            double[] keys = new double[n];
            double base = random.nextDouble(-10, 10);
            for (int i = 0; i < n; i++) {
                switch (random.nextInt(5)) {
                    case 0 -> keys[i] = base + Math.ulp(base) * random.nextInt(-40, 40);   // near-ties in the low bits
                    case 1 -> keys[i] = random.nextBoolean() ? 0.0 : -0.0;
                    case 2 -> keys[i] = random.nextInt(-3, 3);                               // exact ties
                    case 3 -> keys[i] = random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-300, 300));
                    default -> keys[i] = random.nextDouble(-1, 1);
                }
            }
            int[] order = new int[n];
            new PackedSort(n + random.nextInt(5)).sortedOrder(keys, n, order);
            assertThat(order).containsExactly(DualNorm1D.sortedOrder(keys));
        }
    }
}
