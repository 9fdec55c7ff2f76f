package io.sparsefit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.ServiceTestBase;
import org.junit.jupiter.api.Test;

/** The application starts and reports healthy (on the shared test context, with its own data directory). */
class ApplicationStartsTest extends ServiceTestBase {

    @Test
    void healthIsUp() {
        assertThat(http.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void livenessAndReadinessProbesAreUp() {
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
    }
}
