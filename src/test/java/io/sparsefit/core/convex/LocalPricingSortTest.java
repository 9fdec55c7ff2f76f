package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalPricing}'s bucket sort gives exactly the stable descending order of its entry order, the one
 * {@link List#sort} (a stable merge sort) computes independently: keys with exact ties, signed zeros, near-ties in the
 * last bits, clusters, ranges from subnormal to near overflow, and entry orders that are shuffled or nearly sorted (as
 * an ascent's previous order is). Equal keys must keep their entry order, since the ascent's anchor, and so every fit,
 * depends on it.
 */
class LocalPricingSortTest {

    @Test
    void isTheStableDescendingSortOfTheEntryOrder() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 400; trial++) {
            int n = 1 + random.nextInt(trial < 50 ? 8 : 1500);
            double[] keys = keys(random, n, trial % 6);
            int[] order = entryOrder(random, keys, n, trial % 3);
            List<Integer> expected = new ArrayList<>();
            for (int item : order) {
                expected.add(item);
            }
            expected.sort((p, q) -> Double.compare(keys[q] == 0.0 ? 0.0 : keys[q], keys[p] == 0.0 ? 0.0 : keys[p]));

            LocalPricing.sortDescending(keys, order, n, new int[n], new int[n], new int[n + 1]);

            for (int t = 0; t < n; t++) {
                assertThat(order[t]).as("trial %d, n %d, position %d", trial, n, t).isEqualTo(expected.get(t));
            }
        }
    }

    private static double[] keys(SplittableRandom random, int n, int kind) {
        double[] keys = new double[n];
        double base = random.nextDouble(-5, 5);
        for (int i = 0; i < n; i++) {
            keys[i] = switch (kind) {
                case 0 -> random.nextGaussian();                                              // a projection's spread
                case 1 -> random.nextInt(-3, 4);                                              // exact ties
                case 2 -> random.nextBoolean() ? 0.0 : -0.0;                                  // all equal (signed zeros)
                case 3 -> base + Math.ulp(base) * random.nextInt(-20, 20);                    // near-ties in the last bits
                case 4 -> random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(-320, 308)); // subnormal to near overflow
                default -> random.nextInt(10) == 0 ? 1e300 * random.nextDouble(-1, 1)        // a wide range, clustered
                        : 1e-3 * random.nextGaussian();
            };
        }
        return keys;
    }

    /** A shuffled order, the identity, or a nearly sorted one (descending, with a few swaps of neighbours). */
    private static int[] entryOrder(SplittableRandom random, double[] keys, int n, int kind) {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(i);
        }
        if (kind == 2) {
            items.sort((p, q) -> Double.compare(keys[q], keys[p]));
            for (int s = 0; s < n / 10; s++) {
                int at = random.nextInt(Math.max(1, n - 1));
                if (at + 1 < n) {
                    items.set(at, items.set(at + 1, items.get(at)));
                }
            }
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = items.get(i);
        }
        if (kind == 0) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }
}
