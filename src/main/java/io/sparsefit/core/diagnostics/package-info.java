/**
 * Computes the diagnostics record of a finished fit of any depth from the network and the data, once.
 * Together with the record {@code core.Diagnostics} it forms the layer above {@code core.finish} and
 * {@code core.solver..}: may import only java.*, EJML and the core layers below it ({@code core.FitProblem},
 * {@code core.linalg}, {@code core.convex}, {@code core.network}, {@code core.penalty}, {@code core.objective},
 * {@code core.finish}, {@code core.solver..}); never the facade ({@code SparseFit}, {@code FitOutcome}) or
 * {@code core.path}.
 */
package io.sparsefit.core.diagnostics;
