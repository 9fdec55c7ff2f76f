package io.sparsefit.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One application context on a real port, shared by every test class that extends this (Spring caches
 * it because the configuration is identical). Its database lives in a fresh temporary directory (H2),
 * or is a fresh PostgreSQL database when the tests run with {@code -Dsparsefit.test.db=postgres}.
 * Small limits make the size tests cheap.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sparsefit.fits.threads=2",
        "sparsefit.fits.queue-capacity=100",
        "sparsefit.limits.max-body-size=1MB",
        "sparsefit.limits.max-rows=5000",
        "sparsefit.uploads.max-rows=5000",
        "sparsefit.limits.max-width=512",
        "sparsefit.limits.max-iter=100000000",
        "sparsefit.limits.body-read-timeout=2s",
        "logging.level.io.sparsefit.fit.FitRunner=ERROR"})
public abstract class ServiceTestBase {

    private static final Path DATA_DIR;

    static {
        try {
            DATA_DIR = Files.createTempDirectory("sparsefit-test-");
            Runtime.getRuntime().addShutdownHook(new Thread(ServiceTestBase::deleteDataDir));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteDataDir() {
        try (var files = Files.walk(DATA_DIR)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort: it is a temporary directory
        }
    }

    /** The database of the shared context: H2 under DATA_DIR, or one PostgreSQL database (see TestDatabase). */
    private static final String POSTGRES_URL = TestDatabase.postgres() ? TestDatabase.newPostgresDatabase() : null;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("sparsefit.data-dir", DATA_DIR::toString);
        if (POSTGRES_URL != null) {
            registry.add("spring.datasource.url", () -> POSTGRES_URL);
            registry.add("spring.datasource.username", () -> TestDatabase.USER);
            registry.add("spring.datasource.password", () -> "");
        }
    }

    @LocalServerPort
    protected int port;

    protected Http http;

    @BeforeEach
    void client() {
        http = Http.onPort(port);
    }
}
