package io.sparsefit.core.solver;

import io.sparsefit.core.penalty.Regularization;

/**
 * Everything that determines a fit besides the data. The same problem, settings and seed give a
 * bit-identical network (every solver is single-threaded and draws from {@code seed} only).
 *
 * @param regularization the penalty R of theory A2
 * @param lambda         regularization strength, {@code >= 0}
 * @param solver         which algorithm
 * @param width          hidden neurons K for the gradient solvers; the exact solver picks its own
 * @param skip           whether the unpenalized affine part {@code C x} is trained (A1); {@code c0} always is
 * @param maxIter        iteration limit
 * @param tol            stopping tolerance; the exact solver stops on a duality gap below {@code tol * max(1, objective)} (T8)
 * @param seed           seed of every random choice (initialization, mini-batches, sampled certificates)
 * @param learningRate   step size for {@code adam}; {@code 0} lets the solver choose
 * @param batchSize      mini-batch size for {@code adam}; {@code 0} means full batch
 * @param sparsest       for the exact 1-D solver: return the sparsest optimal spline (T5) instead of the canonical one
 * @param logEvery       record a loss-curve point (and call the progress listener) every this many iterations
 */
public record FitSettings(
        Regularization regularization,
        double lambda,
        SolverType solver,
        int width,
        boolean skip,
        int maxIter,
        double tol,
        long seed,
        double learningRate,
        int batchSize,
        boolean sparsest,
        int logEvery) {

    public static final int DEFAULT_WIDTH = 64;
    public static final int DEFAULT_MAX_ITER = 20000;
    public static final double DEFAULT_TOL = 1e-9;
    public static final int DEFAULT_LOG_EVERY = 10;

    public FitSettings {
        if (regularization == null || solver == null) {
            throw new IllegalArgumentException("regularization and solver are required");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (width < 0 || maxIter < 0 || batchSize < 0 || logEvery < 1) {
            throw new IllegalArgumentException("width, maxIter, batchSize must be >= 0 and logEvery >= 1");
        }
        if (!(tol > 0) || !(learningRate >= 0)) {
            throw new IllegalArgumentException("tol must be > 0 and learningRate >= 0");
        }
    }

    /** Weight decay with the given lambda, {@code auto} solver, every other setting at its default. */
    public static FitSettings defaults(double lambda) {
        return new FitSettings(Regularization.WEIGHT_DECAY, lambda, SolverType.AUTO, DEFAULT_WIDTH, true,
                DEFAULT_MAX_ITER, DEFAULT_TOL, 0L, 0.0, 0, false, DEFAULT_LOG_EVERY);
    }

    public FitSettings withRegularization(Regularization r) {
        return new FitSettings(r, lambda, solver, width, skip, maxIter, tol, seed, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withLambda(double l) {
        return new FitSettings(regularization, l, solver, width, skip, maxIter, tol, seed, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withSolver(SolverType s) {
        return new FitSettings(regularization, lambda, s, width, skip, maxIter, tol, seed, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withWidth(int w) {
        return new FitSettings(regularization, lambda, solver, w, skip, maxIter, tol, seed, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withSkip(boolean s) {
        return new FitSettings(regularization, lambda, solver, width, s, maxIter, tol, seed, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withMaxIter(int n) {
        return new FitSettings(regularization, lambda, solver, width, skip, n, tol, seed, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withTol(double t) {
        return new FitSettings(regularization, lambda, solver, width, skip, maxIter, t, seed, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withSeed(long s) {
        return new FitSettings(regularization, lambda, solver, width, skip, maxIter, tol, s, learningRate, batchSize, sparsest, logEvery);
    }

    public FitSettings withLearningRate(double r) {
        return new FitSettings(regularization, lambda, solver, width, skip, maxIter, tol, seed, r, batchSize, sparsest, logEvery);
    }

    public FitSettings withBatchSize(int b) {
        return new FitSettings(regularization, lambda, solver, width, skip, maxIter, tol, seed, learningRate, b, sparsest, logEvery);
    }

    public FitSettings withSparsest(boolean s) {
        return new FitSettings(regularization, lambda, solver, width, skip, maxIter, tol, seed, learningRate, batchSize, s, logEvery);
    }

    public FitSettings withLogEvery(int n) {
        return new FitSettings(regularization, lambda, solver, width, skip, maxIter, tol, seed, learningRate, batchSize, sparsest, n);
    }
}
