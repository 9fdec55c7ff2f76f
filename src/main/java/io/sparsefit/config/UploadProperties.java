package io.sparsefit.config;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of the streamed CSV dataset upload ({@code POST /v1/datasets} and {@code /v1/datasets/csv} with
 * {@code Content-Type: text/csv}), bound from {@code sparsefit.uploads.*}. The CSV is parsed as it arrives and its
 * inputs are written to the store a chunk of rows at a time (never held whole, as text or as numbers), so its body may
 * be far larger than {@code sparsefit.limits.max-body-size} and its rows far more than {@code sparsefit.limits.max-rows},
 * which JSON uploads and inline fit data keep. Kept apart from {@link SparsefitProperties} so that the two can be read
 * side by side: a 10^6 x 20 table is about 200 MB of CSV.
 *
 * @param maxCsvSize  largest CSV upload body (default 1GB)
 * @param maxRows     data rows of a CSV upload (default 1,000,000); reading stops with 413 at the first row beyond. The
 *                    heap holds, per row, only the targets and the weight (8 bytes a cell) while the upload runs, so
 *                    10^7 rows of one target take about 80 MB (160 MB while that array grows)
 * @param maxColumns  columns of a CSV upload's header, inputs, targets and weight together (default 1000); the inputs
 *                    are also bound by {@code sparsefit.limits.max-input-dim} and the targets by {@code max-output-dim}
 * @param readTimeout how long a CSV upload body may take to arrive from its first byte (default 10 minutes)
 * @param chunkSize   a dataset whose inputs take more bytes than this (8 bytes a cell) is stored in chunks of rows of
 *                    about this size (default 8MB), so that the database never copies one huge value (H2 copies a value
 *                    twice while writing it)
 * @param maxConcurrent large CSV uploads storing chunks at once (default 4): each holds one database connection from its
 *                      first full chunk to its end, so without a bound a few slow uploads would take the whole pool
 *                      (HikariCP's default is 10) from fits and every other request; one more is a 503 with Retry-After
 *                      before anything is stored
 */
@Validated
@ConfigurationProperties(prefix = "sparsefit.uploads")
public record UploadProperties(
        @DefaultValue("1GB") @NotNull DataSize maxCsvSize,
        @DefaultValue("1000000") @Min(1) int maxRows,
        @DefaultValue("1000") @Min(2) int maxColumns,
        @DefaultValue("10m") @NotNull Duration readTimeout,
        @DefaultValue("8MB") @NotNull DataSize chunkSize,
        @DefaultValue("4") @Min(1) int maxConcurrent) {
}
