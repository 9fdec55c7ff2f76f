package io.sparsefit.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every tunable of the service, bound from {@code sparsefit.*}, with its default (the one place it is
 * written), except {@code data-dir}, whose default lives in application.yaml because the datasource
 * URL there refers to it.
 *
 * @param dataDir directory of the embedded H2 database file ({@code sparsefit.data-dir}, default {@code ./data})
 * @param fits    the fit worker pool and queue
 * @param limits  size limits checked before anything is stored or queued
 * @param security optional API keys and the limits each key gets
 * @param retention how long datasets, fits and models are kept (off by default)
 */
@Validated
@ConfigurationProperties(prefix = "sparsefit")
public record SparsefitProperties(
        @NotBlank String dataDir,
        @DefaultValue @Valid @NotNull Fits fits,
        @DefaultValue @Valid @NotNull Limits limits,
        @DefaultValue @Valid @NotNull Security security,
        @DefaultValue @Valid @NotNull Retention retention) {

    /**
     * @param threads                 worker threads running jobs of every kind (fits, paths, scorings); 0 means one per
     *                                available processor
     * @param queueCapacity           jobs of every kind that may wait in state QUEUED; one more answers 429 (checked per replica, so
     *                                approximate when several replicas admit fits at the same moment)
     * @param pollInterval            how often an idle worker looks for queued fits it was not told about, and how often a
     *                                replica running fits looks for cancel requests made through other replicas
     * @param progressPersistInterval how often the live progress of a running fit is written to the database
     * @param lease                   how long a claimed fit belongs to its replica without a heartbeat; a fit whose lease
     *                                ran out (its replica died or lost the database) is queued again by any replica
     * @param heartbeatInterval       how often each replica renews the leases of the fits it runs, reads cancel requests
     *                                made through other replicas and re-queues expired leases; must be at most a third of
     *                                {@code lease}
     * @param maxAttempts             claims a fit may have; when the lease of the last one runs out, or its run hits a transient
     *                                fault (503, 507), the fit ends FAILED
     * @param recoverOnStartup        at startup, re-queue at once the fits this instance (same data directory) left
     *                                RUNNING when it died, instead of waiting for their leases to run out
     * @param retryAfter              the Retry-After advertised on 202, 429 and 503 answers
     * @param eventsTimeout           how long a Server-Sent Events stream stays open at most
     */
    public record Fits(
            @DefaultValue("0") @Min(0) @Max(256) int threads,
            @DefaultValue("100") @Min(1) int queueCapacity,
            @DefaultValue("500ms") @NotNull Duration pollInterval,
            @DefaultValue("1s") @NotNull Duration progressPersistInterval,
            @DefaultValue("60s") @NotNull Duration lease,
            @DefaultValue("5s") @NotNull Duration heartbeatInterval,
            @DefaultValue("3") @Min(1) @Max(100) int maxAttempts,
            @DefaultValue("true") boolean recoverOnStartup,
            @DefaultValue("1s") @NotNull Duration retryAfter,
            @DefaultValue("30m") @NotNull Duration eventsTimeout) {

        public Fits {
            // A lease must survive two missed heartbeats (a GC pause, a slow database) before others take the fit.
            if (lease != null && heartbeatInterval != null
                    && (heartbeatInterval.isNegative() || heartbeatInterval.isZero()
                    || heartbeatInterval.multipliedBy(3).compareTo(lease) > 0)) {
                throw new IllegalArgumentException("sparsefit.fits.heartbeat-interval (" + heartbeatInterval
                        + ") must be positive and at most a third of sparsefit.fits.lease (" + lease + ")");
            }
        }

        /** The number of worker threads after resolving 0 to the processor count. */
        public int effectiveThreads() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * @param maxRows        samples per dataset
     * @param maxInputDim    input columns d
     * @param maxOutputDim   output columns m
     * @param maxWidth       hidden neurons K a fit may ask for
     * @param maxIter        solver iterations a fit may ask for
     * @param maxBodySize    request body size; larger bodies answer 413
     * @param maxPageSize    largest {@code limit} of a list request
     * @param maxPredictRows rows of one predict request
     * @param bodyReadTimeout longest time a request body may take to arrive, from its first read; a slower client
     *                        is answered 408 (with {@code server.tomcat.connection-timeout} bounding each wait for data,
     *                        a slow-body client holds a request thread for at most about the sum of the two)
     * @param headerReadTimeout longest time a request's line and headers may take to arrive, from their first byte; a
     *                        slower client's connection is closed (Tomcat's {@code connection-timeout} alone bounds only
     *                        each wait for the next bytes, which a client sending a byte a second never reaches)
     * @param maxHiddenLayers ReLU layers a fit may ask for ({@code architecture.hiddenLayers} entries)
     * @param maxLinearLayers linear layers a fit may insert before each ReLU layer ({@code architecture.linearLayers})
     * @param maxTimeLimit    longest wall-clock run of one fit, or of one whole regularization path ({@code solver.timeLimit}
     *                        may ask for less); then the fit ends with the network reached so far and stopReason TIME_LIMIT,
     *                        a path with the points done, so no fit or path holds a worker forever
     */
    public record Limits(
            @DefaultValue("100000") @Min(1) int maxRows,
            @DefaultValue("1000") @Min(1) int maxInputDim,
            @DefaultValue("100") @Min(1) int maxOutputDim,
            @DefaultValue("4096") @Min(1) int maxWidth,
            @DefaultValue("1000000") @Min(1) int maxIter,
            @DefaultValue("16MB") @NotNull DataSize maxBodySize,
            @DefaultValue("100") @Min(1) int maxPageSize,
            @DefaultValue("100000") @Min(1) int maxPredictRows,
            @DefaultValue("30s") @NotNull Duration bodyReadTimeout,
            @DefaultValue("1h") @NotNull Duration maxTimeLimit,
            @DefaultValue("0B") @NotNull DataSize maxFitMemory,
            @DefaultValue("6") @Min(1) int maxHiddenLayers,
            @DefaultValue("4") @Min(0) int maxLinearLayers,
            @DefaultValue("10s") @NotNull Duration headerReadTimeout) {

        /** The size of a page a list request asks for with {@code limit}: at most {@link #maxPageSize}. */
        public int pageSize(int limit) {
            return Math.min(limit, maxPageSize);
        }
    }

    /**
     * @param apiKeys the accepted keys; empty (the default) turns authentication off: one user, who sees everything
     * @param perKey  limits each key gets (with keys off, every caller shares the anonymous key's limits)
     */
    public record Security(
            @DefaultValue List<@Valid @NotNull ApiKey> apiKeys,
            @DefaultValue @Valid @NotNull PerKey perKey) {

        public Security {
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (ApiKey k : apiKeys) {
                if (k != null && !ids.add(k.id())) {
                    throw new IllegalArgumentException("sparsefit.security.api-keys: the id '" + k.id() + "' is used twice");
                }
            }
        }

        public boolean enabled() {
            return !apiKeys.isEmpty();
        }

        /** Keys off, no per-key limits: the defaults. */
        public static Security off() {
            return new Security(List.of(), new PerKey(0, 0, 0, 0, DataSize.ofBytes(0)));
        }
    }

    /**
     * One accepted key: {@code id} is recorded on what the key creates (it is not secret); exactly one of
     * {@code key} (the secret itself) or {@code sha256} (hex SHA-256 of the secret, for keys stored hashed).
     *
     * @param id     names the key's owner in the data and in logs; letters, digits, '.', '_' and '-'
     * @param key    the secret, at least 16 characters
     * @param sha256 the secret's SHA-256 in hex (64 characters) instead of the secret
     * @param admin  sees and manages every key's datasets, fits and models
     */
    public record ApiKey(
            @NotBlank @jakarta.validation.constraints.Pattern(regexp = "[A-Za-z0-9._-]{1,100}") String id,
            @jakarta.validation.constraints.Size(min = 16, max = 1000) String key,
            @jakarta.validation.constraints.Pattern(regexp = "[0-9a-fA-F]{64}") String sha256,
            @DefaultValue("false") boolean admin) {

        public ApiKey {
            if ((key == null) == (sha256 == null)) {
                throw new IllegalArgumentException("sparsefit.security.api-keys[id=" + id + "]: give exactly one of key or sha256");
            }
        }
    }

    /**
     * Per-key limits; 0 (the default of each) means unlimited.
     *
     * @param requestsPerSecond sustained request rate of one key; more answers 429 with Retry-After
     * @param burst             requests a key may make at once above the sustained rate (default: one second's worth)
     * @param maxRunningFits    jobs of one key (fits, paths and scorings together) running at once; its further jobs wait
     *                          in the queue
     * @param maxQueuedFits     jobs of one key (fits, paths and scorings together) waiting in QUEUED; one more answers 429
     * @param maxStoredBytes    bytes of dataset data one key may keep stored (the encoded matrices); an upload or an
     *                          inline-data fit beyond it answers 413
     */
    public record PerKey(
            @DefaultValue("0") @Min(0) double requestsPerSecond,
            @DefaultValue("0") @Min(0) int burst,
            @DefaultValue("0") @Min(0) int maxRunningFits,
            @DefaultValue("0") @Min(0) int maxQueuedFits,
            @DefaultValue("0B") @NotNull DataSize maxStoredBytes) {
    }

    /**
     * Time to live of each kind of resource, counted from its creation (datasets, models) or its end (fits);
     * 0 (the default) keeps it forever. A cleanup job deletes what expired every {@code interval}.
     *
     * @param datasets how long a dataset is kept; one that a queued or running fit still needs is kept until that fit ends
     * @param fits     how long a finished fit, or a finished scoring with its predictions, is kept after it ended (queued
     *                 and running ones never expire)
     * @param models   how long a model is kept
     * @param interval how often the cleanup runs
     */
    public record Retention(
            @DefaultValue("0s") @NotNull Duration datasets,
            @DefaultValue("0s") @NotNull Duration fits,
            @DefaultValue("0s") @NotNull Duration models,
            @DefaultValue("0s") @NotNull Duration paths,
            @DefaultValue("10m") @NotNull Duration interval) {

        public boolean enabled() {
            return on(datasets) || on(fits) || on(models) || on(paths);
        }

        /** Whether a time to live is set (0 keeps forever). */
        public static boolean on(Duration ttl) {
            return !ttl.isNegative() && !ttl.isZero();
        }

        /** Everything kept forever: the defaults. */
        public static Retention off() {
            return new Retention(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMinutes(10));
        }
    }
}
