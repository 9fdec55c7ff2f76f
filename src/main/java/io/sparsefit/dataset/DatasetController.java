package io.sparsefit.dataset;

import io.sparsefit.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/datasets}: upload (JSON or CSV), list, get, delete. No logic here beyond mapping. */
@RestController
@RequestMapping("/v1/datasets")
@Tag(name = "datasets")
class DatasetController {

    static final String CSV_EXAMPLE = "x,y\n0,0\n1,1\n2,0\n3,1\n";

    private static final String STREAMED = "The body is parsed as it arrives and its inputs are stored a chunk of rows at a time "
            + "(never held whole), in one transaction: a failed upload stores nothing. It has limits of its own (defaults: "
            + "sparsefit.uploads.max-csv-size 1GB, max-rows 1,000,000, max-columns 1000; 413 beyond).";

    private final DatasetService service;

    DatasetController(DatasetService service) {
        this.service = service;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createDataset", summary = "Upload a dataset (JSON or CSV)",
            description = "Stores N samples. JSON: `x` is N rows of d inputs, `y` N rows of m outputs (or a flat array for m = 1). "
                    + "CSV (Content-Type text/csv): a header row, then one sample per line; the query parameter `target` names the "
                    + "output columns (default: the last column) and `name` names the dataset (CSV only; JSON has a `name` field). "
                    + "Answers 201 with a Location header.")
    @ApiResponse(responseCode = "201", description = "Stored.")
    DatasetView create(@Valid @org.springframework.web.bind.annotation.RequestBody DatasetUpload upload, HttpServletResponse response) {
        return created(service.create(upload), response);
    }

    /** A stored dataset's 201 answer: the resource, and its {@code Location}. */
    private static DatasetView created(DatasetView view, HttpServletResponse response) {
        response.setHeader(HttpHeaders.LOCATION, "/v1/datasets/" + view.id());
        return view;
    }

    @PostMapping(consumes = "text/csv", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createDataset", summary = "Upload a dataset (JSON or CSV)",
            description = "A header row naming the columns, then one sample per line. `target` names the output columns "
                    + "(default: the last column), `weight` an optional sample-weight column; all other columns are inputs. An input "
                    + "column whose first non-empty cell is text is categorical (its distinct texts are its levels); an empty cell "
                    + "is missing (see the fit's preprocessing.missing). " + STREAMED,
            requestBody = @RequestBody(required = true, content = @Content(mediaType = "text/csv",
                    schema = @Schema(type = "string"), examples = @ExampleObject(value = CSV_EXAMPLE))))
    @ApiResponse(responseCode = "201", description = "Stored.")
    DatasetView uploadCsv(HttpServletRequest request, @ParameterObject CsvUploadQuery query, HttpServletResponse response)
            throws java.io.IOException {
        // Streamed: the parser reads record by record and stops at the row limit (never the whole body as a String).
        java.nio.charset.Charset charset;
        try {
            charset = request.getCharacterEncoding() != null
                    ? java.nio.charset.Charset.forName(request.getCharacterEncoding()) : java.nio.charset.StandardCharsets.UTF_8;
        } catch (IllegalArgumentException unknown) {
            throw new io.sparsefit.web.ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "Unknown charset in Content-Type", java.util.List.of(), null);
        }
        return created(service.createFromCsv(new java.io.BufferedReader(new java.io.InputStreamReader(request.getInputStream(), charset)),
                query.target(), query.weight(), query.name()), response);
    }

    // The same upload as its own operation, whose only body is text/csv: OpenAPI gives one operation one request body,
    // and generators type it by its first media type (JSON above), so a generated client can send CSV only here.
    @PostMapping(path = "/csv", consumes = "text/csv", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "uploadDatasetCsv", summary = "Upload a dataset as CSV",
            description = "The same as POST /v1/datasets with Content-Type text/csv, as an operation of its own so that generated "
                    + "clients can send CSV: a header row naming the columns, then one sample per line. `target` names the output "
                    + "columns (default: the last column); all other columns are inputs. Answers 201 with a Location header. " + STREAMED,
            requestBody = @RequestBody(required = true, content = @Content(mediaType = "text/csv",
                    schema = @Schema(type = "string"), examples = @ExampleObject(value = CSV_EXAMPLE))))
    @ApiResponse(responseCode = "201", description = "Stored.")
    DatasetView uploadCsvOnly(HttpServletRequest request, @ParameterObject CsvUploadQuery query, HttpServletResponse response)
            throws java.io.IOException {
        return uploadCsv(request, query, response);
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listDatasets", summary = "List datasets",
            description = "Datasets in upload order, `limit` per page; pass `nextCursor` as `cursor` for the next page.")
    Page<DatasetView> list(@Parameter(description = Page.LIMIT_DESCRIPTION)
                           @RequestParam(defaultValue = Page.DEFAULT_LIMIT) @Min(1) @Max(Page.MAX_LIMIT) int limit,
                           @Parameter(description = Page.CURSOR_DESCRIPTION)
                           @RequestParam(required = false) String cursor) {
        return service.list(limit, cursor);
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getDataset", summary = "Get a dataset's description")
    DatasetView get(@PathVariable String id) {
        return service.get(id);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteDataset", summary = "Delete a dataset",
            description = "Fits already queued on it fail; models already learned from it stay.")
    @ApiResponse(responseCode = "204", description = "Deleted.")
    void delete(@PathVariable String id) {
        service.delete(id);
    }
}
