package io.sparsefit.core.finish;

import io.sparsefit.core.FitProblem;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.penalty.PathNorm;

/**
 * TEMPORARY (service branch only): the trivial dual point r = 0, which is always feasible, so
 * gap = primal objective. The integrator replaces this with the real T8 certificate.
 */
public final class DualCertificate {

    private DualCertificate() {
    }

    public static Certificate compute(ShallowNetwork net, FitProblem problem, double lambda, long seed) {
        double primal = DiagnosticsCalculator.dataFit(net, problem) + lambda * PathNorm.of(net);
        return new Certificate(primal, 0.0, false);
    }
}
