/**
 * Application-wide configuration: typed {@code sparsefit.*} properties, the strict JSON mapper
 * customization and the OpenAPI document metadata. May import Spring and Jackson; may not import
 * feature packages (dataset, fit, model).
 */
package io.sparsefit.config;
