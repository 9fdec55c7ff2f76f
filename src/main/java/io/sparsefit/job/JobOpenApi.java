package io.sparsefit.job;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
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
 * Documents the answers every job resource (fit, path, scoring) gives alike, once, where they are made: a submit's
 * 202 with its headers ({@link JobAnswers#accepted}) for an operation marked {@link Accepted}, a DELETE's 200, 202 and
 * 204 ({@link JobAnswers#cancelledOrDeleted}) for one marked {@link Cancel}, and the event stream ({@link JobEvents#stream})
 * for one marked {@link Events}. The resource's schema is the one springdoc found for the
 * operation's 200 (its return type); the words name the resource.
 */
@Component
public class JobOpenApi implements OperationCustomizer {

    /** A job resource's submit: 202 with the resource, {@code Location} and {@code Retry-After}. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    public @interface Accepted {
        /** The resource's singular name: {@code fit}, {@code path}, {@code scoring}. */
        String resource();

        /** What the 202 means. */
        String description() default "Queued.";
    }

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
        Accepted accepted = handler.getMethodAnnotation(Accepted.class);
        if (accepted != null) {
            operation.getResponses().get("202").description(accepted.description())
                    .addHeaderObject("Location", header("The " + accepted.resource() + " resource.", "string"))
                    .addHeaderObject("Retry-After", header("Seconds to wait before polling.", "integer"));
        }
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
            MediaType stream = new MediaType().schema(typed("string").description("Server-Sent Events (text/event-stream): "
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

    private static Header header(String description, String type) {
        return new Header().description(description).schema(typed(type)).style(Header.StyleEnum.SIMPLE);
    }

    /** A schema of one JSON type (OpenAPI 3.1 keeps the types as a set). */
    private static Schema<Object> typed(String type) {
        Schema<Object> schema = new Schema<>();
        schema.setTypes(new LinkedHashSet<>(List.of(type)));
        return schema;
    }
}
