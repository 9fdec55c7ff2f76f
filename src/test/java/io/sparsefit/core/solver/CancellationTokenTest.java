package io.sparsefit.core.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The deadline token and its finishing view ({@link CancellationToken#finishing()}): the grace is a fraction of the
 * budget with a floor, the view trips at the deadline plus the grace and says it timed out, a cancel trips both views
 * and is never a time-out, and a token without a deadline finishes without one. Deadlines an hour away or an hour past
 * only, so no timing is asserted.
 */
class CancellationTokenTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    @Test
    void theGraceIsATenthOfTheBudgetAndAtLeastHalfASecond() {
        long second = TimeUnit.SECONDS.toNanos(1);
        assertThat(CancellationToken.grace(10 * second)).isEqualTo(second);
        assertThat(CancellationToken.grace(100 * second)).isEqualTo(10 * second);
        assertThat(CancellationToken.grace(3 * second)).isEqualTo(second / 2);   // 0.3 s, floored
        assertThat(CancellationToken.grace(0)).isEqualTo(second / 2);
        assertThat(CancellationToken.grace(-second)).isEqualTo(second / 2);      // a deadline already past
    }

    @Test
    void pastTheDeadlineTheFinishingRunsUntilTheGraceIsOver() {
        long now = System.nanoTime();
        CancellationToken withinGrace = CancellationToken.withDeadline(CancellationToken.NEVER, now - HOUR, 2 * HOUR);
        assertThat(withinGrace.isCancelled()).isTrue();
        assertThat(withinGrace.timedOut()).isTrue();
        assertThat(withinGrace.finishing().isCancelled()).isFalse();
        assertThat(withinGrace.finishing().timedOut()).isFalse();
        assertThat(withinGrace.ignoringDeadline().isCancelled()).isFalse();

        CancellationToken graceOver = CancellationToken.withDeadline(CancellationToken.NEVER, now - 2 * HOUR, HOUR);
        assertThat(graceOver.finishing().isCancelled()).isTrue();
        assertThat(graceOver.finishing().timedOut()).isTrue();
        assertThat(graceOver.finishing().finishing().isCancelled()).isTrue();   // no second grace
        assertThat(graceOver.ignoringDeadline().isCancelled()).isFalse();

        CancellationToken ahead = CancellationToken.withDeadline(CancellationToken.NEVER, now + HOUR);
        assertThat(ahead.isCancelled()).isFalse();
        assertThat(ahead.finishing().isCancelled()).isFalse();
        assertThatThrownBy(() -> CancellationToken.withDeadline(CancellationToken.NEVER, now, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePolishStopsHalfwayThroughTheGraceAndLeavesTheRestToThePricing() {
        long now = System.nanoTime();
        // deadline 2 h ago, grace 3 h: the polish's view tripped half an hour ago, the finishing's trips in an hour
        CancellationToken token = CancellationToken.withDeadline(CancellationToken.NEVER, now - 2 * HOUR, 3 * HOUR);
        assertThat(token.polishing().isCancelled()).isTrue();
        assertThat(token.polishing().timedOut()).isTrue();
        assertThat(token.finishing().isCancelled()).isFalse();
        // deadline 1 h ago, grace 4 h: both views still run
        CancellationToken early = CancellationToken.withDeadline(CancellationToken.NEVER, now - HOUR, 4 * HOUR);
        assertThat(early.polishing().isCancelled()).isFalse();
        assertThat(early.finishing().isCancelled()).isFalse();
        // no deadline: no time limit either
        assertThat(CancellationToken.NEVER.polishing()).isSameAs(CancellationToken.NEVER);
        // a cancel trips the polish's view too, and is no time-out
        java.util.concurrent.atomic.AtomicBoolean deleted = new java.util.concurrent.atomic.AtomicBoolean();
        CancellationToken cancellable = CancellationToken.withDeadline(deleted::get, now + HOUR);
        deleted.set(true);
        assertThat(cancellable.polishing().isCancelled()).isTrue();
        assertThat(cancellable.polishing().timedOut()).isFalse();
    }

    @Test
    void aCancelTripsEveryViewAndIsNoTimeOut() {
        AtomicBoolean deleted = new AtomicBoolean();
        CancellationToken token = CancellationToken.withDeadline(deleted::get, System.nanoTime() - HOUR, 2 * HOUR);
        CancellationToken finishing = token.finishing();
        assertThat(finishing.isCancelled()).isFalse();
        deleted.set(true);
        assertThat(token.isCancelled()).isTrue();
        assertThat(token.timedOut()).isFalse();
        assertThat(finishing.isCancelled()).isTrue();
        assertThat(finishing.timedOut()).isFalse();
        assertThat(token.ignoringDeadline().isCancelled()).isTrue();
    }

    @Test
    void nestedDeadlinesFinishByTheEarlierGrace() {
        long now = System.nanoTime();
        // the outer budget (a path's) gives its finishing an hour past its deadline; the inner one's grace is over
        CancellationToken outer = CancellationToken.withDeadline(CancellationToken.NEVER, now - HOUR, 2 * HOUR);
        CancellationToken inner = CancellationToken.withDeadline(outer, now + HOUR, 0);
        assertThat(inner.isCancelled()).isTrue();
        assertThat(inner.timedOut()).isTrue();             // the outer deadline tripped it
        assertThat(inner.finishing().isCancelled()).isFalse();
        CancellationToken late = CancellationToken.withDeadline(outer, now - 2 * HOUR, 0);
        assertThat(late.finishing().isCancelled()).isTrue();
        assertThat(late.finishing().timedOut()).isTrue();
    }

    @Test
    void aTokenWithoutADeadlineFinishesWithoutOne() {
        assertThat(CancellationToken.NEVER.finishing()).isSameAs(CancellationToken.NEVER);
        AtomicBoolean deleted = new AtomicBoolean();
        CancellationToken plain = deleted::get;
        assertThat(plain.finishing()).isSameAs(plain);
    }
}
