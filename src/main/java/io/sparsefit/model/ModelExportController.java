package io.sparsefit.model;

import io.sparsefit.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** {@code GET /v1/models/{id}/export?format=onnx|json}: the model as a file to download. */
@RestController
@Tag(name = "models")
class ModelExportController {

    private final StoredModels models;
    private final JsonMapper json;

    ModelExportController(StoredModels models, JsonMapper json) {
        this.models = models;
        this.json = json;
    }

    @GetMapping(path = "/v1/models/{id}/export", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
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
        if (!format.equals("onnx") && !format.equals("json")) {
            throw ApiException.invalid("format", "must be onnx or json");
        }
        StoredModels.Loaded model = models.load(id);
        byte[] body = format.equals("onnx")
                ? OnnxExport.export(model.id(), model.network(), onnxMetadata(model), model.loss())
                : json.writeValueAsBytes(ModelViews.view(model));
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment().filename("sparsefit-model-" + model.id() + "." + format).build().toString())
                .body(body);
    }

    /** The ONNX metadata: the columns of x, the table's columns and targets, a classifier's loss and classes. */
    private java.util.Map<String, String> onnxMetadata(StoredModels.Loaded model) {
        io.sparsefit.dataset.InputEncoding e = model.table().encoding();
        java.util.Map<String, String> metadata = new java.util.LinkedHashMap<>();
        metadata.put("sparsefit.features", json.writeValueAsString(e.features()));
        metadata.put("sparsefit.columns", json.writeValueAsString(e.columns()));
        metadata.put("sparsefit.targets", json.writeValueAsString(e.targets()));
        if (model.loss().classification()) {
            metadata.put("sparsefit.loss", model.loss().type());
            metadata.put("sparsefit.classes", json.writeValueAsString(model.loss().classes()));
        }
        return metadata;
    }
}
