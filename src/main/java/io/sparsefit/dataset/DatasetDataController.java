package io.sparsefit.dataset;

import io.sparsefit.web.CsvTables;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/datasets/{id}/data}: the stored samples, as JSON or CSV. */
@RestController
@Tag(name = "datasets")
class DatasetDataController {

    private final DatasetService service;

    DatasetDataController(DatasetService service) {
        this.service = service;
    }

    @Schema(name = "DatasetData", description = "The stored samples: x is N rows of d inputs, y N rows of m outputs.")
    record DatasetData(
            @ArraySchema(arraySchema = @Schema(description = "Inputs, N rows of d numbers."),
                    schema = @Schema(type = "array", implementation = double[].class)) double[][] x,
            @ArraySchema(arraySchema = @Schema(description = "Outputs, N rows of m numbers."),
                    schema = @Schema(type = "array", implementation = double[].class)) double[][] y) {
    }

    @GetMapping(path = "/v1/datasets/{id}/data", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getDatasetData", summary = "Download a dataset's samples (JSON or CSV)",
            description = "JSON: `{x, y}` with nested rows. CSV (Accept: text/csv): a header row `x` (or `x0, x1, ...`) then `y` (or "
                    + "`y0, y1, ...`), one sample per line; upload it again with `target=y` (or `target=y0,y1,...`). The column "
                    + "names of an uploaded CSV are not stored.")
    @ApiResponse(responseCode = "200", description = "The samples.", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DatasetData.class)),
            @Content(mediaType = CsvTables.TEXT_CSV, schema = @Schema(type = "string"), examples = @ExampleObject(value = "x,y\n0.0,0.1\n1.0,0.9\n"))})
    DatasetData json(@PathVariable String id) {
        StoredDataset data = service.load(id);
        return new DatasetData(rows(data.x()), rows(data.y()));
    }

    @GetMapping(path = "/v1/datasets/{id}/data", produces = CsvTables.TEXT_CSV)
    @Operation(operationId = "getDatasetData")
    @ApiResponse(responseCode = "200", description = "The samples.", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DatasetData.class)),
            @Content(mediaType = CsvTables.TEXT_CSV, schema = @Schema(type = "string"), examples = @ExampleObject(value = "x,y\n0.0,0.1\n1.0,0.9\n"))})
    ResponseEntity<String> csv(@PathVariable String id) {
        StoredDataset data = service.load(id);
        List<String> header = new ArrayList<>(CsvTables.names("x", data.view().inputDim()));
        header.addAll(CsvTables.names("y", data.view().outputDim()));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/csv;charset=UTF-8"))
                .body(CsvTables.write(header, rows(data.x()), rows(data.y())));
    }

    private static double[][] rows(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            System.arraycopy(m.data, i * m.numCols, out[i], 0, m.numCols);
        }
        return out;
    }
}
