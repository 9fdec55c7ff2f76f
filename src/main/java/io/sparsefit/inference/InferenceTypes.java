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
            @Schema(description = "Requested outputs (only `y` exists).", nullable = true) List<Map<String, Object>> outputs) {
    }

    @Schema(name = "InferenceResponse", description = "Open Inference Protocol inference response.")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferResponse(
            @Schema(name = "model_name", description = "The model id.") @com.fasterxml.jackson.annotation.JsonProperty("model_name") String modelName,
            @Schema(description = "The request id, when one was given.", nullable = true) String id,
            @Schema(description = "One output tensor, `y`, shape [rows, outputDim].") List<Tensor> outputs) {
    }

    @Schema(name = "InferenceModelMetadata", description = "Open Inference Protocol model metadata.")
    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs, List<TensorMetadata> outputs) {
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
    record Ready(String name, boolean ready) {
    }
}
