package io.sparsefit.job;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Progress of the jobs running in this process, updated by the worker thread at every progress report and read by
 * API requests, so that polls see live numbers without a database write per step. The database gets a copy at a
 * modest rate (see {@code progress-persist-interval}).
 */
@Component
class LiveJobs {

    private final Map<String, Live> running = new ConcurrentHashMap<>();

    static final class Live {
        final String id;
        volatile int step;
        volatile double objective = Double.NaN;
        /** The latest duality gap the solver reported (convex solver), NaN until then. */
        volatile double gap = Double.NaN;
        /** Set by a cancel request; read by the runner through its cancellation token. */
        volatile boolean cancelled;
        /**
         * Set when the lease was found taken over (this replica lost the database for longer than a lease and another
         * queued the job again): the runner stops and nothing is written.
         */
        volatile boolean lost;
        long lastPersistNanos;

        Live(String id) {
            this.id = id;
            this.lastPersistNanos = System.nanoTime();
        }
    }

    Live start(String id) {
        Live live = new Live(id);
        running.put(id, live);
        return live;
    }

    Live get(String id) {
        return running.get(id);
    }

    void end(String id) {
        running.remove(id);
    }

    /** The jobs running in this process now (a snapshot). */
    List<Live> all() {
        return List.copyOf(running.values());
    }

    int size() {
        return running.size();
    }
}
