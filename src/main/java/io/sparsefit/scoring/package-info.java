/**
 * Batch scoring over HTTP ({@code /v1/scorings}): a stored model applied to every row of a stored dataset as a job
 * of the fit queue (kind SCORING, run by the fit workers through {@code fit.JobQueue}, like paths), reading the
 * dataset block by block and writing each block of predictions to the store, so that neither the job nor a
 * download holds the whole result; the resource, its events and the predictions as CSV or JSON pages. May import
 * the core's data types and cancellation token ({@code core.solver}), dataset, model, fit (its public queue and states), web and config; nothing imports this
 * package.
 */
package io.sparsefit.scoring;
