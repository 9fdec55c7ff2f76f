package io.sparsefit.inference;

import io.sparsefit.model.ModelService;
import io.sparsefit.model.ModelViews;
import io.sparsefit.model.PredictRequest;
import io.sparsefit.model.PredictResponse;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Open Inference Protocol (KServe v2 REST) over the stored models, so that standard inference
 * clients can call them: the model name is the model id, the input tensor {@code x} has shape
 * [rows, inputDim], the output {@code y} [rows, outputDim] (a classification model adds {@code probabilities}
 * [rows, classes], FP64, and {@code labels} [rows], BYTES or INT64); each model has the one version {@code 1}
 * (routes with and without {@code /versions/{version}}). Errors are the protocol's {@code {"error": ...}}
 * with 400 for invalid requests and tensors, 404 for unknown models and versions (see {@link InferenceErrors}).
 */
@RestController
@RequestMapping(path = "/v2", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "inference", description = "Open Inference Protocol (KServe v2) endpoints over the stored models.")
class InferenceController {

    /** The one version of every model. */
    static final String VERSION = "1";
    /** A classification model's further outputs: the class probabilities [rows, classes] and the labels [rows]. */
    static final String PROBABILITIES = "probabilities";
    static final String LABELS = "labels";

    private final ModelService models;

    InferenceController(ModelService models) {
        this.models = models;
    }

    @GetMapping
    @Operation(operationId = "inferenceServerMetadata", summary = "Server metadata (Open Inference Protocol)")
    InferenceTypes.ServerMetadata server() {
        return new InferenceTypes.ServerMetadata("sparsefit", "v1", List.of());
    }

    @GetMapping("/health/live")
    @Operation(operationId = "inferenceServerLive", summary = "Server liveness (Open Inference Protocol)")
    InferenceTypes.Live live() {
        return new InferenceTypes.Live(true);
    }

    @GetMapping("/health/ready")
    @Operation(operationId = "inferenceServerReady", summary = "Server readiness (Open Inference Protocol)")
    InferenceTypes.Ready ready() {
        return new InferenceTypes.Ready(null, true);
    }

    @GetMapping("/models/{model}")
    @Operation(operationId = "inferenceModelMetadata", summary = "Model metadata (Open Inference Protocol)",
            description = "Name, versions, platform and the tensors: input `x` [-1, inputDim], output `y` [-1, outputDim], FP64.")
    InferenceTypes.ModelMetadata metadata(@PathVariable String model) {
        ModelViews.ModelView view = models.get(model);
        List<InferenceTypes.TensorMetadata> outputs = new ArrayList<>();
        outputs.add(new InferenceTypes.TensorMetadata("y", "FP64", new long[] {-1, view.outputDim()}));
        if (view.classCount() > 0) {
            outputs.add(new InferenceTypes.TensorMetadata(PROBABILITIES, "FP64", new long[] {-1, view.classCount()}));
            outputs.add(new InferenceTypes.TensorMetadata(LABELS, labelType(view), new long[] {-1}));
        }
        return new InferenceTypes.ModelMetadata(view.id(), List.of(VERSION), "sparsefit-relu",
                List.of(new InferenceTypes.TensorMetadata("x", "FP64", new long[] {-1, view.inputDim()})), outputs);
    }

    @GetMapping("/models/{model}/versions/{version}")
    @Operation(operationId = "inferenceModelVersionMetadata", summary = "Model version metadata (Open Inference Protocol)",
            description = "As the model metadata; the only version is `1` (404 for any other).")
    InferenceTypes.ModelMetadata versionMetadata(@PathVariable String model, @PathVariable String version) {
        return ofVersion(model, version, metadata(model));
    }

    @GetMapping("/models/{model}/ready")
    @Operation(operationId = "inferenceModelReady", summary = "Model readiness (Open Inference Protocol)",
            description = "A stored model is always ready (200); an unknown one is 404.")
    InferenceTypes.Ready modelReady(@PathVariable String model) {
        return new InferenceTypes.Ready(models.get(model).id(), true);
    }

    @GetMapping("/models/{model}/versions/{version}/ready")
    @Operation(operationId = "inferenceModelVersionReady", summary = "Model version readiness (Open Inference Protocol)",
            description = "As model readiness; the only version is `1` (404 for any other).")
    InferenceTypes.Ready versionReady(@PathVariable String model, @PathVariable String version) {
        return ofVersion(model, version, modelReady(model));
    }

    @PostMapping(path = "/models/{model}/versions/{version}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "inferenceInferVersion", summary = "Evaluate a model version (Open Inference Protocol)",
            description = "As infer; the only version is `1` (404 for any other).")
    InferenceTypes.InferResponse inferVersion(@PathVariable String model, @PathVariable String version,
                                              @RequestBody InferenceTypes.InferRequest request) {
        models.get(model);
        checkVersion(model, version);
        return infer(model, request);
    }

    private static void checkVersion(String model, String version) {
        if (!VERSION.equals(version)) {
            throw ApiException.notFound("model '" + model + "' version", version);
        }
    }

    /** The answer about {@code model} (found first: an unknown model is its 404), if {@code version} is its one version. */
    private static <T> T ofVersion(String model, String version, T answer) {
        checkVersion(model, version);
        return answer;
    }

    @PostMapping(path = "/models/{model}/infer", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "inferenceInfer", summary = "Evaluate a model (Open Inference Protocol)",
            description = "One input tensor `x` of shape [rows, inputDim] (FP64 or FP32, data flat or nested, row-major); "
                    + "answers the tensor `y` of shape [rows, outputDim], FP64, flat row-major; a classification model also "
                    + "`probabilities` [rows, classes] (FP64) and `labels` [rows] (BYTES for text classes, INT64 for integers), or "
                    + "those named in `outputs`.")
    InferenceTypes.InferResponse infer(@PathVariable String model, @RequestBody InferenceTypes.InferRequest request) {
        List<FieldProblem> errors = new ArrayList<>();
        if (request.inputs() == null || request.inputs().size() != 1) {
            throw ApiException.invalid("inputs", "exactly one input tensor (x) is expected, got "
                    + (request.inputs() == null ? 0 : request.inputs().size()));
        }
        InferenceTypes.Tensor input = request.inputs().get(0);
        if (!"x".equals(input.name())) {
            throw ApiException.invalid("inputs[0].name", "unexpected input '" + input.name() + "'; the model's only input is 'x'");
        }
        if (input.datatype() == null || !(input.datatype().equals("FP64") || input.datatype().equals("FP32"))) {
            errors.add(new FieldProblem("inputs[0].datatype", "must be FP64 or FP32"));
        }
        long[] shape = input.shape();
        if (shape == null || shape.length < 1 || shape.length > 2 || shape[0] < 1 || (shape.length == 2 && shape[1] < 1)) {
            errors.add(new FieldProblem("inputs[0].shape", "must be [rows] or [rows, columns] with positive sizes"));
        }
        List<Double> flat = new ArrayList<>();
        if (!flatten(input.data(), flat)) {
            errors.add(new FieldProblem("inputs[0].data", "must be an array of finite numbers (flat or nested)"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        long rows = shape[0];
        long cols = shape.length == 2 ? shape[1] : 1;
        if (rows * cols != flat.size()) {
            throw ApiException.invalid("inputs[0].data", "has " + flat.size() + " elements, the shape needs " + rows * cols);
        }
        if (rows > Integer.MAX_VALUE / Math.max(1, cols)) {
            throw ApiException.invalid("inputs[0].shape", "is too large");
        }
        double[][] x = new double[(int) rows][(int) cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                x[i][j] = flat.get((int) (i * cols + j));
            }
        }
        // The model (404) and the outputs it has, after the tensor's own checks (400 whatever the model).
        ModelViews.ModelView view = models.get(model);
        List<String> known = view.classCount() == 0 ? List.of("y") : List.of("y", PROBABILITIES, LABELS);
        List<String> wanted = new ArrayList<>();
        if (request.outputs() != null) {
            for (int i = 0; i < request.outputs().size(); i++) {
                InferenceTypes.RequestedOutput out = request.outputs().get(i);
                if (out == null || !known.contains(out.name())) {
                    throw ApiException.invalid("outputs[" + i + "].name", "unknown output '" + (out == null ? null : out.name())
                            + "'; the model's outputs are " + known);
                }
                wanted.add(out.name());
            }
        }
        if (wanted.isEmpty()) {
            wanted.addAll(known);
        }
        PredictResponse y = models.predict(model, new PredictRequest(x));
        int m = y.y().length == 0 ? 0 : y.y()[0].length;
        double[] out = new double[y.y().length * m];
        for (int i = 0; i < y.y().length; i++) {
            System.arraycopy(y.y()[i], 0, out, i * m, m);
        }
        List<InferenceTypes.Tensor> tensors = new ArrayList<>();
        for (String name : wanted) {
            tensors.add(switch (name) {
                case PROBABILITIES -> new InferenceTypes.Tensor(PROBABILITIES, new long[] {y.y().length, view.classCount()}, "FP64",
                        null, flat(y.probabilities()));
                case LABELS -> new InferenceTypes.Tensor(LABELS, new long[] {y.y().length}, labelType(view), null, y.labels());
                default -> new InferenceTypes.Tensor("y", new long[] {y.y().length, m}, "FP64", null, out);
            });
        }
        return new InferenceTypes.InferResponse(model, VERSION, request.id(), tensors);
    }

    /** A classifier's labels: BYTES (strings) for text classes, INT64 for integer classes. */
    private static String labelType(ModelViews.ModelView view) {
        return view.textLabels() ? "BYTES" : "INT64";
    }

    private static double[] flat(double[][] rows) {
        int m = rows.length == 0 ? 0 : rows[0].length;
        double[] out = new double[rows.length * m];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * m, m);
        }
        return out;
    }

    /** Appends the numbers of a (possibly nested) JSON array to {@code out}; false on anything else. */
    private static boolean flatten(Object data, List<Double> out) {
        if (data instanceof List<?> list) {
            for (Object o : list) {
                if (!flatten(o, out)) {
                    return false;
                }
            }
            return true;
        }
        if (data instanceof Number n) {
            double v = n.doubleValue();
            if (!Double.isFinite(v)) {
                return false;
            }
            out.add(v);
            return true;
        }
        return false;
    }
}
