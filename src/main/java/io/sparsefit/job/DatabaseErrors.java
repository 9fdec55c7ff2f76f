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
}
