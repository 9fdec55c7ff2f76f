package io.sparsefit.core.scratch;

import io.sparsefit.core.*;
import io.sparsefit.core.network.*;
import io.sparsefit.core.finish.*;
import io.sparsefit.core.solver.*;
import io.sparsefit.core.solver.exact.LambdaMax;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ScratchTest {
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
        long t0 = System.nanoTime();
        SolverResult raw = SparseFit.create(solver).solve(p, s, ProgressListener.NONE, CancellationToken.NEVER);
        long t1 = System.nanoTime();
        FitOutcome fit = SparseFit.fit(p, s, ProgressListener.NONE, CancellationToken.NEVER);
        long t2 = System.nanoTime();
        System.out.println("raw ms " + (t1-t0)/1e6 + " fit ms " + (t2-t1)/1e6);
        
        System.out.println("exact " + exact.diagnostics().objective() + " knots " + knots(exact.network()));
        System.out.println("raw " + raw.stopReason() + " it=" + raw.iterations() + " obj=" + Polish.pathNormObjective(raw.network(), p, lambda) + " knots " + knots(raw.network()));
        System.out.println("fit " + fit.diagnostics().objective() + " knots " + knots(fit.network()));
    }
    static String knots(ShallowNetwork net) {
        StringBuilder b = new StringBuilder();
        for (Knot k : Knot.of(net)) b.append(String.format("%.4f:%.3g ", k.x(), k.slopeChange()[0]));
        return b.toString();
    }
}
