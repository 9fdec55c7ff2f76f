package io.sparsefit.core.network;

import io.sparsefit.core.linalg.Vectors;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The one-hidden-layer view of a {@link Network} (theory A1-A7):
 * {@code f(x) = sum_k v_k relu(w_k . x - b_k) + C x + c0}, a network whose layers are one ReLU layer, with the named
 * accessors the shallow theory reads (neurons, knots, canonical form, the exact and convex solvers, the certificate,
 * the fused one-layer kernel). It holds no storage of its own: {@link #inputWeights()} and {@link #bias()} are the
 * one layer's arrays, the rest is the network's; {@link Network#oneLayer()} builds it over the same arrays.
 *
 * <p>{@link #inputWeights()} is K x d (row k is {@code w_k}), {@link #bias()} holds {@code b_k} (note the minus sign in
 * the activation), {@link #outputWeights()} is K x m (row k is {@code v_k}), {@link #skipWeights()} is m x d
 * ({@code C}, kept at zero when the skip connection is off) and {@link #skipBias()} is {@code c0}, which every network
 * has. The accessors return the network's own arrays (no copies, EJML style): kernels read them in place, and a
 * caller that writes them modifies the network.
 *
 * <p>The flat parameter vector used by gradient solvers is laid out as
 * {@code [W (K*d) | b (K) | V (K*m) | c0 (m) | C (m*d), only when skip]}; see the offset methods.
 */
public final class ShallowNetwork extends Network {

    /** The network's one ReLU layer (its arrays, not a copy). */
    private final Layer layer;

    /** A network of the given shape with every parameter zero. */
    public ShallowNetwork(int inputDim, int outputDim, int width, boolean skip) {
        this(new Network(inputDim, outputDim, skip, List.of(Layer.zeros(Layer.Kind.RELU, requireShape(inputDim, outputDim, width),
                inputDim)), new DMatrixRMaj(width, outputDim), new DMatrixRMaj(outputDim, inputDim),
                new double[outputDim]));
    }

    private static int requireShape(int inputDim, int outputDim, int width) {
        if (inputDim < 1 || outputDim < 1 || width < 0) {
            throw new IllegalArgumentException("bad shape: d=" + inputDim + ", m=" + outputDim + ", K=" + width);
        }
        return width;
    }

    /** The view of {@code net}, whose layers must be one ReLU layer: the same arrays, kept (see {@link Network#oneLayer()}). */
    ShallowNetwork(Network net) {
        super(net.inputDim, net.outputDim, net.skip, net.layers(), net.outputWeights, net.skipWeights, net.skipBias);
        if (net.layers().size() != 1 || net.layers().get(0).kind() != Layer.Kind.RELU) {
            throw new IllegalArgumentException("a one-layer view needs one ReLU layer, got " + net.layers().size() + " layers");
        }
        this.layer = net.layers().get(0);
    }

    /** This network itself. */
    @Override
    public ShallowNetwork oneLayer() {
        return this;
    }

    /** Number of hidden neurons K (zero neurons included). */
    public int width() {
        return layer.outputs();
    }

    /**
     * {@code W}, K x d, row k the direction {@code w_k} of neuron k: the network's own matrix, modified by a caller that
     * writes it.
     */
    public DMatrixRMaj inputWeights() {
        return layer.weights();
    }

    /** {@code b}, K entries (the unit is {@code relu(w_k . x - b_k)}): the network's own array, modified by a caller that writes it. */
    public double[] bias() {
        return layer.bias();
    }

    /** A deep copy. */
    @Override
    public ShallowNetwork copy() {
        return super.copy().oneLayer();
    }

    /** A copy with only the neurons whose indices are given, in that order. */
    public ShallowNetwork select(int[] neurons) {
        return copy().selectUnits(0, neurons).oneLayer();
    }

    /** Euclidean norm of {@code w_k}. */
    public double inputNorm(int k) {
        return Vectors.norm(inputWeights().data, k * inputDim, inputDim);
    }

    /** Euclidean norm of {@code v_k}. */
    public double outputNorm(int k) {
        return Vectors.norm(outputWeights.data, k * outputDim, outputDim);
    }
}
