package io.sparsefit.fit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Progress of the fits running in this process, updated by the solver thread at every progress
 * callback and read by API requests, so that polls see live numbers without a database write per
 * iteration. The database gets a copy at a modest rate (see {@code progress-persist-interval}).
 */
@Component
class LiveFits {

    private final Map<String, Live> running = new ConcurrentHashMap<>();

    static final class Live {
        final String id;
        final int maxIter;
        volatile int iteration;
        volatile double objective = Double.NaN;
        /** The latest duality gap the solver reported (convex solver), NaN until then. */
        volatile double gap = Double.NaN;
        /** Set by a cancel request; read by the solver through its cancellation token every iteration. */
        volatile boolean cancelled;
        /**
         * Set when the lease was found taken over (this replica lost the database for longer than a
         * lease and another queued the fit again): the solver stops and nothing is written.
         */
        volatile boolean lost;
        long lastPersistNanos;

        Live(String id, int maxIter) {
            this.id = id;
            this.maxIter = maxIter;
            this.lastPersistNanos = System.nanoTime();
        }
    }

    Live start(String id, int maxIter) {
        Live live = new Live(id, maxIter);
        running.put(id, live);
        return live;
    }

    Live get(String id) {
        return running.get(id);
    }

    void end(String id) {
        running.remove(id);
    }

    /** The fits running in this process now (a snapshot). */
    java.util.List<Live> all() {
        return java.util.List.copyOf(running.values());
    }

    int size() {
        return running.size();
    }
}
