/**
 * The loss family of theory A2b: {@link io.sparsefit.core.loss.SquaredLoss} (A2), {@link
 * io.sparsefit.core.loss.HuberLoss}, {@link io.sparsefit.core.loss.LogisticLoss} and {@link
 * io.sparsefit.core.loss.CrossEntropyLoss}, one member per file behind the sealed {@link io.sparsefit.core.loss.Loss}.
 * Each member gives, over flat row-major arrays (EJML style: output argument last), the weighted value
 * {@code sum_n w_n loss(f_n, y_n)}, its gradient with respect to the outputs, the Fenchel conjugate in its first
 * argument and the dual value built on it (the certificate, T8 generalized), and how a prediction is read.
 * Part of the bottom data layer with {@code core.FitProblem}, which carries a loss: may import only java.*.
 */
package io.sparsefit.core.loss;
