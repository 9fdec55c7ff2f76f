/**
 * Small dense linear algebra on flat arrays and EJML matrices shared by every numerical package: dot products
 * and norms of vectors, row and column norms of matrices, stable index sorts by keys ({@code IndexSort}), standard
 * normal draws ({@code Gaussian}), deleting a row and column from a Cholesky factor ({@code CholeskyDelete}), Gram-Schmidt against orthonormal rows
 * ({@code GramSchmidt}); and
 * the stop check that remembers whether a search saw its stop
 * ({@code RecordedStop}: the finishing and the certificate are cut only then). The bottom of the core.
 * May import only java.* and EJML.
 */
package io.sparsefit.core.linalg;
