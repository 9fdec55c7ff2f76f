package io.sparsefit.core.kernel;

/**
 * The three products of a dense layer, on flat row-major arrays with explicit dimensions, in the style of EJML's
 * {@code CommonOps_DDRM}: inputs first, the output argument last. Every method writes (or, for {@code ...Add},
 * adds to) only its last argument; all other arrays are read, never modified. The output must not alias any input.
 * Arrays may be longer than the dimensions require (only the leading entries are used).
 *
 * <p>Shapes: {@code x} is {@code n x d} (rows = samples), {@code w} is {@code k x d} (one row per unit, the layout
 * of {@code Layer.weights()} and {@code ShallowNetwork.inputWeights()}), {@code dz} and {@code h} are {@code n x k}.
 *
 * <p>Determinism: for a given implementation and shape the summation order of every entry is fixed (it does not
 * depend on timing, JIT state or threads), so the same inputs give bit-identical outputs run to run. The scalar and
 * the vector implementation use different orders (and the vector one fused multiply-adds), so they agree to
 * rounding, not bit for bit.
 */
public interface DenseKernels {

    /** A short description for the start-up log, e.g. {@code "vector (256-bit, 4 doubles per vector)"}. */
    String name();

    /**
     * {@code out = x w^T}: a linear layer.
     *
     * @param x   n x d, not modified
     * @param w   k x d, not modified
     * @param out n x k, modified
     */
    void forward(double[] x, int n, int d, double[] w, int k, double[] out);

    /**
     * {@code out = max(0, x w^T - 1 bias^T)} (note the minus sign, as in {@code Layer}), with the bias and the ReLU
     * applied in the blocked loop before the store: no pre-activation matrix is written. Branch-free; {@code max}
     * has {@link Math#max(double, double)} semantics. {@code bias == null} means a linear layer: the same as {@link
     * #forward} (no bias, no ReLU).
     *
     * @param x    n x d, not modified
     * @param w    k x d, not modified
     * @param bias k entries or null, not modified
     * @param out  n x k, modified
     */
    void forwardRelu(double[] x, int n, int d, double[] w, int k, double[] bias, double[] out);

    /**
     * {@code out = dz^T x}: the weight gradient of a layer whose input is {@code x}.
     *
     * @param dz  n x k, not modified
     * @param x   n x d, not modified
     * @param out k x d, modified
     */
    void weightGradient(double[] dz, int n, int k, double[] x, int d, double[] out);

    /**
     * {@code out += dz^T x} (row blocks of a batch accumulate into one gradient, like {@code multAddTransA}).
     *
     * @param dz  n x k, not modified
     * @param x   n x d, not modified
     * @param out k x d, modified
     */
    void weightGradientAdd(double[] dz, int n, int k, double[] x, int d, double[] out);

    /**
     * {@code out = dz w}: the gradient with respect to the layer's input.
     *
     * @param dz  n x k, not modified
     * @param w   k x d, not modified
     * @param out n x d, modified
     */
    void inputGradient(double[] dz, int n, int k, double[] w, int d, double[] out);

    /**
     * The backward pass through a ReLU layer read out linearly, {@code f = h vt^T} with {@code h = max(0, z)} and
     * {@code z = x w^T - b} (theory A2's shallow network), given {@code g = dJ/df}, in one pass over {@code h}:
     * {@code gradVt += g^T h}; then {@code h} is overwritten by {@code dJ/dz = (g vt) ∘ [h > 0]}; and {@code
     * gradBias} gets minus the column sums of {@code dJ/dz} (the bias enters with a minus sign). Rows are taken in
     * increasing order, so every accumulator has a fixed summation order. Branch-free. A NaN in {@code h} gives an
     * unspecified (but deterministic) mask bit.
     *
     * @param h        n x k: the layer's output on entry, {@code dJ/dz} on return; modified
     * @param g        n x m, not modified
     * @param vt       m x k (the read-out weights, one row per output), not modified
     * @param gradVt   m x k, modified (added to)
     * @param gradBias k entries, modified (subtracted from)
     */
    void reluReadoutBackward(double[] h, int n, int k, double[] g, int m, double[] vt, double[] gradVt,
            double[] gradBias);

    /**
     * The backward step through a ReLU {@code h = max(0, z)}, {@code z = x w^T - b}: {@code dz} is masked in place
     * to {@code dz ∘ [h > 0]} (masked entries become zero, even where {@code dz} is infinite), and {@code gradBias}
     * gets minus its column sums (rows in increasing order). One branch-free pass.
     *
     * @param dz       n x k: dJ/dh on entry, dJ/dz on return; modified
     * @param h        n x k, the layer's output, not modified
     * @param gradBias k entries, modified (subtracted from)
     */
    void reluBackward(double[] dz, double[] h, int n, int k, double[] gradBias);
}
