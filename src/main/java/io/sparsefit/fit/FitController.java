package io.sparsefit.fit;

import io.sparsefit.job.JobAnswers;
import io.sparsefit.job.JobEvents;
import io.sparsefit.job.JobOpenApi;
import io.sparsefit.job.JobState;
import io.sparsefit.model.ModelPlots;
import io.sparsefit.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /v1/fits}: asynchronous fitting jobs, and the training curve of a finished one. */
@RestController
@RequestMapping("/v1/fits")
@Tag(name = "fits")
class FitController {

    private final FitService service;
    private final JobEvents events;
    private final JobAnswers answers;

    FitController(FitService service, JobEvents events, JobAnswers answers) {
        this.service = service;
        this.events = events;
        this.answers = answers;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(operationId = "createFit", summary = "Submit a fit",
            description = "Validates the request, queues the fit and answers at once with the fit resource (202, Location, "
                    + "Retry-After). Poll the Location or stream /events. With an Idempotency-Key, repeating the same body returns "
                    + "the same fit (202, header Idempotent-Replayed: true); the same key with another body is 422. A full queue is 429.")
    @JobOpenApi.Accepted(resource = "fit", description = "Queued (or replayed).")
    ResponseEntity<FitView> submit(@RequestBody FitRequest request,
                                   @Parameter(description = "Makes retries safe: the same key and body return the same fit.")
                                   @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        FitService.Submission s = service.submit(request, idempotencyKey);
        return answers.accepted(FitRunner.KIND, s.fit(), s.replayed());
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getFit", summary = "Get a fit", description = "State, live progress, times, model id or error, and the request with defaults.")
    FitView get(@PathVariable String id) {
        return service.get(id);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listFits", summary = "List fits", description = "Fits in submission order, optionally only those in one state.")
    Page<FitView> list(@Parameter(description = "Only fits in this state.") @RequestParam(required = false) JobState state,
                       @Parameter(description = Page.LIMIT_DESCRIPTION)
                       @RequestParam(defaultValue = Page.DEFAULT_LIMIT) @Min(1) @Max(Page.MAX_LIMIT) int limit,
                       @Parameter(description = Page.CURSOR_DESCRIPTION) @RequestParam(required = false) String cursor) {
        return service.list(state, limit, cursor);
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "cancelFit", summary = "Cancel a fit, or delete a finished one",
            description = "A queued fit becomes CANCELLED at once (200). A running fit is asked to stop and becomes "
                    + "CANCELLED within one solver iteration once its replica sees the request: at once when this replica runs it, "
                    + "otherwise at that replica's next heartbeat or progress write (202, the body still shows RUNNING). "
                    + "A finished fit (SUCCEEDED, FAILED or CANCELLED) is deleted (204); its model stays. So a second DELETE of "
                    + "a cancelled fit deletes it, and a third is 404.")
    @JobOpenApi.Cancel(resource = "fit")
    ResponseEntity<FitView> cancel(@PathVariable String id) {
        return JobAnswers.cancelledOrDeleted(service.cancelOrDelete(id));
    }

    // Also mapped for Accept: application/json so that generated clients that send only a JSON Accept header get
    // the stream (always text/event-stream) instead of 406.
    @GetMapping(path = "/{id}/events", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "streamFitEvents", summary = "Stream a fit's progress (Server-Sent Events)",
            description = "`progress` events carry the fit resource whenever its state or progress changes; a final `state` event "
                    + "carries the finished fit, then the stream ends.")
    @JobOpenApi.Events(resource = "fit", example = "event:progress\ndata:{\"id\":\"3f1c2a9e\","
            + "\"state\":\"RUNNING\",...}\n\nevent:state\nid:SUCCEEDED\ndata:{\"id\":\"3f1c2a9e\",\"state\":\"SUCCEEDED\",...}\n\n")
    SseEmitter events(@PathVariable String id) {
        return events.stream(() -> service.get(id), view -> List.of(view.progress().iteration(),
                Objects.toString(view.progress().objective()), Objects.toString(view.progress().gap())));
    }

    @GetMapping(path = "/{id}/loss.svg", produces = ModelPlots.SVG)
    @Operation(operationId = "getFitLossPlot", summary = "Plot the training curve (SVG)",
            description = "Objective, data fit and penalty at each logged iteration of a SUCCEEDED fit (log scale when all are "
                    + "positive). A fit without a model (queued, running, failed, cancelled) is 409.")
    @ApiResponse(responseCode = "200", description = "An SVG image.",
            content = @Content(mediaType = ModelPlots.SVG, schema = @Schema(type = "string")))
    ResponseEntity<String> loss(@PathVariable String id) {
        return ModelPlots.answer(ModelPlots.loss(service.lossCurve(id), "Training curve of fit " + ModelPlots.shortId(id)));
    }
}
