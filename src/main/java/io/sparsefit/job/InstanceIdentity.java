package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The name this instance writes in {@code fit.owner} when it claims a job. It is kept in the file
 * {@code instance-id} under {@code sparsefit.data-dir}, so an instance restarted on the same data
 * directory (the embedded single-pod mode, a pod with a persistent volume) knows the jobs it left
 * RUNNING when it died and can queue them again at once instead of waiting for their leases. Two
 * live instances must therefore never share a data directory (each pod has its own volume).
 * When the directory is not writable the identity is random for this process, and recovery after a
 * crash relies on lease expiry only.
 */
@Component
class InstanceIdentity {

    private static final Logger log = LoggerFactory.getLogger(InstanceIdentity.class);
    static final String FILE_NAME = "instance-id";

    private final String id;

    InstanceIdentity(SparsefitProperties properties) {
        this.id = loadOrCreate(Path.of(properties.dataDir()).resolve(FILE_NAME));
    }

    String id() {
        return id;
    }

    private static String loadOrCreate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!stored.isEmpty() && stored.length() <= 100) {
                    return stored;
                }
            }
            String fresh = UUID.randomUUID().toString();
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
            Files.writeString(tmp, fresh + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return fresh;
        } catch (IOException | RuntimeException e) {
            String random = UUID.randomUUID().toString();
            log.warn("Cannot keep the instance id in {} ({}); using {} for this process only", file, e.toString(), random);
            return random;
        }
    }
}
