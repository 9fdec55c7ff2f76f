/**
 * The one job queue of fits, paths and scorings: the job table shared by every replica (SKIP LOCKED claims, leases
 * renewed by a heartbeat, re-queue of expired leases with an attempt limit, owner-conditional completion retried
 * through database outages), the bounded worker pool, live progress, cancellation across replicas, the one submit
 * flow (admission, Idempotency-Key replay), the one cancel-or-delete, the one mapping of how a run ended to the job's
 * final state ({@link io.sparsefit.job.JobFailure}: an expected error's status and detail kept, the core's refusal 422,
 * anything else an internal 500, a transient fault queued again with its attempt counted, an accepted cancel winning
 * over a failure), one event stream and the OpenAPI description of the answers every job resource shares, retention,
 * the readiness write probe. A feature plugs in a {@link io.sparsefit.job.JobRunner} bean and keeps its own request, checks,
 * computation and views. May import the core's cancellation token ({@code core.solver}) and kernel name
 * ({@code core.kernel}), dataset and model (retention), web and config; may not import fit, path or scoring.
 */
package io.sparsefit.job;
