/**
 * Models: stored finished networks (binary parameter vectors) with how they read tables and their provenance, their
 * JSON views (layers + skip, canonical neurons, knots, columns), predictions (by column name for CSV), evaluation
 * metrics, diagnostics, the list with its filters. May import the core, dataset (codec), web
 * and config; may not import fit.
 */
package io.sparsefit.model;
