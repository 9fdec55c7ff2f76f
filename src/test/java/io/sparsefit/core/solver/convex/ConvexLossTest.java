package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convex solver with every loss and sample weights (theory A2b, C2) against an independent computation in one
 * input: by T3 an optimal function is a linear spline with knots at data points, so the problem is a group lasso over
 * the dictionary of ReLU atoms {@code relu(x - x_j)} and {@code relu(x_j - x)} at every data point, with the affine
 * part free (its slope weight-decayed for a classification loss). That is solved here by plain FISTA with a fixed
 * step {@code 1 / L} ({@code L} from the power iteration and the loss's curvature bound) and restarts. Also T1: no
 * gradient solver ends below the convex optimum.
 */
class ConvexLossTest {

    static List<Loss> losses() {
        return List.of(Loss.squared(), new HuberLoss(0.3), LogisticLoss.INSTANCE, new CrossEntropyLoss(3));
    }

    private static FitProblem problem(Loss loss) {
        Random rnd = new Random(17);
        int n = 14;
        double[] x = new double[n];
        double[] y = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 0.3 * rnd.nextDouble();
            double bump = Math.abs(x[i] - 6.5) < 3 ? 1 : 0;
            y[i] = loss instanceof CrossEntropyLoss ? (x[i] < 4 ? 0 : x[i] < 9 ? 1 : 2) ^ (i == 5 ? 1 : 0)
                    : loss instanceof LogisticLoss ? (bump > 0 ^ i == 3 ? 1 : 0) : 2 * bump + 0.3 * rnd.nextGaussian();
            w[i] = 0.5 + rnd.nextDouble();
        }
        return FitProblem.of1D(x, y).withLoss(loss).withSampleWeights(w);
    }

    /** The dictionary's group lasso by FISTA: returns the optimal objective. */
    private static double dictionaryOptimum(FitProblem p, double lambda) {
        int n = p.rows();
        int m = p.outputDim();
        double[] x = p.x().data;
        int atoms = 2 * n;
        int cols = atoms + 2;                    // atoms, then 1 and x (the affine part)
        double[] a = new double[n * cols];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < n; j++) {
                a[r * cols + j] = Math.max(0, x[r] - x[j]);
                a[r * cols + n + j] = Math.max(0, x[j] - x[r]);
            }
            a[r * cols + atoms] = 1;
            a[r * cols + atoms + 1] = x[r];
        }
        double[] w = p.sampleWeights();
        double curvature = p.loss() instanceof LogisticLoss ? 0.25 : p.loss() instanceof CrossEntropyLoss ? 0.5 : 1.0;
        // L = curvature * max w * ||A||^2 (+ lambda for the decayed slope), ||A||^2 by power iteration
        double[] v = new double[cols];
        java.util.Arrays.fill(v, 1.0);
        double norm2 = 0;
        for (int it = 0; it < 500; it++) {
            double[] av = new double[n];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < cols; c++) {
                    av[r] += a[r * cols + c] * v[c];
                }
            }
            double[] atav = new double[cols];
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < cols; c++) {
                    atav[c] += a[r * cols + c] * av[r];
                }
            }
            norm2 = 0;
            for (double t : atav) {
                norm2 += t * t;
            }
            norm2 = Math.sqrt(norm2);
            for (int c = 0; c < cols; c++) {
                v[c] = atav[c] / norm2;
            }
        }
        double maxW = java.util.Arrays.stream(w).max().orElse(1);
        boolean decay = p.loss().classification();
        double step = 1.0 / (curvature * maxW * norm2 * 1.01 + (decay ? lambda : 0));
        double[] theta = new double[cols * m];
        double[] yk = theta.clone();
        double t = 1;
        double previous = Double.POSITIVE_INFINITY;
        double[] f = new double[n * m];
        double[] g = new double[n * m];
        for (int it = 0; it < 400_000; it++) {
            outputs(a, yk, n, cols, m, f);
            p.loss().gradient(f, 0, p.y().data, 0, w, 0, n, m, 1.0, g, 0);
            double[] next = new double[cols * m];
            for (int c = 0; c < cols; c++) {
                for (int i = 0; i < m; i++) {
                    double grad = 0;
                    for (int r = 0; r < n; r++) {
                        grad += a[r * cols + c] * g[r * m + i];
                    }
                    if (decay && c == atoms + 1) {
                        grad += lambda * yk[c * m + i];
                    }
                    next[c * m + i] = yk[c * m + i] - step * grad;
                }
                if (c < atoms) {
                    double gn = 0;
                    for (int i = 0; i < m; i++) {
                        gn += next[c * m + i] * next[c * m + i];
                    }
                    gn = Math.sqrt(gn);
                    double shrink = gn > step * lambda ? 1 - step * lambda / gn : 0;
                    for (int i = 0; i < m; i++) {
                        next[c * m + i] *= shrink;
                    }
                }
            }
            double value = objective(p, a, next, n, cols, m, lambda, f);
            if (value > previous) {
                System.arraycopy(theta, 0, yk, 0, theta.length);
                t = 1;
                continue;
            }
            double tNext = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
            for (int k = 0; k < theta.length; k++) {
                yk[k] = next[k] + (t - 1) / tNext * (next[k] - theta[k]);
            }
            theta = next;
            t = tNext;
            previous = value;
        }
        return previous;
    }

    private static void outputs(double[] a, double[] theta, int n, int cols, int m, double[] f) {
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int c = 0; c < cols; c++) {
                    s += a[r * cols + c] * theta[c * m + i];
                }
                f[r * m + i] = s;
            }
        }
    }

    private static double objective(FitProblem p, double[] a, double[] theta, int n, int cols, int m, double lambda,
                                    double[] f) {
        outputs(a, theta, n, cols, m, f);
        double value = p.loss().value(f, p.y().data, p.sampleWeights(), n, m);
        for (int c = 0; c < cols - 2; c++) {
            double gn = 0;
            for (int i = 0; i < m; i++) {
                gn += theta[c * m + i] * theta[c * m + i];
            }
            value += lambda * Math.sqrt(gn);
        }
        if (p.loss().classification()) {
            for (int i = 0; i < m; i++) {
                double slope = theta[(cols - 1) * m + i];
                value += 0.5 * lambda * slope * slope;
            }
        }
        return value;
    }

    @ParameterizedTest
    @MethodSource("losses")
    void oneInputOptimumMatchesTheDictionaryGroupLassoAndNoGradientSolverEndsBelowIt(Loss loss) {
        FitProblem p = problem(loss);
        double lambda = loss.classification() ? 0.2 : 0.5;
        FitOutcome convex = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(SolverType.CONVEX).withTol(1e-11),
                ProgressListener.NONE, CancellationToken.NEVER);
        double reference = dictionaryOptimum(p, lambda);
        double j = convex.diagnostics().objective();
        assertThat(Math.abs(j - reference)).as("convex %s against the dictionary", loss.wireName())
                .isLessThanOrEqualTo(1e-8 * Math.abs(reference));
        assertThat(convex.diagnostics().certificate().exact()).isTrue();
        assertThat(convex.diagnostics().certificate().gap()).isLessThanOrEqualTo(1e-8 * Math.abs(j));
        assertThat(convex.diagnostics().activeNeurons()).isPositive();
        for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.ADAM, SolverType.PROX}) {
            FitOutcome out = SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(type).withWidth(16).withMaxIter(2000),
                    ProgressListener.NONE, CancellationToken.NEVER);
            assertThat(out.diagnostics().objective()).as("T1: %s with %s", type.wireName(), loss.wireName())
                    .isGreaterThanOrEqualTo(j - 1e-9 * Math.abs(j));
        }
    }
}
