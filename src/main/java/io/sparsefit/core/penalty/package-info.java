/**
 * The regularizers of theory A2 (weight decay, path norm, none): value and gradient.
 * May import only java.*, EJML and core.network.
 */
package io.sparsefit.core.penalty;
