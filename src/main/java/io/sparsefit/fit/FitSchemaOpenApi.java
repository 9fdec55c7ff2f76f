package io.sparsefit.fit;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Fills in what springdoc drops from array-valued properties: the example of
 * {@code architecture.hiddenLayers} (it has no default: absent means a starting width, see {@link FitRequest}) and
 * examples of the matrices, so that every default of the fit request is in the schema and the examples can be pasted; turns numeric defaults kept as text into numbers.
 */
@Component
class FitSchemaOpenApi implements OpenApiCustomizer {

    private static final Map<String, Map<String, Object>> EXAMPLES = Map.of(
            "DatasetUpload", Map.of("x", List.of(List.of(0), List.of(1), List.of(2), List.of(3)),
                    "y", List.of(List.of(0), List.of(1), List.of(0), List.of(1))),
            "InlineData", Map.of("x", List.of(List.of(0), List.of(1), List.of(2), List.of(3)),
                    "y", List.of(List.of(0), List.of(1), List.of(0), List.of(1))),
            "PredictRequest", Map.of("x", List.of(List.of(0.5), List.of(2.5))),
            "PredictResponse", Map.of("y", List.of(List.of(0.5), List.of(0.5))));

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Schema architecture = schemas.get("Architecture");
        if (architecture != null && architecture.getProperties() != null) {
            Schema hidden = (Schema) architecture.getProperties().get("hiddenLayers");
            // no default: an absent width is a starting width auto may go beyond, not the same as [64] (FitRequest)
            hidden.setExample(List.of(Integer.parseInt(FitRequest.Defaults.HIDDEN_WIDTH)));
        }
        // springdoc keeps some numeric defaults as text ("0.01"); clients need numbers.
        for (Schema schema : schemas.values()) {
            if (schema.getProperties() == null) {
                continue;
            }
            for (Object value : schema.getProperties().values()) {
                Schema p = (Schema) value;
                boolean numeric = "number".equals(p.getType()) || (p.getTypes() != null && p.getTypes().contains("number"));
                if (numeric && p.getDefault() instanceof String text) {
                    p.setDefault(new java.math.BigDecimal(text));
                }
            }
        }
        // "Try it out" sends the first example as it is: inline data (no dataset id that does not exist, no "data": null).
        if (openApi.getPaths() != null && openApi.getPaths().get("/v1/fits") != null
                && openApi.getPaths().get("/v1/fits").getPost() != null
                && openApi.getPaths().get("/v1/fits").getPost().getRequestBody() != null) {
            io.swagger.v3.oas.models.media.MediaType media = openApi.getPaths().get("/v1/fits").getPost().getRequestBody()
                    .getContent().get("application/json");
            if (media != null) {
                Map<String, io.swagger.v3.oas.models.examples.Example> examples = new java.util.LinkedHashMap<>();
                examples.put("inlineData", new io.swagger.v3.oas.models.examples.Example()
                        .summary("Inline data, exact solver (one input: the global optimum)")
                        .value(Map.of("data", Map.of("x", List.of(List.of(0), List.of(1), List.of(2), List.of(3), List.of(4)),
                                        "y", List.of(List.of(0), List.of(1), List.of(0), List.of(1), List.of(0))),
                                "regularization", Map.of("type", "weight_decay", "lambda", 0.1),
                                "solver", Map.of("type", "exact"))));
                examples.put("storedDataset", new io.swagger.v3.oas.models.examples.Example()
                        .summary("A stored dataset (put the id createDataset answered)")
                        .value(Map.of("datasetId", "3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41",
                                "regularization", Map.of("type", "weight_decay", "lambda", 0.5),
                                "solver", Map.of("type", "auto"))));
                media.setExamples(examples);
            }
        }
        EXAMPLES.forEach((schema, properties) -> {
            Schema s = schemas.get(schema);
            if (s != null && s.getProperties() != null) {
                properties.forEach((name, example) -> {
                    Schema p = (Schema) s.getProperties().get(name);
                    if (p != null) {
                        p.setExample(example);
                    }
                });
            }
        });
    }
}
