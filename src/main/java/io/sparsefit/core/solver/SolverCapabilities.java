package io.sparsefit.core.solver;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.penalty.Regularization;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What one solver can fit, declared once per solver ({@link SolverType#capabilities()}) and read by {@code auto}
 * ({@code SparseFit.resolve}), by regularization paths and by the service's request validation.
 *
 * @param losses          wire names of the losses it minimizes (theory A2b)
 * @param sampleWeights   whether it minimizes the weighted fit term {@code sum_n w_n loss_n}
 * @param penalties       the regularizers it trains (theory A2)
 * @param positiveLambda  whether it needs {@code lambda > 0} (the infinite-width problem interpolates otherwise)
 * @param needsSkip       whether it needs the skip connection (its optimum has a free affine part)
 * @param deep            whether it fits more than one hidden layer and linear layers (A8)
 * @param maxInputs       largest input dimension d
 * @param maxOutputs      largest number of outputs m
 * @param miniBatches     whether it takes mini-batches
 * @param warmStart       whether a regularization path may start it from the previous point's network
 */
public record SolverCapabilities(Set<String> losses, boolean sampleWeights, Set<Regularization> penalties,
                                 boolean positiveLambda, boolean needsSkip, boolean deep, int maxInputs, int maxOutputs,
                                 boolean miniBatches, boolean warmStart) {

    /** Every member of the loss family. */
    public static final Set<String> ALL_LOSSES = Set.of("squared", "huber", "logistic", "cross_entropy");

    public SolverCapabilities {
        losses = Set.copyOf(losses);
        penalties = Set.copyOf(penalties);
    }

    /** A capability a request can miss; the service names it in its 422. */
    public enum Capability {
        LOSS, SAMPLE_WEIGHTS, PENALTY, SKIP, DEPTH, INPUTS, OUTPUTS, MINI_BATCHES
    }

    /** One missing capability and a sentence saying what the solver needs. */
    public record Missing(Capability capability, String message) {
    }

    /** What a fit asks of its solver. */
    public record Demand(Loss loss, boolean weighted, Regularization regularization, double lambda, boolean skip,
                         boolean deep, int inputs, int outputs, int batchSize) {
    }

    /** Every capability {@code demand} needs that {@code solver} (with these capabilities) lacks; empty when it fits. */
    public List<Missing> missing(String solver, Demand demand) {
        List<Missing> out = new ArrayList<>();
        if (!losses.contains(demand.loss().wireName())) {
            out.add(new Missing(Capability.LOSS, solver + " fits the loss " + String.join(" or ", sorted(losses))
                    + ", not " + demand.loss().wireName()));
        }
        if (demand.weighted() && !sampleWeights) {
            out.add(new Missing(Capability.SAMPLE_WEIGHTS, solver + " does not take sample weights"));
        }
        if (!penalties.contains(demand.regularization())
                || (positiveLambda && demand.regularization() != Regularization.NONE && !(demand.lambda() > 0))) {
            out.add(new Missing(Capability.PENALTY, solver + " needs " + String.join(" or ", sorted(penalties.stream()
                    .map(Regularization::wireName).toList())) + (positiveLambda ? " with lambda > 0 (without a penalty the "
                    + "infinite-width problem interpolates)" : "")));
        }
        if (needsSkip && !demand.skip()) {
            out.add(new Missing(Capability.SKIP, solver + " needs the skip connection (its optimum has a free affine part)"));
        }
        if (demand.deep() && !deep) {
            out.add(new Missing(Capability.DEPTH, solver + " fits one hidden layer without linear layers"));
        }
        if (demand.inputs() > maxInputs) {
            out.add(new Missing(Capability.INPUTS, solver + " needs at most " + maxInputs + " input column"
                    + (maxInputs == 1 ? "" : "s") + "; the data has " + demand.inputs()));
        }
        if (demand.outputs() > maxOutputs) {
            out.add(new Missing(Capability.OUTPUTS, solver + " needs at most " + maxOutputs + " output column"
                    + (maxOutputs == 1 ? "" : "s") + "; the data has " + demand.outputs()));
        }
        if (demand.batchSize() > 0 && !miniBatches) {
            out.add(new Missing(Capability.MINI_BATCHES, "mini-batches have no meaning for " + solver + "; leave batchSize 0"));
        }
        return out;
    }

    /** Whether {@code demand} needs nothing these capabilities lack. */
    public boolean accepts(String solver, Demand demand) {
        return missing(solver, demand).isEmpty();
    }

    private static List<String> sorted(java.util.Collection<String> names) {
        return names.stream().sorted().toList();
    }
}
