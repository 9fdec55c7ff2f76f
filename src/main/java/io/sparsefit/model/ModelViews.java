package io.sparsefit.model;

import io.sparsefit.core.network.CanonicalNeuron;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.ShallowNetwork;
import io.swagger.v3.oas.annotations.media.Schema;
import java.util.ArrayList;
import java.util.List;

/** JSON shapes of a learned network (the records) and the mapping from the core's network (the methods). */
public final class ModelViews {

    private ModelViews() {
    }

    @Schema(name = "Model", description = "A learned network in three equivalent forms: layers + skip (evaluate anywhere), "
            + "canonical neurons (theory: unit-norm hyperplanes with amplitudes), knots (one input only).")
    public record ModelView(
            @Schema(description = "Identifier.") String id,
            @Schema(description = "The fit that produced it.") String fitId,
            @Schema(description = "Input dimension d.", example = "1") int inputDim,
            @Schema(description = "Output dimension m.", example = "1") int outputDim,
            @Schema(description = "Layers, evaluated in order as h = act(W h + bias), starting from h = x.") List<Layer> layers,
            @Schema(description = "Affine skip connection added to the last layer's output: f(x) = h_L + weights x + bias.") Skip skip,
            @Schema(description = "Canonical neurons v * relu(w . x - b) with ||w|| = 1, zero neurons removed, sorted by w then b.")
            List<Neuron> neurons,
            @Schema(description = "Knots (only when inputDim = 1), sorted by position; empty otherwise.") List<KnotView> knots) {
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
     * Layers + skip that reproduce {@link ShallowNetwork#predict}: the relu layer computes
     * {@code relu(W x + (-b))} because the core's neuron is {@code relu(w.x - b)}; the linear layer is
     * {@code V^T h} with a zero bias; the skip is the whole affine part of theory A1, {@code C x + c0}
     * ({@code C} is zero when the skip connection is off). Keeping {@code c0} in the skip makes
     * {@code neurons + skip} a complete description of the function too.
     */
    static ModelView view(String id, String fitId, ShallowNetwork net) {
        int d = net.inputDim();
        int m = net.outputDim();
        int k = net.width();
        double[][] w = new double[k][d];
        double[] negB = new double[k];
        double[][] vt = new double[m][k];
        for (int i = 0; i < k; i++) {
            System.arraycopy(net.inputWeights.data, i * d, w[i], 0, d);
            negB[i] = -net.bias[i];
            for (int o = 0; o < m; o++) {
                vt[o][i] = net.outputWeights.data[i * m + o];
            }
        }
        double[][] c = new double[m][d];
        for (int o = 0; o < m; o++) {
            System.arraycopy(net.skipWeights.data, o * d, c[o], 0, d);
        }
        List<Layer> layers = List.of(new Layer("relu", w, negB), new Layer("linear", vt, new double[m]));
        Skip skip = new Skip(c, net.skipBias.clone());
        List<Neuron> neurons = new ArrayList<>();
        for (CanonicalNeuron n : CanonicalNeuron.of(net)) {
            neurons.add(new Neuron(n.w(), n.b(), n.v()));
        }
        return new ModelView(id, fitId, d, m, layers, skip, neurons, knots(net));
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
