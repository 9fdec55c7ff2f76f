package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.ColumnMoments;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.DualNorm1D;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.Networks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.AffineRefit;
import io.sparsefit.core.objective.SkipDecay;
import io.sparsefit.core.penalty.Penalty;
import java.util.Arrays;

/**
 * Brings a knot back where the data asks for one, for one input (d = 1) after a gradient solver has
 * stalled.
 *
 * <p>Why: a neuron whose outer weight is (numerically) zero has no gradient in its hyperplane, and under
 * weight decay a small neuron's knot drifts out of the data before it can grow. The solver then stops at a
 * stationary point that lacks a knot the optimum has. The certificate of theory T8 says where: with the
 * dual point (A2b: {@code g = -w dloss/df}; for squared loss the residual {@code r = y - f(X)}) made orthogonal to the affine part, a knot {@code t} with orientation
 * {@code s} can lower the objective exactly when {@code ||sum_n r_n relu(s (x_n - t))|| > lambda}, and in
 * 1-D the best {@code t} is a data point (T3, T8). This class evaluates that correlation at every interior
 * data point, all at once in O(N m) on the inputs sorted once (the suffix sums of {@link DualNorm1D#rampSums}, as the
 * certificate prices in 1-D); if the largest beats {@code lambda (1 + }{@value #MARGIN}{@code )} it moves the weakest neuron
 * (smallest {@code ||v_k|| ||w_k||}) onto that knot, balanced (A4), in the direction of the correlation,
 * with the amplitude {@code (score - lambda) / ||P h||^2} ({@code P h} the feature without its affine part)
 * that is optimal along that neuron once the affine part is re-fitted (for squared loss; a first step otherwise), and
 * re-fits the affine part ({@link AffineRefit}). The change is kept only when it lowers the training objective; the solver
 * then continues from the new point. At most {@code maxRevivals} per fit, so a fit still ends.
 *
 * <p>This is a step of the gradient solver, not of the exact solver: it inserts one neuron at a time and
 * leaves its placement and size, and everything else, to gradient training.
 */
public final class KnotRevival {

    /** Relative excess of the correlation over lambda required, so that rounding never triggers a revival. */
    static final double MARGIN = 1e-3;
    /** Offset of the revived knot from its data point, relative to the gap to the neighbour (as in {@link Initialization}). */
    static final double KNOT_OFFSET = 1e-6;

    private final FitProblem problem;
    private final double lambda;
    private final Penalty penalty;
    private final int maxRevivals;
    private final double[] points;     // distinct sorted inputs
    private final double meanX;        // mean of the inputs (d = 1)
    private final double sxx;          // sum of (x_n - meanX)^2 (d = 1)
    private final int[] order;         // the permutation that sorts the inputs (d = 1)
    private final double[] sortedX;    // the inputs in that order
    private final int[] firstOfPoint;  // for each distinct input, its first position in sortedX
    private final double[] sortedResidual;
    private final double[] ramps;      // sum_r relu(x_r - x_(i)) g_r at each sorted position i, N x m
    private final double[] residualSum;      // sum_r g_r, m
    private final double[] residualMoment;   // sum_r x_r g_r, m
    private final double[] residual;
    private final double[] feature;
    private final double[] correlation;  // m: correlation of a candidate feature with the residual
    private int revivals;

    /**
     * @param penalty the penalty the solver trains with ({@code lambda * penalty} is added to the data fit)
     */
    public KnotRevival(FitProblem problem, double lambda, Penalty penalty, int maxRevivals) {
        this.problem = problem;
        this.lambda = lambda;
        this.penalty = penalty;
        this.maxRevivals = maxRevivals;
        int n = problem.rows();
        int m = problem.outputDim();
        int sortedRows = problem.inputDim() == 1 ? n : 0;
        this.order = DualNorm1D.sortedOrder(Arrays.copyOf(problem.x().data, sortedRows));
        this.sortedX = new double[sortedRows];
        int[] first = new int[sortedRows];
        int distinct = 0;
        for (int i = 0; i < sortedRows; i++) {
            sortedX[i] = problem.x().data[order[i]];
            if (i == 0 || sortedX[i] != sortedX[i - 1]) {
                first[distinct++] = i;
            }
        }
        this.firstOfPoint = Arrays.copyOf(first, distinct);
        this.points = new double[distinct];
        for (int j = 0; j < distinct; j++) {
            points[j] = sortedX[first[j]];
        }
        this.sortedResidual = new double[sortedRows * m];
        this.ramps = new double[sortedRows * m];
        this.residualSum = new double[m];
        this.residualMoment = new double[m];
        // The least-squares affine fit in 1-D needs only these two moments of x; the inputs never change.
        this.meanX = ColumnMoments.mean(problem.x().data, n, 1, 0);
        this.sxx = ColumnMoments.centredSquares(problem.x().data, n, 1);
        this.residual = new double[n * problem.outputDim()];
        this.feature = new double[n];
        this.correlation = new double[problem.outputDim()];
    }

    /** Whether this can ever do anything: one input, a positive lambda and a penalty. */
    public boolean applies() {
        return problem.inputDim() == 1 && lambda > 0 && penalty != null && points.length >= 3;
    }

    /** Knots revived so far (what the tests look at; not API). */
    int revivals() {
        return revivals;
    }

    /**
     * Tries one revival on {@code net} (modified in place only when it lowers
     * {@code dataFit + lambda penalty}). Returns whether it did.
     */
    public boolean revive(ShallowNetwork net) {
        if (!applies() || revivals >= maxRevivals || net.width() == 0) {
            return false;
        }
        int n = problem.rows();
        int m = problem.outputDim();
        double[] x = problem.x().data;
        double[] pred = net.predict(problem.x(), null).data;
        // the dual point g = -w dloss/df (A2b; for squared loss the residual y - f), priced like the certificate's
        problem.loss().dualPoint(pred, problem.y().data, problem.sampleWeights(), n, m, residual);
        projectOutAffine(residual, m, net.hasSkip());

        // sum_r relu(x_r - t) g_r at every distinct input t at once; relu(t - x) = (t - x) + relu(x - t) gives the
        // other orientation from sum_r g_r and sum_r x_r g_r (both zero with skip: then the two scores agree)
        Arrays.fill(residualSum, 0.0);
        Arrays.fill(residualMoment, 0.0);
        for (int i = 0; i < n; i++) {
            System.arraycopy(residual, order[i] * m, sortedResidual, i * m, m);
            for (int c = 0; c < m; c++) {
                residualSum[c] += sortedResidual[i * m + c];
                residualMoment[c] += sortedX[i] * sortedResidual[i * m + c];
            }
        }
        if (m == 1) {
            DualNorm1D.rampSums(sortedX, sortedResidual, n, ramps);
        } else {
            DualNorm1D.rampSums(sortedX, sortedResidual, n, m, ramps);
        }
        double bestScore = 0;
        int bestPoint = -1;
        int bestSign = 1;
        double[] corr = correlation;
        for (int j = 1; j + 1 < points.length; j++) {
            int row = firstOfPoint[j] * m;
            for (int sign = -1; sign <= 1; sign += 2) {
                for (int i = 0; i < m; i++) {
                    corr[i] = sign > 0 ? ramps[row + i] : points[j] * residualSum[i] - residualMoment[i] + ramps[row + i];
                }
                double score = Vectors.norm(corr);
                if (score > bestScore) {
                    bestScore = score;
                    bestPoint = j;
                    bestSign = sign;
                }
            }
        }
        if (bestPoint < 0 || !(bestScore > lambda * (1.0 + MARGIN))) {
            return false;
        }
        // With skip, both orientations give the same feature up to an affine function, hence the same score; take the
        // one that is zero on more data (the smaller raw feature), which disturbs the fit least before the
        // affine part is re-fitted below.
        double t = points[bestPoint];
        int below = 0;
        for (int r = 0; r < n; r++) {
            if (x[r] < t) {
                below++;
            }
        }
        // Without a skip connection the linear part cannot be re-fitted: keep the orientation that scored.
        int sign = net.hasSkip() ? (below > n - below ? 1 : -1) : bestSign;
        for (int r = 0; r < n; r++) {
            feature[r] = Math.max(0.0, sign * (x[r] - t));
        }
        // Direction: c, the correlation of the feature with the (affine-free) residual.
        double[] c = correlation;
        Arrays.fill(c, 0.0);
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < m; i++) {
                c[i] += feature[r] * residual[r * m + i];
            }
        }
        double score = Vectors.norm(c);
        projectOutAffine(feature, 1, net.hasSkip());
        double hh = Vectors.dot(feature, feature);
        if (!(hh > 0) || !(score > lambda)) {
            return false;
        }
        // With the affine part re-fitted, the objective along the new neuron is
        // J - (score - lambda) a + ||Ph||^2 a^2 / 2, lowest at this amplitude.
        double amplitude = (score - lambda) / hh;
        double gap = sign > 0 ? points[bestPoint + 1] - t : t - points[bestPoint - 1];
        double knot = t + sign * KNOT_OFFSET * gap;   // keeps x_j on the flat side of the kink

        int slot = weakestNeuron(net);
        double[] before = new double[net.parameterCount()];
        net.getParameters(before);
        double jBefore = objective(net);
        double scale = Math.sqrt(amplitude);           // balanced: |w| = ||v|| = sqrt(amplitude) (A4)
        net.inputWeights().data[slot] = sign * scale;
        net.bias()[slot] = sign * scale * knot;
        for (int i = 0; i < m; i++) {
            net.outputWeights().data[slot * m + i] = scale * c[i] / score;
        }
        AffineRefit.refit(net, problem, lambda);
        if (!(objective(net) < jBefore)) {
            net.setParameters(before);
            return false;
        }
        revivals++;
        return true;
    }

    private double objective(ShallowNetwork net) {
        return Networks.dataFit(net, problem) + lambda * penalty.value(net) + SkipDecay.value(problem.loss(), net, lambda);
    }

    private static int weakestNeuron(ShallowNetwork net) {
        int slot = 0;
        double smallest = Double.POSITIVE_INFINITY;
        for (int k = 0; k < net.width(); k++) {
            double share = net.inputNorm(k) * net.outputNorm(k);
            if (share < smallest) {
                smallest = share;
                slot = k;
            }
        }
        return slot;
    }

    /** Makes each of the {@code cols} columns of {@code a} (N x cols) orthogonal to 1 and, with skip, to x. */
    private void projectOutAffine(double[] a, int cols, boolean skip) {
        int n = problem.rows();
        double[] x = problem.x().data;
        for (int i = 0; i < cols; i++) {
            double mean = ColumnMoments.mean(a, n, cols, i);
            double sxa = 0;
            for (int r = 0; r < n; r++) {
                a[r * cols + i] -= mean;
                sxa += (x[r] - meanX) * a[r * cols + i];
            }
            if (skip && sxx > 0) {
                double slope = sxa / sxx;
                for (int r = 0; r < n; r++) {
                    a[r * cols + i] -= slope * (x[r] - meanX);
                }
            }
        }
    }
}
