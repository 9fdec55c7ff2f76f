package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.Atom;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.convex.GroupLasso;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.LayerForward;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.objective.AffineRefit;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.penalty.WeightDecay;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * The last-layer polish of a deep network (theory C3 applied to the last hidden layer, A8): with every layer before
 * the last ReLU layer fixed, that layer is a shallow R-TV layer on the features {@code g = h_{L-1}(x)}. Unit k's
 * hyperplane, normalized ({@code u_k = w_k / ||w_k||}, {@code c_k = b_k / ||w_k||}), gives the feature
 * {@code H[n][k] = relu(u_k . g_n - c_k)}; rescaling a unit between its incoming and outgoing weights (A4) turns the
 * weight decay of the last layer into {@code sum_k ||a_k||} for the amplitudes {@code a_k = ||w_k|| v_k}. So
 * {@code min 1/2 ||H A + X C^T + 1 c0^T - Y||^2 + lambda sum_k ||a_k||} is a group lasso over the fixed hyperplanes,
 * with the affine part from the input projected out ({@link AffineProjection}): convex, solved to a certified gap by
 * {@link GroupLasso}. Its duality gap ({@link #certificate}) is the deep network's certificate: exact for this
 * restricted problem, silent about the earlier layers.
 */
public final class DeepPolish {

    private DeepPolish() {
    }

    /** The polished network, or a copy of the input when polishing did not lower J (rounding or an unfinished solve). */
    public static DeepNetwork polish(DeepNetwork net, FitProblem problem, double lambda) {
        return polish(net, problem, lambda, () -> false);
    }

    /** As above; the solve looks at {@code stop} every step and ends early once it is true (see {@link GroupLasso#stopWhen}). */
    public static DeepNetwork polish(DeepNetwork net, FitProblem problem, double lambda, BooleanSupplier stop) {
        Hyperplanes planes = Hyperplanes.of(net, problem);
        AffineProjection projection = AffineProjection.of(problem.x(), net.hasSkip());
        GroupLasso lasso = new GroupLasso(projection.project(planes.features), projection.project(problem.y()), lambda)
                .stopWhen(stop);
        GroupLasso.Outcome solved = lasso.solve(planes.amplitudes);
        if (solved == null) {
            return net.copy();
        }
        DeepNetwork polished = assemble(net, problem, planes, solved.amplitudes());
        double before = objective(net, problem, lambda);
        double after = objective(polished, problem, lambda);
        return after <= before ? polished : net.copy();
    }

    /**
     * The duality gap (T8 restricted to the fixed earlier layers and hyperplanes, A2b for the problem's loss) at the
     * network itself: the fit's dual point made feasible by {@link FenchelDual}, priced over the fixed hyperplanes
     * ({@code S(g) = max_k ||H_k^T g||}, exact for this restricted problem), against the primal
     * {@code dataFit + lambda sum_k ||a_k|| (+ lambda/2 ||C||^2 for classification)}.
     */
    public static Certificate certificate(DeepNetwork net, FitProblem problem, double lambda) {
        Hyperplanes planes = Hyperplanes.of(net, problem);
        int m = problem.outputDim();
        int width = planes.features.numCols;
        DMatrixRMaj a = new DMatrixRMaj(width, m, true, planes.amplitudes);
        double groups = 0;
        for (int k = 0; k < width; k++) {
            groups += MatrixNorms.rowNorm(a, k);
        }
        DMatrixRMaj predictions = net.predict(problem.x(), null);
        FenchelDual.Bound bound = FenchelDual.at(problem, predictions, lambda, net.hasSkip(), g -> {
            DMatrixRMaj correlation = new DMatrixRMaj(width, m);
            CommonOps_DDRM.multTransA(planes.features, g, correlation);
            double worst = 0;
            for (int k = 0; k < width; k++) {
                worst = Math.max(worst, MatrixNorms.rowNorm(correlation, k));
            }
            return new Pricing.Best(worst == 0 ? null : new Atom(new double[0], 0.0, worst), true);
        });
        double primal = Networks.dataFit(net, problem) + lambda * groups + SkipDecay.value(problem.loss(), net, lambda);
        return new Certificate(Math.max(0.0, primal - bound.value()), bound.value(), true);
    }

    /** The weight-decay objective {@code sum_n w_n loss_n + lambda R} (A2, A2b). */
    static double objective(DeepNetwork net, FitProblem problem, double lambda) {
        return Networks.dataFit(net, problem) + lambda * WeightDecay.INSTANCE.value(net)
                + SkipDecay.value(problem.loss(), net, lambda);
    }

    /** The last ReLU layer's normalized hyperplanes on the fixed features, and their amplitudes. */
    private record Hyperplanes(int layer, int[] units, DMatrixRMaj features, double[] amplitudes, double[] norms) {

        static Hyperplanes of(DeepNetwork net, FitProblem problem) {
            List<Layer> layers = net.layers();
            int last = layers.size() - 1;
            DMatrixRMaj g = problem.x();
            for (int l = 0; l < last; l++) {
                DMatrixRMaj next = new DMatrixRMaj(g.numRows, layers.get(l).outputs());
                LayerForward.apply(layers.get(l), g, next);
                g = next;
            }
            Layer layer = layers.get(last);
            DMatrixRMaj w = layer.weights();
            int m = net.outputDim();
            List<Integer> units = new ArrayList<>();
            for (int k = 0; k < layer.outputs(); k++) {
                if (MatrixNorms.rowNorm(w, k) > 0) {
                    units.add(k);
                }
            }
            int width = units.size();
            DMatrixRMaj normalized = new DMatrixRMaj(width, layer.inputs());
            double[] bias = new double[width];
            double[] norms = new double[width];
            double[] amplitudes = new double[width * m];
            for (int q = 0; q < width; q++) {
                int k = units.get(q);
                double norm = MatrixNorms.rowNorm(w, k);
                norms[q] = norm;
                for (int j = 0; j < layer.inputs(); j++) {
                    normalized.unsafe_set(q, j, w.unsafe_get(k, j) / norm);
                }
                bias[q] = layer.bias()[k] / norm;
                for (int i = 0; i < m; i++) {
                    amplitudes[q * m + i] = net.outputWeights().unsafe_get(k, i) * norm;
                }
            }
            DMatrixRMaj features = new DMatrixRMaj(g.numRows, width);
            LayerForward.apply(new Layer(Layer.Kind.RELU, normalized, bias), g, features);
            return new Hyperplanes(last, units.stream().mapToInt(Integer::intValue).toArray(), features, amplitudes, norms);
        }
    }

    /**
     * Units with a non-zero group, balanced ({@code ||w_k|| = ||v_k|| = sqrt(||a_k||)}, A4); units whose group is zero
     * keep their hyperplane with zero outgoing weights (pruned later); the affine part is the least squares of what
     * the units leave.
     */
    private static DeepNetwork assemble(DeepNetwork net, FitProblem problem, Hyperplanes planes, double[] groups) {
        DeepNetwork out = net.copy();
        Layer layer = out.layers().get(planes.layer());
        DMatrixRMaj w = layer.weights();
        DMatrixRMaj v = out.outputWeights();
        int m = out.outputDim();
        v.zero();
        for (int q = 0; q < planes.units().length; q++) {
            int k = planes.units()[q];
            double g = 0;
            for (int i = 0; i < m; i++) {
                g += groups[q * m + i] * groups[q * m + i];
            }
            g = Math.sqrt(g);
            if (g == 0) {
                continue;
            }
            double root = Math.sqrt(g);
            double toUnit = root / planes.norms()[q];
            for (int j = 0; j < layer.inputs(); j++) {
                w.unsafe_set(k, j, w.unsafe_get(k, j) * toUnit);
            }
            layer.bias()[k] *= toUnit;
            for (int i = 0; i < m; i++) {
                v.unsafe_set(k, i, groups[q * m + i] / root);
            }
        }
        // Affine part: least squares of what the units leave on [1, X].
        out.skipWeights().zero();
        java.util.Arrays.fill(out.skipBias(), 0.0);
        DMatrixRMaj rest = out.predict(problem.x(), null);
        CommonOps_DDRM.changeSign(rest);
        CommonOps_DDRM.addEquals(rest, problem.y());
        AffineRefit.setLeastSquares(out, problem.x(), rest);
        return out;
    }
}
