/**
 * Computes the diagnostics record of a finished fit from the network and the data, once.
 * May import only java.*, EJML and other core packages.
 */
package io.sparsefit.core.diagnostics;
