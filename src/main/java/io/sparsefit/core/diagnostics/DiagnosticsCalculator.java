package io.sparsefit.core.diagnostics;

import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.DualNorm1D;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DualCertificate;
import io.sparsefit.core.loss.SquaredLoss;
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

/** Computes {@link Diagnostics} once from a finished network; never modifies its inputs. */
public final class DiagnosticsCalculator {

    private DiagnosticsCalculator() {
    }

    /** {@code sum_n w_n loss(f(x_n); y_n)} (theory A2b; {@code 1/2 sum_n ||f(x_n) - y_n||^2} for squared loss, A2). */
    public static double dataFit(ShallowNetwork net, FitProblem problem) {
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

    /** {@code max_k | ||v_k|| - ||w_k|| | / max(||w_k||, eps)} over neurons (A4). */
    public static double balanceError(ShallowNetwork net) {
        double worst = 0;
        for (int k = 0; k < net.width(); k++) {
            double nw = net.inputNorm(k);
            double nv = net.outputNorm(k);
            worst = Math.max(worst, Math.abs(nv - nw) / Math.max(nw, 1e-300));
        }
        return worst;
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

    public static Diagnostics compute(ShallowNetwork net, FitProblem problem, FitSettings settings, SolverType solverRun,
                                      SolverResult result, long startNanos) {
        return compute(net, problem, settings, solverRun, result, startNanos, Double.NaN, () -> false);
    }

    /**
     * As above, with {@code lambdaMax} already known (e.g. from the convex solver, which prices the affine
     * residual first); NaN computes it here. A cancelled fit ({@link StopReason#CANCELLED}) gets neither the
     * certificate nor lambda_max (null and NaN: their pricing can take seconds, and the fit is discarded); the
     * pricing of both looks at {@code stop} and ends early once it is true, then the caller cancels the fit.
     */
    public static Diagnostics compute(ShallowNetwork net, FitProblem problem, FitSettings settings, SolverType solverRun,
                                      SolverResult result, long startNanos, double knownLambdaMax, BooleanSupplier stop) {
        boolean cancelled = result.stopReason() == StopReason.CANCELLED;
        double dataFit = dataFit(net, problem);
        Regularization reg = settings.regularization();
        double penalty = penalty(net, problem, reg, settings.lambda());
        double pathNorm = PathNorm.of(net);
        int n = problem.rows();
        int d = problem.inputDim();
        List<Knot> knots = d == 1 ? Knot.of(net) : List.of();
        Certificate certificate = (reg == Regularization.NONE || settings.lambda() == 0.0 || cancelled)
                ? null
                : DualCertificate.compute(net, problem, settings.lambda(), settings.seed(), stop);
        List<double[]> singular = new ArrayList<>();
        singular.add(singularValues(net.inputWeights));
        singular.add(singularValues(net.outputWeights));
        long runtimeMs = (System.nanoTime() - startNanos) / 1_000_000L;
        return new Diagnostics(dataFit + penalty, dataFit, penalty, pathNorm, settings.lambda(), reg.wireName(),
                activeNeurons(net), net.width(), Math.max(0, n - (d + 1)), balanceError(net), knots.size(), knots,
                certificate, trainError(problem, dataFit, net), result.iterations(), result.converged(), result.stopReason(),
                solverRun.wireName(), runtimeMs, singular, result.lossCurve(), Double.isNaN(knownLambdaMax) && !cancelled ? lambdaMax(problem, settings.seed(), stop) : knownLambdaMax,
                sharedNeurons(net), null);
    }

    static double trainError(FitProblem problem, double dataFit, Network net) {
        // squared loss without weights: 2 dataFit / N is that mean, without predicting again
        return problem.loss() instanceof SquaredLoss && problem.sampleWeights() == null ? 2.0 * dataFit / problem.rows()
                : trainError(net, problem);
    }

    /**
     * lambda_max (T6; for d >= 2 the T8 dual norm of the affine fit's residual; A2b for any loss: the dual norm of the
     * dual point {@code -w dloss/df} at the best affine fit): the smallest lambda at which the affine fit with zero
     * neurons is optimal. Exact where the pricing is ({@link Pricing#best}). For a classification loss the best
     * affine fit depends on lambda through the skip decay; this prices the best intercept-only fit (the limit of
     * large lambda), an estimate.
     */
    public static double lambdaMax(FitProblem problem, long seed) {
        return lambdaMax(problem, seed, () -> false);
    }

    /** As above; for d >= 2 the pricing ends early once {@code stop} is true, and then the value is only a lower bound. */
    public static double lambdaMax(FitProblem problem, long seed, BooleanSupplier stop) {
        DMatrixRMaj residual;
        if (problem.loss() instanceof SquaredLoss && problem.sampleWeights() == null) {
            residual = AffineProjection.of(problem.x(), true).project(problem.y());
        } else {
            ShallowNetwork affine = new ShallowNetwork(problem.inputDim(), problem.outputDim(), 0, true);
            AffineRefit.refit(affine, problem, 0.0, problem.loss().classification());
            DMatrixRMaj f = affine.predict(problem.x(), null);
            residual = new DMatrixRMaj(problem.rows(), problem.outputDim());
            problem.loss().dualPoint(f.data, problem.y().data, problem.sampleWeights(), problem.rows(), problem.outputDim(),
                    residual.data);
            AffineProjection.of(problem.x(), !problem.loss().classification()).projectInPlace(residual);
            if (problem.loss().classification()) {
                return new Pricing(problem.x(), problem.outputDim(), seed).stopWhen(stop).best(residual, null, true).value();
            }
        }
        if (problem.inputDim() == 1) {
            return DualNorm1D.supremum(problem.x().data, residual);
        }
        return new Pricing(problem.x(), problem.outputDim(), seed).stopWhen(stop).best(residual, null).value();
    }

    /** Active neurons whose outer weight has no zero entry: shared by every output (A7). */
    public static int sharedNeurons(ShallowNetwork net) {
        int m = net.outputDim();
        int shared = 0;
        for (int k = 0; k < net.width(); k++) {
            double norm = net.outputNorm(k);
            if (!(norm > 0) || !(net.inputNorm(k) > 0)) {
                continue;
            }
            boolean all = true;
            for (int i = 0; i < m; i++) {
                if (Math.abs(net.outputWeights.data[k * m + i]) <= 1e-12 * norm) {
                    all = false;
                    break;
                }
            }
            if (all) {
                shared++;
            }
        }
        return shared;
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
}
