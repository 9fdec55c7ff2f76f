package io.sparsefit.core.solver;

import java.util.List;

/**
 * The shape of the network a gradient solver trains (theory A1, A8).
 *
 * @param hiddenLayers widths of the ReLU layers, first to last (at least one); the exact and convex solvers choose
 *                     their own single width and ignore this
 * @param linearLayers linear layers (no activation, weight decay) inserted in front of each ReLU layer: the
 *                     bottleneck factorization of A8
 * @param skip         whether the unpenalized affine part {@code C x} from the input to the output is trained (A1);
 *                     {@code c0} always is
 * @param widthCapped  whether the widths were given (the caller's cap, kept exactly); false for the default width, a
 *                     starting width {@code auto} may go beyond on a shallow network ({@code SparseFit#widthFree})
 */
public record Architecture(List<Integer> hiddenLayers, int linearLayers, boolean skip, boolean widthCapped) {

    /** Given widths: a cap. */
    public Architecture(List<Integer> hiddenLayers, int linearLayers, boolean skip) {
        this(hiddenLayers, linearLayers, skip, true);
    }

    public Architecture {
        hiddenLayers = List.copyOf(hiddenLayers);
        if (hiddenLayers.isEmpty() || linearLayers < 0) {
            throw new IllegalArgumentException("need at least one hidden layer and linearLayers >= 0");
        }
        for (int width : hiddenLayers) {
            if (width < 0) {
                throw new IllegalArgumentException("hidden widths must be >= 0, got " + hiddenLayers);
            }
        }
    }

    /** One hidden layer of {@code width} neurons, no linear layers. */
    public static Architecture shallow(int width, boolean skip) {
        return new Architecture(List.of(width), 0, skip);
    }

    /**
     * One hidden layer of {@code width} neurons that only sets where training starts: {@code auto} may fit more neurons
     * (the width was not given, {@link #widthCapped} false).
     */
    public static Architecture startingWidth(int width, boolean skip) {
        return new Architecture(List.of(width), 0, skip, false);
    }

    /** One ReLU layer and no linear layer: the shallow network of A1, which every solver handles. */
    public boolean isShallow() {
        return hiddenLayers.size() == 1 && linearLayers == 0;
    }

    /** Width of the first hidden layer (the width of a shallow network). */
    public int width() {
        return hiddenLayers.get(0);
    }

    public int[] widths() {
        return hiddenLayers.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The same layers with the first hidden layer {@code width} wide, given (a cap). */
    public Architecture withWidth(int width) {
        java.util.ArrayList<Integer> widths = new java.util.ArrayList<>(hiddenLayers);
        widths.set(0, width);
        return new Architecture(widths, linearLayers, skip);
    }

    public Architecture withSkip(boolean s) {
        return new Architecture(hiddenLayers, linearLayers, s, widthCapped);
    }
}
