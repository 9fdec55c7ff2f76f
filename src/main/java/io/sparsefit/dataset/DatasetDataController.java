package io.sparsefit.dataset;

import io.sparsefit.web.CsvTables;
import io.sparsefit.web.StreamedDownload;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /v1/datasets/{id}/data}: the stored samples, as JSON or CSV, streamed as they are read; a dataset deleted
 * while it downloads breaks the transfer off ({@link StreamedDownload}), so a short body never looks complete.
 */
@RestController
@Tag(name = "datasets")
class DatasetDataController {

    private final DatasetService service;
    private final JsonMapper json;

    DatasetDataController(DatasetService service, JsonMapper json) {
        this.service = service;
        this.json = json;
    }

    /** The JSON answer's shape (for the OpenAPI document; {@link #json} writes it as it reads the store). */
    @Schema(name = "DatasetData", description = "The stored samples: x is N rows of d inputs, y N rows of m outputs.")
    record DatasetData(
            @ArraySchema(arraySchema = @Schema(description = "Inputs, N rows of d numbers, in the order of the dataset's `columns`; "
                    + "a categorical column holds the index of its level in `inputs[j].levels`, a missing cell is null."),
                    schema = @Schema(type = "array", implementation = Double[].class)) Double[][] x,
            @ArraySchema(arraySchema = @Schema(description = "Outputs, N rows of m numbers (null for a missing cell)."),
                    schema = @Schema(type = "array", implementation = Double[].class)) Double[][] y,
            @Schema(description = "Sample weights, when the dataset has them.", nullable = true) double[] w) {
    }

    @GetMapping(path = "/v1/datasets/{id}/data", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getDatasetData", summary = "Download a dataset's samples (JSON or CSV)",
            description = "JSON: `{x, y}` with nested rows. CSV (Accept: text/csv): a header row `x` (or `x0, x1, ...`) then `y` (or "
                    + "`y0, y1, ...`), one sample per line, under the dataset's column names when it has them (a CSV upload's "
                    + "header, JSON `columns`); categorical cells and text labels as their text, missing cells empty, the weight "
                    + "column last (JSON: a text label column's y holds each row's class index in the dataset's classes). "
                    + "Upload it again with the same `target` (and `weight`) to get the same data.")
    @ApiResponse(responseCode = "200", description = "The samples.", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = DatasetData.class)),
            @Content(mediaType = CsvTables.TEXT_CSV, schema = @Schema(type = "string"), examples = @ExampleObject(value = "x,y\n0.0,0.1\n1.0,0.9\n"))})
    void json(@PathVariable String id, HttpServletResponse response) throws IOException {
        // Streamed as the CSV is: x one stored chunk at a time, so a dataset larger than the heap downloads as well.
        DatasetService.RowBlocks blocks = service.rowBlocks(id);
        StoredDataset data = service.targets(id);
        StreamedDownload.write(response, MediaType.APPLICATION_JSON_VALUE, stream -> {
            try (JsonGenerator out = json.createGenerator(stream)) {
                out.writeStartObject();
                out.writeName("x");
                out.writeStartArray();
                for (int b = 0; b < blocks.count(); b++) {
                    writeRows(out, blocks.read().apply(b));
                }
                out.writeEndArray();
                out.writeName("y");
                out.writeStartArray();
                writeRows(out, data.y());
                out.writeEndArray();
                out.writeName("w");
                if (data.w() == null) {
                    out.writeNull();
                } else {
                    out.writeArray(data.w(), 0, data.w().length);
                }
                out.writeEndObject();
            }
        });
    }

    /** The rows of {@code m} (not modified) as arrays of numbers, NaN (a missing cell) as null. */
    private static void writeRows(JsonGenerator out, DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            out.writeStartArray();
            for (int j = 0; j < m.numCols; j++) {
                double v = m.data[i * m.numCols + j];
                if (Double.isNaN(v)) {
                    out.writeNull();
                } else {
                    out.writeNumber(v);
                }
            }
            out.writeEndArray();
        }
    }

    @GetMapping(path = "/v1/datasets/{id}/data", produces = CsvTables.TEXT_CSV)
    @Operation(operationId = "getDatasetData") // documented with the JSON variant above: one operation
    void csv(@PathVariable String id, HttpServletResponse response) throws IOException {
        // Streamed: x one stored chunk at a time (a dataset larger than the heap downloads as well), y and w whole.
        DatasetService.RowBlocks blocks = service.rowBlocks(id);
        StoredDataset data = service.targets(id);
        TableSchema schema = data.schema();
        List<String> header = new ArrayList<>(schema.columns());
        header.addAll(schema.targets());
        if (schema.weighted()) {
            header.add(schema.weight());
        }
        int m = data.y().numCols;
        TargetClasses text = data.classes() != null && data.classes().text() ? data.classes() : null;
        StreamedDownload.csv(response, printer -> {
            printer.printRecord(header);
            List<String> cells = new ArrayList<>();
            int row = 0;
            for (int b = 0; b < blocks.count(); b++) {
                DMatrixRMaj x = blocks.read().apply(b);
                int d = x.numCols;
                for (int i = 0; i < x.numRows; i++, row++) {
                    cells.clear();
                    for (int j = 0; j < d; j++) {
                        double v = x.data[i * d + j];
                        TableSchema.InputColumn column = schema.inputs().get(j);
                        // Numbers in Java's shortest round-trip form, as CsvTables writes them.
                        cells.add(Double.isNaN(v) ? "" : column.categorical() ? column.levels().get((int) v) : Double.toString(v));
                    }
                    for (int o = 0; o < m; o++) {
                        double v = data.y().data[row * m + o];
                        cells.add(Double.isNaN(v) ? "" : text != null ? text.label((int) v) : Double.toString(v));
                    }
                    if (data.w() != null) {
                        cells.add(Double.toString(data.w()[row]));
                    }
                    printer.printRecord(cells);
                }
            }
        });
    }
}
