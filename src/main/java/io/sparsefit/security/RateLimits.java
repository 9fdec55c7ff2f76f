package io.sparsefit.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.sparsefit.config.SparsefitProperties;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key request rate ({@code sparsefit.security.per-key.requests-per-second}, {@code burst}): one
 * Bucket4j token bucket per key id, refilled greedily (smoothly, not once a second). Key ids come from
 * configuration, so the map is bounded. Per replica: N replicas admit up to N times the rate.
 */
final class RateLimits {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final long tokensPerMinute;
    private final long capacity;

    RateLimits(SparsefitProperties.PerKey perKey) {
        double rps = perKey.requestsPerSecond();
        this.tokensPerMinute = rps <= 0 ? 0 : Math.max(1, Math.round(rps * 60));
        this.capacity = perKey.burst() > 0 ? perKey.burst() : Math.max(1, (long) Math.ceil(rps));
    }

    boolean enabled() {
        return tokensPerMinute > 0;
    }

    /** Takes one request from the key's bucket: empty when allowed, else the seconds until one is (at least 1). */
    OptionalLong tryAcquire(String keyId) {
        Bucket bucket = buckets.computeIfAbsent(keyId, k -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(tokensPerMinute, Duration.ofMinutes(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L));
    }
}
