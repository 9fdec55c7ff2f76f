/**
 * Building blocks shared by the gradient solvers of theory C3 (PathProx, L-BFGS, Adam): seeded
 * initialization, the loss-curve log, the L-BFGS memory, small vector helpers, the 1-D knot revival
 * (a T8-guided neuron insertion when a solver stalls) and the group-lasso solver of the convex polish.
 *
 * <p>Pure Java plus EJML; may import {@code io.sparsefit.core..} but never Spring or any web type.
 */
package io.sparsefit.core.solver.gradient;
