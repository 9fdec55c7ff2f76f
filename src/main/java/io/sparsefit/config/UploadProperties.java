package io.sparsefit.config;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the streamed CSV dataset upload ({@code POST /v1/datasets} and {@code /v1/datasets/csv} with
 * {@code Content-Type: text/csv}), bound from {@code sparsefit.uploads.*}. The CSV is parsed as it arrives (never held
 * as text), so its body may be far larger than {@code sparsefit.limits.max-body-size}, which every other body keeps;
 * the rows it may hold are still {@code sparsefit.limits.max-rows}. Kept apart from {@link SparsefitProperties} so that
 * the two can be read side by side: a 10^6 x 20 table is about 200 MB of CSV.
 *
 * @param maxCsvSize  largest CSV upload body (default 1GB)
 * @param readTimeout how long a CSV upload body may take to arrive from its first byte (default 10 minutes)
 * @param chunkSize   a dataset whose inputs take more bytes than this (8 bytes a cell) is stored in chunks of rows of
 *                    about this size (default 8MB), so that the database never copies one huge value (H2 copies a value
 *                    twice while writing it)
 */
@Validated
@ConfigurationProperties(prefix = "sparsefit.uploads")
public record UploadProperties(
        @DefaultValue("1GB") @NotNull DataSize maxCsvSize,
        @DefaultValue("10m") @NotNull Duration readTimeout,
        @DefaultValue("8MB") @NotNull DataSize chunkSize) {
}
