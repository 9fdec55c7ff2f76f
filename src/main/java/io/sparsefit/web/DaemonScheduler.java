package io.sparsefit.web;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The service's background ticks (event streams, fault log, job heartbeat, retention): each on its own named daemon thread. */
public final class DaemonScheduler {

    private DaemonScheduler() {
    }

    /** A scheduler on one daemon thread called {@code threadName}, so that it never keeps the JVM from exiting. */
    public static ScheduledExecutorService named(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }
}
