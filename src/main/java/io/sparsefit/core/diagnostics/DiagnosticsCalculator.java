package io.sparsefit.core.diagnostics;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.DualNorm1D;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.convex.RepresenterBound;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DualCertificate;
import io.sparsefit.core.finish.LowRankStep;
import io.sparsefit.core.finish.Polish;
import io.sparsefit.core.finish.Rebalance;
import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.Layer;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.AffineRefit;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Computes {@link Diagnostics} once from a finished network of any depth; never modifies its inputs. Every network
 * gets the objective, the spectra of its weight matrices (A8), the balance of its units (A4) and the counts of its
 * last hidden layer; the numbers of the one-hidden-layer theory (path norm, knots, the T8 certificate, lambda_max,
 * A1-A7) are computed through {@link Network#oneLayer()}, and a layered network gets {@link LayerDiagnostics} instead
 * (with the last-layer certificate of {@link Polish#certificate}).
 */
public final class DiagnosticsCalculator {

    /**
     * Effective rank: singular values above this times the largest. Gradient training leaves the directions weight
     * decay removes at the solver's tolerance, not at zero; three orders of magnitude separate them from the kept ones
     * in every planted test and benchmark.
     */
    public static final double RANK_THRESHOLD = 1e-3;
    /** A unit of a layered network is active when {@code ||in|| ||out||} exceeds this times the largest product of its layer. */
    public static final double ACTIVE_THRESHOLD = 1e-6;

    private DiagnosticsCalculator() {
    }

    /** {@code sum_n w_n loss(f(x_n); y_n)} (theory A2b; {@code 1/2 sum_n ||f(x_n) - y_n||^2} for squared loss, A2). */
    public static double dataFit(Network net, FitProblem problem) {
        return Networks.dataFit(net, problem);
    }

    /**
     * The mean of the loss's error over the rows ({@link io.sparsefit.core.loss.Loss#error}): the mean squared error
     * for a regression loss ({@code 2 dataFit / N} for squared loss without weights), the mean log loss for
     * classification. Reported as {@code trainMse}.
     */
    public static double trainError(Network net, FitProblem problem) {
        DMatrixRMaj f = net.predict(problem.x(), null);
        return problem.loss().error(f.data, problem.y().data, problem.rows(), problem.outputDim(), null) / problem.rows();
    }

    /** {@code lambda R} of the trained regularizer, plus the skip decay of a classification loss (A2b). */
    public static double penalty(Network net, FitProblem problem, Regularization reg, double lambda) {
        return reg == Regularization.NONE ? 0.0
                : lambda * reg.penalty().value(net) + SkipDecay.value(problem.loss(), net, lambda);
    }

    public static int activeNeurons(ShallowNetwork net) {
        int active = 0;
        for (int k = 0; k < net.width(); k++) {
            if (net.inputNorm(k) * net.outputNorm(k) > 0) {
                active++;
            }
        }
        return active;
    }

    /**
     * The diagnostics of a fit. {@code knownLambdaMax} and {@code knownDataFit}, when not NaN, are used as they are
     * (lambda_max from the convex solver, which prices the affine residual first; the data fit the width-free fit
     * computed to choose between its two phases' networks); NaN computes them here. A cancelled fit
     * ({@link StopReason#CANCELLED}) gets neither the certificate nor lambda_max (null and NaN: their pricing can take
     * seconds, and the fit is discarded); the pricing of both looks at {@code stop} and ends early once it is true (a
     * cancel, whose caller then cancels the fit, or the deadline's grace, {@code CancellationToken#finishing}: then the
     * certificate is a sampled estimate and lambda_max in d >= 2 a lower bound). The certificate's proof of the dual
     * norm (theory T8, C4) also ends once {@code proofStop} is true (the fit's deadline), and the certificate is then not
     * exact ({@link DualCertificate}). A pricing the solver made of this network ({@link SolverResult#pricing()}) is
     * the certificate's, not made again.
     */
    public static Diagnostics compute(Network net, FitProblem problem, FitSettings settings, SolverType solverRun,
                                      SolverResult result, long startNanos, double knownLambdaMax, double knownDataFit,
                                      BooleanSupplier stop, BooleanSupplier proofStop) {
        boolean cancelled = result.stopReason() == StopReason.CANCELLED;
        double dataFit = Double.isNaN(knownDataFit) ? dataFit(net, problem) : knownDataFit;
        Regularization reg = settings.regularization();
        double lambda = settings.lambda();
        double penalty = penalty(net, problem, reg, lambda);
        int d = problem.inputDim();
        boolean certify = reg != Regularization.NONE && lambda != 0.0 && !cancelled;
        List<double[]> singular = new ArrayList<>();
        List<MatrixSpectrum> matrices = new ArrayList<>();
        List<Layer> layers = net.layers();
        for (int l = 0; l <= layers.size(); l++) {
            DMatrixRMaj w = l < layers.size() ? layers.get(l).weights() : net.outputWeights();
            double[] s = singularValues(w);
            singular.add(s);
            matrices.add(new MatrixSpectrum(l, l < layers.size() ? layers.get(l).kind().wireName() : "output", w.numRows,
                    w.numCols, s, effectiveRank(s)));
        }
        ShallowNetwork one = net.oneLayer();
        double balance = Rebalance.balanceError(net);
        List<Knot> knots = one != null && d == 1 ? Knot.of(one) : List.of();
        Certificate certificate = null;   // of the one-layer theory (T8)
        LayerDiagnostics layered = null;
        int active;
        if (one == null) {
            // A8: per-layer numbers and the last-layer certificate; the one-layer theory's numbers stay empty
            List<Integer> units = activeUnits(net);
            layered = new LayerDiagnostics(matrices, linearRuns(net), units, balance,
                    certify && reg == Regularization.WEIGHT_DECAY ? Polish.certificate(net, problem, lambda, stop) : null);
            active = units.isEmpty() ? 0 : units.get(units.size() - 1);
        } else {
            // a pricing the solver made of this very network is used once more, not repeated (DualCertificate#compute)
            certificate = certify ? DualCertificate.compute(one, problem, lambda, settings.seed(), stop, proofStop,
                    result.pricing()) : null;
            active = activeNeurons(one);
        }
        long runtimeMs = (System.nanoTime() - startNanos) / 1_000_000L;
        double lambdaMax = one == null ? Double.NaN
                : Double.isNaN(knownLambdaMax) && !cancelled ? lambdaMax(problem, settings.seed(), stop) : knownLambdaMax;
        return new Diagnostics(dataFit + penalty, dataFit, penalty, one == null ? Double.NaN : PathNorm.of(one), lambda,
                reg.wireName(), active, net.lastWidth(), RepresenterBound.of(problem), balance, knots.size(), knots, certificate,
                trainError(problem, dataFit, net), result.iterations(), result.converged(), result.stopReason(),
                solverRun.wireName(), runtimeMs, singular, result.lossCurve(), lambdaMax, sharedNeurons(net), layered);
    }

    static double trainError(FitProblem problem, double dataFit, Network net) {
        // squared loss without weights: 2 dataFit / N is that mean, without predicting again
        return problem.plainLeastSquares() ? 2.0 * dataFit / problem.rows()
                : trainError(net, problem);
    }

    /**
     * lambda_max (T6; for d >= 2 the T8 dual norm of the affine fit's residual; A2b for any loss: the dual norm of the
     * dual point {@code -w dloss/df} at the best affine fit): the smallest lambda at which the affine fit with zero
     * neurons is optimal. Exact where the pricing is ({@link Pricing#best}). For a classification loss the best
     * affine fit depends on lambda through the skip decay; this prices the best intercept-only fit (the limit of
     * large lambda), an estimate. For d >= 2 the pricing ends early once {@code stop} is true, and then the value is
     * only a lower bound.
     */
    public static double lambdaMax(FitProblem problem, long seed, BooleanSupplier stop) {
        DMatrixRMaj residual;
        if (problem.plainLeastSquares()) {
            residual = AffineProjection.of(problem.x(), true).project(problem.y());
        } else {
            ShallowNetwork affine = new ShallowNetwork(problem.inputDim(), problem.outputDim(), 0, true);
            AffineRefit.refit(affine, problem, 0.0, problem.loss().classification());
            residual = FenchelDual.point(problem, affine.predict(problem.x(), null), true);
            if (problem.loss().classification()) {
                return new Pricing(problem.x(), problem.outputDim(), seed).stopWhen(stop).best(residual, null, true).value();
            }
        }
        if (problem.inputDim() == 1) {
            return DualNorm1D.supremum(problem.x().data, residual);
        }
        return new Pricing(problem.x(), problem.outputDim(), seed).stopWhen(stop).best(residual, null).value();
    }

    /**
     * Last-layer units with {@code ||w_k|| > 0} whose outgoing weights {@code v_k} have no zero entry (none below
     * {@code 1e-12 ||v_k||}): shared by every output (A7).
     */
    public static int sharedNeurons(Network net) {
        DMatrixRMaj v = net.outputWeights();
        DMatrixRMaj w = net.layers().get(net.layers().size() - 1).weights();
        int shared = 0;
        for (int k = 0; k < v.numRows; k++) {
            double norm = MatrixNorms.rowNorm(v, k);
            boolean all = norm > 0 && MatrixNorms.rowNorm(w, k) > 0;
            for (int i = 0; i < v.numCols && all; i++) {
                all = Math.abs(v.unsafe_get(k, i)) > 1e-12 * norm;
            }
            if (all) {
                shared++;
            }
        }
        return shared;
    }

    /** Per ReLU layer, the units with {@code ||in|| ||out||} above {@link #ACTIVE_THRESHOLD} times the layer's largest. */
    static List<Integer> activeUnits(Network net) {
        List<Layer> layers = net.layers();
        List<Integer> active = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            if (layers.get(l).kind() != Layer.Kind.RELU) {
                continue;
            }
            double[] product = new double[layers.get(l).outputs()];
            double largest = 0;
            for (int k = 0; k < product.length; k++) {
                product[k] = MatrixNorms.rowNorm(layers.get(l).weights(), k) * Rebalance.outgoingNorm(net, l, k);
                largest = Math.max(largest, product[k]);
            }
            int count = 0;
            for (double p : product) {
                if (p > ACTIVE_THRESHOLD * largest && largest > 0) {
                    count++;
                }
            }
            active.add(count);
        }
        return active;
    }

    /** Singular values, descending, of a weight matrix (theory A8); empty for an empty matrix. */
    static double[] singularValues(DMatrixRMaj a) {
        if (a.numRows == 0 || a.numCols == 0) {
            return new double[0];
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd =
                DecompositionFactory_DDRM.svd(a.numRows, a.numCols, false, false, true);
        if (!svd.decompose(a.copy())) {
            return new double[0];
        }
        double[] s = svd.getSingularValues().clone();
        int count = svd.numberOfSingularValues();
        double[] out = java.util.Arrays.copyOf(s, count);
        java.util.Arrays.sort(out);
        for (int i = 0; i < count / 2; i++) {
            double t = out[i];
            out[i] = out[count - 1 - i];
            out[count - 1 - i] = t;
        }
        return out;
    }

    /** The runs of linear layers and the ReLU layer each feeds ({@link Rebalance#runs}), with both forms of their penalty (A8). */
    static List<LinearRun> linearRuns(Network net) {
        List<LinearRun> runs = new ArrayList<>();
        for (int[] r : Rebalance.runs(net)) {
            List<Layer> run = net.layers().subList(r[0], r[1] + 1);
            double raw = 0;
            for (Layer f : run) {
                raw += 0.5 * MatrixNorms.inner(f.weights(), f.weights());
            }
            double[] s = singularValues(Rebalance.product(run));
            runs.add(new LinearRun(r[0], r[1], run.size(), s, effectiveRank(s), raw, LowRankStep.penalty(s, run.size())));
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
}
