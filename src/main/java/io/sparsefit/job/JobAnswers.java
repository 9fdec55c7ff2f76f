package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/** The HTTP answers every job resource gives alike: to a submit (202) and to a DELETE (200, 202 or 204). */
@Component
public class JobAnswers {

    private final String retryAfter;

    JobAnswers(SparsefitProperties properties) {
        this.retryAfter = Long.toString(Math.max(1, properties.fits().retryAfter().toSeconds()));
    }

    /**
     * 202 with the job resource, its {@code Location} ({@link JobKind#location}), {@code Retry-After} (seconds to wait
     * before polling, {@code fits.retry-after}) and, for an Idempotency-Key replay, {@code Idempotent-Replayed: true}.
     */
    public <V extends JobResourceView> ResponseEntity<V> accepted(JobKind kind, V view, boolean replayed) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.ACCEPTED).location(URI.create(kind.location(view.id())))
                .header(HttpHeaders.RETRY_AFTER, retryAfter);
        if (replayed) {
            answer.header("Idempotent-Replayed", "true");
        }
        return answer.body(view);
    }

    /**
     * The answer to {@link JobQueue#cancelOrDelete}: 200 with the resource once it is final (cancelled while queued), 202
     * while it is still stopping, 204 when a finished job was deleted.
     */
    public static <V extends JobResourceView> ResponseEntity<V> cancelledOrDeleted(Optional<V> view) {
        return view.map(v -> ResponseEntity.status(v.state().isFinal() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(v))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }
}
