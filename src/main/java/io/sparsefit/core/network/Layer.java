package io.sparsefit.core.network;

import org.ejml.data.DMatrixRMaj;

/**
 * One hidden layer of a {@link Network}: {@code h' = relu(W h - b)} for {@link Kind#RELU}, {@code h' = W h} for
 * {@link Kind#LINEAR} (theory A8: a linear layer has no bias and no activation; its weight decay is what makes the
 * product of a run of such layers low rank).
 *
 * <p>{@code weights} is {@code outputs x inputs}, row-major, row k the incoming weights of unit k (as
 * {@link ShallowNetwork#inputWeights()}). {@code bias} has one entry per unit for a ReLU layer (note the minus sign)
 * and is empty for a linear layer. The arrays are the network's own: writing them changes the network.
 */
public record Layer(Kind kind, DMatrixRMaj weights, double[] bias) {

    /** What a layer does after its product. */
    public enum Kind {
        /** {@code relu(W h - b)}. */
        RELU,
        /** {@code W h}: no bias, no activation. */
        LINEAR;

        /** Lower-case name used on the wire ({@code "relu"}, {@code "linear"}). */
        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Layer {
        if (kind == null || weights == null || bias == null) {
            throw new IllegalArgumentException("kind, weights and bias are required");
        }
        int expected = kind == Kind.RELU ? weights.numRows : 0;
        if (bias.length != expected) {
            throw new IllegalArgumentException(kind.wireName() + " layer with " + weights.numRows + " units needs "
                    + expected + " biases, got " + bias.length);
        }
    }

    /** A zero layer of the given shape. */
    public static Layer zeros(Kind kind, int outputs, int inputs) {
        return new Layer(kind, new DMatrixRMaj(outputs, inputs), new double[kind == Kind.RELU ? outputs : 0]);
    }

    public int inputs() {
        return weights.numCols;
    }

    public int outputs() {
        return weights.numRows;
    }

    /** Parameters this layer adds to the flat vector: weights, then biases (ReLU only). */
    public int parameterCount() {
        return weights.getNumElements() + bias.length;
    }

    /** A deep copy. */
    public Layer copy() {
        return new Layer(kind, weights.copy(), bias.clone());
    }
}
