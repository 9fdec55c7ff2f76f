package io.sparsefit.core;

import io.sparsefit.core.solver.CancellationToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Cancellation tokens that never cancel but move the clock under a fit, and the fingerprint to compare afterwards. Every
 * solver, the finishing and the certificate poll their token, so a token that parks the polling thread now and then
 * makes the fit run as on a loaded machine, and a deadline token reads {@link System#nanoTime()} at each of those polls.
 * A fit run through them must give the same bits as one run through {@link CancellationToken#NEVER}: within its budget
 * a fit does not depend on time.
 */
public final class ClockPerturbation {

    private ClockPerturbation() {
    }

    /** Never cancels; parks the polling thread for {@code nanos} at every {@code every}-th poll. */
    public static CancellationToken slow(int every, long nanos) {
        AtomicLong polls = new AtomicLong();
        return () -> {
            if (polls.incrementAndGet() % every == 0) {
                LockSupport.parkNanos(nanos);
            }
            return false;
        };
    }

    /** {@link #slow} under a deadline an hour away ({@link CancellationToken#withDeadline}), which never passes in a test. */
    public static CancellationToken slowUnderDeadline(int every, long nanos) {
        return CancellationToken.withDeadline(slow(every, nanos), System.nanoTime() + TimeUnit.HOURS.toNanos(1));
    }

    /**
     * A deadline at a chosen moment of the fit, the same on every run: the token trips (and says {@link
     * CancellationToken#timedOut}) from its {@code polls + 1}-th poll on.
     */
    public static CancellationToken deadlineAfterPolls(long polls) {
        AtomicLong seen = new AtomicLong();
        return DeadlineTokens.deadline(() -> seen.incrementAndGet() > polls, () -> seen.get() > polls);
    }

    /** Everything a fit answers but its run time, as exact bit patterns. */
    public static List<String> fingerprint(FitOutcome outcome) {
        Diagnostics d = outcome.diagnostics();
        List<String> out = new ArrayList<>();
        out.add(d.stopReason().name());
        out.add("iterations " + d.iterations());
        double[] parameters = new double[outcome.network().parameterCount()];
        outcome.network().getParameters(parameters);
        for (double v : parameters) {
            out.add(Long.toHexString(Double.doubleToRawLongBits(v)));
        }
        out.add("objective " + Long.toHexString(Double.doubleToRawLongBits(d.objective())));
        out.add("lambdaMax " + Long.toHexString(Double.doubleToRawLongBits(d.lambdaMax())));
        out.add("certificate " + (d.certificate() == null ? "none" : Long.toHexString(Double.doubleToRawLongBits(d.certificate().gap()))
                + " " + d.certificate().exact() + " " + d.certificate().gapBound()));
        return out;
    }
}
