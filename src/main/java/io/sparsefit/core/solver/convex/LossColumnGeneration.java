package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.AffineProjection;
import io.sparsefit.core.convex.Atom;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.AffineRefit;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.StopReason;
import io.sparsefit.core.solver.gradient.TrainingLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * The {@code convex} solver for a loss other than plain least squares, or with sample weights (theory A2b, C2, T8):
 * column generation over ReLU atoms {@code relu(u . x - c)}, {@code ||u|| = 1}. The restricted problem over the
 * active atoms is a group lasso with that loss,
 * {@code min sum_n w_n loss(H A + 1 c0^T + X C^T) + lambda sum_k ||A_k|| (+ lambda/2 ||C||^2 for classification)},
 * solved by FISTA with backtracking and restart on an increase (the smooth part's gradient is the loss's
 * {@code dloss/df}, the prox a group soft-thresholding). Pricing is the oracle of T8 applied to the loss's dual point
 * {@code g = -w dloss/df} (exact in 1-D and 2-D, for a classification loss over the full circle of directions), and the certificate is
 * {@link FenchelDual}'s gap; an atom above lambda enters, and the solve stops when the gap is below
 * {@code tol * max(1, J)}. Simpler than the squared-loss path ({@link ColumnGeneration}): no sliding; for one
 * output the final point is purified ({@link Purification}) to at most {@code N - (d + 1)} atoms, {@code N - 1} for a
 * classification loss. Deterministic: single-threaded, fixed orders, seeded pricing.
 */
final class LossColumnGeneration {

    static final int MAX_ROUNDS = 200;
    static final int RESTRICTED_ITERATIONS = 20000;
    /** The restricted gap is checked this often (it allocates a dual point). */
    static final int GAP_EVERY = 25;
    static final double ENTRY_MARGIN = 1e-10;

    private final FitProblem problem;
    private final Loss loss;
    private final double lambda;
    private final double decay;
    private final int n;
    private final int d;
    private final int m;
    private final List<Atom> atoms = new ArrayList<>();
    private double[] features = new double[0];   // N x K, row-major
    private final double[] out;                  // N x m: the outputs of the last outputs() call
    private double lambdaMax = Double.NaN;

    LossColumnGeneration(FitProblem problem, double lambda) {
        this.problem = problem;
        this.loss = problem.loss();
        this.lambda = lambda;
        this.decay = loss.classification() ? lambda : 0.0;
        this.n = problem.rows();
        this.d = problem.inputDim();
        this.m = problem.outputDim();
        this.out = new double[n * m];
    }

    double lambdaMax() {
        return lambdaMax;
    }

    SolverResult solve(FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        TrainingLog log = new TrainingLog(progress, 1);
        Pricing pricing = new Pricing(problem.x(), m, settings.seed());
        boolean constantsOnly = loss.classification();
        // theta = [A (K x m) | c0 (m) | C (m x d)], starting at the best affine fit
        ShallowNetwork affine = new ShallowNetwork(d, m, 0, true);
        AffineRefit.refit(affine, problem, lambda);
        double[] theta = new double[m + m * d];
        System.arraycopy(affine.skipBias(), 0, theta, 0, m);
        System.arraycopy(affine.skipWeights().data, 0, theta, m, m * d);
        double tol = settings.tol();
        StopReason reason = StopReason.MAX_ITERATIONS;
        int round = 0;
        double restrictedTolerance = 0.1 * tol;
        for (; round < Math.min(MAX_ROUNDS, settings.maxIter()); round++) {
            if (cancel.isCancelled()) {
                reason = StopReason.CANCELLED;
                break;
            }
            if (round > 0) {
                theta = restricted(theta, restrictedTolerance, cancel);
                newton(theta);
                double[] merged = m == 1 ? mergeSamePattern(theta) : null;
                if (merged != null) {
                    theta = restricted(merged, restrictedTolerance, cancel);
                    newton(theta);
                }
            }
            double[] outputs = outputs(theta);
            double dataFit = loss.value(outputs, problem.y().data, problem.sampleWeights(), n, m);
            double penalty = penalty(theta);
            double primal = dataFit + penalty;
            log.record(round, dataFit, penalty);
            Pricing.Best[] found = new Pricing.Best[1];
            FenchelDual.Bound bound = FenchelDual.at(problem, new DMatrixRMaj(n, m, true, outputs), lambda, true, g -> {
                found[0] = pricing.best(g, directions(), constantsOnly);
                return found[0];
            });
            if (round == 0) {
                lambdaMax = found[0].value();
            }
            double gap = primal - bound.value();
            progress.onGap(round, Math.max(0.0, gap));
            if (gap <= tol * Math.max(1.0, Math.abs(primal))) {
                reason = StopReason.CONVERGED;
                break;
            }
            Atom best = found[0].atom();
            if (best != null && best.value() > lambda * (1 + ENTRY_MARGIN) && !active(best)) {
                theta = add(best, theta);
            } else if (restrictedTolerance > 1e-6 * tol) {
                restrictedTolerance *= 0.01;   // the active set is right; the restricted solve is not accurate enough
            } else {
                break;
            }
        }
        if (m == 1 && reason != StopReason.CANCELLED && !atoms.isEmpty()) {
            theta = purify(theta);
        }
        return new SolverResult(network(theta), reason, round, log.points());
    }

    /**
     * One output: active atoms with the same activation pattern on the data and the same amplitude sign are one atom
     * in disguise (as in {@link ActiveAtoms#mergeSamePattern}, the cone of C2 for that pattern): merged into
     * {@code u = w / ||w||}, {@code c = beta / ||w||} with {@code w = sum |a_k| u_k}, {@code beta = sum |a_k| c_k}, the
     * outputs stay and the penalty drops to {@code ||w|| <= sum |a_k|}. This moves an atom inside its cell, which
     * pricing alone cannot: its atoms are anchored at data points, the optimum's need not be. Returns the merged theta
     * (atoms and features changed with it), or null when no two atoms share a pattern.
     */
    private double[] mergeSamePattern(double[] theta) {
        int k = atoms.size();
        java.util.Map<java.util.BitSet, Integer> first = new java.util.HashMap<>();
        double[] next = theta.clone();
        boolean merged = false;
        for (int q = 0; q < k; q++) {
            double a = next[q];
            if (a == 0) {
                continue;
            }
            java.util.BitSet pattern = new java.util.BitSet(n + 1);
            for (int r = 0; r < n; r++) {
                if (features[r * k + q] > 0) {
                    pattern.set(r);
                }
            }
            if (a < 0) {
                pattern.set(n);
            }
            Integer into = first.putIfAbsent(pattern, q);
            if (into == null) {
                continue;
            }
            int t = into;
            Atom at = atoms.get(t);
            Atom aq = atoms.get(q);
            double wt = Math.abs(next[t]);
            double wq = Math.abs(a);
            double[] w = new double[d];
            double norm = 0;
            for (int j = 0; j < d; j++) {
                w[j] = wt * at.direction()[j] + wq * aq.direction()[j];
                norm += w[j] * w[j];
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0)) {
                continue;
            }
            for (int j = 0; j < d; j++) {
                w[j] /= norm;
            }
            double offset = (wt * at.offset() + wq * aq.offset()) / norm;
            atoms.set(t, new Atom(w, offset, 0.0));
            double[] x = problem.x().data;
            for (int r = 0; r < n; r++) {
                double z = -offset;
                for (int j = 0; j < d; j++) {
                    z += w[j] * x[r * d + j];
                }
                features[r * k + t] = Math.max(0.0, z);
            }
            next[t] = Math.signum(a) * norm;
            next[q] = 0.0;
            merged = true;
        }
        return merged ? withoutZeros(next) : null;
    }

    /**
     * Purification (theory T7, C2) of the final point for one output: at most {@code N - (d + 1)} atoms where the
     * affine part is free, {@code N - 1} where only the intercept is (a classification loss); the fitted values and
     * the objective stay. Returns the reduced theta; the atoms and features are reduced with it.
     */
    private double[] purify(double[] start) {
        boolean constantsOnly = loss.classification();
        AffineProjection projection = AffineProjection.of(problem.x(), !constantsOnly);
        double[][] theta = {start.clone()};
        Purification.reduce(new Purification.Atoms() {
            @Override
            public int size() {
                return atoms.size();
            }

            @Override
            public DMatrixRMaj projectedFeatures() {
                int k = atoms.size();
                return projection.project(new DMatrixRMaj(n, k, true, Arrays.copyOf(features, n * k)));
            }

            @Override
            public double[] amplitudes() {
                return Arrays.copyOf(theta[0], atoms.size());
            }

            @Override
            public void setAmplitudes(double[] a) {
                theta[0] = withAmplitudes(theta[0], a, constantsOnly);
            }

            @Override
            public void dropZeros() {
                theta[0] = withoutZeros(theta[0]);
            }
        }, constantsOnly ? n - 1 : n - (d + 1));
        return theta[0];
    }

    /**
     * theta with the amplitudes {@code a} (one output) and the unpenalized part moved so that the outputs stay: the
     * change {@code H (a - A)} lies in its span (purification moves along null vectors of the projected features), and
     * its least-squares coefficients on {@code [1]} or {@code [1, X]} are subtracted from {@code c0} (and {@code C}).
     */
    private double[] withAmplitudes(double[] theta, double[] a, boolean constantsOnly) {
        int k = atoms.size();
        double[] next = theta.clone();
        DMatrixRMaj change = new DMatrixRMaj(n, 1);
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int q = 0; q < k; q++) {
                s += features[r * k + q] * (a[q] - theta[q]);
            }
            change.data[r] = s;
        }
        int cols = constantsOnly ? 1 : d + 1;
        DMatrixRMaj basis = new DMatrixRMaj(n, cols);
        for (int r = 0; r < n; r++) {
            basis.set(r, 0, 1.0);
            for (int j = 1; j < cols; j++) {
                basis.set(r, j, problem.x().get(r, j - 1));
            }
        }
        org.ejml.interfaces.linsol.LinearSolverDense<DMatrixRMaj> ls =
                org.ejml.dense.row.factory.LinearSolverFactory_DDRM.leastSquares(n, cols);
        DMatrixRMaj beta = new DMatrixRMaj(cols, 1);
        if (!ls.setA(basis)) {
            return theta;
        }
        ls.solve(change, beta);
        System.arraycopy(a, 0, next, 0, k);
        next[k] -= beta.data[0];
        for (int j = 1; j < cols; j++) {
            next[k + j] -= beta.data[j];
        }
        return next;
    }

    /** theta without the atoms of zero amplitude (one output); the atoms and features are reduced with it. */
    private double[] withoutZeros(double[] theta) {
        int k = atoms.size();
        List<Atom> kept = new ArrayList<>();
        int[] index = new int[k];
        for (int q = 0; q < k; q++) {
            if (theta[q] != 0) {
                index[kept.size()] = q;
                kept.add(atoms.get(q));
            }
        }
        int kk = kept.size();
        double[] reduced = new double[n * kk];
        for (int r = 0; r < n; r++) {
            for (int q = 0; q < kk; q++) {
                reduced[r * kk + q] = features[r * k + index[q]];
            }
        }
        double[] next = new double[theta.length - (k - kk)];
        for (int q = 0; q < kk; q++) {
            next[q] = theta[index[q]];
        }
        System.arraycopy(theta, k, next, kk, theta.length - k);
        atoms.clear();
        atoms.addAll(kept);
        features = reduced;
        return next;
    }

    /**
     * Newton's method on the restricted problem with the active set that FISTA found fixed (theta modified): on the
     * non-zero groups the group norm is smooth, so the objective is a smooth convex function of the non-zero
     * amplitudes and the affine part. FISTA gets the objective right long before the amplitudes (atoms near the edge
     * of the data are nearly affine, so the problem is ill-conditioned), and the certificate needs the point itself
     * stationary; each step is damped (Levenberg) and accepted only if it lowers the objective.
     */
    private void newton(double[] theta) {
        int k = atoms.size();
        int[] active = java.util.stream.IntStream.range(0, k).filter(q -> groupNorm(theta, q) > 0).toArray();
        int cols = active.length + 1 + d;          // per output: the active atoms, 1, x
        int p = cols * m;
        double[] x = problem.x().data;
        double[] w = problem.sampleWeights();
        double[] phi = new double[cols];
        double[] h = new double[m * m];
        double[] work = new double[n * m];
        double[] trial = theta.clone();
        double damping = 1e-12;
        double current = objective(theta);
        for (int step = 0; step < 30; step++) {
            double[] f = outputs(theta);
            loss.gradient(f, 0, problem.y().data, 0, w, 0, n, m, 1.0, work, 0);
            DMatrixRMaj hessian = new DMatrixRMaj(p, p);
            DMatrixRMaj gradient = new DMatrixRMaj(p, 1);
            for (int r = 0; r < n; r++) {
                for (int a = 0; a < active.length; a++) {
                    phi[a] = features[r * k + active[a]];
                }
                phi[active.length] = 1.0;
                for (int j = 0; j < d; j++) {
                    phi[active.length + 1 + j] = x[r * d + j];
                }
                double wr = w == null ? 1.0 : w[r];
                loss.hessian(f, r * m, problem.y().data, r * problem.targetDim(), m, h);
                for (int a = 0; a < cols; a++) {
                    for (int i = 0; i < m; i++) {
                        gradient.data[a * m + i] += phi[a] * work[r * m + i];
                        for (int b = 0; b < cols; b++) {
                            double ab = wr * phi[a] * phi[b];
                            for (int c = 0; c < m; c++) {
                                hessian.data[(a * m + i) * p + b * m + c] += ab * h[i * m + c];
                            }
                        }
                    }
                }
            }
            for (int a = 0; a < active.length; a++) {
                int q = active[a];
                double norm = groupNorm(theta, q);
                for (int i = 0; i < m; i++) {
                    gradient.data[a * m + i] += lambda * theta[q * m + i] / norm;
                    for (int c = 0; c < m; c++) {
                        hessian.data[(a * m + i) * p + a * m + c] += lambda * ((i == c ? 1.0 : 0.0) / norm
                                - theta[q * m + i] * theta[q * m + c] / (norm * norm * norm));
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                for (int i = 0; i < m; i++) {
                    int at = (active.length + 1 + j) * m + i;   // C[i][j] in the Newton layout
                    gradient.data[at] += decay * theta[(k + 1) * m + i * d + j];
                    hessian.data[at * p + at] += decay;
                }
            }
            double scale = 0;
            for (int i = 0; i < p; i++) {
                scale = Math.max(scale, hessian.data[i * p + i]);
            }
            boolean improved = false;
            for (int attempt = 0; attempt < 20 && !improved; attempt++) {
                DMatrixRMaj damped = hessian.copy();
                for (int i = 0; i < p; i++) {
                    damped.data[i * p + i] += damping * scale;
                }
                DMatrixRMaj delta = new DMatrixRMaj(p, 1);
                if (!org.ejml.dense.row.CommonOps_DDRM.solve(damped, gradient, delta)) {
                    damping *= 10;
                    continue;
                }
                System.arraycopy(theta, 0, trial, 0, theta.length);
                for (int a = 0; a < cols; a++) {
                    for (int i = 0; i < m; i++) {
                        int at = a < active.length ? active[a] * m + i        // amplitude
                                : a == active.length ? k * m + i               // c0
                                : (k + 1) * m + i * d + (a - active.length - 1);   // C[i][j]
                        trial[at] -= delta.data[a * m + i];
                    }
                }
                double value = objective(trial);
                if (value < current) {
                    System.arraycopy(trial, 0, theta, 0, theta.length);
                    current = value;
                    improved = true;
                    damping = Math.max(1e-12, damping / 10);
                } else {
                    damping *= 10;
                }
            }
            if (!improved) {
                return;
            }
        }
    }

    private double objective(double[] theta) {
        return loss.value(outputs(theta), problem.y().data, problem.sampleWeights(), n, m) + penalty(theta);
    }

    private DMatrixRMaj directions() {
        DMatrixRMaj dirs = new DMatrixRMaj(atoms.size(), d);
        for (int k = 0; k < atoms.size(); k++) {
            System.arraycopy(atoms.get(k).direction(), 0, dirs.data, k * d, d);
        }
        return atoms.isEmpty() ? null : dirs;
    }

    private boolean active(Atom a) {
        for (Atom b : atoms) {
            if (b.offset() == a.offset() && Arrays.equals(b.direction(), a.direction())) {
                return true;
            }
        }
        return false;
    }

    /** Adds an atom with zero amplitude: one more feature column, one more row of A in theta. */
    private double[] add(Atom atom, double[] theta) {
        int k = atoms.size();
        atoms.add(atom);
        double[] grown = new double[n * (k + 1)];
        double[] x = problem.x().data;
        for (int r = 0; r < n; r++) {
            System.arraycopy(features, r * k, grown, r * (k + 1), k);
            double z = -atom.offset();
            for (int j = 0; j < d; j++) {
                z += atom.direction()[j] * x[r * d + j];
            }
            grown[r * (k + 1) + k] = Math.max(0.0, z);
        }
        features = grown;
        double[] out = new double[theta.length + m];
        System.arraycopy(theta, 0, out, 0, k * m);
        System.arraycopy(theta, k * m, out, (k + 1) * m, theta.length - k * m);
        return out;
    }

    /** {@code F = H A + 1 c0^T + X C^T}, N x m, into the work buffer {@code out} (overwritten at the next call). */
    private double[] outputs(double[] theta) {
        int k = atoms.size();
        double[] x = problem.x().data;
        double[] f = out;
        int o0 = k * m;
        int oc = o0 + m;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < m; i++) {
                double s = theta[o0 + i];
                for (int q = 0; q < k; q++) {
                    s += features[r * k + q] * theta[q * m + i];
                }
                for (int j = 0; j < d; j++) {
                    s += theta[oc + i * d + j] * x[r * d + j];
                }
                f[r * m + i] = s;
            }
        }
        return f;
    }

    /** {@code lambda sum_k ||A_k||} plus the skip decay. */
    private double penalty(double[] theta) {
        int k = atoms.size();
        double groups = 0;
        for (int q = 0; q < k; q++) {
            groups += groupNorm(theta, q);
        }
        double c = 0;
        for (int i = (k + 1) * m; i < theta.length; i++) {
            c += theta[i] * theta[i];
        }
        return lambda * groups + 0.5 * decay * c;
    }

    private double groupNorm(double[] theta, int q) {
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += theta[q * m + i] * theta[q * m + i];
        }
        return Math.sqrt(s);
    }

    /** The smooth part (loss and skip decay) at theta; its gradient into {@code grad} (modified). */
    private double smooth(double[] theta, double[] grad, double[] work) {
        int k = atoms.size();
        double[] f = outputs(theta);
        double value = loss.gradient(f, 0, problem.y().data, 0, problem.sampleWeights(), 0, n, m, 1.0, work, 0);
        Arrays.fill(grad, 0.0);
        double[] x = problem.x().data;
        int o0 = k * m;
        int oc = o0 + m;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < m; i++) {
                double g = work[r * m + i];
                for (int q = 0; q < k; q++) {
                    grad[q * m + i] += features[r * k + q] * g;
                }
                grad[o0 + i] += g;
                for (int j = 0; j < d; j++) {
                    grad[oc + i * d + j] += g * x[r * d + j];
                }
            }
        }
        double c = 0;
        for (int i = oc; i < theta.length; i++) {
            grad[i] += decay * theta[i];
            c += theta[i] * theta[i];
        }
        return value + 0.5 * decay * c;
    }

    /** Group soft-thresholding of the amplitudes with threshold {@code t lambda}, in place. */
    private void prox(double[] theta, double t) {
        for (int q = 0; q < atoms.size(); q++) {
            double norm = groupNorm(theta, q);
            double shrink = norm > t * lambda ? 1.0 - t * lambda / norm : 0.0;
            for (int i = 0; i < m; i++) {
                theta[q * m + i] *= shrink;
            }
        }
    }

    /**
     * FISTA with backtracking (Beck and Teboulle) on the restricted problem from {@code start}, restarted whenever the
     * objective rises, until its own gap (the dual point priced over the active atoms only) is below
     * {@code tolerance * max(1, J)}.
     */
    private double[] restricted(double[] start, double tolerance, CancellationToken cancel) {
        int p = start.length;
        double[] xk = start.clone();
        double[] yk = start.clone();
        double[] grad = new double[p];
        double[] next = new double[p];
        double[] trialGrad = new double[p];
        double[] work = new double[n * m];
        double stepInverse = 1.0;
        double t = 1.0;
        double previous = smooth(xk, grad, work) + lambda * groups(xk);
        for (int it = 1; it <= RESTRICTED_ITERATIONS; it++) {
            double fy = smooth(yk, grad, work);
            double fn;
            while (true) {
                for (int i = 0; i < p; i++) {
                    next[i] = yk[i] - grad[i] / stepInverse;
                }
                prox(next, 1.0 / stepInverse);
                fn = smooth(next, trialGrad, work);
                double model = fy;
                for (int i = 0; i < p; i++) {
                    double diff = next[i] - yk[i];
                    model += grad[i] * diff + 0.5 * stepInverse * diff * diff;
                }
                if (fn <= model || stepInverse > 1e300) {
                    break;
                }
                stepInverse *= 2;
            }
            double objective = fn + lambda * groups(next);
            double tNext = 0.5 * (1 + Math.sqrt(1 + 4 * t * t));
            if (objective > previous) {
                // restart: momentum off, from the better point
                System.arraycopy(xk, 0, yk, 0, p);
                t = 1.0;
                continue;
            }
            for (int i = 0; i < p; i++) {
                yk[i] = next[i] + (t - 1) / tNext * (next[i] - xk[i]);
            }
            System.arraycopy(next, 0, xk, 0, p);
            t = tNext;
            previous = objective;
            stepInverse *= 0.9;
            if (it % GAP_EVERY == 0) {
                if (cancel.isCancelled() || restrictedGap(xk, objective) <= tolerance * Math.max(1.0, Math.abs(objective))) {
                    break;
                }
            }
        }
        return xk;
    }

    private double groups(double[] theta) {
        double s = 0;
        for (int q = 0; q < atoms.size(); q++) {
            s += groupNorm(theta, q);
        }
        return s;
    }

    /** The gap of the restricted problem: the dual point priced over the active atoms. */
    private double restrictedGap(double[] theta, double objective) {
        int k = atoms.size();
        double[] f = outputs(theta);
        FenchelDual.Bound bound = FenchelDual.at(problem, new DMatrixRMaj(n, m, true, f), lambda, true, g -> {
            double worst = 0;
            for (int q = 0; q < k; q++) {
                double s = 0;
                for (int i = 0; i < m; i++) {
                    double c = 0;
                    for (int r = 0; r < n; r++) {
                        c += features[r * k + q] * g.data[r * m + i];
                    }
                    s += c * c;
                }
                worst = Math.max(worst, Math.sqrt(s));
            }
            return new Pricing.Best(worst == 0 ? null : new Atom(new double[d], 0.0, worst), true);
        });
        return objective - bound.value();
    }

    /** Atoms with a non-zero amplitude as balanced neurons (A4), the affine part as the skip. */
    private ShallowNetwork network(double[] theta) {
        int k = atoms.size();
        int kept = 0;
        for (int q = 0; q < k; q++) {
            kept += groupNorm(theta, q) > 0 ? 1 : 0;
        }
        ShallowNetwork net = new ShallowNetwork(d, m, kept, true);
        int slot = 0;
        for (int q = 0; q < k; q++) {
            double norm = groupNorm(theta, q);
            if (!(norm > 0)) {
                continue;
            }
            double s = Math.sqrt(norm);
            Atom a = atoms.get(q);
            for (int j = 0; j < d; j++) {
                net.inputWeights().data[slot * d + j] = s * a.direction()[j];
            }
            net.bias()[slot] = s * a.offset();
            for (int i = 0; i < m; i++) {
                net.outputWeights().data[slot * m + i] = theta[q * m + i] / s;
            }
            slot++;
        }
        System.arraycopy(theta, k * m, net.skipBias(), 0, m);
        System.arraycopy(theta, (k + 1) * m, net.skipWeights().data, 0, m * d);
        return net;
    }
}
