/**
 * Optional API keys: the servlet filter that authenticates {@code Authorization: Bearer} and
 * {@code X-API-Key}, compares in constant time, answers 401 and per-key 429 (Bucket4j rate limit),
 * and sets the {@link io.sparsefit.web.Caller} that {@link io.sparsefit.web.Ownership} reads. May import
 * web and config; may not import feature packages or the core.
 */
package io.sparsefit.security;
