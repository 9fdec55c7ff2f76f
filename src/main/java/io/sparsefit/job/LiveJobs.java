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

        /**
         * Takes in what a write that renews the lease found (the heartbeat's, or a progress write's): the row no longer
         * ours ({@link #lost}: another replica re-queued the job after our lease ran out, or it is final), else a cancel
         * requested through any replica ({@link #cancelled}).
         */
        void renewed(JobRepository.Renewal renewal) {
            if (!renewal.owned()) {
                lost = true;
            } else if (renewal.cancelRequested()) {
                cancelled = true;
            }
        }
    }

    /**
     * Registers a run of job {@code id}. A run of the same job still registered here was lost: ownership is per replica,
     * so this replica claiming the job again means another replica re-queued it after that run's lease ran out (its
     * database writes looked like ours, as the owner is the same). That run is marked lost, so it stops and writes nothing.
     */
    Live start(String id) {
        Live live = new Live(id);
        Live previous = running.put(id, live);
        if (previous != null) {
            previous.lost = true;
        }
        return live;
    }

    Live get(String id) {
        return running.get(id);
    }

    /** Unregisters {@code live}, and only it: a later run of the same job (see {@link #start}) stays registered. */
    void end(Live live) {
        running.remove(live.id, live);
    }

    /** The jobs running in this process now (a snapshot). */
    List<Live> all() {
        return List.copyOf(running.values());
    }

    int size() {
        return running.size();
    }
}
