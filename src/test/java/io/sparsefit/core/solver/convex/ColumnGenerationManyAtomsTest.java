package io.sparsefit.core.solver.convex;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.finish.Certificate;
import io.sparsefit.core.finish.DualCertificate;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Column generation in the many-atom regime (issue 20; theory T7: an optimum may need up to N - (d + 1) atoms): small
 * lambda in three inputs, where the pricing stays far above lambda for many rounds and a fixed few atoms a round ended
 * far above the optimum ({@link ColumnGeneration#perRound}).
 */
class ColumnGenerationManyAtomsTest {

    private static final double LAMBDA = 0.01;
    private static final long SEED = 0;

    /** A planted four-neuron teacher in three Gaussian inputs, offsets 0.2, noise 0.1 (the regime's probe, smaller). */
    static FitProblem plantedTeacher(int n) {
        Random random = new Random(5);
        double[][] teacher = {{1, -0.5, 0.3}, {-0.4, 1, 0.8}, {0.2, 0.7, -1}, {0.9, 0.1, 0.5}};
        DMatrixRMaj x = new DMatrixRMaj(n, 3);
        DMatrixRMaj y = new DMatrixRMaj(n, 1);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                x.set(i, j, random.nextGaussian());
            }
            double s = 0;
            for (double[] u : teacher) {
                s += Math.max(0, u[0] * x.get(i, 0) + u[1] * x.get(i, 1) + u[2] * x.get(i, 2) - 0.2);
            }
            y.set(i, 0, s + 0.1 * random.nextGaussian());
        }
        return new FitProblem(x, y);
    }

    private static FitOutcome convex(FitProblem problem, int rounds) {
        FitSettings settings = FitSettings.defaults(LAMBDA).withSolver(SolverType.CONVEX).withSeed(SEED).withMaxIter(rounds);
        return SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
    }

    /**
     * Twenty rounds end within 20 % of a proven lower bound on the optimum: the dual value of the certificate (T8,
     * its dual norm proven by the branch and bound, C4) of a fit run for the full round cap. Measured: 12 % above it
     * (J 0.1692 against 0.1534 after 200 rounds, whose proven gap is 1.3 %); at a fixed 4 atoms a round 30 % above (J 0.1962).
     * The objectives are recomputed from the networks here.
     */
    @Test
    void twentyRoundsAtSmallLambdaEndNearTheOptimumInThreeInputs() {
        FitProblem problem = plantedTeacher(120);
        FitOutcome reference = convex(problem, 1000);
        Certificate proof = DualCertificate.compute(reference.shallow(), problem, LAMBDA, SEED);
        assertThat(proof.exact()).as("the reference's dual norm is proven").isTrue();
        double lowerBound = proof.dualObjective();
        double referenceJ = ColumnGenerationTest.objective(reference.shallow(), problem, LAMBDA);
        assertThat(lowerBound).isLessThanOrEqualTo(referenceJ * (1 + 1e-9)).isGreaterThan(0.9 * referenceJ);

        FitOutcome short20 = convex(problem, 20);
        double j = ColumnGenerationTest.objective(short20.shallow(), problem, LAMBDA);
        assertThat(j).isLessThanOrEqualTo(1.2 * lowerBound);
    }

    @Test
    void atomsPerRoundFollowTheRatioOfThePricingToLambda() {
        assertThat(ColumnGeneration.perRound(4, 1.0)).isEqualTo(4);      // at an optimum: the base
        assertThat(ColumnGeneration.perRound(4, 3.9)).isEqualTo(4);
        assertThat(ColumnGeneration.perRound(4, 6.0)).isEqualTo(12);     // 4 x floor(6 / 2)
        assertThat(ColumnGeneration.perRound(4, 94.5)).isEqualTo(ColumnGeneration.MAX_ATOMS_PER_ROUND);
        assertThat(ColumnGeneration.perRound(16, 2.5)).isEqualTo(16);
        assertThat(ColumnGeneration.perRound(16, 1e300)).isEqualTo(ColumnGeneration.MAX_ATOMS_PER_ROUND);
        assertThat(ColumnGeneration.perRound(4, Double.POSITIVE_INFINITY)).isEqualTo(ColumnGeneration.MAX_ATOMS_PER_ROUND);
    }
}
