/**
 * HTTP plumbing shared by every feature: problem+json (RFC 9457) for every error, including those
 * raised outside Spring MVC, and for database faults (503 unreachable, 507 storage full, logged once
 * per episode); the request body size limit and the deadlines for a request's headers and body;
 * keeping the embedded H2 store usable after a disk-full close, and what its connections read on disk before they
 * are released (the read barrier); pagination (cursors, one page of rows read one more);
 * the one SHA-256 helper; the daemon schedulers of background ticks;
 * streamed downloads, broken off (never ended cleanly) when they fail after their answer started. May import
 * Spring, Jackson, Tomcat and Hikari; may not import feature packages or the core.
 */
package io.sparsefit.web;
