package io.sparsefit.model;

import io.sparsefit.core.network.CanonicalNeuron;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/** JSON shapes of a learned network (the records) and the mapping from the core's network (the methods). */
public final class ModelViews {

    private ModelViews() {
    }

    @Schema(name = "Model", description = "A learned network in three equivalent forms: layers + skip (evaluate anywhere, any depth), "
            + "canonical neurons (theory: unit-norm hyperplanes with amplitudes; one hidden layer only), knots (one input and one "
            + "hidden layer only).")
    public record ModelView(
            @Schema(description = "Identifier.") String id,
            @Schema(description = "The fit that produced it.") String fitId,
            @Schema(description = "Input dimension d.", example = "1") int inputDim,
            @Schema(description = "Output dimension m.", example = "1") int outputDim,
            @Schema(description = "Layers, evaluated in order as h = act(W h + bias), starting from h = x: every hidden layer "
                    + "(relu, or linear with a zero bias), then the output layer (linear, m rows, zero bias).") List<Layer> layers,
            @Schema(description = "Affine skip connection added to the last layer's output: f(x) = h_L + weights x + bias.") Skip skip,
            @Schema(description = "Canonical neurons v * relu(w . x - b) with ||w|| = 1, zero neurons removed, sorted by w then b; "
                    + "empty for a deep network (its units are not hyperplanes of the input space).")
            List<Neuron> neurons,
            @Schema(description = "Knots (only when inputDim = 1 and one hidden layer), sorted by position; empty otherwise.")
            List<KnotView> knots,
            @Schema(description = "Name given to the fit, if any.", nullable = true) String name,
            @Schema(description = "Tags given to the fit.") List<String> tags,
            @Schema(description = "The table columns the model reads, by name (a CSV predict body is matched to them by name).",
                    example = "[\"x\"]") List<String> columns,
            @Schema(description = "Names of the outputs (the training targets).", example = "[\"y\"]") List<String> targets,
            @Schema(description = "Names of the network's inputs, the columns of layers[0].weights, skip.weights and neurons[].w: "
                    + "a numeric column's name, `column=level` for each level of a categorical column. JSON predict rows hold "
                    + "these, in this order.", example = "[\"x\"]") List<String> features,
            @Schema(description = "Each input column: kind, levels of a categorical column, the value an empty cell becomes.")
            List<ModelInput> inputs,
            @Schema(description = "The preprocessing of the fit.") PreprocessingView preprocessing,
            @Schema(description = "How the model was made; null for models stored before provenance was kept.", nullable = true)
            Provenance provenance,
            @Schema(description = "Creation time (UTC).") java.time.Instant createdAt,
            @Schema(description = "The loss the model was fitted with (theory A2b).") LossView loss,
            @io.swagger.v3.oas.annotations.media.ArraySchema(arraySchema = @Schema(description = "A classification model's classes, "
                    + "sorted as its dataset's: class k is output k (logistic: one output, the logit of the second class). Null "
                    + "for regression.", nullable = true, example = "[\"benign\", \"malignant\"]"),
                    schema = @Schema(description = "A label: a string, or an integer.", types = {"string", "integer"}))
            io.sparsefit.dataset.TargetClasses classes) {

        /** C, the number of classes of a classification model; 0 for regression. */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public int classCount() {
            return classes == null ? 0 : classes.count();
        }

        /** Whether a classification model's labels are text (else integers). */
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean textLabels() {
            return classes != null && classes.text();
        }
    }

    @Schema(name = "ModelLoss", description = "The loss of the data term the model was fitted with.")
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record LossView(
            @Schema(description = "squared, huber, logistic or cross_entropy.",
                    allowableValues = {"squared", "huber", "logistic", "cross_entropy"}, example = "squared") String type,
            @Schema(description = "Huber's delta; absent for the other losses.", nullable = true) Double delta) {
    }

    @Schema(name = "ModelInput", description = "One input column of a model.")
    public record ModelInput(
            @Schema(description = "Column name.") String name,
            @Schema(description = "numeric or categorical.", allowableValues = {"numeric", "categorical"}) String kind,
            @Schema(description = "Levels of a categorical column (one-hot, in this order).", nullable = true) List<String> levels,
            @Schema(description = "What an empty cell becomes (the training mean, preprocessing.missing = impute_mean); null: an "
                    + "empty cell is a 422 (for a categorical column with imputation: the all-zero block).", nullable = true)
            Double impute) {
    }

    @Schema(name = "ModelPreprocessing", description = "How the fit prepared the inputs. The model itself is in the original units.")
    public record PreprocessingView(
            @Schema(description = "The fit solved on standardized inputs (the map is folded into the model).") boolean standardize,
            @Schema(description = "How empty cells were handled.", allowableValues = {"error", "drop_rows", "impute_mean"}) String missing,
            @Schema(description = "Per feature: the mean subtracted before the fit; null without standardization.", nullable = true)
            double[] mean,
            @Schema(description = "Per feature: the divisor (population standard deviation; 1 for a constant column or a one-hot "
                    + "indicator); null without standardization.", nullable = true) double[] scale) {
    }

    @Schema(description = "A hidden layer's kind and size.")
    public record LayerShape(
            @Schema(description = "Activation function.", allowableValues = {"relu", "linear"}) String activation,
            @Schema(description = "Units (outputs) of the layer.", example = "32") int units) {
    }

    @Schema(description = "One layer: h_out = act(weights h_in + bias).")
    public record Layer(
            @Schema(description = "Activation function.", allowableValues = {"relu", "linear"}) String activation,
            @Schema(description = "Weight matrix, rows = outputs of the layer, columns = its inputs.") double[][] weights,
            @Schema(description = "Bias, one per output of the layer.") double[] bias) {
    }

    @Schema(description = "The affine part C x + c0 (theory A1): m x d weights (zero when the skip connection is off) and the "
            + "m constants c0. The output layer's bias is zero, so neurons + skip and layers + skip both give the full function.")
    public record Skip(double[][] weights, double[] bias) {
    }

    @Schema(description = "A neuron v * relu(w . x - b) with unit-norm w.")
    public record Neuron(
            @Schema(description = "Unit normal of the neuron's hyperplane, d values.") double[] w,
            @Schema(description = "Offset: the hyperplane is w . x = b.") double b,
            @Schema(description = "Output amplitudes, m values; ||v|| is the neuron's share of the path norm.") double[] v) {
    }

    @Schema(name = "Knot", description = "A breakpoint of a one-input model.")
    public record KnotView(
            @Schema(description = "Position b/w.", example = "0.5") double x,
            @Schema(description = "Change of slope at x, one per output (v |w|, sign included).") double[] slopeChange) {
    }

    /**
     * Layers + skip that reproduce {@link Network#predict}: a ReLU layer computes {@code relu(W h + (-b))} because
     * the core's unit is {@code relu(w.h - b)}; a hidden linear layer is {@code W h} with a zero bias; the output
     * layer is {@code V^T h} with a zero bias; the skip is the whole affine part of theory A1, {@code C x + c0}
     * ({@code C} is zero when the skip connection is off). Keeping {@code c0} in the skip makes
     * {@code neurons + skip} a complete description of a one-layer function too. Neurons and knots exist for one
     * ReLU layer only (the {@link ShallowNetwork} case).
     */
    static ModelView view(StoredModels.Loaded model) {
        io.sparsefit.dataset.InputEncoding e = model.table().encoding();
        List<ModelInput> inputs = new ArrayList<>();
        for (int j = 0; j < e.columns().size(); j++) {
            List<String> levels = e.levels().get(j);
            inputs.add(new ModelInput(e.columns().get(j), levels == null ? "numeric" : "categorical", levels,
                    e.means() == null ? null : e.means().get(j)));
        }
        ModelTable t = model.table();
        return view(model.id(), model.fitId(), model.network(), new Labels(model.name(), model.tags(), e.columns(), e.targets(),
                e.features(), inputs, new PreprocessingView(t.standardize(), e.missing(), t.mean(), t.scale()), model.provenance(),
                model.createdAt(), model.loss()));
    }

    /** The parts of the view that are not the network. */
    record Labels(String name, List<String> tags, List<String> columns, List<String> targets, List<String> features,
                  List<ModelInput> inputs, PreprocessingView preprocessing, Provenance provenance, java.time.Instant createdAt,
                  ModelLoss loss) {
    }

    private static ModelView view(String id, String fitId, Network net, Labels labels) {
        int d = net.inputDim();
        int m = net.outputDim();
        List<Layer> layers = new ArrayList<>();
        for (io.sparsefit.core.network.Layer layer : net.layers()) {
            double[][] w = rows(layer.weights().data, layer.outputs(), layer.inputs());
            double[] bias = new double[layer.outputs()];
            if (layer.kind() == io.sparsefit.core.network.Layer.Kind.RELU) {
                for (int k = 0; k < bias.length; k++) {
                    bias[k] = -layer.bias()[k];
                }
            }
            layers.add(new Layer(layer.kind().wireName(), w, bias));
        }
        int last = net.lastWidth();
        double[][] vt = new double[m][last];
        double[] v = net.outputWeights().data;
        for (int k = 0; k < last; k++) {
            for (int o = 0; o < m; o++) {
                vt[o][k] = v[k * m + o];
            }
        }
        layers.add(new Layer("linear", vt, new double[m]));
        Skip skip = new Skip(rows(net.skipWeights().data, m, d), net.skipBias().clone());
        List<Neuron> neurons = new ArrayList<>();
        List<KnotView> knots = List.of();
        ShallowNetwork shallow = net.oneLayer();
        if (shallow != null) {
            for (CanonicalNeuron n : CanonicalNeuron.of(shallow)) {
                neurons.add(new Neuron(n.w(), n.b(), n.v()));
            }
            knots = knots(shallow);
        }
        return new ModelView(id, fitId, d, m, List.copyOf(layers), skip, neurons, knots, labels.name(), labels.tags(), labels.columns(),
                labels.targets(), labels.features(), labels.inputs(), labels.preprocessing(), labels.provenance(), labels.createdAt(),
                new LossView(labels.loss().type(), labels.loss().delta()), labels.loss().classes());
    }

    /** A row-major {@code rows x cols} array as rows (copies). */
    private static double[][] rows(double[] data, int rows, int cols) {
        double[][] out = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(data, i * cols, out[i], 0, cols);
        }
        return out;
    }

    static List<KnotView> knots(ShallowNetwork net) {
        if (net.inputDim() != 1) {
            return List.of();
        }
        return knots(Knot.of(net));
    }

    static List<KnotView> knots(List<Knot> knots) {
        return knots.stream().map(kn -> new KnotView(kn.x(), kn.slopeChange())).toList();
    }
}
