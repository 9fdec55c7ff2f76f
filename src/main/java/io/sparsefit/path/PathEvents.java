package io.sparsefit.path;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.PollingSse;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Server-Sent Events of a path ({@link PollingSse}): a {@code progress} event per new point or state, a final {@code state}. */
@Component
class PathEvents {

    private final PathService paths;
    private final PollingSse sse;
    private final long timeoutMs;

    PathEvents(PathService paths, PollingSse sse, SparsefitProperties properties) {
        this.paths = paths;
        this.sse = sse;
        this.timeoutMs = properties.fits().eventsTimeout().toMillis();
    }

    SseEmitter stream(String id) {
        paths.get(id); // 404 as problem+json before the stream opens
        return sse.stream(timeoutMs, () -> paths.get(id), view -> view.state().isFinal() ? view.state().name() : null,
                view -> List.of(view.state(), view.progress().points()));
    }
}
