/**
 * Regularization paths over HTTP ({@code /v1/paths}): the request with its defaults and validation, the runner of
 * jobs of kind PATH on the one queue ({@code io.sparsefit.job}), its points and their models, the resource. May import
 * the core facade, {@code core.path} and types, dataset, model, fit (its request, checks and prepared table, none of its
 * job code), job, web and config; nothing imports this package.
 */
package io.sparsefit.path;
