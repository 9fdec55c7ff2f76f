package io.sparsefit.core.network;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Seeded random networks and data for the core tests. */
public final class RandomNetworks {

    private RandomNetworks() {
    }

    /** Every parameter standard normal (C stays zero without skip). */
    public static ShallowNetwork network(int d, int m, int k, boolean skip, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        ShallowNetwork net = new ShallowNetwork(d, m, k, skip);
        double[] theta = new double[net.parameterCount()];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = gaussian(random);
        }
        net.setParameters(theta);
        return net;
    }

    /**
     * A copy of {@code net}'s parameters in a network built by the general constructor (as the stored-model decoder
     * builds one), not as a {@link ShallowNetwork}.
     */
    public static Network general(ShallowNetwork net) {
        return new Network(net.inputDim(), net.outputDim(), net.hasSkip(), java.util.List.of(net.layers().get(0).copy()),
                net.outputWeights().copy(), net.skipWeights().copy(), net.skipBias().clone());
    }

    /** N x cols standard normal matrix. */
    public static DMatrixRMaj matrix(int rows, int cols, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj a = new DMatrixRMaj(rows, cols);
        for (int i = 0; i < a.data.length; i++) {
            a.data[i] = gaussian(random);
        }
        return a;
    }

    public static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** Smallest {@code |w_k . x_n - b_k|} over samples and neurons: the distance to the nearest kink. */
    public static double kinkMargin(ShallowNetwork net, DMatrixRMaj x) {
        int d = net.inputDim();
        double margin = Double.POSITIVE_INFINITY;
        for (int n = 0; n < x.numRows; n++) {
            for (int k = 0; k < net.width(); k++) {
                double z = -net.bias()[k];
                for (int j = 0; j < d; j++) {
                    z += net.inputWeights().data[k * d + j] * x.data[n * d + j];
                }
                margin = Math.min(margin, Math.abs(z));
            }
        }
        return margin;
    }

    /** {@code max |a - b| / max(1, max |a|)} over all entries. */
    public static double relativeDifference(DMatrixRMaj a, DMatrixRMaj b) {
        double diff = 0;
        double scale = 1;
        for (int i = 0; i < a.data.length && i < a.getNumElements(); i++) {
            diff = Math.max(diff, Math.abs(a.data[i] - b.data[i]));
            scale = Math.max(scale, Math.abs(a.data[i]));
        }
        return diff / scale;
    }
}
