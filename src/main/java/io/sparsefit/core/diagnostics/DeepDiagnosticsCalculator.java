package io.sparsefit.core.diagnostics;

import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DeepPolish;
import io.sparsefit.core.finish.LayerBalance;
import io.sparsefit.core.network.DeepNetwork;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * {@link Diagnostics} of a finished {@link DeepNetwork} (theory A8): the shared fields, with those that only one hidden
 * layer has (path norm, knots, the T8 certificate, lambda_max) left empty or NaN, and {@link DeepDiagnostics}.
 */
public final class DeepDiagnosticsCalculator {

    /**
     * Effective rank: singular values above this times the largest. Gradient training leaves the directions weight
     * decay removes at the solver's tolerance, not at zero; three orders of magnitude separate them from the kept ones
     * in every planted test and benchmark.
     */
    public static final double RANK_THRESHOLD = 1e-3;
    /** A unit is active when {@code ||in|| ||out||} exceeds this times the largest product of its layer. */
    public static final double ACTIVE_THRESHOLD = 1e-6;

    private DeepDiagnosticsCalculator() {
    }

    public static Diagnostics compute(DeepNetwork net, FitProblem problem, FitSettings settings, SolverType solverRun,
                                      SolverResult result, long startNanos) {
        double dataFit = Networks.dataFit(net, problem);
        Regularization reg = settings.regularization();
        double lambda = settings.lambda();
        // deep networks train weight decay whatever the regularizer's name (the path norm is one layer's, A8)
        double penalty = reg == Regularization.NONE ? 0.0
                : lambda * WeightDecay.INSTANCE.value(net) + SkipDecay.value(problem.loss(), net, lambda);
        List<Layer> layers = net.layers();

        List<MatrixSpectrum> matrices = new ArrayList<>();
        List<double[]> singular = new ArrayList<>();
        for (int l = 0; l <= layers.size(); l++) {
            DMatrixRMaj w = l < layers.size() ? layers.get(l).weights() : net.outputWeights();
            String kind = l < layers.size() ? layers.get(l).kind().wireName() : "output";
            double[] s = DiagnosticsCalculator.singularValues(w);
            singular.add(s);
            matrices.add(new MatrixSpectrum(l, kind, w.numRows, w.numCols, s, effectiveRank(s)));
        }
        List<LinearRun> runs = linearRuns(layers);
        List<Integer> active = new ArrayList<>();
        double balance = 0;
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).kind() != Layer.Kind.RELU) {
                continue;
            }
            double[] in = new double[layers.get(l).outputs()];
            double[] out = new double[in.length];
            double largest = 0;
            for (int k = 0; k < in.length; k++) {
                in[k] = MatrixNorms.rowNorm(layers.get(l).weights(), k);
                out[k] = l + 1 < layers.size() ? MatrixNorms.columnNorm(layers.get(l + 1).weights(), k)
                        : MatrixNorms.rowNorm(net.outputWeights(), k);
                largest = Math.max(largest, in[k] * out[k]);
                if (in[k] > 0 && out[k] > 0) {
                    balance = Math.max(balance, Math.abs(out[k] - in[k]) / in[k]);
                }
            }
            int count = 0;
            for (int k = 0; k < in.length; k++) {
                if (in[k] * out[k] > ACTIVE_THRESHOLD * largest && largest > 0) {
                    count++;
                }
            }
            active.add(count);
        }
        Certificate certificate = reg == Regularization.WEIGHT_DECAY && lambda > 0 ? DeepPolish.certificate(net, problem, lambda) : null;
        DeepDiagnostics deep = new DeepDiagnostics(matrices, runs, active, balance, certificate);
        int n = problem.rows();
        int d = problem.inputDim();
        int lastActive = active.isEmpty() ? 0 : active.get(active.size() - 1);
        long runtimeMs = (System.nanoTime() - startNanos) / 1_000_000L;
        return new Diagnostics(dataFit + penalty, dataFit, penalty, Double.NaN, lambda, reg.wireName(), lastActive,
                net.lastWidth(), Math.max(0, n - (d + 1)), balance, 0, List.of(), null, DiagnosticsCalculator.trainError(problem, dataFit, net),
                result.iterations(), result.converged(), result.stopReason(), solverRun.wireName(), runtimeMs, singular,
                result.lossCurve(), Double.NaN, sharedUnits(net.outputWeights()), deep);
    }

    /** The runs of linear layers and the ReLU layer each feeds, with both forms of their penalty (A8). */
    static List<LinearRun> linearRuns(List<Layer> layers) {
        List<LinearRun> runs = new ArrayList<>();
        for (int l = 1; l < layers.size(); l++) {
            if (layers.get(l).kind() != Layer.Kind.RELU || layers.get(l - 1).kind() != Layer.Kind.LINEAR) {
                continue;
            }
            int first = l;
            while (first > 0 && layers.get(first - 1).kind() == Layer.Kind.LINEAR) {
                first--;
            }
            List<Layer> run = layers.subList(first, l + 1);
            int q = run.size();
            double raw = 0;
            for (Layer f : run) {
                raw += 0.5 * MatrixNorms.inner(f.weights(), f.weights());
            }
            double[] s = DiagnosticsCalculator.singularValues(LayerBalance.product(run));
            double schatten = 0;
            for (double sigma : s) {
                schatten += Math.pow(sigma, 2.0 / q);
            }
            runs.add(new LinearRun(first, l, q, s, effectiveRank(s), raw, 0.5 * q * schatten));
        }
        return runs;
    }

    static int effectiveRank(double[] descending) {
        if (descending.length == 0 || !(descending[0] > 0)) {
            return 0;
        }
        int rank = 0;
        for (double s : descending) {
            if (s > RANK_THRESHOLD * descending[0]) {
                rank++;
            }
        }
        return rank;
    }

    /** Last-layer units whose outgoing weights have no zero entry: shared by every output (A7). */
    static int sharedUnits(DMatrixRMaj v) {
        int shared = 0;
        for (int k = 0; k < v.numRows; k++) {
            double norm = MatrixNorms.rowNorm(v, k);
            boolean all = norm > 0;
            for (int i = 0; i < v.numCols && all; i++) {
                all = Math.abs(v.unsafe_get(k, i)) > 1e-12 * norm;
            }
            if (all) {
                shared++;
            }
        }
        return shared;
    }
}
