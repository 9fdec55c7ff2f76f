package io.sparsefit.core.finish;

import io.sparsefit.core.*;
import io.sparsefit.core.network.*;
import io.sparsefit.core.solver.*;
import io.sparsefit.core.solver.exact.LambdaMax;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Scratch2Test {
    @Test
    void run() {
        run(SolverType.LBFGS, 1, 50, 0.05);
        run(SolverType.PROX, 1, 200, 0.05);
    }
    void run(SolverType solver, long seed, int n, double fraction) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 0.5 * rnd.nextDouble();
            y[i] = Math.sin(x[i]) + 0.3 * rnd.nextGaussian();
        }
        FitProblem p = FitProblem.of1D(x, y);
        double lambda = fraction * LambdaMax.lambdaMax(x, y);
        FitSettings base = FitSettings.defaults(lambda).withSeed(seed);
        FitOutcome exact = SparseFit.fit(p, base.withSolver(SolverType.EXACT), ProgressListener.NONE, CancellationToken.NEVER);
        FitSettings s = base.withSolver(solver).withWidth(Math.max(n, 8)).withMaxIter(20000);
        SolverResult raw = SparseFit.create(solver).solve(p, s, ProgressListener.NONE, CancellationToken.NEVER);
        ShallowNetwork spline = Finishing.splineThroughFittedValues(raw.network(), p);
        Polish.Result r = Polish.polish(spline, p, lambda);
        System.out.println("reason " + raw.stopReason() + " it " + raw.iterations() + " exact " + exact.diagnostics().objective() + " raw " + Polish.pathNormObjective(raw.network(), p, lambda)
          + " spline " + Polish.pathNormObjective(spline, p, lambda) + " width " + spline.width()
          + " polished " + r.objective() + " gap " + r.gap() + " it " + r.iterations() + " conv " + r.converged() + " impr " + r.improved());
    }
}
