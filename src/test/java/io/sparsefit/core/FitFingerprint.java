package io.sparsefit.core;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.objective.NetworkLoss;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.*;
import java.util.*;
import org.ejml.data.DMatrixRMaj;

/**
 * A fingerprint of the solvers for refactorings that must keep behaviour (issue 19): 28 seeded fits (exact and convex
 * in 1-D to d = 10, lbfgs / adam / prox, the four losses, sample weights, a deep network) printed at full precision:
 * objective, data fit, penalty, active neurons, iterations, a weighted sum of the predictions and the certificate's
 * gap. Then, appended so that older outputs still compare line by line, 9 single evaluations of the deep objective
 * the gradient solvers minimize ({@link NetworkLoss}, weight decay): 2 and 3 hidden layers, squared and logistic loss,
 * with and without skip, once with sample weights, at a seeded parameter vector on 1,200 rows (three row blocks, two
 * row chunks): objective, data fit and a weighted sum of the gradient. A deep L-BFGS line amplifies a last-bit change
 * over thousands of iterations; these lines show whether one evaluation itself changed.
 * Run it before and after a change and diff the two outputs (the same bits expected for a pure refactoring):
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes:$(cat cp.txt)
 * io.sparsefit.core.FitFingerprint} (without the vector module the kernels are the scalar ones: other bits).
 */
public final class FitFingerprint {
    static DMatrixRMaj x(int n, int d, long seed) {
        Random r = new Random(seed); DMatrixRMaj m = new DMatrixRMaj(n, d);
        for (int i = 0; i < n * d; i++) m.data[i] = r.nextGaussian();
        return m;
    }
    static DMatrixRMaj y(DMatrixRMaj x, long seed, int kind) {
        Random r = new Random(seed + 7); DMatrixRMaj m = new DMatrixRMaj(x.numRows, 1);
        for (int i = 0; i < x.numRows; i++) {
            double s = 0; for (int j = 0; j < x.numCols; j++) s += Math.abs(x.get(i, j)) * (j + 1) * 0.5 - 0.3 * x.get(i, j);
            double v = Math.sin(2 * x.get(i, 0)) + s + 0.1 * r.nextGaussian();
            m.data[i] = kind == 0 ? v : kind == 1 ? (v > 1 ? 1 : 0) : (v > 2 ? 2 : v > 0.8 ? 1 : 0);
        }
        return m;
    }
    static void run(String name, FitProblem p, FitSettings s) {
        try {
            FitOutcome o = SparseFit.fit(p, s, ProgressListener.NONE, CancellationToken.NEVER);
            DMatrixRMaj pred = o.network().predict(p.x(), null);
            double h = 0; for (int i = 0; i < pred.data.length; i++) h += pred.data[i] * (1 + (i % 13));
            Diagnostics dg = o.diagnostics();
            System.out.printf("%-22s obj=%s fit=%s pen=%s act=%d it=%d pred=%s gap=%s%n", name,
                Double.toString(dg.objective()), Double.toString(dg.dataFit()), Double.toString(dg.penalty()),
                dg.activeNeurons(), dg.iterations(), Double.toString(h),
                dg.certificate() == null ? "-" : Double.toString(dg.certificate().gap()));
        } catch (Exception e) {
            System.out.printf("%-22s EXC %s%n", name, e);
        }
    }
    /**
     * One evaluation of {@link NetworkLoss} (weight decay, lambda 0.05) for a network of hidden widths {@code widths}
     * whose parameters are seeded Gaussians times 0.5; prints J, the data fit and {@code sum_i g_i (1 + i % 13)}.
     */
    static void evaluation(String name, FitProblem p, int[] widths, boolean skip, long seed) {
        try {
            Network net = Network.zeros(p.inputDim(), p.outputDim(), widths, 0, skip);
            double[] theta = new double[net.parameterCount()];
            Random r = new Random(seed);
            for (int i = 0; i < theta.length; i++) theta[i] = 0.5 * r.nextGaussian();
            NetworkLoss objective = new NetworkLoss(p, net, Regularization.WEIGHT_DECAY.penalty(), 0.05);
            double[] g = new double[theta.length];
            double j = objective.evaluate(theta, g);
            double h = 0; for (int i = 0; i < g.length; i++) h += g[i] * (1 + (i % 13));
            System.out.printf("%-22s obj=%s fit=%s grad=%s%n", name, Double.toString(j),
                Double.toString(objective.lastDataFit()), Double.toString(h));
        } catch (Exception e) {
            System.out.printf("%-22s EXC %s%n", name, e);
        }
    }
    public static void main(String[] a) {
        DMatrixRMaj x1 = x(60, 1, 1), x2 = x(80, 2, 2), x3 = x(80, 3, 3), x10 = x(60, 10, 4);
        FitProblem p1 = new FitProblem(x1, y(x1, 1, 0)), p2 = new FitProblem(x2, y(x2, 2, 0)),
            p3 = new FitProblem(x3, y(x3, 3, 0)), p10 = new FitProblem(x10, y(x10, 4, 0));
        FitSettings b = FitSettings.defaults(0.05).withMaxIter(3000).withWidth(32);
        run("exact1d", p1, b.withSolver(SolverType.EXACT));
        run("exact1d-pn", p1, b.withSolver(SolverType.EXACT).withRegularization(Regularization.PATH_NORM));
        run("convex1d", p1, b.withSolver(SolverType.CONVEX));
        run("convex2d", p2, b.withSolver(SolverType.CONVEX));
        run("convex3d", p3, b.withSolver(SolverType.CONVEX));
        run("convex10d", p10, b.withSolver(SolverType.CONVEX));
        run("auto2d", p2, b);
        run("lbfgs2d", p2, b.withSolver(SolverType.LBFGS));
        run("adam2d", p2, b.withSolver(SolverType.ADAM).withMaxIter(1500));
        run("prox2d", p2, b.withSolver(SolverType.PROX).withRegularization(Regularization.PATH_NORM));
        double[] w = new double[80]; for (int i = 0; i < 80; i++) w[i] = 0.5 + (i % 5) * 0.3;
        run("convex2d-w", p2.withSampleWeights(w), b.withSolver(SolverType.CONVEX));
        run("lbfgs2d-w", p2.withSampleWeights(w), b.withSolver(SolverType.LBFGS));
        FitProblem lg = new FitProblem(x2, y(x2, 2, 1)).withLoss(Loss.of("logistic", 0, 0));
        FitProblem ce = new FitProblem(x2, y(x2, 2, 2)).withLoss(Loss.of("cross_entropy", 0, 3));
        FitProblem hu = new FitProblem(x2, y(x2, 2, 0)).withLoss(Loss.of("huber", 0.5, 0));
        for (SolverType st : new SolverType[] {SolverType.CONVEX, SolverType.LBFGS, SolverType.ADAM, SolverType.PROX}) {
            FitSettings s = b.withSolver(st).withMaxIter(1500);
            if (st == SolverType.PROX) s = s.withRegularization(Regularization.PATH_NORM);
            run("logistic-" + st.name().toLowerCase(), lg, s);
            run("xent-" + st.name().toLowerCase(), ce, s);
            run("huber-" + st.name().toLowerCase(), hu, s);
        }
        run("huber1d-convex", new FitProblem(x1, y(x1, 1, 0)).withLoss(Loss.of("huber", 0.5, 0)), b.withSolver(SolverType.CONVEX));
        FitSettings deep = b.withArchitecture(new Architecture(List.of(16, 8), 1, true));
        run("deep-lbfgs", p2, deep.withSolver(SolverType.LBFGS));
        run("deep-adam", p2, deep.withSolver(SolverType.ADAM).withMaxIter(1000));
        run("deep-lbfgs-logistic", lg, deep.withSolver(SolverType.LBFGS));
        DMatrixRMaj xe = x(1200, 3, 5);
        FitProblem sq = new FitProblem(xe, y(xe, 5, 0)), lo = new FitProblem(xe, y(xe, 5, 1)).withLoss(Loss.of("logistic", 0, 0));
        int[][] depths = {{16, 8}, {12, 8, 6}};
        for (int[] widths : depths) {
            for (FitProblem p : new FitProblem[] {sq, lo}) {
                for (boolean skip : new boolean[] {true, false}) {
                    evaluation("eval" + widths.length + "-" + p.loss().wireName() + (skip ? "-skip" : ""), p, widths, skip,
                        11 + 10L * widths.length + (p == lo ? 2 : 0) + (skip ? 1 : 0));
                }
            }
        }
        double[] we = new double[1200]; for (int i = 0; i < we.length; i++) we[i] = 0.5 + (i % 5) * 0.3;
        evaluation("eval3-squared-skip-w", sq.withSampleWeights(we), depths[1], true, 41);
        // auto with the width not given (the width-free solver: the narrow lbfgs fit, its pricing, the convex phase)
        FitSettings widthFree = FitSettings.defaults(0.05).withMaxIter(3000);
        run("auto3d-widthfree", p3, widthFree);
        run("auto10d-widthfree", p10, widthFree);
    }
}
