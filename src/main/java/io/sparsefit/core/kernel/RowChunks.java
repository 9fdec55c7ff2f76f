package io.sparsefit.core.kernel;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parallelism inside one evaluation over row chunks, without giving up bit-identical results; {@link #both} also runs
 * the local pricing's two lanes of starts ({@code LocalPricing.search}, whose lanes write each start's atom into its
 * own slot, so the same rule holds: threads decide who computes, never what).
 *
 * <p>The rule: the rows of an evaluation are split into chunks by their count alone ({@link #chunks(int, int)}: one
 * chunk up to {@code 2 * blockRows} rows, else two halves cut at a block boundary), each chunk is summed block by
 * block in row order into its own partial sums, and the partials are added chunk 0 + chunk 1, always. Threads only
 * decide who computes a chunk, never how it is summed, so a fit gives the same bits with 1 thread or 2.
 *
 * <p>Helper threads are shared by the whole JVM: at most {@code threads - 1} are busy at once (default: the available
 * processors, {@code -Dsparsefit.kernel-threads=N} or {@link #setThreads} to change). When none is idle, for instance
 * because every worker of the service's fit pool is busy and has borrowed one, the caller computes the second chunk
 * itself after the first: a fit uses an idle core when there is one and never waits for one.
 */
public final class RowChunks {

    /** System property: the most threads one evaluation uses (the caller plus helpers). */
    public static final String PROPERTY = "sparsefit.kernel-threads";

    private static volatile int threads = Math.max(1, Integer.getInteger(PROPERTY, Runtime.getRuntime().availableProcessors()));
    private static final AtomicInteger busyHelpers = new AtomicInteger();
    private static final AtomicInteger created = new AtomicInteger();
    private static final ExecutorService HELPERS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "sparsefit-rows-" + created.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private RowChunks() {
    }

    /** The most threads one evaluation uses now. */
    public static int threads() {
        return threads;
    }

    /** Sets the most threads one evaluation uses (at least 1); for tests and benchmarks. Results do not depend on it. */
    public static void setThreads(int count) {
        threads = Math.max(1, count);
    }

    /** Chunks for {@code rows} rows in blocks of {@code blockRows}: 1, or 2 above two blocks. Depends on nothing else. */
    public static int chunks(int rows, int blockRows) {
        return rows > 2 * blockRows ? 2 : 1;
    }

    /** Where the second chunk starts: after the first half of the blocks, rounded up. */
    public static int split(int rows, int blockRows) {
        int blocks = (rows + blockRows - 1) / blockRows;
        return Math.min(rows, ((blocks + 1) / 2) * blockRows);
    }

    /** The work of one chunk: the sum over rows {@code [from, to)}, computed by lane {@code lane} into its own partials. */
    @FunctionalInterface
    public interface ChunkSum {
        double over(int lane, int from, int to);
    }

    /**
     * The rule above applied to rows {@code [0, count)}: one chunk on lane 0, or two ({@link #chunks}, at
     * {@link #split}) on lanes 0 and 1 through {@link #both}, then {@code mergeLanes} (adding lane 1's partials into
     * lane 0's) and chunk 0's sum + chunk 1's. {@code lanes} caps the chunks at the lanes the caller has.
     */
    public static double sum(int count, int blockRows, int lanes, ChunkSum chunk, Runnable mergeLanes) {
        if (Math.min(lanes, chunks(count, blockRows)) == 1) {
            return chunk.over(0, 0, count);
        }
        int split = split(count, blockRows);
        double[] sums = new double[2];
        both(() -> sums[0] = chunk.over(0, 0, split), () -> sums[1] = chunk.over(1, split, count));
        mergeLanes.run();
        return sums[0] + sums[1];
    }

    /**
     * Runs {@code first} in the calling thread and {@code second} on an idle helper when there is one (else after
     * {@code first}, in the calling thread); returns when both are done. A failure of either is rethrown.
     */
    public static void both(Runnable first, Runnable second) {
        Future<?> helped = null;
        int allowed = threads;
        if (allowed > 1 && busyHelpers.incrementAndGet() <= allowed - 1) {
            helped = HELPERS.submit(() -> {
                try {
                    second.run();
                } finally {
                    busyHelpers.decrementAndGet();
                }
            });
        } else if (allowed > 1) {
            busyHelpers.decrementAndGet();
        }
        try {
            first.run();
        } finally {
            if (helped != null) {
                await(helped);
            }
        }
        if (helped == null) {
            second.run();
        }
    }

    private static void await(Future<?> helped) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    helped.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the helper is computing into the caller's buffers: wait for it regardless
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
