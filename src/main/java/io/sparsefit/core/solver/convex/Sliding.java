package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.linalg.Vectors;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.objective.NetworkObjective;
import io.sparsefit.core.penalty.WeightDecay;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.gradient.LbfgsMemory;

/**
 * The sliding step of the convex solver (after sliding Frank-Wolfe, Denoyelle et al.): all active atoms'
 * hyperplanes and amplitudes, and the affine part, refined jointly by a local smooth method. The
 * weight-decay objective is smooth where the path norm is not and has the same minimal value and
 * minimizers (A3), so L-BFGS runs on it from the balanced network (A4). The restricted problem is re-solved
 * on the moved hyperplanes afterwards, so sliding can only help the certified objective.
 *
 * <p>The memory is the gradient solvers' {@link LbfgsMemory}, but the step is an Armijo backtracking, not the strong
 * Wolfe search of {@code Lbfgs}: priced atoms put their hyperplanes through data points, where the objective has a
 * kink along almost every direction and the curvature condition fails. Run through {@code Lbfgs} instead (tried
 * 2026-12-06), 121 of 239 slides in FitFingerprint's fits stopped at their first iteration, and the convex fits got
 * worse: on convex10d J 1.5556451 to 1.5562127, on convex2d the gap 1.7e-9 to 1.1e-6 at the 200-round cap.
 */
final class Sliding {

    static final int MEMORY = 10;
    static final int MAX_BACKTRACKS = 30;
    static final double ARMIJO = 1e-4;

    private Sliding() {
    }

    /** A refined copy of {@code start} (not modified): at most {@code maxIter} L-BFGS iterations on J (A2). */
    static ShallowNetwork refine(ShallowNetwork start, FitProblem problem, double lambda, int maxIter,
                                 CancellationToken cancel) {
        ShallowNetwork net = start.copy();
        if (net.width() == 0) {
            return net;
        }
        NetworkObjective objective = new NetworkObjective(problem, net.width(), net.hasSkip());
        int p = net.parameterCount();
        double[] theta = new double[p];
        double[] grad = new double[p];
        double[] trial = new double[p];
        double[] trialGrad = new double[p];
        double[] direction = new double[p];
        LbfgsMemory memory = new LbfgsMemory(MEMORY, p);
        net.getParameters(theta);
        double j = objective.evaluate(net, WeightDecay.INSTANCE, lambda, grad);
        if (!Double.isFinite(j)) {
            return start.copy();
        }
        for (int iteration = 0; iteration < maxIter && !cancel.isCancelled(); iteration++) {
            double gradNorm = Vectors.norm(grad);
            if (gradNorm <= 1e-13 * Math.max(1.0, Math.abs(j))) {
                break;
            }
            memory.direction(grad, direction);
            double slope = Vectors.dot(grad, direction);
            if (!(slope < 0)) {
                memory.clear();
                memory.direction(grad, direction);
                slope = -gradNorm * gradNorm;
            }
            double step = memory.size() == 0 ? Math.min(1.0, 1.0 / gradNorm) : 1.0;
            boolean accepted = false;
            double trialJ = j;
            for (int attempt = 0; attempt < MAX_BACKTRACKS && !cancel.isCancelled(); attempt++) {
                Vectors.addScaled(theta, step, direction, trial);
                net.setParameters(trial);
                trialJ = objective.evaluate(net, WeightDecay.INSTANCE, lambda, trialGrad);
                if (trialJ <= j + ARMIJO * step * slope && Vectors.allFinite(trialGrad)) {
                    accepted = true;
                    break;
                }
                step *= 0.5;
            }
            if (!accepted) {
                if (memory.size() == 0) {
                    break;
                }
                memory.clear();
                continue;
            }
            memory.push(trial, theta, trialGrad, grad);
            j = trialJ;
            System.arraycopy(trial, 0, theta, 0, p);
            double[] swap = grad;
            grad = trialGrad;
            trialGrad = swap;
        }
        net.setParameters(theta);
        return net;
    }
}
