package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.PollingSse;
import java.util.List;
import java.util.Objects;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a fit ({@link PollingSse}): an {@code progress} event with the fit resource whenever its
 * state or progress changes, then one {@code state} event with the final resource, after which the stream ends.
 */
@Component
class FitEvents {

    private final FitService fits;
    private final PollingSse sse;
    private final long timeoutMs;

    FitEvents(FitService fits, PollingSse sse, SparsefitProperties properties) {
        this.fits = fits;
        this.sse = sse;
        this.timeoutMs = properties.fits().eventsTimeout().toMillis();
    }

    SseEmitter stream(String id) {
        fits.get(id); // 404 as problem+json before the stream opens
        return sse.stream(timeoutMs, () -> fits.get(id), view -> view.state().isFinal() ? view.state().name() : null,
                view -> List.of(view.state(), view.progress().iteration(), Objects.toString(view.progress().objective()),
                        Objects.toString(view.progress().gap())));
    }
}
