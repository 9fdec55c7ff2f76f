/**
 * HTTP plumbing shared by every feature: problem+json (RFC 9457) for every error, including those
 * raised outside Spring MVC, the request body size limit, pagination cursors. May import Spring and
 * Jackson; may not import feature packages or the core.
 */
package io.sparsefit.web;
