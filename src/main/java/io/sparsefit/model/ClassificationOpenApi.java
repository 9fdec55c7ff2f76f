package io.sparsefit.model;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * The schemas of classification (issue 21) as the service writes them, where the annotations cannot say it: a JSON
 * upload's and inline data's {@code y} (numbers, rows of numbers, or labels; read as a tree, which springdoc would describe as Jackson's
 * node class), the nullable {@code classes} lists of datasets and models (a label is a string or an integer), and the
 * properties answers always carry ({@code required}) where the others are left out for regression models
 * (probabilities, labels, the classification metrics). Runs before {@code web.OpenApiContract}, which keeps a
 * {@code required} list that is set.
 */
@Component
class ClassificationOpenApi implements OpenApiCustomizer {

    /** Schemas that omit their null properties, and the properties they always have. */
    private static final Map<String, List<String>> ALWAYS_WRITTEN = Map.of(
            "PredictResponse", List.of("y"),
            "Evaluation", List.of("rows"),
            "ModelLoss", List.of("type"));

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        for (String name : List.of("DatasetUpload", "InlineData")) {
            Schema upload = schemas.get(name);
            if (upload != null && upload.getProperties() != null && upload.getProperties().get("y") instanceof Schema y) {
                Schema numbers = new Schema().types(Set.of("array")).items(new Schema().types(Set.of("number")).format("double"));
                Schema targets = new Schema().types(Set.of("array")).items(new Schema().anyOf(List.of(
                        new Schema().types(Set.of("number")).format("double"), new Schema().types(Set.of("string")), numbers)));
                targets.setDescription(y.getDescription());
                targets.setExample(List.of(List.of(0), List.of(1), List.of(0), List.of(1)));
                upload.getProperties().put("y", targets);
            }
        }
        schemas.remove("JsonNode");
        for (String name : List.of("Dataset", "Model")) {
            Schema s = schemas.get(name);
            if (s != null && s.getProperties() != null && s.getProperties().get("classes") instanceof Schema classes) {
                classes.setTypes(new java.util.LinkedHashSet<>(List.of("array", "null")));
            }
        }
        ALWAYS_WRITTEN.forEach((name, required) -> {
            Schema s = schemas.get(name);
            if (s != null) {
                s.setRequired(required);
                if (s.getProperties() != null) {
                    s.getProperties().forEach((property, value) -> {
                        if (!required.contains(property) && value instanceof Schema p && p.getTypes() != null
                                && !p.getTypes().contains("null")) {
                            java.util.Set<String> types = new java.util.LinkedHashSet<>(p.getTypes());
                            types.add("null");
                            p.setTypes(types);
                        }
                    });
                }
            }
        });
    }
}
