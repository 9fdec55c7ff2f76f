package io.sparsefit.web;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a job resource (fits, paths) by polling: a {@code progress} event with the resource
 * whenever its change key differs from the last one sent (checked every {@value #PERIOD_MS} ms by one shared
 * scheduler thread), then one {@code state} event with the final resource, after which the stream ends. While the
 * database cannot be reached the stream stays open and sends nothing; it goes on when the database is back.
 */
@Component
public class PollingSse {

    public static final long PERIOD_MS = 250;

    private final ScheduledExecutorService scheduler = DaemonScheduler.named("sparsefit-job-events");

    /**
     * @param read       the current resource (thrown exceptions end the stream with an error)
     * @param finalState the resource's final state name, or null while it runs (sent as the last event's id)
     * @param changeKey  what must change for a new {@code progress} event
     */
    public <T> SseEmitter stream(long timeoutMs, Supplier<T> read, Function<T, String> finalState, Function<T, Object> changeKey) {
        SseEmitter emitter = new SseEmitter(timeoutMs);
        AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
        AtomicReference<Object> last = new AtomicReference<>();
        Runnable tick = () -> {
            try {
                T view = read.get();
                String state = finalState.apply(view);
                if (state != null) {
                    emitter.send(SseEmitter.event().name("state").id(state).data(view, MediaType.APPLICATION_JSON));
                    emitter.complete();
                    cancel(task);
                    return;
                }
                Object key = changeKey.apply(view);
                if (!key.equals(last.getAndSet(key))) {
                    emitter.send(SseEmitter.event().name("progress").data(view, MediaType.APPLICATION_JSON));
                }
            } catch (IOException | IllegalStateException e) {
                cancel(task); // the client went away
            } catch (RuntimeException e) {
                if (DatabaseFaults.isUnavailable(e)) {
                    return; // the stream outlives a database outage: the next tick reads again
                }
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
