package io.sparsefit.inference;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/** Request and response bodies of the Open Inference Protocol (KServe v2 REST), the parts sparsefit serves. */
final class InferenceTypes {

    private InferenceTypes() {
    }

    @Schema(name = "InferenceTensor", description = "A tensor: name, shape, datatype and its data in row-major order.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Tensor(
            @Schema(description = "Tensor name; the model's input is `x`, its output `y`.", example = "x") String name,
            @ArraySchema(arraySchema = @Schema(description = "Shape: [rows, columns] (a 1-D shape [rows] is read as one column)."),
                    schema = @Schema(type = "integer", format = "int64")) long[] shape,
            @Schema(description = "Element type; FP64 and FP32 are accepted, FP64 is returned.", example = "FP64") String datatype,
            @Schema(description = "Optional per-tensor parameters (ignored).", nullable = true) Map<String, Object> parameters,
            @ArraySchema(arraySchema = @Schema(description = "Elements in row-major order, flat or nested."),
                    schema = @Schema(type = "number", format = "double")) Object data) {
    }

    @Schema(name = "InferenceRequest", description = "Open Inference Protocol inference request.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferRequest(
            @Schema(description = "Optional request id, echoed in the response.", nullable = true) String id,
            @Schema(description = "Optional parameters (ignored).", nullable = true) Map<String, Object> parameters,
            @Schema(description = "Exactly one input tensor, `x`.") List<Tensor> inputs,
            @Schema(description = "Requested outputs (only `y` exists); all outputs when left out.", nullable = true)
            List<RequestedOutput> outputs) {
    }

    @Schema(name = "InferenceRequestedOutput", description = "An output the client asks for; only `y` exists.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RequestedOutput(
            @Schema(description = "Output name; must be `y`.", example = "y") String name,
            @Schema(description = "Optional parameters (ignored).", nullable = true) Map<String, Object> parameters) {
    }

    /** The protocol's error answer; documented as the InferenceError schema by web.OpenApiContract. */
    record ErrorResponse(String error) {
    }

    @Schema(name = "InferenceResponse", description = "Open Inference Protocol inference response.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferResponse(
            @Schema(name = "model_name", description = "The model id.") @com.fasterxml.jackson.annotation.JsonProperty("model_name") String modelName,
            @Schema(name = "model_version", description = "The model version; every model has the one version `1`.", example = "1")
            @com.fasterxml.jackson.annotation.JsonProperty("model_version") String modelVersion,
            @Schema(description = "The request id, when one was given.", nullable = true) String id,
            @Schema(description = "One output tensor, `y`, shape [rows, outputDim].") List<Tensor> outputs) {
    }

    @Schema(name = "InferenceModelMetadata", description = "Open Inference Protocol model metadata.")
    record ModelMetadata(@Schema(description = "The model id.") String name,
                         @Schema(description = "The model's versions: always [\"1\"].") List<String> versions,
                         @Schema(description = "Framework of the model.", example = "sparsefit-relu") String platform,
                         List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
    }

    @Schema(name = "InferenceTensorMetadata", description = "Name, datatype and shape (-1: any number of rows) of a tensor.")
    record TensorMetadata(String name, String datatype, long[] shape) {
    }

    @Schema(name = "InferenceServerMetadata", description = "Open Inference Protocol server metadata.")
    record ServerMetadata(String name, String version, List<String> extensions) {
    }

    @Schema(name = "InferenceLive", description = "Server liveness.")
    record Live(boolean live) {
    }

    @Schema(name = "InferenceReady", description = "Server or model readiness.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Ready(@Schema(description = "The model id (model readiness only; left out for the server).", nullable = true) String name,
                 boolean ready) {
    }
}
