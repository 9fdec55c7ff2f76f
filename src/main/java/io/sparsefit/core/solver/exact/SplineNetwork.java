package io.sparsefit.core.solver.exact;

import io.sparsefit.core.network.ShallowNetwork;

/**
 * Turns a linear spline {@code f(x) = z_0 + slope0 (x - x_0) + sum_k a_k relu(x - t_k)} into a balanced
 * one-input network (theory C1, A4, A5): each knot gives the neuron
 * {@code w = sqrt|a|, v = sign(a) sqrt|a|, b = w t}, so {@code v relu(w x - b) = a relu(x - t)} and
 * {@code |v| = |w|}; the skip connection carries the first segment: {@code C = slope0, c0 = z_0 - slope0 x_0}.
 */
public final class SplineNetwork {

    private SplineNetwork() {
    }

    /**
     * @param position  knot positions (not modified)
     * @param amplitude slope changes, all non-zero (not modified)
     * @param count     number of knots
     * @param x0        first data position
     * @param z0        fitted value there
     * @param slope0    slope of the first segment
     */
    public static ShallowNetwork build(double[] position, double[] amplitude, int count, double x0, double z0, double slope0) {
        ShallowNetwork net = new ShallowNetwork(1, 1, count, true);
        for (int k = 0; k < count; k++) {
            double a = amplitude[k];
            double w = Math.sqrt(Math.abs(a));
            net.inputWeights().data[k] = w;
            net.outputWeights().data[k] = Math.copySign(w, a);
            net.bias()[k] = w * position[k];
        }
        net.skipWeights().data[0] = slope0;
        net.skipBias()[0] = z0 - slope0 * x0;
        return net;
    }

    /** The affine function {@code c0 + C x} as a network with no neurons. */
    public static ShallowNetwork affine(double intercept, double slope) {
        ShallowNetwork net = new ShallowNetwork(1, 1, 0, true);
        net.skipWeights().data[0] = slope;
        net.skipBias()[0] = intercept;
        return net;
    }
}
