package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.kernel.RowChunks;
import io.sparsefit.core.network.RandomNetworks;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalPricing#search} ascends its starts on two lanes: the atoms it returns are those of the ascents from
 * each start taken one at a time ({@link LocalPricing#ascend} on a separate instance, in start order, then sorted by
 * value and with repeats dropped as the search's contract says), bit for bit, with one thread and with two, for one
 * output, several, and the oriented steps of a classification loss; and one instance searched twice gives the same
 * atoms again (nothing a lane keeps from one search changes the next).
 */
class LocalPricingLanesTest {

    private final int threadsBefore = RowChunks.threads();

    @AfterEach
    void restore() {
        RowChunks.setThreads(threadsBefore);
    }

    @Test
    void theSearchReturnsTheAscentsOfItsStartsWithOneAndTwoThreads() {
        boolean twoThreadsSeen = false;
        for (int[] shape : new int[][] {{3, 400, 1, 0}, {5, 300, 1, 0}, {4, 200, 2, 0}, {3, 300, 1, 1}}) {
            int d = shape[0];
            int n = shape[1];
            int m = shape[2];
            boolean oriented = shape[3] == 1;
            DMatrixRMaj x = RandomNetworks.matrix(n, d, 700 + d);
            DMatrixRMaj r = PricingTest.residual(x, m, 710 + d);
            DMatrixRMaj seeds = RandomNetworks.matrix(40, d, 720 + d);
            List<Atom> expected = ascentsOneAtATime(x, r, seeds, oriented);
            for (int threads : new int[] {1, 2}) {
                RowChunks.setThreads(threads);
                Set<Thread> lookers = ConcurrentHashMap.newKeySet();
                LocalPricing pricing = new LocalPricing(x, m, 1).stopWhen(lookedAtFrom(lookers));
                if (oriented) {
                    pricing.orientedSteps();
                }
                String what = "d " + d + ", m " + m + (oriented ? ", oriented" : "") + ", " + threads + " thread(s)";
                assertSameBits(pricing.search(r, seeds, 0, 0, 0.0, seeds.numRows), expected, what);
                assertSameBits(pricing.search(r, seeds, 0, 0, 0.0, seeds.numRows), expected, what + ", searched again");
                twoThreadsSeen |= lookers.size() == 2;
                if (threads == 1) {
                    assertThat(lookers).as(what).hasSize(1);
                }
            }
            // with random starts too, one thread and two agree atom for atom (the starts are drawn before the ascents)
            RowChunks.setThreads(1);
            List<Atom> one = new LocalPricing(x, m, 5).search(r, seeds, Pricing.PAIR_STARTS, Pricing.RANDOM_STARTS, 0.0, 100);
            RowChunks.setThreads(2);
            List<Atom> two = new LocalPricing(x, m, 5).search(r, seeds, Pricing.PAIR_STARTS, Pricing.RANDOM_STARTS, 0.0, 100);
            assertSameBits(two, one, "d " + d + " with random starts");
        }
        // the second lane ran on a helper thread at least once (a helper busy elsewhere in the JVM runs it on the caller:
        // still the same atoms, but then the lanes above were not both exercised; so a few more tries)
        RowChunks.setThreads(2);
        DMatrixRMaj x = RandomNetworks.matrix(300, 3, 703);
        DMatrixRMaj r = PricingTest.residual(x, 1, 713);
        DMatrixRMaj seeds = RandomNetworks.matrix(40, 3, 723);
        for (int attempt = 0; attempt < 20 && !twoThreadsSeen; attempt++) {
            Set<Thread> lookers = ConcurrentHashMap.newKeySet();
            new LocalPricing(x, 1, 1).stopWhen(lookedAtFrom(lookers)).search(r, seeds, 0, 0, 0.0, seeds.numRows);
            twoThreadsSeen = lookers.size() == 2;
        }
        assertThat(twoThreadsSeen).as("a search looked at its stop from two threads").isTrue();
    }

    /** A stop that never stops and records the threads that look at it. */
    private static java.util.function.BooleanSupplier lookedAtFrom(Set<Thread> lookers) {
        return () -> {
            lookers.add(Thread.currentThread());
            return false;
        };
    }

    /**
     * The reference: every seed (normalized as the search normalizes) ascended in turn by one instance, the ascents
     * sorted by value, best first (a stable sort: start order among equal values), repeats of an atom kept before them
     * dropped ({@link LocalPricing#same}); all values here are above the search's threshold 0.
     */
    private static List<Atom> ascentsOneAtATime(DMatrixRMaj x, DMatrixRMaj r, DMatrixRMaj seeds, boolean oriented) {
        int d = x.numCols;
        LocalPricing serial = new LocalPricing(x, r.numCols, 1);
        if (oriented) {
            serial.orientedSteps();
        }
        List<Atom> ascents = new ArrayList<>();
        for (int k = 0; k < seeds.numRows; k++) {
            double[] u = new double[d];
            System.arraycopy(seeds.data, k * d, u, 0, d);
            assertThat(LocalPricing.normalize(u)).isTrue();
            ascents.add(serial.ascend(r, u));
        }
        ascents.sort((p, q) -> Double.compare(q.value(), p.value()));
        List<Atom> distinct = new ArrayList<>();
        for (Atom a : ascents) {
            assertThat(a.value()).isPositive();
            if (distinct.stream().noneMatch(b -> LocalPricing.same(a, b))) {
                distinct.add(a);
            }
        }
        return distinct;
    }

    private static void assertSameBits(List<Atom> actual, List<Atom> expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Atom a = actual.get(i);
            Atom e = expected.get(i);
            assertThat(Double.doubleToRawLongBits(a.value())).as("%s: value %d", what, i)
                    .isEqualTo(Double.doubleToRawLongBits(e.value()));
            assertThat(Double.doubleToRawLongBits(a.offset())).as("%s: offset %d", what, i)
                    .isEqualTo(Double.doubleToRawLongBits(e.offset()));
            assertThat(a.direction()).as("%s: direction %d", what, i).isEqualTo(e.direction());
        }
    }
}
