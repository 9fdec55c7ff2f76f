package io.sparsefit.model;

import io.sparsefit.web.CsvTables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * CSV variants of {@code POST /v1/models/{id}/predict}: a CSV body in ({@code Content-Type: text/csv},
 * a header row then one input row per line, matched to the model's columns by name), CSV out ({@code Accept: text/csv},
 * a header of the model's target names, {@code y} or {@code y0, y1, ...} when the training data named none; for a
 * classification model the logits, the probabilities and the label, {@link ModelService#csvHeader}). The JSON-in/JSON-out operation stays in {@link ModelController}; every variant
 * is evaluated by {@link ModelService#predict}, so limits and validation are the same.
 */
@RestController
@Tag(name = "models")
class ModelCsvController {

    static final String CSV_EXAMPLE = "x\n0.5\n4.5\n9.0\n";

    private final ModelService service;

    ModelCsvController(ModelService service) {
        this.service = service;
    }

    @PostMapping(path = "/v1/models/{id}/predict", consumes = CsvTables.TEXT_CSV, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict", requestBody = @RequestBody(required = true, content = @Content(mediaType = CsvTables.TEXT_CSV,
            schema = @Schema(type = "string"), examples = @ExampleObject(value = CSV_EXAMPLE))))
    PredictResponse predictCsv(@PathVariable String id, @org.springframework.web.bind.annotation.RequestBody String body) {
        return service.predictTable(id, CsvTables.readText(body));
    }

    @PostMapping(path = "/v1/models/{id}/predict", consumes = CsvTables.TEXT_CSV, produces = CsvTables.TEXT_CSV)
    @Operation(operationId = "predict", requestBody = @RequestBody(required = true, content = @Content(mediaType = CsvTables.TEXT_CSV,
            schema = @Schema(type = "string"), examples = @ExampleObject(value = CSV_EXAMPLE))))
    @ApiResponse(responseCode = "200", description = "One output row per input row.",
            content = @Content(mediaType = CsvTables.TEXT_CSV, schema = @Schema(type = "string"), examples = @ExampleObject(value = "y\n0.3\n3.9\n-0.8\n")))
    ResponseEntity<String> predictCsvToCsv(@PathVariable String id, @org.springframework.web.bind.annotation.RequestBody String body) {
        return csv(service.csvHeader(id), service.predictTable(id, CsvTables.readText(body)));
    }

    @PostMapping(path = "/v1/models/{id}/predict", consumes = MediaType.APPLICATION_JSON_VALUE, produces = CsvTables.TEXT_CSV)
    @Operation(operationId = "predict")
    @ApiResponse(responseCode = "200", description = "One output row per input row.",
            content = @Content(mediaType = CsvTables.TEXT_CSV, schema = @Schema(type = "string"), examples = @ExampleObject(value = "y\n0.3\n3.9\n-0.8\n")))
    ResponseEntity<String> predictToCsv(@PathVariable String id, @org.springframework.web.bind.annotation.RequestBody PredictRequest request) {
        return csv(service.csvHeader(id), service.predict(id, request));
    }

    /** The answer as CSV: the outputs, then for a classification model the probabilities and the label (see csvHeader). */
    private static ResponseEntity<String> csv(java.util.List<String> header, PredictResponse y) {
        String body = y.labels() == null ? CsvTables.write(header, y.y())
                : CsvTables.write(header, y.y().length, (i, cells) -> {
                    for (double v : y.y()[i]) {
                        cells.add(Double.toString(v));
                    }
                    for (double p : y.probabilities()[i]) {
                        cells.add(Double.toString(p));
                    }
                    cells.add(y.labels()[i].toString());
                });
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8")).body(body);
    }
}
