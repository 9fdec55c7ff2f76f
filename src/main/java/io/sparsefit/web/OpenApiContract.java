package io.sparsefit.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The last pass over the OpenAPI document, after every other customizer, for what generated clients
 * and linters (spectral {@code spectral:oas}, redocly {@code recommended}) need:
 * <ul>
 *   <li>nullable references, which springdoc writes as {@code {"type": "null", "$ref": ...}} (no value
 *       satisfies that under JSON Schema 2020-12), become {@code anyOf: [{$ref}, {type: null}]};</li>
 *   <li>{@code required}: every property of a response-only schema (the service always writes them,
 *       {@code null} included, except where a schema omits nulls) and the mandatory fields of request bodies;</li>
 *   <li>each error response gets its own example; every operation a description;</li>
 *   <li>tags in the order of the workflow: datasets, fits, models, inference;</li>
 * </ul>
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE)
class OpenApiContract implements OpenApiCustomizer {

    static final List<String> TAG_ORDER = List.of("datasets", "fits", "models", "inference");

    /** Request-body schemas and their mandatory properties (the others have defaults or are optional). */
    static final Map<String, List<String>> REQUEST_REQUIRED = Map.ofEntries(
            Map.entry("DatasetUpload", List.of("x", "y")),
            Map.entry("InlineData", List.of("x", "y")),
            Map.entry("PredictRequest", List.of()),
            Map.entry("InferenceRequest", List.of("inputs")),
            Map.entry("InferenceTensor", List.of("name", "shape", "datatype", "data")),
            Map.entry("FitRequest", List.of()),
            Map.entry("Loss", List.of()),
            Map.entry("Preprocessing", List.of()),
            Map.entry("EvaluateRequest", List.of()),
            Map.entry("Architecture", List.of()),
            Map.entry("Regularization", List.of()),
            Map.entry("Solver", List.of()),
            Map.entry("PathRequest", List.of()),
            Map.entry("PathRegularization", List.of()),
            Map.entry("PathGrid", List.of()),
            Map.entry("PathValidation", List.of()));

    /** Response schemas written with nulls left out: only their non-nullable properties are always there. */
    static final Set<String> OMITS_NULLS = Set.of("InferenceResponse", "InferenceReady", "InferenceError");

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public void customise(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents() == null ? Map.of() : openApi.getComponents().getSchemas();
        if (schemas == null) {
            schemas = Map.of();
        }
        if (openApi.getComponents() != null && openApi.getPaths() != null
                && openApi.getPaths().keySet().stream().anyMatch(p -> p.startsWith("/v2"))) {
            Schema<?> error = new Schema<>();
            error.setTypes(new LinkedHashSet<>(List.of("object")));
            error.setDescription("Open Inference Protocol error answer (every 4xx and 5xx of a /v2 operation).");
            Schema<?> message = new Schema<>();
            message.setTypes(new LinkedHashSet<>(List.of("string")));
            message.setDescription("What went wrong.");
            error.addProperty("error", message);
            error.setRequired(List.of("error"));
            openApi.getComponents().addSchemas("InferenceError", error);
            schemas = openApi.getComponents().getSchemas();
        }
        for (Schema schema : schemas.values()) {
            fixNullableRefs(schema);
        }
        schemas.forEach((name, schema) -> {
            if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
                return;
            }
            List<String> required;
            if (REQUEST_REQUIRED.containsKey(name)) {
                required = REQUEST_REQUIRED.get(name);
            } else if (schema.getRequired() != null && !schema.getRequired().isEmpty()) {
                required = schema.getRequired();
            } else {
                required = new ArrayList<>();
                for (Map.Entry<String, Schema> p : ((Map<String, Schema>) schema.getProperties()).entrySet()) {
                    if (!OMITS_NULLS.contains(name) || !nullable(p.getValue())) {
                        required.add(p.getKey());
                    }
                }
            }
            schema.setRequired(required.isEmpty() ? null : new ArrayList<>(required));
        });

        if (openApi.getPaths() != null) {
            openApi.getPaths().forEach((path, item) -> {
                for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
                    Operation op = e.getValue();
                    if (op.getDescription() == null || op.getDescription().isBlank()) {
                        op.setDescription(op.getSummary() == null ? op.getOperationId() : op.getSummary() + ".");
                    }
                    if (path.startsWith("/v2")) {
                        inferenceErrors(path, e.getKey(), op);
                    } else if (op.getResponses() != null) {
                        op.getResponses().forEach((code, response) -> errorExample(path, e.getKey(), code, response));
                    }
                }
            });
        }

        List<Tag> tags = openApi.getTags() == null ? new ArrayList<>() : new ArrayList<>(openApi.getTags());
        Map<String, Tag> byName = new LinkedHashMap<>();
        for (Tag t : tags) {
            byName.putIfAbsent(t.getName(), t);
        }
        List<Tag> ordered = new ArrayList<>();
        for (String name : TAG_ORDER) {
            if (byName.containsKey(name)) {
                ordered.add(byName.remove(name));
            }
        }
        ordered.addAll(byName.values());
        openApi.setTags(ordered);
    }

    private static boolean nullable(Schema<?> s) {
        if (s.getTypes() != null && s.getTypes().contains("null")) {
            return true;
        }
        if (Boolean.TRUE.equals(s.getNullable())) {
            return true;
        }
        if (s.getAnyOf() != null) {
            for (Schema<?> a : s.getAnyOf()) {
                if (a.getTypes() != null && a.getTypes().equals(Set.of("null"))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code {"type": "null", "$ref": r, ...}} anywhere below {@code schema} becomes {@code {"anyOf": [{"$ref": r}, {"type": "null"}], ...}}. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static void fixNullableRefs(Schema<?> schema) {
        if (schema == null) {
            return;
        }
        if (schema.getProperties() != null) {
            for (Map.Entry<String, Schema> p : ((Map<String, Schema>) (Map) schema.getProperties()).entrySet()) {
                Schema<?> value = p.getValue();
                if (value.get$ref() != null && nullable(value)) {
                    Schema replacement = new Schema<>();
                    replacement.setDescription(value.getDescription());
                    replacement.setAnyOf(List.of(new Schema<>().$ref(value.get$ref()), nullType()));
                    p.setValue(replacement);
                } else {
                    fixNullableRefs(value);
                }
            }
        }
        if (schema.getItems() != null) {
            fixNullableRefs(schema.getItems());
        }
    }

    private static Schema<?> nullType() {
        Schema<?> s = new Schema<>();
        s.setTypes(new LinkedHashSet<>(List.of("null")));
        return s;
    }

    /** The /v2 operations answer the protocol's {@code {"error": ...}} object: 400 (bodies, versions), 404 (models), 500. */
    private static void inferenceErrors(String path, PathItem.HttpMethod method, Operation op) {
        Map<String, String[]> answers = new LinkedHashMap<>();
        if (method == PathItem.HttpMethod.POST) {
            answers.put("400", new String[] {"Invalid request or tensor.", "inputs[0].data: has 3 elements, the shape needs 4"});
        }
        if (path.contains("{model}")) {
            answers.put("404", new String[] {"No such model or version.", path.contains("{version}")
                    ? "model '3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41' version '2' does not exist"
                    : "model '3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41' does not exist"});
        }
        answers.put("500", new String[] {"Unexpected server error.", "the server could not complete the request; the error was logged"});
        answers.put("406", new String[] {"The Accept header excludes application/json.", "No acceptable representation"});
        if (method == PathItem.HttpMethod.POST) {
            answers.put("415", new String[] {"The body is not application/json.", "Content-Type 'text/plain' is not supported."});
        }
        answers.forEach((code, text) -> {
            MediaType media = new MediaType().schema(new Schema<>().$ref("#/components/schemas/InferenceError"));
            media.setExamples(Map.of("error", new Example().summary(text[0]).value(Map.of("error", text[1]))));
            op.getResponses().addApiResponse(code, new ApiResponse().description(text[0] + " (the protocol's error object)")
                    .content(new io.swagger.v3.oas.models.media.Content().addMediaType(org.springframework.http.MediaType.APPLICATION_JSON_VALUE, media)));
        });
    }

    private static String instance(String path) {
        return path.replace("{id}", "3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41").replace("{model}", "3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41")
                .replace("{version}", "1");
    }

    /** One example problem per status, filled in for the operation's path. */
    private static void errorExample(String path, PathItem.HttpMethod method, String code, ApiResponse response) {
        if (response.getContent() == null) {
            return;
        }
        MediaType media = response.getContent().get(ProblemOpenApi.PROBLEM);
        if (media == null || media.getExample() != null || (media.getExamples() != null && !media.getExamples().isEmpty())) {
            return;
        }
        String instance = instance(path);
        String resource = path.startsWith("/v1/datasets") ? "dataset" : path.startsWith("/v1/fits") ? "fit"
                : path.startsWith("/v1/scorings") ? "scoring" : "model";
        Map<String, Object> example = new LinkedHashMap<>();
        int status = Integer.parseInt(code);
        String title;
        String detail;
        List<Map<String, String>> errors = null;
        switch (status) {
            case 400 -> {
                title = "Bad request";
                detail = method == PathItem.HttpMethod.GET || method == PathItem.HttpMethod.DELETE
                        ? "Invalid cursor" : "Unknown property 'lamda'";
                errors = List.of(method == PathItem.HttpMethod.GET || method == PathItem.HttpMethod.DELETE
                        ? Map.of("field", "cursor", "message", "not a cursor returned by this service")
                        : Map.of("field", "regularization.lamda", "message", "unknown property"));
            }
            case 404 -> {
                title = "Not found";
                detail = resource + " '3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41' does not exist";
            }
            case 409 -> {
                title = "Conflict";
                detail = path.startsWith("/v1/scorings")
                        ? "The scoring is RUNNING; its predictions can be read once it has SUCCEEDED"
                        : "fit '3f1c2a9e-3c1b-4f7e-9a57-2d1b1f0e6c41' is RUNNING and has no model yet; its curve exists once it SUCCEEDED";
            }
            case 413 -> {
                title = "Content too large";
                detail = "The request body exceeds the limit of 16777216 bytes";
            }
            case 415 -> {
                title = "Unsupported Media Type";
                detail = "Content-Type 'text/plain' is not supported.";
            }
            case 422 -> {
                title = "Invalid request";
                Map<String, String> field = switch (path) {
                    case "/v1/fits" -> Map.of("field", "regularization.lambda", "message", "must be >= 0");
                    case "/v1/datasets" -> Map.of("field", "y", "message", "must have as many rows as x (4), has 3");
                    case "/v1/models/{id}/predict" -> Map.of("field", "x[0]", "message", "must have 1 values (the model's inputDim), has 2");
                    case "/v1/models/{id}/export" -> Map.of("field", "format", "message", "must be onnx or json");
                    case "/v1/models/{id}/plot.svg" -> Map.of("field", "output", "message", "must be between 0 and 0");
                    default -> Map.of("field", "limit", "message", "must be greater than or equal to 1");
                };
                errors = List.of(field);
                detail = field.get("field") + ": " + field.get("message");
            }
            case 429 -> {
                title = "Too many requests";
                detail = "The job queue is full (100 jobs waiting); retry later";
            }
            default -> {
                title = "Internal error";
                detail = "The server could not complete the request; the error was logged.";
            }
        }
        example.put("type", Problems.TYPE_BASE + Problems.slug(org.springframework.http.HttpStatusCode.valueOf(status)));
        example.put("title", title);
        example.put("status", status);
        example.put("detail", detail);
        example.put("instance", instance);
        if (errors != null) {
            example.put("errors", errors);
        }
        media.setExamples(Map.of(Problems.slug(org.springframework.http.HttpStatusCode.valueOf(status)),
                new Example().summary(title).value(example)));
    }
}
