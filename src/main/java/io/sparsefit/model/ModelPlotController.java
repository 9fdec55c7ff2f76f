package io.sparsefit.model;

import io.sparsefit.dataset.StoredDataset;
import io.sparsefit.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Optional;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models/{id}/plot.svg}: a picture of the learned function (see {@link ModelPlots}). */
@RestController
@Tag(name = "models")
class ModelPlotController {

    private final StoredModels models;

    ModelPlotController(StoredModels models) {
        this.models = models;
    }

    @GetMapping(path = "/v1/models/{id}/plot.svg", produces = ModelPlots.SVG)
    @Operation(operationId = "getModelPlot", summary = "Plot the learned function (SVG)",
            description = "One input: the training data, the fitted linear spline and its knots (dashed lines). Two inputs: a heat map "
                    + "of the function with each neuron's line w . x = b and the training inputs. More inputs: predicted against "
                    + "observed on the training rows. The training data is left out when its dataset has been deleted.")
    @ApiResponse(responseCode = "200", description = "An SVG image.",
            content = @Content(mediaType = ModelPlots.SVG, schema = @Schema(type = "string")))
    ResponseEntity<String> plot(@PathVariable String id,
                                @Parameter(description = "Which output to draw (0-based) when the model has several.", example = "0")
                                @RequestParam(defaultValue = "0") int output) {
        StoredModels.Loaded model = models.load(id);
        if (output < 0 || output >= model.network().outputDim()) {
            throw ApiException.invalid("output", "must be between 0 and " + (model.network().outputDim() - 1));
        }
        Optional<DMatrixRMaj[]> data = models.trainingData(model).flatMap(d -> encodedRows(model.table().encoding(), d));
        io.sparsefit.dataset.InputEncoding e = model.table().encoding();
        String svg = ModelPlots.model(model.network(), data.map(xy -> xy[0]).orElse(null), data.map(xy -> xy[1]).orElse(null), output,
                "Model " + ModelPlots.shortId(id), e.features(), e.targets().get(output));
        return ModelPlots.answer(svg);
    }

    private static Optional<DMatrixRMaj[]> encodedRows(io.sparsefit.dataset.InputEncoding encoding, StoredDataset data) {
        try {
            DMatrixRMaj[] xy = EncodedRows.of(encoding, data);
            return xy[0].numRows == 0 ? Optional.empty() : Optional.of(xy);
        } catch (ApiException mismatch) {
            return Optional.empty(); // the stored data no longer matches the model: plot the function alone
        }
    }
}
