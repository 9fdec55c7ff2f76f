/**
 * Fits: the request with its defaults and validation, the table prepared for the core (validation split, missing
 * cells, one-hot encoding, standardization folded back into the model), the runner of jobs of kind FIT on the one
 * queue ({@code io.sparsefit.job}), the resource and the fits' metrics. May import the core facade and types, dataset,
 * model, job, web and config.
 */
package io.sparsefit.fit;
