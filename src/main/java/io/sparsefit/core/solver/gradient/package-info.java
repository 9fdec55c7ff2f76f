/**
 * Building blocks shared by the gradient solvers of theory C3 (PathProx, L-BFGS, Adam): seeded
 * initialization, the loss-curve log, the L-BFGS memory and small vector helpers.
 *
 * <p>Pure Java plus EJML; may import {@code io.sparsefit.core..} but never Spring or any web type.
 */
package io.sparsefit.core.solver.gradient;
