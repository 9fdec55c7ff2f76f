package io.sparsefit.job;

import io.sparsefit.web.DatabaseFaults;

/**
 * What the job workers, the heartbeat and progress writes wait out with back-off instead of failing a job:
 * the database being unreachable and its storage being full (a job that finished on a full disk keeps
 * retrying its final write until space is freed, so nothing accepted is lost). The classification itself
 * is {@link DatabaseFaults}, shared with the HTTP answers (503 and 507).
 */
final class DatabaseErrors {

    private DatabaseErrors() {
    }

    static boolean isUnavailable(Throwable error) {
        return DatabaseFaults.isUnavailable(error) || DatabaseFaults.isStorageFull(error);
    }

    /**
     * An outage as a loop that retries sees it (the heartbeat, a worker): logged once when it starts and once when it
     * ends, not at every try. Other errors are the caller's to log.
     */
    static final class Outage {

        private volatile boolean down;

        /** After a try that reached the database: runs {@code logRecovery} when the database was down. */
        void reached(Runnable logRecovery) {
            if (down) {
                down = false;
                logRecovery.run();
            }
        }

        /**
         * After a try that failed with {@code error}: records it and says whether it is an outage
         * ({@link #isUnavailable}), to be waited out; {@code logOutageStart} runs when the outage starts.
         */
        boolean failedWithOutage(RuntimeException error, Runnable logOutageStart) {
            if (!isUnavailable(error)) {
                return false;
            }
            if (!down) {
                down = true;
                logOutageStart.run();
            }
            return true;
        }
    }
}
