package io.sparsefit.model;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
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

/** {@code /v1/models}: the learned networks: their views, predictions, diagnostics, files to download and plots. */
@RestController
@RequestMapping("/v1/models")
@Tag(name = "models")
class ModelController {

    private final ModelService service;

    ModelController(ModelService service) {
        this.service = service;
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getModel", summary = "Get a learned network",
            description = "Layers + skip evaluate the network in any language; neurons are its canonical form; knots exist for one input.")
    ModelViews.ModelView get(@PathVariable String id) {
        return service.get(id);
    }

    @PostMapping(path = "/{id}/predict", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "predict", summary = "Evaluate the model",
            description = "One output row per input row, in the same order. `x`: rows of the model's features, inputDim values each "
                    + "(422 otherwise). `rows`: objects by column name, read as the rows of a CSV body (levels by their text, null "
                    + "for an empty cell). A classification model adds each row's class probabilities and most probable label.")
    PredictResponse predict(@PathVariable String id, @RequestBody PredictRequest request) {
        return service.predict(id, request);
    }

    @PostMapping(path = "/{id}/evaluate", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "evaluateModel", summary = "Evaluate the model on data with known targets",
            description = "`{\"datasetId\"}`: a stored dataset whose columns include the model's (matched by name; categorical "
                    + "levels by text, an unseen level is a 422 naming it); rows with an empty target are left out, and rows with "
                    + "an empty input cell unless the model imputes. `{\"x\", \"y\"}`: rows of the model's features and their "
                    + "targets. Answers rows, and per output MSE, RMSE, MAE and R^2; for a classification model accuracy, mean log "
                    + "loss, confusion matrix and (two classes) AUC, the dataset's labels matched to the model's classes (`{\"x\", "
                    + "\"y\"}`: y holds class indices).")
    RegressionMetrics evaluate(@PathVariable String id, @RequestBody EvaluateRequest request) {
        return service.evaluate(id, request);
    }

    @GetMapping(path = "/{id}/diagnostics", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "getModelDiagnostics", summary = "Get a model's diagnostics",
            description = "Objective and its terms, path norm, sparsity against the representer bound, balance, duality-gap certificate, "
                    + "train and validation error, training curve.")
    DiagnosticsView diagnostics(@PathVariable String id) {
        return service.diagnostics(id);
    }

    @GetMapping(path = "/{id}/export", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    @Operation(operationId = "exportModel", summary = "Download the model (ONNX or JSON)",
            description = "`onnx`: an ONNX model (opset 13, DOUBLE tensors; input `x` [N, inputDim], output `y` [N, outputDim]; "
                    + "nodes Gemm, Relu, Gemm, Gemm (skip), Add) that ONNX Runtime and other ONNX tools run as they are; metadata "
                    + "`sparsefit.features` names the columns of `x` (JSON array), `sparsefit.columns` and `sparsefit.targets` the "
                    + "table's. A classification model has a second output `probabilities` [N, C] (Softmax of `y`, or Sigmoid of the "
                    + "one logistic logit and its complement) and metadata `sparsefit.loss` and `sparsefit.classes`. "
                    + "`json`: the model resource (layers, skip, neurons, knots) as a JSON file. Both are files to save, sent as "
                    + "`application/octet-stream` attachments (one media type, so that generated clients return the bytes).")
    @ApiResponse(responseCode = "200", description = "The model file.", content =
            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE, schema = @Schema(type = "string", format = "binary")))
    ResponseEntity<byte[]> export(@PathVariable String id,
                                  @Parameter(description = "File format.", schema = @Schema(allowableValues = {"onnx", "json"},
                                          defaultValue = "onnx"))
                                  @RequestParam(defaultValue = "onnx") String format) {
        ModelService.ModelFile file = service.export(id, format);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(file.name()).build().toString())
                .body(file.bytes());
    }

    @GetMapping(path = "/{id}/plot.svg", produces = ModelPlots.SVG)
    @Operation(operationId = "getModelPlot", summary = "Plot the learned function (SVG)",
            description = "One input: the training data, the fitted linear spline and its knots (dashed lines). Two inputs: a heat map "
                    + "of the function with each neuron's line w . x = b and the training inputs. More inputs: predicted against "
                    + "observed on the training rows. The training data is left out when its dataset has been deleted.")
    @ApiResponse(responseCode = "200", description = "An SVG image.",
            content = @Content(mediaType = ModelPlots.SVG, schema = @Schema(type = "string")))
    ResponseEntity<String> plot(@PathVariable String id,
                                @Parameter(description = "Which output to draw (0-based) when the model has several.", example = "0")
                                @RequestParam(defaultValue = "0") int output) {
        return ModelPlots.answer(service.plot(id, output));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteModel", summary = "Delete a model")
    @ApiResponse(responseCode = "204", description = "Deleted.")
    void delete(@PathVariable String id) {
        service.delete(id);
    }
}
