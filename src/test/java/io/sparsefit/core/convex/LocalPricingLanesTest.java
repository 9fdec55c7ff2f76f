package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.kernel.RowChunks;
import io.sparsefit.core.network.RandomNetworks;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalPricing#search} ascends its starts on two lanes: the atoms it returns are those of the ascents from
 * each start taken one at a time ({@link LocalPricing#ascend}, computed here on a separate instance in start order,
 * then sorted by value and deduplicated as the search's contract says), bit for bit, with one thread and with two.
 */
class LocalPricingLanesTest {

    private final int threadsBefore = RowChunks.threads();

    @AfterEach
    void restore() {
        RowChunks.setThreads(threadsBefore);
    }

    @Test
    void theSearchReturnsTheAscentsOfItsStartsWithOneAndTwoThreads() {
        for (int[] shape : new int[][] {{3, 400, 1}, {5, 300, 1}, {4, 200, 2}}) {
            int d = shape[0];
            int n = shape[1];
            int m = shape[2];
            DMatrixRMaj x = RandomNetworks.matrix(n, d, 700 + d);
            DMatrixRMaj r = PricingTest.residual(x, m, 710 + d);
            DMatrixRMaj seeds = RandomNetworks.matrix(40, d, 720 + d);
            // the reference: every seed ascended in turn by one instance, best first (a stable sort keeps start order
            // among equal values), the same duplicates dropped
            LocalPricing serial = new LocalPricing(x, m, 1);
            List<Atom> ascents = new ArrayList<>();
            for (int k = 0; k < seeds.numRows; k++) {
                double[] u = new double[d];
                System.arraycopy(seeds.data, k * d, u, 0, d);
                assertThat(LocalPricing.normalize(u)).isTrue();   // the search's own normalization
                ascents.add(serial.ascend(r, u));
            }
            ascents.sort((p, q) -> Double.compare(q.value(), p.value()));
            for (int threads : new int[] {1, 2}) {
                RowChunks.setThreads(threads);
                List<Atom> searched = new LocalPricing(x, m, 1).search(r, seeds, 0, 0, 0.0, seeds.numRows);
                assertThat(searched).as("d %d, %d thread(s)", d, threads).isNotEmpty();
                int at = 0;
                for (Atom a : searched) {
                    // the next reference ascent not a duplicate of one returned before it
                    while (at < ascents.size() && isDuplicate(ascents.get(at), searched, a)) {
                        at++;
                    }
                    Atom expected = ascents.get(at++);
                    assertThat(Double.doubleToRawLongBits(a.value())).as("d %d, %d thread(s): value", d, threads)
                            .isEqualTo(Double.doubleToRawLongBits(expected.value()));
                    assertThat(Double.doubleToRawLongBits(a.offset())).as("d %d: offset", d)
                            .isEqualTo(Double.doubleToRawLongBits(expected.offset()));
                    for (int j = 0; j < d; j++) {
                        assertThat(Double.doubleToRawLongBits(a.direction()[j])).as("d %d: direction %d", d, j)
                                .isEqualTo(Double.doubleToRawLongBits(expected.direction()[j]));
                    }
                }
            }
            // with random starts too, one thread and two agree atom for atom (the starts are drawn before the ascents)
            RowChunks.setThreads(1);
            List<Atom> one = new LocalPricing(x, m, 5).search(r, seeds, Pricing.PAIR_STARTS, Pricing.RANDOM_STARTS, 0.0, 100);
            RowChunks.setThreads(2);
            List<Atom> two = new LocalPricing(x, m, 5).search(r, seeds, Pricing.PAIR_STARTS, Pricing.RANDOM_STARTS, 0.0, 100);
            assertThat(two).as("d %d", d).hasSameSizeAs(one);
            for (int i = 0; i < one.size(); i++) {
                assertThat(Double.doubleToRawLongBits(two.get(i).value()))
                        .isEqualTo(Double.doubleToRawLongBits(one.get(i).value()));
                assertThat(two.get(i).direction()).isEqualTo(one.get(i).direction());
            }
        }
    }

    /**
     * Whether the reference ascent {@code candidate} was dropped by the search as a duplicate: it is not {@code a}
     * itself (same direction and offset bits) but repeats, in the search's own test, an atom returned before {@code a}.
     */
    private static boolean isDuplicate(Atom candidate, List<Atom> searched, Atom a) {
        if (sameBits(candidate, a)) {
            return false;
        }
        for (Atom b : searched) {
            if (b == a) {
                break;
            }
            double cos = dot(candidate.direction(), b.direction());
            if (Math.abs(cos) > 1 - 1e-10 && Math.abs(Math.abs(candidate.offset()) - Math.abs(b.offset()))
                    <= 1e-9 * Math.max(1.0, Math.abs(candidate.offset()))) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameBits(Atom p, Atom q) {
        if (Double.doubleToRawLongBits(p.offset()) != Double.doubleToRawLongBits(q.offset())) {
            return false;
        }
        for (int j = 0; j < p.direction().length; j++) {
            if (Double.doubleToRawLongBits(p.direction()[j]) != Double.doubleToRawLongBits(q.direction()[j])) {
                return false;
            }
        }
        return true;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }
}
