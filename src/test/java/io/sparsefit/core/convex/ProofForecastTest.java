package io.sparsefit.core.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.network.RandomNetworks;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * {@link ProofForecast}: it gives up only at its checkpoints, when the gap's rate per doubling of work cannot reach the
 * tolerance within twice the budget (or the gap stopped shrinking from a quarter of the budget on), never without a
 * budget; a search it ends still returns proven bounds and reports no convergence.
 */
class ProofForecastTest {

    @Test
    void givesUpOnlyWhenTheRateCannotReachTheTolerance() {
        long budget = 1L << 20;
        ProofForecast slow = new ProofForecast(1e-6, budget);
        assertThat(slow.hopeless(budget >> 4, 1.0, 1.5)).isFalse();     // first checkpoint: no rate yet
        assertThat(slow.hopeless(budget >> 3, 1.0, 1.25)).isTrue();     // halving per doubling: 18 more doublings
        ProofForecast fast = new ProofForecast(1e-6, budget);
        assertThat(fast.hopeless(budget >> 4, 1.0, 1.01)).isFalse();
        assertThat(fast.hopeless((budget >> 4) + 5, 1.0, 1.001)).isFalse();   // between checkpoints: not looked at
        assertThat(fast.hopeless(budget >> 3, 1.0, 1.0001)).isFalse();  // shrinking 100x per doubling: one more
        ProofForecast stuck = new ProofForecast(1e-6, budget);
        assertThat(stuck.hopeless(budget >> 4, 1.0, 1.1)).isFalse();
        assertThat(stuck.hopeless(budget >> 3, 1.0, 1.1)).isFalse();    // no progress, but before a quarter
        assertThat(stuck.hopeless(budget >> 2, 1.0, 1.1)).isTrue();
        ProofForecast unbounded = new ProofForecast(1e-6, Long.MAX_VALUE);
        assertThat(unbounded.hopeless(1L << 40, 1.0, 2.0)).isFalse();
        assertThat(unbounded.hopeless(1L << 50, 1.0, 2.0)).isFalse();
    }

    @Test
    void aSearchEndedByTheForecastKeepsProvenBounds() {
        DMatrixRMaj x = RandomNetworks.matrix(200, 5, 3);
        DMatrixRMaj r = PricingTest.residual(x, 1, 4);
        Atom local = new LocalPricing(x, 1, 3).search(r, null, 8, 8, Double.POSITIVE_INFINITY, 1).get(0);
        long budget = 400_000_000L;
        OffsetCellBound.Result b = new OffsetCellBound(x, 1).bound(r, local, 1e-9, Long.MAX_VALUE, budget, null);
        assertThat(b.converged()).isFalse();
        assertThat(b.work()).isLessThan(budget);   // ended by the forecast, not the budget
        assertThat(b.upper()).isGreaterThanOrEqualTo(b.lower());
        assertThat(b.lower()).isGreaterThanOrEqualTo(local.value() * (1 - 1e-12));
    }
}
