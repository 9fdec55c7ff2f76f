/**
 * The shallow ReLU network with skip connection (theory A1), its batched objective and gradient,
 * and its read-only views (knots, canonical neurons). May import only java.* , EJML and core.penalty.
 */
package io.sparsefit.core.network;
