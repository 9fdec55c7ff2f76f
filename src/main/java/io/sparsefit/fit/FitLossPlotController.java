package io.sparsefit.fit;

import io.sparsefit.model.ModelPlots;
import io.sparsefit.model.ModelService;
import io.sparsefit.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/fits/{id}/loss.svg}: the training curve of a finished fit as an SVG image. */
@RestController
@Tag(name = "fits")
class FitLossPlotController {

    private final FitService fits;
    private final ModelService models;

    FitLossPlotController(FitService fits, ModelService models) {
        this.fits = fits;
        this.models = models;
    }

    @GetMapping(path = "/v1/fits/{id}/loss.svg", produces = ModelPlots.SVG)
    @Operation(operationId = "getFitLossPlot", summary = "Plot the training curve (SVG)",
            description = "Objective, data fit and penalty at each logged iteration of a SUCCEEDED fit (log scale when all are "
                    + "positive). A fit without a model (queued, running, failed, cancelled) is 409.")
    @ApiResponse(responseCode = "200", description = "An SVG image.",
            content = @Content(mediaType = ModelPlots.SVG, schema = @Schema(type = "string")))
    ResponseEntity<String> loss(@PathVariable String id) {
        FitView fit = fits.get(id);
        if (fit.modelId() == null) {
            throw ApiException.conflict("fit '" + id + "' is " + fit.state() + " and has no model yet; its curve exists once it SUCCEEDED");
        }
        String svg = ModelPlots.loss(models.diagnostics(fit.modelId()).lossCurve(),
                "Training curve of fit " + ModelPlots.shortId(id));
        return ModelPlots.answer(svg);
    }
}
