/**
 * The Open Inference Protocol (KServe v2 REST) over stored models: server and model metadata,
 * health, and inference. May import model, web and config; may not import fit, dataset or the core.
 */
package io.sparsefit.inference;
