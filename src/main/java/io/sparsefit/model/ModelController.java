package io.sparsefit.model;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/models}: the learned networks. */
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

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteModel", summary = "Delete a model")
    @ApiResponse(responseCode = "204", description = "Deleted.")
    void delete(@PathVariable String id) {
        service.delete(id);
    }
}
