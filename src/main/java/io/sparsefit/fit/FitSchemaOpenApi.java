package io.sparsefit.fit;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Fills in what springdoc drops from array-valued properties: the default of
 * {@code architecture.hiddenLayers} and examples of the matrices, so that every default of the fit
 * request is in the schema and the examples can be pasted; turns numeric defaults kept as text into numbers.
 */
@Component
class FitSchemaOpenApi implements OpenApiCustomizer {

    private static final Map<String, Map<String, Object>> EXAMPLES = Map.of(
            "DatasetUpload", Map.of("x", List.of(List.of(0), List.of(1), List.of(2), List.of(3)), "y", List.of(0, 1, 0, 1)),
            "InlineData", Map.of("x", List.of(List.of(0), List.of(1), List.of(2), List.of(3)), "y", List.of(0, 1, 0, 1)),
            "PredictRequest", Map.of("x", List.of(List.of(0.5), List.of(2.5))),
            "PredictResponse", Map.of("y", List.of(List.of(0.5), List.of(0.5))));

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        Schema architecture = schemas.get("Architecture");
        if (architecture != null && architecture.getProperties() != null) {
            Schema hidden = (Schema) architecture.getProperties().get("hiddenLayers");
            List<Integer> width = List.of(Integer.parseInt(FitRequest.Defaults.HIDDEN_WIDTH));
            hidden.setDefault(width);
            hidden.setExample(width);
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
