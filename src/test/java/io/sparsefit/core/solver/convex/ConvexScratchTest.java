package io.sparsefit.core.solver.convex;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import org.ejml.data.DMatrixRMaj;

class ConvexScratchTest {
    public static void main(String[] args) {
        String[] parts = args[0].split(";");
        int[][] cases = new int[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            String[] f = parts[i].split(",");
            cases[i] = new int[] {Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2])};
        }
        double frac = Double.parseDouble(args[1]);
        for (int[] c : cases) {
            int n = c[0], d = c[1], m = c[2];
            DMatrixRMaj x = RandomNetworks.matrix(n, d, 11);
            ShallowNetwork teacher = RandomNetworks.network(d, m, 4, true, 12);
            DMatrixRMaj y = teacher.predict(x, null);
            DMatrixRMaj noise = RandomNetworks.matrix(n, m, 13);
            for (int i = 0; i < y.data.length; i++) y.data[i] += 0.1 * noise.data[i];
            FitProblem p = new FitProblem(x, y);
            for (SolverType s0 : new SolverType[] {SolverType.CONVEX, SolverType.LBFGS}) {
                final SolverType s = s0;
                if (n > 2000 && s == SolverType.LBFGS) continue;
                FitSettings st = FitSettings.defaults(frac * n).withSolver(s);
                long t0 = System.nanoTime();
                FitOutcome out = SparseFit.fit(p, st, (it, o, df, pen) -> { if (s == SolverType.CONVEX) System.out.printf("  it %d J %.12g pen %.4g%n", it, o, pen); }, CancellationToken.NEVER);
                long t1 = System.nanoTime();
                var dg = out.diagnostics();
                System.out.printf("N=%d d=%d m=%d %s J=%.10g active=%d iters=%d stop=%s gap=%s %.0f ms%n", n, d, m, s, dg.objective(),
                        dg.activeNeurons(), dg.iterations(), dg.stopReason(), dg.certificate(), (t1 - t0) / 1e6);
            }
        }
    }
}
