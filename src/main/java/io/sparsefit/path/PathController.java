package io.sparsefit.path;

import io.sparsefit.job.JobAnswers;
import io.sparsefit.job.JobEvents;
import io.sparsefit.job.JobOpenApi;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** {@code /v1/paths}: regularization paths, asynchronous jobs on the job queue. */
@RestController
@RequestMapping("/v1/paths")
@Tag(name = "paths")
class PathController {

    private final PathService service;
    private final JobEvents events;
    private final JobAnswers answers;

    PathController(PathService service, JobEvents events, JobAnswers answers) {
        this.service = service;
        this.events = events;
        this.answers = answers;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createPath", summary = "Submit a regularization path",
            description = "Validates the request, queues the path on the job queue (behind queued fits, paths and scorings, run "
                    + "by the same workers) and answers at once (202, Location, Retry-After). Each point is a fit warm-started from the previous "
                    + "one, validated on seeded folds and refit on all the data; its model is stored. A full queue is 429.")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @JobOpenApi.Accepted(resource = "path")
    ResponseEntity<PathView> submit(@io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PathRequest.class), examples = {
                    // "Try it out" sends the first example as it is: inline data, so it works on an empty service.
                    @ExampleObject(name = "exactGrid", summary = "Inline data, exact solver: a 10-point grid, 5-fold validation",
                            value = "{\"data\": {\"x\": [[0], [1], [2], [3], [4], [5], [6], [7], [8], [9]], "
                                    + "\"y\": [[0.1], [0.9], [2.1], [2.9], [4.2], [3.1], [1.9], [1.2], [0.1], [-0.8]]}, "
                                    + "\"solver\": {\"type\": \"exact\"}, \"grid\": {\"count\": 10, \"minRatio\": 0.001}, "
                                    + "\"validation\": {\"folds\": 5}}"),
                    @ExampleObject(name = "storedDatasetLambdas", summary = "A stored dataset (put the id createDataset answered), "
                            + "explicit lambdas, the least validation error chosen",
                            value = "{\"datasetId\": \"3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41\", \"lambdas\": [1.0, 0.1, 0.01], "
                                    + "\"validation\": {\"folds\": 5}, \"choice\": \"best\"}")}))
            @RequestBody PathRequest request) {
        PathView view = service.submit(request);
        return answers.accepted(PathJob.KIND, view, false);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getPath", summary = "Get a path",
            description = "State, progress in points, the points so far and, once SUCCEEDED, best, oneSe, chosen and (exact "
                    + "solver) the breakpoints of the whole solution path.")
    PathView get(@PathVariable String id) {
        return service.get(id);
    }

    @DeleteMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "cancelPath", summary = "Cancel a path, or delete a finished one",
            description = "A queued path becomes CANCELLED at once (200); a running one stops within one point, keeping the "
                    + "points done (202 while it stops). A finished path (SUCCEEDED, FAILED or CANCELLED) is deleted with its "
                    + "points (204); the points' models stay. So a second DELETE of a cancelled path deletes it, and a third is 404.")
    @JobOpenApi.Cancel(resource = "path")
    ResponseEntity<PathView> cancel(@PathVariable String id) {
        return JobAnswers.cancelledOrDeleted(service.cancelOrDelete(id));
    }

    @GetMapping(path = "/{id}/events", produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    @Operation(operationId = "streamPathEvents", summary = "Stream a path's progress (Server-Sent Events)",
            description = "`progress` events carry the path resource whenever its state or number of points changes; a final "
                    + "`state` event carries the finished path, then the stream ends.")
    @JobOpenApi.Events(resource = "path")
    SseEmitter events(@PathVariable String id) {
        return events.stream(() -> service.get(id), view -> view.progress().points());
    }
}
