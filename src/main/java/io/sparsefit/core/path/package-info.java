/**
 * Regularization paths (choosing lambda): a sequence of fits from lambda_max (T6) down, each warm-started from
 * the previous one, with seeded K-fold or hold-out validation, the best and one-standard-error choices, and in
 * one dimension the exact solution path of theory C1 with every breakpoint of the knot set.
 *
 * <p>Pure Java + EJML like the rest of the core, and its top layer: may import java.*, EJML and
 * {@code io.sparsefit.core..} only (its public API:
 * {@code SparseFit} with its solver factory and warm starts, {@code FitSettings}, the exact solver's
 * {@code SplinePath}), never Spring, servlet, JDBC or JSON classes.
 */
package io.sparsefit.core.path;
