package io.sparsefit.core.network;

/** A knot of a 1-D network (theory A5): position {@code t = b/w} and slope change {@code v |w|} per output. */
public record Knot(double x, double[] slopeChange) {

    /** The knots of a one-input network, sorted by position; neurons with {@code w = 0} have none. */
    public static java.util.List<Knot> of(ShallowNetwork net) {
        if (net.inputDim() != 1) {
            throw new IllegalArgumentException("knots exist only for one input, network has " + net.inputDim());
        }
        int m = net.outputDim();
        java.util.List<Knot> knots = new java.util.ArrayList<>();
        for (int k = 0; k < net.width(); k++) {
            double w = net.inputWeights().data[k];
            if (w == 0.0) {
                continue;
            }
            double[] slope = new double[m];
            boolean nonzero = false;
            for (int i = 0; i < m; i++) {
                slope[i] = net.outputWeights().data[k * m + i] * Math.abs(w);
                nonzero |= slope[i] != 0.0;
            }
            if (nonzero) {
                knots.add(new Knot(net.bias()[k] / w, slope));
            }
        }
        knots.sort(java.util.Comparator.comparingDouble(Knot::x));
        return knots;
    }
}
