package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.sparsefit.core.convex.ActivationPatterns;
import io.sparsefit.core.convex.ArrangementPricing3D;
import io.sparsefit.core.convex.ProvenDualNorm;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DualCertificate;
import io.sparsefit.core.network.RandomNetworks;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.function.ToDoubleBiFunction;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Proven certificates beyond two inputs (theory T8, issue 20), through whole fits, against the gap computed here
 * independently: the residual {@code r = y - f(X)} projected off [1, X] by the normal equations
 * ({@link AboveLambdaMaxTest#affineResidual}, not the production's projection), its dual norm S by brute force over all activation patterns ({@link ActivationPatterns},
 * small N, here in d = 3 and 5) or by the d = 3 enumeration (itself checked against that brute force), the dual value
 * {@code t r.y - t^2/2 ||r||^2} with {@code t = min(1, lambda / S)}, and the primal straight from the network.
 */
class ProvenCertificateTest {

    @Test
    void aThreeInputFitAtSmallNEndsWithAnExactCertificateMatchingTheBruteForceGap() {
        FitProblem p = planted(10, 3, 5);
        double lambda = 0.05;
        for (SolverType solver : new SolverType[] {SolverType.CONVEX, SolverType.LBFGS}) {
            FitOutcome out = fit(p, solver, lambda);
            Diagnostics d = out.diagnostics();
            double independent = independentGap(out.shallow(), p, lambda, ActivationPatterns::maximum);
            assertThat(d.certificate().exact()).as(solver.wireName()).isTrue();
            assertThat(d.certificate().gapBound()).isEqualTo(d.certificate().gap());
            // The enumeration's value is inflated by 1e-9 relative (ENUMERATION_ROUNDING): the gap may differ by that.
            assertThat(d.certificate().gap()).as(solver.wireName()).isCloseTo(independent, offset(1e-8 * Math.max(1, d.objective())));
            assertThat(d.certificate().gap()).isGreaterThanOrEqualTo(-1e-9);
            if (solver == SolverType.CONVEX) {
                // optimal there (its convergence check enumerates the arrangement): the proven gap closes
                assertThat(d.certificate().gap()).isLessThanOrEqualTo(1e-6 * Math.max(1, d.objective()));
            }
        }
    }

    @Test
    void aFiveInputFitAtSmallNEndsWithAnExactCertificateMatchingTheBruteForceGap() {
        // d = 5, N = 10: within ProvenDualNorm.ENUMERATION_WORK, so the any-d enumeration proves S exactly.
        assertExactGap(planted(10, 5, 7), 0.05, ActivationPatterns::maximum);
    }

    @Test
    void aFitWithFewerRowsThanInputsEndsWithACertificate() {
        // 12 rows, 24 inputs: the affine functions of x interpolate any y, so the residual projected off [1, X] is 0
        // and so is S (the independent gap below takes S = 0). Before the enumeration required N > d, the fit ran out
        // of memory allocating the enumeration's 2^(d-1) subset bases.
        assertExactGap(planted(12, 24, 9), 0.05, (x, r) -> 0.0);
    }

    /** An LBFGS fit's certificate is exact and its gap the independent one with the given dual norm. */
    private static void assertExactGap(FitProblem p, double lambda, ToDoubleBiFunction<DMatrixRMaj, DMatrixRMaj> dualNorm) {
        FitOutcome out = fit(p, SolverType.LBFGS, lambda);
        Diagnostics d = out.diagnostics();
        double independent = independentGap(out.shallow(), p, lambda, dualNorm);
        assertThat(d.certificate().exact()).isTrue();
        assertThat(d.certificate().gapBound()).isEqualTo(d.certificate().gap());
        assertThat(d.certificate().gap()).isCloseTo(independent, offset(1e-8 * Math.max(1, d.objective())));
    }

    @Test
    void aThreeInputFitBeyondTheEnumerationIsProvenByBranchAndBoundWithinItsSlack() {
        // N = 100 > Pricing.EXACT_3D_MAX_ROWS: the certificate's bracket comes from the branch and bound, to the
        // tolerance that moves the gap by at most a tenth of it (ProvenDualNorm.tolerance).
        FitProblem p = planted(100, 3, 6);
        double lambda = 0.5;
        FitOutcome out = fit(p, SolverType.LBFGS, lambda);
        Certificate c = out.diagnostics().certificate();
        double j = out.diagnostics().objective();
        double independent = independentGap(out.shallow(), p, lambda, (x, r) -> new ArrangementPricing3D(x, r.numCols).best(r, null).value());
        assertThat(c.exact()).isTrue();
        assertThat(c.gap()).isGreaterThanOrEqualTo(independent * (1 - 1e-9) - 1e-12);
        assertThat(c.gap()).isLessThanOrEqualTo(independent
                + Math.max(ProvenDualNorm.GAP_SLACK * independent, ProvenDualNorm.ABSOLUTE_SLACK * Math.max(1, j)) + 1e-12);
    }

    @Test
    void whereTheBoundDoesNotConvergeTheSampledGapComesWithAProvenBoundAboveTheTrueGap() {
        // d = 4, N = 9: the brute force gives the true gap; a work budget of 1 stops the branch and bound at its roots.
        FitProblem p = planted(9, 4, 7);
        double lambda = 0.05;
        ShallowNetwork net = fit(p, SolverType.LBFGS, lambda).shallow();
        double independent = independentGap(net, p, lambda, ActivationPatterns::maximum);
        Certificate proven = DualCertificate.compute(net, p, lambda, 0);
        assertThat(proven.exact()).isTrue();
        assertThat(proven.gap()).isGreaterThanOrEqualTo(independent * (1 - 1e-9) - 1e-12);
        Certificate cut = DualCertificate.compute(net, p, lambda, 0, () -> false, () -> true);
        assertThat(cut.exact()).isFalse();
        assertThat(cut.gap()).isLessThanOrEqualTo(independent * (1 + 1e-9) + 1e-12);   // the sampled estimate
        assertThat(cut.gapBound()).isNotNull();
        assertThat(cut.gapBound()).isGreaterThanOrEqualTo(independent * (1 - 1e-9) - 1e-12);
    }

    private static FitOutcome fit(FitProblem p, SolverType solver, double lambda) {
        return SparseFit.fit(p, FitSettings.defaults(lambda).withSolver(solver).withSeed(3), ProgressListener.NONE,
                CancellationToken.NEVER);
    }

    private static FitProblem planted(int n, int d, long seed) {
        DMatrixRMaj x = RandomNetworks.matrix(n, d, seed);
        ShallowNetwork teacher = RandomNetworks.network(d, 1, 3, true, seed + 1);
        DMatrixRMaj y = teacher.predict(x, null);
        DMatrixRMaj e = RandomNetworks.matrix(n, 1, seed + 2);
        for (int i = 0; i < n; i++) {
            y.data[i] += 0.1 * e.data[i];
        }
        return new FitProblem(x, y);
    }

    /** The T8 gap of {@code net}, computed as described in the class comment with the given dual norm. */
    static double independentGap(ShallowNetwork net, FitProblem p, double lambda,
                                         ToDoubleBiFunction<DMatrixRMaj, DMatrixRMaj> dualNorm) {
        DMatrixRMaj x = p.x();
        int n = x.numRows;
        DMatrixRMaj f = net.predict(x, null);
        DMatrixRMaj r = new DMatrixRMaj(n, 1);
        double dataFit = 0;
        for (int i = 0; i < n; i++) {
            r.data[i] = p.y().data[i] - f.data[i];
            dataFit += 0.5 * r.data[i] * r.data[i];
        }
        double path = 0;
        for (int k = 0; k < net.width(); k++) {
            path += net.inputNorm(k) * net.outputNorm(k);
        }
        r = new DMatrixRMaj(n, 1, true, AboveLambdaMaxTest.affineResidual(x, r));
        double s = dualNorm.applyAsDouble(x, r);
        double t = s > lambda ? lambda / s : 1.0;
        double ry = 0;
        double rr = 0;
        for (int i = 0; i < n; i++) {
            ry += r.data[i] * p.y().data[i];
            rr += r.data[i] * r.data[i];
        }
        return dataFit + lambda * path - (t * ry - 0.5 * t * t * rr);
    }
}
