/**
 * Batch scoring over HTTP ({@code /v1/scorings}): a stored model applied to every row of a stored dataset as a job of
 * kind SCORING on the one queue ({@code io.sparsefit.job}), reading the dataset block by block and writing each block
 * of predictions to the store, so that neither the job nor a download holds the whole result; the resource and the
 * predictions as CSV or JSON pages. May import the core's data types and cancellation token ({@code core.solver}),
 * dataset, model, job, web and config; not fit; nothing imports this package.
 */
package io.sparsefit.scoring;
