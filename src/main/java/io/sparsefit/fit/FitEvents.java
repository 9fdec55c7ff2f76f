package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a fit: an {@code progress} event with the fit resource whenever its state or
 * progress changes (checked every 250 ms by one shared scheduler thread), then one {@code state}
 * event with the final resource, after which the stream ends.
 */
@Component
class FitEvents {

    static final long PERIOD_MS = 250;

    private final FitService fits;
    private final long timeoutMs;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sparsefit-fit-events");
        t.setDaemon(true);
        return t;
    });

    FitEvents(FitService fits, SparsefitProperties properties) {
        this.fits = fits;
        this.timeoutMs = properties.fits().eventsTimeout().toMillis();
    }

    SseEmitter stream(String id) {
        fits.get(id); // 404 as problem+json before the stream opens
        SseEmitter emitter = new SseEmitter(timeoutMs);
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        AtomicReference<Object> last = new AtomicReference<>();
        Runnable tick = () -> {
            try {
                FitView view = fits.get(id);
                if (view.state().isFinal()) {
                    emitter.send(SseEmitter.event().name("state").id(view.state().name()).data(view, MediaType.APPLICATION_JSON));
                    emitter.complete();
                    cancel(task);
                    return;
                }
                Object key = java.util.List.of(view.state(), view.progress().iteration(), Objects.toString(view.progress().objective()),
                        Objects.toString(view.progress().gap()));
                if (!key.equals(last.getAndSet(key))) {
                    emitter.send(SseEmitter.event().name("progress").data(view, MediaType.APPLICATION_JSON));
                }
            } catch (IOException | IllegalStateException e) {
                cancel(task); // the client went away
            } catch (RuntimeException e) {
                emitter.completeWithError(e);
                cancel(task);
            }
        };
        Runnable stop = () -> cancel(task);
        emitter.onCompletion(stop);
        emitter.onTimeout(stop);
        emitter.onError(e -> stop.run());
        task.set(scheduler.scheduleWithFixedDelay(tick, 0, PERIOD_MS, TimeUnit.MILLISECONDS));
        return emitter;
    }

    private static void cancel(AtomicReference<ScheduledFuture<?>> task) {
        ScheduledFuture<?> f = task.get();
        if (f != null) {
            f.cancel(false);
        }
    }

    @PreDestroy
    void close() {
        scheduler.shutdownNow();
    }
}
