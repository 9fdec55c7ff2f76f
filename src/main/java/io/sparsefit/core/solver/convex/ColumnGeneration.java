package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.Atom;
import io.sparsefit.core.convex.GroupLasso;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.linalg.MatrixNorms;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.gradient.TrainingLog;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The width-free {@code convex} solver of the infinite-width problem
 * {@code min_f 1/2 sum ||f(x_n) - y_n||^2 + lambda R-TV(f)} over ReLU atoms {@code relu(u . x - c)},
 * {@code ||u|| = 1}, with the affine part free (theory A6, A7, C2, T7, T8).
 *
 * <p>Column generation (fully corrective conditional gradient). The active atoms' problem is a group lasso
 * (one group of m outputs per atom) on features projected off the affine part, solved to its own certified
 * gap ({@link GroupLasso}). Its residual {@code R}, orthogonal to [1, x], is a dual point; pricing finds the
 * atom maximizing {@code ||R^T relu(X u - c)||} (S of T8). An atom above lambda enters; when none is, the
 * duality gap {@code J - (R.Y - 1/2 ||R||^2)} (R scaled by {@code min(1, lambda / S)}) certifies the fit.
 * Pricing is the fast local search ({@link Pricing#candidates}) every round and the exact sweep (d <= 2) once
 * the local search finds nothing, so an exact certificate closes every converged fit in one and two inputs.
 *
 * <p>Sliding: every {@value #SLIDE_EVERY} rounds, and whenever pricing finds nothing but the gap is still
 * open, the atoms and amplitudes are refined jointly ({@link Sliding}) and the restricted problem is re-solved
 * on the moved hyperplanes; the result is kept only if the restricted objective went down. Atoms that reach
 * zero amplitude leave the active set. Finally {@link Purification} (one output) reduces an optimum to at
 * most {@code N - (d + 1)} atoms without changing the objective (T7).
 *
 * <p>Stops as CONVERGED when {@code gap <= tol * max(1, J)}; {@code hiddenLayers}/width is ignored (the
 * solver chooses the number of neurons). Above lambda_max (S of the affine fit's residual, exact for d <= 2)
 * the answer is the affine fit with zero neurons. Deterministic for a given seed: single-threaded, seeded
 * pricing starts, atoms kept in insertion order.
 */
public final class ColumnGeneration implements Solver {

    static final int SLIDE_EVERY = 5;
    /**
     * Outer rounds at most (fewer if {@code maxIter} says so): each round adds atoms, so this also bounds the
     * active set. One output converges in tens of rounds; several outputs can stall in a slow tail (no exact
     * restricted solve, no merging of same-pattern atoms), which this cuts off.
     */
    static final int MAX_ROUNDS = 200;
    /** Rounds without a relative decrease of {@value #STALL_DECREASE} before the solve stops (MAX_ITERATIONS). */
    static final int STALL_ROUNDS = 25;
    static final double STALL_DECREASE = 1e-11;
    static final int SLIDE_ITERATIONS = 200;
    static final int ATOMS_PER_ROUND = 4;
    /** Rounds in a row without progress (no atom to add and sliding did not help) before giving up. */
    static final int PATIENCE = 3;
    /** An atom enters only if its dual value exceeds lambda by this relative margin (rounding guard). */
    static final double ENTRY_MARGIN = 1e-10;
    /** The restricted problem is solved to this fraction of the outer tolerance (relative gap). */
    static final double INNER_TOLERANCE = 1e-2;
    /** FISTA iterations per restricted solve: warm starts carry the progress from one round to the next. */
    static final int RESTRICTED_ITERATIONS = 2000;
    /** Up to this many rows (two inputs) the exact sweep prices every round, not only to confirm convergence. */
    static final int EXACT_EVERY_ROUND_ROWS = 500;

    private double lambdaMax = Double.NaN;
    private final ShallowNetwork warmStart;

    public ColumnGeneration() {
        this(null);
    }

    /**
     * Starts with the hyperplanes of {@code warmStart} active (a regularization path's previous point, whose
     * active set is a good guess at the next lambda's); atoms that are not needed leave through the restricted
     * solve at zero amplitude, missing ones enter by pricing as usual, so the optimum and its certificate are
     * those of a cold start.
     */
    public ColumnGeneration(ShallowNetwork warmStart) {
        this.warmStart = warmStart;
    }

    /** S of the affine fit's residual (T6 generalized), available after {@link #solve}; NaN before. */
    public double lambdaMax() {
        return lambdaMax;
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        if (settings.regularization() == Regularization.NONE || !(settings.lambda() > 0)) {
            throw new IllegalArgumentException("the convex solver needs a penalty (weight_decay or path_norm) and lambda > 0");
        }
        if (!settings.skip()) {
            throw new IllegalArgumentException("the convex solver needs the skip connection (the affine part is unpenalized)");
        }
        double lambda = settings.lambda();
        if (!problem.plainLeastSquares()) {
            LossColumnGeneration general = new LossColumnGeneration(problem, lambda);
            SolverResult result = general.solve(settings, progress == null ? ProgressListener.NONE : progress, cancel);
            lambdaMax = general.lambdaMax();
            return result;
        }
        DMatrixRMaj x = problem.x();
        int m = problem.outputDim();
        AffineProjection projection = AffineProjection.of(x, true);
        DMatrixRMaj targets = projection.project(problem.y());
        Pricing pricing = new Pricing(x, m, settings.seed()).stopWhen(cancel::isCancelled);
        TrainingLog log = new TrainingLog(progress, 1);
        progress = progress == null ? ProgressListener.NONE : progress;
        ActiveAtoms atoms = new ActiveAtoms(x, m, projection);

        Pricing.Best first = pricing.best(targets, null);
        lambdaMax = first.value();
        if (cancel.isCancelled()) {
            lambdaMax = Double.NaN;   // the pricing stopped early: its value is only a lower bound
            return new SolverResult(atoms.network(problem.y()), StopReason.CANCELLED, 0, log.points());
        }
        double targetSquares = MatrixNorms.inner(targets, targets);
        if (lambda >= lambdaMax) {
            // T6: zero neurons and the least-squares affine fit are optimal; the gap is zero.
            log.record(0, 0.5 * targetSquares, 0.0);
            return new SolverResult(atoms.network(problem.y()), StopReason.CONVERGED,
                    0, log.points());
        }

        if (warmStart != null && warmStart.inputDim() == x.numCols) {
            addWarmAtoms(atoms, warmStart);
        }
        DMatrixRMaj residual = targets.copy();
        double innerTolerance = Math.max(1e-13, INNER_TOLERANCE * settings.tol());
        List<Atom> entering = List.of(first.atom());
        int idle = 0;
        int iteration = 0;
        StopReason reason = StopReason.MAX_ITERATIONS;
        double primal = 0.5 * targetSquares;
        double bestPrimal = primal;
        int stalledRounds = 0;
        log.record(0, primal, 0.0);
        int rounds = Math.min(settings.maxIter(), MAX_ROUNDS);
        while (iteration < rounds) {
            if (cancel.isCancelled()) {
                reason = StopReason.CANCELLED;
                break;
            }
            iteration++;
            int added = 0;
            int cap = 2 * problem.rows() + 10;   // an optimum needs far fewer (T7); this bounds a stalled tail's cost
            for (Atom a : entering) {
                if (atoms.size() < cap && a.value() > lambda * (1 + ENTRY_MARGIN) && !atoms.contains(a)) {
                    atoms.add(a.direction(), a.offset());
                    added++;
                }
            }
            primal = restrictedSolve(atoms, targets, lambda, innerTolerance, residual, cancel);
            if (atoms.mergeSamePattern()) {
                primal = restrictedSolve(atoms, targets, lambda, innerTolerance, residual, cancel);
            }
            if (iteration % SLIDE_EVERY == 0 || added == 0) {
                primal = slide(atoms, problem, targets, lambda, innerTolerance, residual, primal, cancel);
            }
            log.record(iteration, primal - lambda * atoms.pathNorm(), lambda * atoms.pathNorm());
            // Stall guard: rounding (or an inexact restricted solve) can stop progress above the tolerance.
            if (primal < bestPrimal * (1 - STALL_DECREASE)) {
                bestPrimal = primal;
                stalledRounds = 0;
            } else if (++stalledRounds >= STALL_ROUNDS) {
                break;
            }

            List<Atom> found = pricing.candidates(residual, atoms.directionMatrix(), lambda * (1 + ENTRY_MARGIN),
                    m == 1 ? ATOMS_PER_ROUND : 1);
            if (cancel.isCancelled()) {
                reason = StopReason.CANCELLED;   // the pricing stopped early: its atoms and value are not to be trusted
                break;
            }
            Atom best = found.isEmpty() ? null : found.get(0);
            double local = best == null ? 0.0 : best.value();
            // Atoms already active can price at lambda plus the restricted solve's slack: only new ones enter.
            List<Atom> candidates = new java.util.ArrayList<>();
            for (Atom a : found) {
                if (a.value() > lambda * (1 + ENTRY_MARGIN) && !atoms.contains(a)) {
                    candidates.add(a);
                }
            }
            double target = settings.tol() * Math.max(1.0, primal);
            // The local value can only underestimate S, so its gap is optimistic: confirm with the exact sweep.
            // Small problems afford the exact sweep every round: it finds atoms in cells the local search misses.
            boolean exactEveryRound = pricing.exact() && problem.rows() <= EXACT_EVERY_ROUND_ROWS;
            double estimatedGap = primal - dual(residual, targets, lambda, local);
            if (exactEveryRound || candidates.isEmpty() || estimatedGap <= target) {
                Pricing.Best refined = pricing.refine(residual, best);
                if (cancel.isCancelled()) {
                    reason = StopReason.CANCELLED;
                    break;
                }
                double s = refined.value();
                double gap = primal - dual(residual, targets, lambda, s);
                progress.onGap(iteration, Math.max(0.0, gap));
                if (gap <= target) {
                    reason = StopReason.CONVERGED;
                    break;
                }
                if (s > lambda * (1 + ENTRY_MARGIN) && (!atoms.contains(refined.atom()) || !candidates.isEmpty())) {
                    entering = new java.util.ArrayList<>(candidates);
                    if (!atoms.contains(refined.atom())) {
                        entering.add(0, refined.atom());
                    }
                    idle = 0;
                    continue;
                }
                idle++;
                if (idle >= PATIENCE) {
                    // Nothing prices out and sliding no longer moves, but the gap is above the tolerance.
                    break;
                }
                entering = List.of();
                continue;
            }
            progress.onGap(iteration, Math.max(0.0, estimatedGap)); // local pricing: a lower estimate of the gap
            idle = 0;
            entering = candidates;
        }
        atoms.dropZeros();
        if (m == 1 && reason != StopReason.CANCELLED) {
            Purification.reduce(atoms, x.numRows - (x.numCols + 1));
        }
        ShallowNetwork network = atoms.network(problem.y());
        return new SolverResult(network, reason, iteration, log.points());
    }

    /** The hyperplanes {@code relu(u . x - c)}, {@code u = w/||w||, c = b/||w||}, of the warm start's neurons. */
    private static void addWarmAtoms(ActiveAtoms atoms, ShallowNetwork warm) {
        int d = warm.inputDim();
        for (int k = 0; k < warm.width(); k++) {
            double norm = warm.inputNorm(k);
            if (!(norm > 0) || !(warm.outputNorm(k) > 0)) {
                continue;
            }
            double[] u = new double[d];
            for (int j = 0; j < d; j++) {
                u[j] = warm.inputWeights().data[k * d + j] / norm;
            }
            atoms.add(u, warm.bias()[k] / norm);
        }
    }

    /** Re-solves the amplitudes on the active atoms (warm start), drops zeros; returns J, fills the residual. */
    private static double restrictedSolve(ActiveAtoms atoms, DMatrixRMaj targets, double lambda, double tolerance,
                                          DMatrixRMaj residual, CancellationToken cancel) {
        if (atoms.size() == 0) {
            residual.setTo(targets);
            return 0.5 * MatrixNorms.inner(targets, targets);
        }
        GroupLasso lasso = new GroupLasso(atoms.projectedFeatures(), targets, lambda, tolerance, RESTRICTED_ITERATIONS)
                .stopWhen(cancel::isCancelled);
        GroupLasso.Outcome solved = lasso.solve(java.util.Arrays.copyOf(atoms.amplitudes(), atoms.size() * targets.numCols));
        if (solved != null) {
            atoms.setAmplitudes(solved.amplitudes());
        }
        atoms.dropZeros();
        atoms.residual(targets, residual);
        return 0.5 * MatrixNorms.inner(residual, residual) + lambda * atoms.pathNorm();
    }

    /** Sliding, then the restricted re-solve on the moved atoms; kept only if J went down. */
    private static double slide(ActiveAtoms atoms, FitProblem problem, DMatrixRMaj targets, double lambda, double tolerance,
                                DMatrixRMaj residual, double primal, CancellationToken cancel) {
        if (atoms.size() == 0) {
            return primal;
        }
        int d = problem.inputDim();
        int m = problem.outputDim();
        double[] keptDirections = java.util.Arrays.copyOf(atoms.directions(), atoms.size() * d);
        double[] keptOffsets = java.util.Arrays.copyOf(atoms.offsets(), atoms.size());
        double[] keptAmplitudes = java.util.Arrays.copyOf(atoms.amplitudes(), atoms.size() * m);
        int keptSize = atoms.size();

        ShallowNetwork moved = Sliding.refine(atoms.network(problem.y()), problem, lambda, SLIDE_ITERATIONS, cancel);
        int k = 0;
        double[] dirs = new double[moved.width() * d];
        double[] offs = new double[moved.width()];
        double[] amps = new double[moved.width() * m];
        for (int q = 0; q < moved.width(); q++) {
            double nw = moved.inputNorm(q);
            if (!(nw > 0) || moved.outputNorm(q) == 0) {
                continue;
            }
            offs[k] = moved.unitNormal(q, dirs, k * d, amps, k * m);
            k++;
        }
        atoms.replace(dirs, offs, amps, k);
        double after = restrictedSolve(atoms, targets, lambda, tolerance, residual, cancel);
        if (atoms.mergeSamePattern()) {
            after = restrictedSolve(atoms, targets, lambda, tolerance, residual, cancel);
        }
        if (after < primal) {
            return after;
        }
        atoms.replace(keptDirections, keptOffsets, keptAmplitudes, keptSize);
        atoms.residual(targets, residual);
        return primal;
    }

    /** {@code t.Y - 1/2 ||t||^2} with {@code t = min(1, lambda / s) R} (T8), R and Y projected. */
    static double dual(DMatrixRMaj residual, DMatrixRMaj targets, double lambda, double s) {
        double scale = s > lambda ? lambda / s : 1.0;
        double cross = 0;
        double sq = 0;
        for (int i = 0; i < residual.getNumElements(); i++) {
            double t = scale * residual.data[i];
            cross += t * targets.data[i];
            sq += t * t;
        }
        return cross - 0.5 * sq;
    }
}
