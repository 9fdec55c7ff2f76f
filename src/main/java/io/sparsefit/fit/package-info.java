/**
 * Fits: the request with its defaults and validation, the job table as the queue (conditional-update
 * claims, leases, restart recovery), the bounded worker pool, live progress, cancellation, events and
 * metrics. May import the core facade and types, dataset, model, web and config.
 */
package io.sparsefit.fit;
