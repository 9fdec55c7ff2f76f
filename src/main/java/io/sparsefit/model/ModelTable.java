package io.sparsefit.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sparsefit.dataset.InputEncoding;
import io.sparsefit.dataset.TableSchema;

/**
 * How a stored model reads a table (stored as {@code model.inputs_json}): the input encoding (column names, levels,
 * imputation) and, when the fit standardized its inputs, the map it used. The stored network already works in the
 * encoded original units (the map is folded into it, see {@code core.network.InputStandardization}); mean and scale
 * are kept to report them.
 *
 * @param mean  per encoded input (feature): the mean subtracted in training; null without standardization
 * @param scale per feature: the divisor (population standard deviation, 1 for constant columns and one-hot
 *              indicators); null without standardization
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelTable(InputEncoding encoding, boolean standardize, double[] mean, double[] scale) {

    /** A model stored before tables had names, or fitted on inline data: numeric inputs x0.., outputs y0... */
    static ModelTable unnamed(int inputDim, int outputDim) {
        return new ModelTable(InputEncoding.of(TableSchema.unnamed(inputDim, outputDim), InputEncoding.ERROR), false, null, null);
    }
}
