package io.sparsefit.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ejml.data.DMatrixRMaj;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A service of its own (its own H2 database in a fresh directory, so no other cached test context's workers claim its
 * jobs) for the tests that make a runner's core call fail through a spied runner (FitFailureTest, PathFailureTest,
 * ScoringFailureTest), with what they throw and what they expect of the failed job. The mapping itself is JobFailure's.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sparsefit.fits.threads=1"})
public abstract class CoreFailureTestBase {

    @DynamicPropertySource
    static void ownDataDir(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("sparsefit-core-failures-");
        dir.toFile().deleteOnExit();
        registry.add("sparsefit.data-dir", dir::toString);
    }

    @LocalServerPort
    protected int port;

    /** The detail the core's argument check gives for {@link #refuse}. */
    protected static final String CORE_WORDS = "x has 3 rows but y has 2";

    /** Throws what the core's own argument check throws (an IllegalArgumentException from a core class): rows of x and y that differ. */
    protected static Object refuse() {
        new FitProblem(new DMatrixRMaj(3, 1), new DMatrixRMaj(2, 1));
        throw new AssertionError("FitProblem accepted 3 rows of x with 2 of y");
    }

    protected Http http() {
        return Http.onPort(port);
    }

    /** The job of {@code resource} ({@code fit}, {@code path}, {@code scoring}) ended FAILED with a 422 in the core's words. */
    protected static void assertRefused(JsonNode job, String resource) {
        assertFailed(job, resource, 422);
        assertThat(job.get("error").get("detail").asString())
                .isEqualTo("The solver refused the request's settings for this data: " + CORE_WORDS);
    }

    /** The job ended FAILED with a 500 "internal error" that does not show the exception's message ({@code secret}). */
    protected static void assertInternal(JsonNode job, String resource, String secret) {
        assertFailed(job, resource, 500);
        assertThat(job.get("error").get("detail").asString())
                .isEqualTo("Internal error: the service could not complete the " + resource + "; the error was logged")
                .doesNotContain(secret);
    }

    private static void assertFailed(JsonNode job, String resource, int status) {
        assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("FAILED");
        JsonNode error = job.get("error");
        assertThat(error.get("status").asInt()).isEqualTo(status);
        assertThat(error.get("type").asString()).isEqualTo("https://sparsefit.io/problems/" + resource + "-failed");
        assertThat(error.get("title").asString()).isEqualTo(Character.toUpperCase(resource.charAt(0)) + resource.substring(1) + " failed");
        assertThat(error.get("instance").asString()).isEqualTo("/v1/" + resource + "s/" + job.get("id").asString());
    }
}
