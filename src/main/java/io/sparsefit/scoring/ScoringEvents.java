package io.sparsefit.scoring;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.PollingSse;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Server-Sent Events of a scoring ({@link PollingSse}): a {@code progress} event per change of state or rows done, a final {@code state}. */
@Component
class ScoringEvents {

    private final ScoringService scorings;
    private final PollingSse sse;
    private final long timeoutMs;

    ScoringEvents(ScoringService scorings, PollingSse sse, SparsefitProperties properties) {
        this.scorings = scorings;
        this.sse = sse;
        this.timeoutMs = properties.fits().eventsTimeout().toMillis();
    }

    SseEmitter stream(String id) {
        scorings.get(id); // 404 as problem+json before the stream opens
        return sse.stream(timeoutMs, () -> scorings.get(id), view -> view.state().isFinal() ? view.state().name() : null,
                view -> List.of(view.state(), view.progress().rows()));
    }
}
