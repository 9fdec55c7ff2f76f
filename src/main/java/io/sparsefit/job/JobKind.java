package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import java.time.Duration;
import java.util.function.Function;

/**
 * A kind of job, as its feature declares it.
 *
 * @param name       the {@code kind} column of its jobs (the {@code fit_kind_check} constraint lists them)
 * @param resource   the resource's singular name in the API ({@code fit}, {@code path}, {@code scoring}): a 404 says
 *                   "no fit", a failure's problem type is {@code fit-failed} and its instance {@code /v1/fits/{id}}
 * @param timeToLive how long a finished job of this kind is kept ({@code sparsefit.retention.*}; zero: forever)
 */
public record JobKind(String name, String resource, Function<SparsefitProperties.Retention, Duration> timeToLive) {

    /** The URI path of job {@code id} of this kind ({@code /v1/fits/{id}}): a submit's Location, a failure's instance. */
    public String location(String id) {
        return "/v1/" + resource + "s/" + id;
    }

    /** "Fit failed", "Path failed", ...: the title of a failure its runner did not explain. */
    String failedTitle() {
        return Character.toUpperCase(resource.charAt(0)) + resource.substring(1) + " failed";
    }
}
