/**
 * Datasets: JSON and CSV upload (the CSV streamed into the store a chunk of rows at a time, in one transaction: named columns, numeric or categorical kinds and their levels,
 * missing cells, sample weights), validation (shape, finiteness, limits), compact binary storage (little-endian
 * doubles, large inputs in chunks of rows) with the column schema, listing with cursors, and the input encoding a
 * model applies to a table (one-hot levels, imputation, matching columns by name). May import web, config and the core's data types;
 * may not import fit or model.
 */
package io.sparsefit.dataset;
