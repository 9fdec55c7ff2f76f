/**
 * Shared convex numerics of the infinite-width problem (theory A6, C2, T8), below both the solvers and
 * the finishing steps: the projection off the unpenalized affine part, the dual norm
 * {@code S(r) = sup_{||u||=1, c} ||sum_n r_n relu(u . x_n - c)||} with the atom that attains it (exact in
 * one and two inputs, a multi-start local search beyond), and the atom type they return.
 * May import only java.* and EJML.
 */
package io.sparsefit.core.convex;
