/**
 * Models: stored finished networks (binary parameter vectors), their JSON views (layers + skip,
 * canonical neurons, knots), predictions and diagnostics. May import the core, dataset (codec), web
 * and config; may not import fit.
 */
package io.sparsefit.model;
