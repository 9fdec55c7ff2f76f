/**
 * Application-wide configuration: typed {@code sparsefit.*} properties, the strict JSON mapper
 * customization, the OpenAPI document metadata and the H2 pool's read barrier. May import Spring and Jackson; may not import
 * feature packages (dataset, fit, model).
 */
package io.sparsefit.config;
