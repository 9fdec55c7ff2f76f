package io.sparsefit.core.network;

import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * A ReLU network of any depth, with optional linear layers, and the affine skip connection from the input to the
 * output (theory A8; see {@link Network} for the function and the flat layout).
 *
 * <p>The skip connection is one affine map {@code C x + c0} from the input to the output, as in the paper's deep
 * setting: it carries the unpenalized affine part of the whole function (A1), which is what the null space of the
 * R-TV seminorm is. Skips around each layer are not offered: they would make every layer's affine part free as
 * well, and the penalty would then no longer be the composition of shallow R-TV layers that A8 describes.
 */
public final class DeepNetwork extends Network {

    private final List<Layer> layers;

    /**
     * @param layers        hidden layers, first to last; their inputs must chain from {@code inputDim}; kept (not copied)
     * @param outputWeights K_L x m; kept
     * @param skipWeights   m x d; kept
     * @param skipBias      m; kept
     */
    public DeepNetwork(int inputDim, int outputDim, boolean skip, List<Layer> layers, DMatrixRMaj outputWeights,
                       DMatrixRMaj skipWeights, double[] skipBias) {
        super(inputDim, outputDim, skip, outputWeights, skipWeights, skipBias);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("a layered network needs at least one layer");
        }
        int width = inputDim;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).inputs() != width) {
                throw new IllegalArgumentException("layer " + l + " takes " + layers.get(l).inputs() + " inputs, previous gives " + width);
            }
            width = layers.get(l).outputs();
        }
        if (outputWeights.numRows != width) {
            throw new IllegalArgumentException("output weights must have " + width + " rows, got " + outputWeights.numRows);
        }
        this.layers = List.copyOf(layers);
    }

    /**
     * A zero network: for every entry K of {@code hiddenWidths}, {@code linearLayers} square linear layers
     * (as wide as that ReLU layer's input) and then the ReLU layer of K units (A8's bottleneck factorization: the
     * ReLU layer sees the product of {@code linearLayers + 1} weight-decayed factors).
     */
    public static DeepNetwork zeros(int inputDim, int outputDim, int[] hiddenWidths, int linearLayers, boolean skip) {
        if (hiddenWidths.length == 0 || linearLayers < 0) {
            throw new IllegalArgumentException("need at least one hidden layer and linearLayers >= 0");
        }
        List<Layer> layers = new ArrayList<>();
        int in = inputDim;
        for (int width : hiddenWidths) {
            if (width < 0) {
                throw new IllegalArgumentException("hidden widths must be >= 0, got " + width);
            }
            for (int i = 0; i < linearLayers; i++) {
                layers.add(Layer.zeros(Layer.Kind.LINEAR, in, in));
            }
            layers.add(Layer.zeros(Layer.Kind.RELU, width, in));
            in = width;
        }
        return new DeepNetwork(inputDim, outputDim, skip, layers, new DMatrixRMaj(in, outputDim),
                new DMatrixRMaj(outputDim, inputDim), new double[outputDim]);
    }

    /** The same function as a deep network with one ReLU layer (copies). */
    public static DeepNetwork of(ShallowNetwork net) {
        return new DeepNetwork(net.inputDim(), net.outputDim(), net.hasSkip(),
                List.of(new Layer(Layer.Kind.RELU, net.inputWeights().copy(), net.bias().clone())),
                net.outputWeights().copy(), net.skipWeights().copy(), net.skipBias().clone());
    }

    @Override
    public DeepNetwork withLayers(List<Layer> replaced, DMatrixRMaj replacedOutput) {
        return new DeepNetwork(inputDim, outputDim, skip, replaced, replacedOutput, skipWeights, skipBias);
    }

    /**
     * Null: a network of this class is read layer by layer, even when it holds a single ReLU layer (as {@link
     * #of(ShallowNetwork)} builds, to compare the layered kernels with the one-layer ones).
     */
    @Override
    public ShallowNetwork oneLayer() {
        return null;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public DeepNetwork copy() {
        List<Layer> copies = new ArrayList<>(layers.size());
        for (Layer layer : layers) {
            copies.add(layer.copy());
        }
        return new DeepNetwork(inputDim, outputDim, skip, copies, outputWeights.copy(), skipWeights.copy(), skipBias.clone());
    }

    /** Allocates one N x width matrix per layer; training code uses its own reusable buffers instead. */
    @Override
    void readOut(DMatrixRMaj x, DMatrixRMaj out) {
        int n = x.numRows;
        DMatrixRMaj h = x;
        for (Layer layer : layers) {
            DMatrixRMaj z = new DMatrixRMaj(n, layer.outputs());
            LayerForward.apply(layer, h, z);
            h = z;
        }
        CommonOps_DDRM.mult(h, outputWeights, out);
    }
}
