package io.sparsefit.support;

import io.swagger.v3.oas.annotations.Hidden;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test-only endpoints that fail: with an unexpected exception, to check the catch-all 500; with an out-of-memory error;
 * and with the exceptions a request meets when the database is unreachable (Hikari's timeout) or its storage full (H2's disk-full failure, as
 * measured), to check 503 and 507 where no real fault can be injected.
 */
@Hidden
@RestController
class BoomController {

    @GetMapping("/test-only/boom")
    String boom() {
        throw new IllegalStateException("secret internal detail at com.example.Secret.method(Secret.java:42)");
    }

    @GetMapping("/test-only/database-unavailable")
    String databaseUnavailable() {
        throw new org.springframework.jdbc.CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new java.sql.SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 2000ms."));
    }

    /** What a request meets when the heap runs out (a real one: dataset.UploadOnATinyHeapTest). */
    @GetMapping("/test-only/out-of-memory")
    String outOfMemory() {
        throw new OutOfMemoryError("Java heap space");
    }

    @org.springframework.web.bind.annotation.PostMapping("/test-only/storage-full")
    String storageFull() {
        java.io.IOException enospc = new java.io.IOException("No space left on device");
        throw new org.springframework.jdbc.UncategorizedSQLException("insert", "insert into dataset ...",
                new java.sql.SQLException("General error: \"org.h2.mvstore.MVStoreException: Writing to ... failed\"", "HY000", 50000,
                        new IllegalStateException("Writing to sun.nio.ch.FileChannelImpl failed", enospc)));
    }
}
