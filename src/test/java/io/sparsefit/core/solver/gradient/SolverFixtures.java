package io.sparsefit.core.solver.gradient;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.SolverType;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/** Shared problems and helpers for the gradient-solver tests. */
public final class SolverFixtures {

    private SolverFixtures() {
    }

    /** 25 sorted points in [0, 1], {@code y = sin(2 pi x)} plus uniform noise of width 0.1. */
    public static double[] sineX() {
        SplittableRandom random = new SplittableRandom(42);
        double[] x = new double[25];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextDouble();
        }
        java.util.Arrays.sort(x);
        return x;
    }

    public static double[] sineY(double[] x) {
        SplittableRandom random = new SplittableRandom(43);
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.sin(2 * Math.PI * x[i]) + 0.1 * (random.nextDouble() - 0.5);
        }
        return y;
    }

    /**
     * N points uniform in the square [-1, 1]^2, targets from a planted network of 3 neurons plus an affine
     * part and uniform noise of width 0.02.
     */
    public static FitProblem planted2D(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj x = new DMatrixRMaj(n, 2);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        double[][] w = {{1, 0}, {0.6, 0.8}, {-0.8, 0.6}};
        double[] b = {0.2, -0.3, 0.1};
        double[] v = {2, -1.5, 1};
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 2 * random.nextDouble() - 1);
            x.set(i, 1, 2 * random.nextDouble() - 1);
            double f = 0.3 * x.get(i, 0) - 0.1;
            for (int k = 0; k < 3; k++) {
                f += v[k] * Math.max(0, w[k][0] * x.get(i, 0) + w[k][1] * x.get(i, 1) - b[k]);
            }
            y.set(i, 0, f + 0.02 * (random.nextDouble() - 0.5));
        }
        return new FitProblem(x, y);
    }

    /** A random problem with d inputs and m outputs. */
    public static FitProblem random(int n, int d, int m, long seed) {
        return new FitProblem(io.sparsefit.core.network.RandomNetworks.matrix(n, d, seed),
                io.sparsefit.core.network.RandomNetworks.matrix(n, m, seed + 1));
    }

    public static FitSettings settings(SolverType solver, double lambda) {
        return FitSettings.defaults(lambda).withSolver(solver);
    }

    /** The objective with the path norm: what a balanced (finished) network reports for both penalties (A3, A4). */
    public static double pathNormObjective(ShallowNetwork net, FitProblem problem, double lambda) {
        DMatrixRMaj prediction = net.predict(problem.x(), null);
        double s = 0;
        for (int i = 0; i < prediction.getNumElements(); i++) {
            double r = prediction.data[i] - problem.y().data[i];
            s += r * r;
        }
        return 0.5 * s + lambda * PathNorm.of(net);
    }

    public static double[] parameters(ShallowNetwork net) {
        double[] theta = new double[net.parameterCount()];
        net.getParameters(theta);
        return theta;
    }

    /** False for the first {@code calls} calls, true afterwards; counts the calls. */
    public static final class CancelAfter implements CancellationToken {
        private final int calls;
        private int count;

        public CancelAfter(int calls) {
            this.calls = calls;
        }

        @Override
        public boolean isCancelled() {
            return ++count > calls;
        }

        public int count() {
            return count;
        }
    }
}
