package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Zero neurons past lambda_max for the classification losses (theory A2b, T6 generalized), every solver. With the skip
 * weights decayed, the best affine classifier {@code c0 + C x} depends on lambda, and so does its dual point
 * {@code g_lambda = -dloss/df}: zero neurons are optimal exactly when {@code S(g_lambda) <= lambda} (S the exact dual
 * norm of T8). The test computes the affine optimum by its own Newton iteration, S by the exact enumerations of
 * {@link IndependentDual}, and lambda_max as the fixed point of {@code lambda -> S(g_lambda)} from the intercept-only
 * classifier (the limit of large lambda). Above it (x 1.05, checked: {@code S(g) < lambda} there) a solver must
 * return no neuron and the affine optimum's objective; below it (x 0.9, {@code S(g) > lambda} there) the convex solver
 * must find neurons and a lower objective, so the threshold is tight.
 */
class ClassificationLambdaMaxTest {

    static FitProblem problem(Loss loss, int d, int n, long seed) {
        Random rnd = new Random(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, d);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            double radius = 0;
            for (int j = 0; j < d; j++) {
                double v = 4 * rnd.nextDouble() - 2;
                x.set(i, j, v);
                radius += v * v;
            }
            int label = loss instanceof LogisticLoss ? (radius < 1.2 ? 1 : 0) : (int) Math.min(2, Math.floor(radius / 1.3));
            int classes = loss instanceof LogisticLoss ? 2 : 3;
            y.set(i, 0, rnd.nextDouble() < 0.15 ? (label + 1) % classes : label);
        }
        return new FitProblem(x, y).withLoss(loss);
    }

    /** {@code min sum loss(c0 + C x) + lambda/2 ||C||^2} by damped Newton with backtracking; lambda = infinity: C = 0. */
    static ShallowNetwork affineOptimum(FitProblem p, double lambda) {
        int n = p.rows();
        int d = p.inputDim();
        int m = p.outputDim();
        boolean interceptOnly = Double.isInfinite(lambda);
        int cols = interceptOnly ? 1 : d + 1;
        int size = m * cols;                          // theta[i * cols + j]: output i, column j of [1, x]
        double[] theta = new double[size];
        ShallowNetwork net = new ShallowNetwork(d, m, 0, true);
        for (int step = 0; step < 100; step++) {
            double value = affineValue(p, theta, cols, lambda, net);
            DMatrixRMaj f = net.predict(p.x(), null);
            DMatrixRMaj g = IndependentDual.dualPoint(p, f);    // -dloss/df
            DMatrixRMaj gradient = new DMatrixRMaj(size, 1);
            DMatrixRMaj hessian = new DMatrixRMaj(size, size);
            for (int r = 0; r < n; r++) {
                double[] phi = new double[cols];
                phi[0] = 1;
                for (int j = 1; j < cols; j++) {
                    phi[j] = p.x().get(r, j - 1);
                }
                double[] prob = m == 1 ? new double[] {1 / (1 + Math.exp(-f.get(r, 0)))} : IndependentDual.softmax(f, r);
                for (int i = 0; i < m; i++) {
                    for (int a = 0; a < cols; a++) {
                        gradient.data[i * cols + a] -= g.get(r, i) * phi[a];
                        for (int k = 0; k < m; k++) {
                            double h = m == 1 ? prob[0] * (1 - prob[0]) : (i == k ? prob[i] : 0) - prob[i] * prob[k];
                            for (int b = 0; b < cols; b++) {
                                hessian.data[(i * cols + a) * size + k * cols + b] += h * phi[a] * phi[b];
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < m && !interceptOnly; i++) {
                for (int a = 1; a < cols; a++) {
                    gradient.data[i * cols + a] += lambda * theta[i * cols + a];
                    hessian.data[(i * cols + a) * size + i * cols + a] += lambda;
                }
            }
            if (CommonOps_DDRM.elementMaxAbs(gradient) <= 1e-13 * Math.max(1, value)) {
                break;
            }
            for (int i = 0; i < size; i++) {
                hessian.data[i * size + i] += 1e-12;   // softmax is invariant to a common shift of the logits
            }
            DMatrixRMaj delta = new DMatrixRMaj(size, 1);
            assertThat(CommonOps_DDRM.solve(hessian, gradient, delta)).isTrue();
            double t = 1;
            double[] trial = new double[size];
            while (true) {
                for (int i = 0; i < size; i++) {
                    trial[i] = theta[i] - t * delta.data[i];
                }
                if (affineValue(p, trial, cols, lambda, net) <= value || t < 1e-12) {
                    break;
                }
                t *= 0.5;
            }
            theta = trial;
        }
        affineValue(p, theta, cols, lambda, net);
        return net;
    }

    /** Writes theta into {@code net}'s skip and returns the objective. */
    private static double affineValue(FitProblem p, double[] theta, int cols, double lambda, ShallowNetwork net) {
        int d = p.inputDim();
        int m = p.outputDim();
        for (int i = 0; i < m; i++) {
            net.skipBias()[i] = theta[i * cols];
            for (int j = 0; j < d; j++) {
                net.skipWeights().set(i, j, cols > 1 ? theta[i * cols + 1 + j] : 0.0);
            }
        }
        return IndependentDual.objective(net, p, Double.isInfinite(lambda) ? 0 : lambda);
    }

    /** {@code S(g_lambda)}: the exact dual norm of the affine optimum's dual point. */
    static double pricedGradient(FitProblem p, double lambda) {
        ShallowNetwork affine = affineOptimum(p, lambda);
        DMatrixRMaj g = IndependentDual.dualPoint(p, affine.predict(p.x(), null));
        IndependentDual.project(p, g);   // the optimal intercept already centres g; removes rounding only
        return IndependentDual.dualNorm(p.x(), g);
    }

    /** lambda_max as the fixed point of {@code lambda -> S(g_lambda)}, from the intercept-only classifier. */
    static double lambdaMax(FitProblem p) {
        double lambdaMax = pricedGradient(p, Double.POSITIVE_INFINITY);
        for (int i = 0; i < 60; i++) {
            double next = pricedGradient(p, lambdaMax);
            boolean done = Math.abs(next - lambdaMax) <= 1e-10 * lambdaMax;
            lambdaMax = next;
            if (done) {
                break;
            }
        }
        assertThat(pricedGradient(p, lambdaMax)).as("fixed point").isCloseTo(lambdaMax, Offset.offset(1e-8 * lambdaMax));
        return lambdaMax;
    }

    static Loss loss(String name) {
        return name.equals("logistic") ? LogisticLoss.INSTANCE : new CrossEntropyLoss(3);
    }

    @ParameterizedTest(name = "{0} d={1}")
    @CsvSource({"logistic,1", "logistic,2", "cross_entropy,1", "cross_entropy,2"})
    void pastLambdaMaxTheConvexSolverReturnsTheAffineClassifierAndBelowItAddsNeurons(String name, int d) {
        FitProblem p = problem(loss(name), d, 30, 7 + d);
        double lambdaMax = lambdaMax(p);
        double above = 1.05 * lambdaMax;
        assertThat(pricedGradient(p, above)).as("S(g) below lambda above lambda_max").isLessThan(above);
        double affineJ = IndependentDual.objective(affineOptimum(p, above), p, above);
        FitOutcome out = SparseFit.fit(p, FitSettings.defaults(above).withSolver(SolverType.CONVEX),
                ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(out.diagnostics().activeNeurons()).as("neurons above lambda_max").isZero();
        assertThat(out.diagnostics().objective()).as("the affine optimum").isCloseTo(affineJ, Offset.offset(1e-9 * affineJ));

        double below = 0.9 * lambdaMax;
        assertThat(pricedGradient(p, below)).as("S(g) above lambda below lambda_max").isGreaterThan(below);
        FitOutcome convex = SparseFit.fit(p, FitSettings.defaults(below).withSolver(SolverType.CONVEX),
                ProgressListener.NONE, CancellationToken.NEVER);
        assertThat(convex.diagnostics().activeNeurons()).as("neurons below lambda_max").isPositive();
        assertThat(convex.diagnostics().objective())
                .isLessThan(IndependentDual.objective(affineOptimum(p, below), p, below) * (1 - 1e-9));
    }

    /**
     * The same above lambda_max for the gradient solvers: zero neurons and the affine optimum's objective. Their
     * finishing polishes the outer weights with the problem's loss (A2b, C3; {@code LossGroupLasso}), which sets every
     * amplitude to zero past lambda_max and refits the affine part with the skip decay.
     */
    @ParameterizedTest(name = "{0} d={1}")
    @CsvSource({"logistic,1", "logistic,2", "cross_entropy,1", "cross_entropy,2"})
    void pastLambdaMaxEveryGradientSolverReturnsTheAffineClassifier(String name, int d) {
        FitProblem p = problem(loss(name), d, 30, 7 + d);
        double above = 1.05 * lambdaMax(p);
        double affineJ = IndependentDual.objective(affineOptimum(p, above), p, above);
        for (SolverType type : new SolverType[] {SolverType.LBFGS, SolverType.ADAM, SolverType.PROX}) {
            FitOutcome out = SparseFit.fit(p, FitSettings.defaults(above).withSolver(type).withWidth(16).withSeed(3),
                    ProgressListener.NONE, CancellationToken.NEVER);
            assertThat(out.diagnostics().activeNeurons()).as("%s: neurons above lambda_max", type.wireName()).isZero();
            assertThat(out.diagnostics().objective()).as("%s: the affine optimum", type.wireName())
                    .isCloseTo(affineJ, Offset.offset(1e-9 * affineJ));
        }
    }
}
