package io.sparsefit.job;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.PollingSse;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a job resource of any kind ({@link PollingSse}): a {@code progress} event with the resource
 * whenever its state or progress changes, then one {@code state} event with the final resource, after which the stream
 * ends ({@code fits.events-timeout} at the latest).
 */
@Component
public class JobEvents {

    private final PollingSse sse;
    private final long timeoutMs;

    JobEvents(PollingSse sse, SparsefitProperties properties) {
        this.sse = sse;
        this.timeoutMs = properties.fits().eventsTimeout().toMillis();
    }

    /**
     * Streams the resource {@code read} answers; reads it once first, so an unknown id is a 404 (problem+json) before
     * the stream opens.
     *
     * @param progress what a client sees change while it runs (a new value sends a {@code progress} event)
     */
    public <V extends JobResourceView> SseEmitter stream(Supplier<V> read, Function<V, Object> progress) {
        read.get();
        return sse.stream(timeoutMs, read, view -> view.state().isFinal() ? view.state().name() : null,
                view -> java.util.List.of(view.state(), progress.apply(view)));
    }
}
