/**
 * The sparsefit numerical core: fit one-hidden-layer ReLU networks under sparse regularization
 * (weight decay = path norm = Radon-domain total variation) and report diagnostics that prove it.
 * Entry point: {@link io.sparsefit.core.SparseFit}. Pure Java + EJML: nothing here or below may
 * import Spring, servlet, JDBC or JSON classes, nor any service package; it is a library usable from a plain
 * {@code main}.
 *
 * <p>Layers, bottom to top; each may import only java.*, EJML and the layers below it (its own package-info
 * says which), and {@code io.sparsefit.ArchitectureTest} checks it:
 * <ol>
 *   <li>the data type {@link io.sparsefit.core.FitProblem} (this package) with the loss family {@code core.loss} it carries, {@code core.linalg} and {@code core.kernel} (the dense-layer products and the row chunks' threads), {@code core.convex}
 *       (shared numerics: vector and matrix norms; projection off the affine part, dual norms, pricing, the
 *       group-lasso solver);</li>
 *   <li>{@code core.network};</li>
 *   <li>{@code core.penalty};</li>
 *   <li>{@code core.objective};</li>
 *   <li>{@code core.finish} and {@code core.solver..} side by side: neither imports the other, what both need
 *       lives below them;</li>
 *   <li>{@code core.diagnostics} with the record {@link io.sparsefit.core.Diagnostics} (this package);</li>
 *   <li>the facade: the rest of this package ({@link io.sparsefit.core.SparseFit},
 *       {@link io.sparsefit.core.FitOutcome});</li>
 *   <li>{@code core.path}.</li>
 * </ol>
 */
package io.sparsefit.core;
