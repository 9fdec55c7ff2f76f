/**
 * Fits: the request with its defaults and validation, the table prepared for the core (validation split, missing
 * cells, one-hot encoding, standardization folded back into the model), the job table as the queue shared by all
 * replicas (SKIP LOCKED claims, leases renewed by a heartbeat, re-queue of expired leases with an
 * attempt limit, owner-conditional completion), the bounded worker pool, live progress, cancellation
 * across replicas, events and metrics. May import the core facade and types, dataset, model, web and
 * config.
 */
package io.sparsefit.fit;
