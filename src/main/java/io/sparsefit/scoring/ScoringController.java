package io.sparsefit.scoring;

import io.sparsefit.job.JobAnswers;
import io.sparsefit.job.JobEvents;
import io.sparsefit.job.JobOpenApi;
import io.sparsefit.job.JobState;
import io.sparsefit.web.CsvTables;
import io.sparsefit.web.Page;
import io.sparsefit.web.StreamedDownload;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /v1/scorings}: batch scoring of a stored dataset by a stored model, asynchronous jobs on the job queue. */
@RestController
@RequestMapping("/v1/scorings")
@Tag(name = "scorings")
class ScoringController {

    private final ScoringService service;
    private final JobEvents events;
    private final JobAnswers answers;

    ScoringController(ScoringService service, JobEvents events, JobAnswers answers) {
        this.service = service;
        this.events = events;
        this.answers = answers;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createScoring", summary = "Score a stored dataset with a stored model",
            description = "Checks that the model and the dataset exist (404) and that the dataset's input columns fit the model, "
                    + "as evaluate matches them (422: a missing column, another kind, an unseen level, empty cells the model does "
                    + "not impute), queues the scoring on the job queue and answers at once (202, Location, Retry-After). The "
                    + "dataset is read and scored block by block, each block of predictions stored as it is done. A full queue is 429.")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @JobOpenApi.Accepted(resource = "scoring")
    ResponseEntity<ScoringView> submit(@RequestBody ScoringRequest request) {
        ScoringView view = service.submit(request);
        return answers.accepted(ScoringJob.KIND, view, false);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getScoring", summary = "Get a scoring", description = "State, progress in rows, times, model, dataset and error.")
    ScoringView get(@PathVariable String id) {
        return service.get(id);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listScorings", summary = "List scorings", description = "Scorings in submission order, optionally only those in one state.")
    Page<ScoringView> list(@Parameter(description = "Only scorings in this state.") @RequestParam(required = false) JobState state,
                           @Parameter(description = Page.LIMIT_DESCRIPTION)
                           @RequestParam(defaultValue = Page.DEFAULT_LIMIT) @Min(1) @Max(Page.MAX_LIMIT) int limit,
                           @Parameter(description = Page.CURSOR_DESCRIPTION) @RequestParam(required = false) String cursor) {
        return service.list(state, limit, cursor);
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "cancelScoring", summary = "Cancel a scoring, or delete a finished one",
            description = "A queued scoring becomes CANCELLED at once (200); a running one stops within one block of rows (202 "
                    + "while it stops). A finished scoring (SUCCEEDED, FAILED or CANCELLED) is deleted with its predictions (204). "
                    + "So a second DELETE of a cancelled scoring deletes it, and a third is 404.")
    @JobOpenApi.Cancel(resource = "scoring")
    ResponseEntity<ScoringView> cancel(@PathVariable String id) {
        return JobAnswers.cancelledOrDeleted(service.cancelOrDelete(id));
    }

    @GetMapping(path = "/{id}/events", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "streamScoringEvents", summary = "Stream a scoring's progress (Server-Sent Events)",
            description = "`progress` events carry the scoring resource whenever its state or rows done change; a final `state` "
                    + "event carries the finished scoring, then the stream ends.")
    @JobOpenApi.Events(resource = "scoring")
    SseEmitter events(@PathVariable String id) {
        return events.stream(() -> service.get(id), view -> view.progress().rows());
    }

    @GetMapping(path = "/{id}/predictions", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getScoringPredictions", summary = "A page of a scoring's predictions",
            description = "Rows `offset` .. `offset + limit - 1` of the predictions (one row per dataset row, in the dataset's "
                    + "order), with the next page's offset; for a classification model also the probabilities and labels, as "
                    + "predict answers them. 409 while the scoring has not SUCCEEDED.")
    @ApiResponse(responseCode = "200", description = "The predictions: a JSON page, or (Accept: text/csv) all rows as CSV.", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PredictionPage.class)),
            @Content(mediaType = CsvTables.TEXT_CSV, schema = @Schema(type = "string"), examples = @ExampleObject(value = "y\n0.3\n3.9\n-0.8\n"))})
    @ApiResponse(responseCode = "409", description = "The scoring has not SUCCEEDED (yet).", content = @Content(
            mediaType = "application/problem+json", schema = @Schema(ref = "#/components/schemas/Problem")))
    PredictionPage page(@Parameter(description = "Row index of the first row.") @RequestParam(defaultValue = "0") int offset,
                        @Parameter(description = "Rows per page (default 1000, at most 10000).") @RequestParam(required = false) Integer limit,
                        @PathVariable String id) {
        return service.page(id, offset, limit);
    }

    @GetMapping(path = "/{id}/predictions", produces = CsvTables.TEXT_CSV)
    @Operation(operationId = "getScoringPredictions", summary = "A scoring's predictions as CSV",
            description = "The columns of predict's CSV: a header of the model's target names (for a classification model the "
                    + "logits, probability_<class> per class, then the target holding the most probable class), then one row per "
                    + "dataset row, in order, streamed from the store block by block. 409 while the scoring has not SUCCEEDED.")
    // Its answers (200 in both media types, 409) are documented once, with the JSON variant above: one operation.
    void csv(@PathVariable String id, HttpServletResponse response) throws IOException {
        List<String> header = service.checkPredictions(id);
        // Read from the store block by block as it is sent; a scoring deleted meanwhile breaks the transfer off.
        StreamedDownload.csv(response, printer -> {
            printer.printRecord(header);
            service.forEachCsvRow(id, cells -> {
                try {
                    printer.printRecord((Object[]) cells);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        });
    }
}
