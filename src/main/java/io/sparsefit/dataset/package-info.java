/**
 * Datasets: JSON and CSV upload, validation (shape, finiteness, limits), compact binary storage
 * (little-endian doubles), listing with cursors. May import web, config and the core's data types;
 * may not import fit or model.
 */
package io.sparsefit.dataset;
