package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.convex.Atom;
import io.sparsefit.core.convex.FenchelDual;
import io.sparsefit.core.convex.LocalPricing;
import io.sparsefit.core.convex.Pricing;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.NetworkLoss;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Lbfgs;
import io.sparsefit.core.solver.LossPoint;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.Solver;
import io.sparsefit.core.solver.SolverResult;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.core.solver.StopReason;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code lbfgs} whose width grows where the priced residual says (issue 20; theory C4, T7, T8): the gradient side of
 * sliding Frank-Wolfe. Training starts at the settings' width; whenever L-BFGS converges, the dual point of the fit
 * ({@link FenchelDual#point}: for squared loss the residual projected off the affine part) is priced by the local
 * search of column generation ({@link LocalPricing}, started from the current neurons' directions, random data-pair
 * differences and random directions). Every atom {@code relu(u . x - c)} whose value {@code ||g^T relu(X u - c)||}
 * exceeds lambda by more than {@value #ENTRY_MARGIN} relative would lower J if added with a small amplitude (the
 * directional derivative of J along it is {@code lambda - value}, T8), so it enters as a new balanced neuron (A4)
 * at the amplitude {@link #insert} picks, J checked not to rise, and L-BFGS goes on from the grown network. It stops
 * when the local search finds no such atom (a local certificate: the sampled gap of T8 is then that of a converged
 * fit), at the representer bound {@code N - (d + 1)} (T7) or {@link #maxWidth}, or when the iteration budget or
 * the token says so. Neurons that L-BFGS let die ({@code ||v|| ||w||} below {@value #DEAD} of the largest) are
 * dropped before each growth step, so the width follows what the fit uses.
 *
 * <p>Deterministic for a seed: L-BFGS is, and the pricing draws its starts from the settings' seed.
 */
public final class GrowingLbfgs implements Solver {

    /** Relative excess of the priced value over lambda for an atom to enter (as in {@link ColumnGeneration}). */
    static final double ENTRY_MARGIN = 1e-3;
    /** Neurons whose path-norm term is below this fraction of the largest are dropped before growing. */
    static final double DEAD = 1e-9;
    /** A neuron whose path-norm term is at least this fraction of the largest counts as used. */
    static final double USED = 1e-3;
    /**
     * Atoms added per growth step: as many as the neurons in use (the width doubles) when at least half the width is
     * used, else this many.
     */
    static final int MIN_ATOMS_PER_ROUND = 8;
    /** Halvings of the inserted amplitude allowed before the insertion is given up. */
    static final int MAX_HALVINGS = 30;
    /** L-BFGS iterations of a round before the residual is priced again. */
    static final int ROUND_ITERATIONS = Integer.getInteger("grow.round", 1000);

    private final int maxWidth;

    /** Grows up to {@code maxWidth} neurons at most (and never beyond the representer bound, T7). */
    public GrowingLbfgs(int maxWidth) {
        this.maxWidth = maxWidth;
    }

    @Override
    public SolverResult solve(FitProblem problem, FitSettings settings, ProgressListener progress, CancellationToken cancel) {
        FitSettings trained = settings.withSolver(SolverType.LBFGS);
        ProgressListener listener = progress == null ? ProgressListener.NONE : progress;
        // Each round trains at most ROUND_ITERATIONS before pricing again; once pricing finds nothing, the last one
        // trains on to the settings' own stopping rule and pricing looks once more.
        SolverResult result = new Lbfgs().solve(problem, trained.withMaxIter(Math.min(ROUND_ITERATIONS, settings.maxIter())),
                listener, cancel);
        List<LossPoint> curve = new ArrayList<>(result.lossCurve());
        int iterations = result.iterations();
        double lambda = settings.lambda();
        int d = problem.inputDim();
        int m = problem.outputDim();
        // T7: N - (d + 1) neurons suffice with the affine part free; N - 1 when only the intercept is (A2b)
        int bound = problem.rows() - (problem.loss().classification() ? 1 : d + 1);
        int cap = Math.max(settings.width(), Math.min(maxWidth, bound));
        LocalPricing pricing = new LocalPricing(problem.x(), m, settings.seed()).stopWhen(cancel::isCancelled);
        while ((result.stopReason() == StopReason.CONVERGED || result.stopReason() == StopReason.MAX_ITERATIONS)
                && iterations < settings.maxIter() && !cancel.isCancelled()) {
            ShallowNetwork net = alive(result.shallow());
            int room = cap - net.width();
            ShallowNetwork grown = null;
            if (room > 0) {
                DMatrixRMaj g = FenchelDual.point(problem, net.predict(problem.x(), null), settings.skip());
                int starts = Math.max(Pricing.PAIR_STARTS, net.width() / 2);
                // Doubles the width while the fit uses most of it; a fit with many fading neurons gets a few atoms only.
                int used = used(net);
                int limit = 2 * used >= net.width() ? Math.max(MIN_ATOMS_PER_ROUND, used) : MIN_ATOMS_PER_ROUND;
                List<Atom> found = pricing.search(g, directions(net), starts, starts, lambda * (1 + ENTRY_MARGIN),
                        Math.min(room, limit));
                if (cancel.isCancelled()) {
                    break;
                }
                List<Atom> entering = new ArrayList<>();
                for (Atom a : found) {
                    if (a.value() > lambda * (1 + ENTRY_MARGIN) && !present(net, a)) {
                        entering.add(a);
                    }
                }
                grown = entering.isEmpty() ? null : insert(net, entering, g, problem, lambda);
                if (Boolean.getBoolean("grow.debug")) {
                    System.err.printf("round: iters %d (%s) width %d used %d J %.6f best %.4g/lambda entering %d%n",
                            iterations, result.stopReason(), net.width(), used,
                            objective(net, problem, lambda), found.isEmpty() ? 0 : found.get(0).value() / lambda, entering.size());
                }
            }
            boolean last = grown == null;
            if (last && result.stopReason() == StopReason.CONVERGED) {
                break;   // converged to the settings' rule and nothing prices above lambda: done
            }
            if (last) {
                grown = net;   // a round stopped at its cap with nothing to add: train on to the settings' own rule
            }
            int budget = settings.maxIter() - iterations;
            int offset = iterations;
            ProgressListener shifted = new ProgressListener() {
                @Override
                public void onProgress(int iteration, double objective, double dataFit, double penalty) {
                    listener.onProgress(offset + iteration, objective, dataFit, penalty);
                }

                @Override
                public void onGap(int iteration, double gap) {
                    listener.onGap(offset + iteration, gap);
                }
            };
            result = new Lbfgs(grown).solve(problem,
                    trained.withWidth(grown.width()).withMaxIter(last ? budget : Math.min(ROUND_ITERATIONS, budget)), shifted, cancel);
            for (LossPoint p : result.lossCurve()) {
                curve.add(new LossPoint(offset + p.iteration(), p.objective(), p.dataFit(), p.penalty()));
            }
            iterations += result.iterations();
        }
        // Ended by the pricing's token check after a round that stopped at its cap: cancelled, as L-BFGS would say.
        StopReason reason = cancel.isCancelled() && result.stopReason() != StopReason.DIVERGED ? StopReason.CANCELLED
                : result.stopReason();
        return new SolverResult(result.network(), reason, iterations, curve);
    }

    /** {@code net} without the neurons L-BFGS let die (a copy; the function changes by at most {@value #DEAD} relative). */
    static ShallowNetwork alive(ShallowNetwork net) {
        double largest = 0;
        for (int k = 0; k < net.width(); k++) {
            largest = Math.max(largest, net.inputNorm(k) * net.outputNorm(k));
        }
        int[] keep = new int[net.width()];
        int kept = 0;
        for (int k = 0; k < net.width(); k++) {
            if (net.inputNorm(k) * net.outputNorm(k) > DEAD * largest) {
                keep[kept++] = k;
            }
        }
        return net.select(java.util.Arrays.copyOf(keep, kept));
    }

    /** Neurons whose path-norm term is at least {@value #USED} of the largest. */
    static int used(ShallowNetwork net) {
        double largest = 0;
        for (int k = 0; k < net.width(); k++) {
            largest = Math.max(largest, net.inputNorm(k) * net.outputNorm(k));
        }
        int used = 0;
        for (int k = 0; k < net.width(); k++) {
            if (net.inputNorm(k) * net.outputNorm(k) >= USED * largest) {
                used++;
            }
        }
        return used;
    }

    /** The neurons' input weights as rows (K x d): the pricing's first starts. */
    private static DMatrixRMaj directions(ShallowNetwork net) {
        return net.width() == 0 ? null : net.inputWeights().copy();
    }

    /** Whether {@code atom}'s hyperplane is one of {@code net}'s (unit normals and offsets equal to 1e-6). */
    private static boolean present(ShallowNetwork net, Atom atom) {
        int d = net.inputDim();
        double[] u = atom.direction();
        for (int k = 0; k < net.width(); k++) {
            double norm = net.inputNorm(k);
            if (!(norm > 0)) {
                continue;
            }
            double far = Math.abs(net.bias()[k] / norm - atom.offset());
            for (int j = 0; j < d; j++) {
                far = Math.max(far, Math.abs(net.inputWeights().data[k * d + j] / norm - u[j]));
            }
            if (far <= 1e-6) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code net} (not modified) with one new balanced neuron per atom: {@code t a relu(u . x - c)} with the unit
     * amplitude {@code a = g^T h / ||g^T h||} (the steepest descent of the data term along the atom's feature
     * {@code h = relu(X u - c)}) and the path-norm size {@code t = (value - lambda) / (||h||^2 count)}, the minimizer
     * of the squared-loss model {@code -t (value - lambda) + t^2 ||h||^2 / 2} shared among the atoms added together;
     * as weights {@code w = sqrt(t) u}, {@code b = sqrt(t) c}, {@code v = sqrt(t) a} (A3, A4). The sizes are halved
     * until the objective (weight decay, A2) is not above {@code net}'s; null when it never is.
     */
    static ShallowNetwork insert(ShallowNetwork net, List<Atom> atoms, DMatrixRMaj g, FitProblem problem, double lambda) {
        int d = net.inputDim();
        int m = net.outputDim();
        int k0 = net.width();
        int count = atoms.size();
        double[][] amplitude = new double[count][m];
        double[] size = new double[count];
        DMatrixRMaj x = problem.x();
        for (int i = 0; i < count; i++) {
            Atom atom = atoms.get(i);
            double[] correlation = amplitude[i];
            double squared = 0;
            for (int n = 0; n < x.numRows; n++) {
                double z = -atom.offset();
                for (int j = 0; j < d; j++) {
                    z += x.data[n * d + j] * atom.direction()[j];
                }
                if (z > 0) {
                    squared += z * z;
                    for (int o = 0; o < m; o++) {
                        correlation[o] += g.data[n * m + o] * z;
                    }
                }
            }
            double norm = 0;
            for (double c : correlation) {
                norm += c * c;
            }
            norm = Math.sqrt(norm);
            if (!(norm > 0) || !(squared > 0)) {
                return null;
            }
            for (int o = 0; o < m; o++) {
                correlation[o] /= norm;
            }
            size[i] = Math.max(0.0, norm - lambda) / squared;
        }
        double before = objective(net, problem, lambda);
        ShallowNetwork grown = new ShallowNetwork(d, m, k0 + count, net.hasSkip());
        double best = before;
        double bestScale = 0;
        for (int halving = 0; halving <= MAX_HALVINGS; halving++) {
            double scale = Math.pow(0.5, halving);
            fill(grown, net, atoms, amplitude, size, scale);
            double j = objective(grown, problem, lambda);
            if (j < best) {
                best = j;
                bestScale = scale;
            } else if (bestScale > 0) {
                break;   // J along the common scale is past its best (convex near zero)
            }
        }
        if (bestScale == 0) {
            return null;
        }
        fill(grown, net, atoms, amplitude, size, bestScale);
        return grown;
    }

    private static void fill(ShallowNetwork grown, ShallowNetwork net, List<Atom> atoms, double[][] amplitude, double[] size,
                             double scale) {
        int d = net.inputDim();
        int m = net.outputDim();
        int k0 = net.width();
        System.arraycopy(net.inputWeights().data, 0, grown.inputWeights().data, 0, k0 * d);
        System.arraycopy(net.bias(), 0, grown.bias(), 0, k0);
        System.arraycopy(net.outputWeights().data, 0, grown.outputWeights().data, 0, k0 * m);
        grown.skipWeights().setTo(net.skipWeights());
        System.arraycopy(net.skipBias(), 0, grown.skipBias(), 0, m);
        for (int i = 0; i < atoms.size(); i++) {
            Atom atom = atoms.get(i);
            double root = Math.sqrt(size[i] * scale);
            int k = k0 + i;
            for (int j = 0; j < d; j++) {
                grown.inputWeights().data[k * d + j] = root * atom.direction()[j];
            }
            grown.bias()[k] = root * atom.offset();
            for (int o = 0; o < m; o++) {
                grown.outputWeights().data[k * m + o] = root * amplitude[i][o];
            }
        }
    }

    /** J with weight decay (A2): what L-BFGS minimizes (the path norm's smooth form, A3). */
    private static double objective(ShallowNetwork net, FitProblem problem, double lambda) {
        NetworkLoss loss = new NetworkLoss(problem, net, WeightDecay.INSTANCE, lambda);
        double[] theta = new double[loss.dimension()];
        net.getParameters(theta);
        return loss.evaluate(theta, new double[theta.length]);
    }
}
