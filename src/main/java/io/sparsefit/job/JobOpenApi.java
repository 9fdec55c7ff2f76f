package io.sparsefit.job;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.LinkedHashSet;
import java.util.List;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;

/**
 * Documents the answers every job resource (fit, path, scoring) gives alike, once, where they are made: a DELETE's 200,
 * 202 and 204 ({@link JobAnswers#cancelledOrDeleted}) for an operation marked {@link Cancel}, and the event stream
 * ({@link JobEvents#stream}) for one marked {@link Events}. The resource's schema is the one springdoc found for the
 * operation's 200 (its return type); the words name the resource.
 */
@Component
public class JobOpenApi implements OperationCustomizer {

    /** A job resource's DELETE: cancel a queued or running job, delete a finished one. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Cancel {
        /** The resource's singular name: {@code fit}, {@code path}, {@code scoring}. */
        String resource();
    }

    /** A job resource's {@code /events}: Server-Sent Events of its progress, then its final state. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Events {
        /** The resource's singular name: {@code fit}, {@code path}, {@code scoring}. */
        String resource();

        /** An example of the stream, if any. */
        String example() default "";
    }

    @Override
    public Operation customize(Operation operation, HandlerMethod handler) {
        Cancel cancel = handler.getMethodAnnotation(Cancel.class);
        if (cancel != null) {
            String r = cancel.resource();
            ApiResponses responses = operation.getResponses();
            Content resource = responses.get("200").getContent();
            responses.get("200").setDescription("Cancelled: the " + r + " is in a final state.");
            responses.addApiResponse("202", new ApiResponse().description("Cancellation requested; the " + r + " is still stopping.")
                    .content(resource));
            responses.addApiResponse("204", new ApiResponse().description("The finished " + r + " was deleted."));
        }
        Events events = handler.getMethodAnnotation(Events.class);
        if (events != null) {
            String r = events.resource();
            Schema<String> text = new Schema<>();
            text.setTypes(new LinkedHashSet<>(List.of("string")));
            MediaType stream = new MediaType().schema(text.description("Server-Sent Events (text/event-stream): "
                    + "each event has a name (`progress` or `state`) and one `data:` line holding a "
                    + Character.toUpperCase(r.charAt(0)) + r.substring(1) + " resource as JSON."));
            if (!events.example().isEmpty()) {
                stream.setExample(events.example());
            }
            operation.getResponses().addApiResponse("200", new ApiResponse().description("An event stream.")
                    .content(new Content().addMediaType(org.springframework.http.MediaType.TEXT_EVENT_STREAM_VALUE, stream)));
        }
        return operation;
    }
}
