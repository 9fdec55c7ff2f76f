package io.sparsefit.core.solver;

import io.sparsefit.core.penalty.Regularization;

/**
 * Everything that determines a fit besides the data. The same problem, settings and seed give a bit-identical
 * network (every solver is single-threaded and draws from {@code seed} only). Options that belong to one solver live
 * in that solver's record, so that adding one touches one record.
 *
 * @param regularization the penalty R of theory A2
 * @param lambda         regularization strength, {@code >= 0}
 * @param solver         which algorithm
 * @param architecture   the network the gradient solvers train
 * @param stopping       iteration limit and tolerance
 * @param seed           seed of every random choice (initialization, mini-batches, sampled certificates)
 * @param logEvery       record a loss-curve point (and call the progress listener) every this many iterations
 * @param adam           options of {@code adam}
 * @param exact          options of the exact 1-D solver
 */
public record FitSettings(
        Regularization regularization,
        double lambda,
        SolverType solver,
        Architecture architecture,
        Stopping stopping,
        long seed,
        int logEvery,
        AdamOptions adam,
        ExactOptions exact) {

    public static final int DEFAULT_WIDTH = 64;
    public static final int DEFAULT_MAX_ITER = 20000;
    public static final double DEFAULT_TOL = 1e-9;
    public static final int DEFAULT_LOG_EVERY = 10;

    public FitSettings {
        if (regularization == null || solver == null || architecture == null || stopping == null || adam == null
                || exact == null) {
            throw new IllegalArgumentException("regularization, solver, architecture, stopping and the options are required");
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new IllegalArgumentException("lambda must be finite and >= 0, got " + lambda);
        }
        if (logEvery < 1) {
            throw new IllegalArgumentException("logEvery must be >= 1");
        }
    }

    /**
     * Weight decay with the given lambda, {@code auto} solver, every other setting at its default: one hidden layer
     * starting at {@link #DEFAULT_WIDTH} neurons, not a cap ({@link Architecture#startingWidth}; {@link #withWidth}
     * gives one).
     */
    public static FitSettings defaults(double lambda) {
        return new FitSettings(Regularization.WEIGHT_DECAY, lambda, SolverType.AUTO, Architecture.startingWidth(DEFAULT_WIDTH, true),
                new Stopping(DEFAULT_MAX_ITER, DEFAULT_TOL), 0L, DEFAULT_LOG_EVERY, AdamOptions.DEFAULTS, ExactOptions.DEFAULTS);
    }

    /** Width of the first hidden layer: the width of a shallow network. */
    public int width() {
        return architecture.width();
    }

    public boolean skip() {
        return architecture.skip();
    }

    public int maxIter() {
        return stopping.maxIter();
    }

    public double tol() {
        return stopping.tol();
    }

    public FitSettings withRegularization(Regularization r) {
        return new FitSettings(r, lambda, solver, architecture, stopping, seed, logEvery, adam, exact);
    }

    public FitSettings withLambda(double l) {
        return new FitSettings(regularization, l, solver, architecture, stopping, seed, logEvery, adam, exact);
    }

    public FitSettings withSolver(SolverType s) {
        return new FitSettings(regularization, lambda, s, architecture, stopping, seed, logEvery, adam, exact);
    }

    public FitSettings withArchitecture(Architecture a) {
        return new FitSettings(regularization, lambda, solver, a, stopping, seed, logEvery, adam, exact);
    }

    public FitSettings withStopping(Stopping s) {
        return new FitSettings(regularization, lambda, solver, architecture, s, seed, logEvery, adam, exact);
    }

    public FitSettings withSeed(long s) {
        return new FitSettings(regularization, lambda, solver, architecture, stopping, s, logEvery, adam, exact);
    }

    public FitSettings withLogEvery(int n) {
        return new FitSettings(regularization, lambda, solver, architecture, stopping, seed, n, adam, exact);
    }

    public FitSettings withAdam(AdamOptions a) {
        return new FitSettings(regularization, lambda, solver, architecture, stopping, seed, logEvery, a, exact);
    }

    public FitSettings withExact(ExactOptions e) {
        return new FitSettings(regularization, lambda, solver, architecture, stopping, seed, logEvery, adam, e);
    }

    // One-line shorthands for the settings tests and callers vary most; each edits one group.

    public FitSettings withWidth(int w) {
        return withArchitecture(architecture.withWidth(w));
    }

    public FitSettings withSkip(boolean s) {
        return withArchitecture(architecture.withSkip(s));
    }

    public FitSettings withMaxIter(int n) {
        return withStopping(new Stopping(n, stopping.tol()));
    }

    public FitSettings withTol(double t) {
        return withStopping(new Stopping(stopping.maxIter(), t));
    }
}
