/**
 * What happens to a network after training (theory C3): rebalance (A4), prune, canonicalize and
 * merge (A6), polish, and the duality-gap certificate (T8) with its dual norms.
 * May import only java.*, EJML and other core packages.
 */
package io.sparsefit.core.finish;
