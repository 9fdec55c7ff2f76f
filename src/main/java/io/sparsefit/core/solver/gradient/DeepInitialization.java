package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.LayerForward;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Deterministic start for a {@link DeepNetwork} (theory A8), layer by layer in the spirit of {@link Initialization}:
 * <ul>
 *   <li>a linear layer starts as the identity (it is square): the network then computes what its ReLU layers alone
 *       would, and weight decay shrinks the directions the data does not need (A8);</li>
 *   <li>ReLU unit k of a layer whose input (the data pushed through the layers before it) has spread {@code s_h}
 *       gets a Gaussian direction {@code u_k / s_h} and a bias that puts its hyperplane through the input of a
 *       random data row, nudged by {@value Initialization#JITTER} of the spread, so every unit starts active on part
 *       of the data and no sample sits on a kink;</li>
 *   <li>{@code V} starts with small Gaussians ({@code 1e-2 s_y / sqrt(K_L)}), {@code c0} at the target mean, {@code C}
 *       at zero: the start is close to the affine part, as for one layer.</li>
 * </ul>
 * Everything is drawn from one {@link SplittableRandom} seeded with the fit's seed.
 */
public final class DeepInitialization {

    private DeepInitialization() {
    }

    public static DeepNetwork initialize(FitProblem problem, int[] hiddenWidths, int linearLayers, boolean skip, long seed) {
        int n = problem.rows();
        int m = problem.outputDim();
        DeepNetwork net = DeepNetwork.zeros(problem.inputDim(), m, hiddenWidths, linearLayers, skip);
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj h = problem.x();
        for (Layer layer : net.layers()) {
            DMatrixRMaj w = layer.weights();
            if (layer.kind() == Layer.Kind.LINEAR) {
                CommonOps_DDRM.setIdentity(w);
            } else {
                int inputs = layer.inputs();
                double spread = Initialization.spread(h.data, n, inputs);
                for (int k = 0; k < layer.outputs(); k++) {
                    double norm = 0;
                    for (int j = 0; j < inputs; j++) {
                        double g = Initialization.gaussian(random);
                        w.data[k * inputs + j] = g;
                        norm += g * g;
                    }
                    double scale = 1.0 / (Math.max(Math.sqrt(norm), 1e-300) * spread);
                    int row = random.nextInt(n);
                    double through = 0;
                    for (int j = 0; j < inputs; j++) {
                        w.data[k * inputs + j] *= scale;
                        through += w.data[k * inputs + j] * h.data[row * inputs + j];
                    }
                    layer.bias()[k] = through + Initialization.JITTER * Initialization.gaussian(random);
                }
            }
            DMatrixRMaj next = new DMatrixRMaj(n, layer.outputs());
            LayerForward.apply(layer, h, next);
            h = next;
        }
        double spreadY = Initialization.targetSpread(problem);
        double outScale = 1e-2 * spreadY / Math.sqrt(Math.max(1, net.lastWidth()));
        double[] v = net.outputWeights().data;
        for (int i = 0; i < net.outputWeights().getNumElements(); i++) {
            v[i] = outScale * Initialization.gaussian(random);
        }
        Initialization.startIntercept(net, problem);
        return net;
    }
}
