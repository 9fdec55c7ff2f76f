package io.sparsefit.core.linalg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link IndexSort#mergeSort} against the JDK's stable sort of boxed indices (an independent algorithm: TimSort with a
 * comparator), both directions, on keys with many ties, 0.0 next to -0.0, and every length from 0 to 70 (odd runs).
 */
class IndexSortTest {

    @Test
    void mergeSortIsTheStableSortInBothDirections() {
        SplittableRandom random = new SplittableRandom(3);
        for (int n = 0; n <= 70; n++) {
            for (int trial = 0; trial < 5; trial++) {
                double[] keys = new double[n];
                for (int i = 0; i < n; i++) {
                    int draw = random.nextInt(7);
                    keys[i] = draw == 0 ? 0.0 : draw == 1 ? -0.0 : random.nextInt(6) - 2.5;
                }
                for (boolean descending : new boolean[] {false, true}) {
                    Integer[] boxed = new Integer[n];
                    Arrays.setAll(boxed, i -> i);
                    // Double.compare orders -0.0 below 0.0; the sort treats them as equal, as < and > do.
                    Comparator<Integer> byKey = (a, b) -> keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0;
                    Arrays.sort(boxed, descending ? byKey.reversed() : byKey);
                    int[] order = new int[n];
                    Arrays.setAll(order, i -> i);
                    IndexSort.mergeSort(keys, order, n, new int[n], descending);
                    assertThat(order).as("n=%d descending=%s", n, descending)
                            .containsExactly(Arrays.stream(boxed).mapToInt(Integer::intValue).toArray());
                }
            }
        }
    }
}
