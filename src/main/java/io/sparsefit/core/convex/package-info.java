/**
 * Shared convex numerics of the infinite-width problem (theory A6, C2, T8), below both the solvers and
 * the finishing steps: the projection off the unpenalized affine part, the dual norm
 * {@code S(r) = sup_{||u||=1, c} ||sum_n r_n relu(u . x_n - c)||} with the atom that attains it (exact in
 * one input over sorted arrays ({@code DualNorm1D}) and in two inputs, a multi-start local search beyond), the
 * atom type they return, and the group-lasso solver ({@code GroupLasso}) of the polish and of the restricted
 * problems of column generation, and
 * the Fenchel dual bound of every loss ({@code FenchelDual}), and the one exact merge of units active on the same samples
 * ({@code SamePattern}: the column generation's atoms and the finishing's neurons).
 * May import only java.*, EJML, {@code core.linalg} with {@code core.kernel} (the local pricing's two lanes run on
 * {@code RowChunks}) and the data layer ({@code core.FitProblem}, {@code core.loss}).
 */
package io.sparsefit.core.convex;
