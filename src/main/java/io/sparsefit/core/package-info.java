/**
 * The sparsefit numerical core: fit one-hidden-layer ReLU networks under sparse regularization
 * (weight decay = path norm = Radon-domain total variation) and report diagnostics that prove it.
 * Entry point: {@link io.sparsefit.core.SparseFit}. Pure Java + EJML: nothing here or below may
 * import Spring, servlet, JDBC or JSON classes; it is a library usable from a plain {@code main}.
 */
package io.sparsefit.core;
