/**
 * Regularization paths over HTTP ({@code /v1/paths}): the request with its defaults and validation, the job
 * (a row of the fit queue of kind PATH, run by the fit workers through {@code fit.JobQueue}), its points and
 * their models, the resource and its events. May import the core facade, {@code core.path} and types, dataset,
 * model, fit (its public queue and request records), web and config; nothing imports this package.
 */
package io.sparsefit.path;
