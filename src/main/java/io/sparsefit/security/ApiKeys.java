package io.sparsefit.security;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.Caller;
import io.sparsefit.web.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured keys, each held as the SHA-256 of its secret (whether configured in clear or hashed).
 * A presented secret is hashed and compared with every key's digest by {@link MessageDigest#isEqual},
 * which takes the same time wherever the bytes differ; all keys are compared, so the time does not
 * tell which key (or whether any) was close either.
 */
final class ApiKeys {

    private record Entry(byte[] sha256, Caller caller) {
    }

    private final List<Entry> entries;

    ApiKeys(List<SparsefitProperties.ApiKey> configured) {
        this.entries = configured.stream().map(k -> new Entry(k.key() != null ? sha256(k.key()) : HexFormat.of().parseHex(k.sha256()),
                new Caller(k.id(), k.admin()))).toList();
    }

    boolean enabled() {
        return !entries.isEmpty();
    }

    /** The caller whose key this is, or empty. */
    Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.isEmpty() || presented.length() > 1000) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Caller match = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.sha256(), digest)) {
                match = e.caller();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String secret) {
        return Sha256.digest().digest(secret.getBytes(StandardCharsets.UTF_8));
    }
}
