package io.sparsefit.web;

import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * Documents the error answers: a {@code Problem} schema (RFC 9457 plus {@code errors}) and, on every
 * operation, the problem+json responses it can give (400, 404 for paths with an id, 413 and 422 for
 * bodies, 429 for fit submission, 500 and 503 for all, 507 for the writing ones).
 */
@Component
class ProblemOpenApi implements OpenApiCustomizer {

    static final String PROBLEM = "application/problem+json";

    @Override
    public void customise(io.swagger.v3.oas.models.OpenAPI openApi) {
        Schema<?> fieldProblem = new ObjectSchema()
                .description("One invalid field.")
                .addProperty("field", new StringSchema().description("Dotted path of the field.").example("regularization.lambda"))
                .addProperty("message", new StringSchema().description("What is wrong.").example("must be >= 0"));
        fieldProblem.setRequired(List.of("field", "message"));
        Schema<?> problem = new ObjectSchema()
                .description("RFC 9457 problem details, the body of every 4xx and 5xx answer.")
                .addProperty("type", new StringSchema().format("uri").description("Kind of problem.")
                        .example(Problems.TYPE_BASE + "validation"))
                .addProperty("title", new StringSchema().description("Short summary of the kind.").example("Invalid request"))
                .addProperty("status", new IntegerSchema().description("HTTP status.").example(422))
                .addProperty("detail", new StringSchema().description("What happened in this case.").example("regularization.lambda: must be >= 0"))
                .addProperty("instance", new StringSchema().format("uri-reference").description("The request path.").example("/v1/fits"))
                .addProperty("errors", new ArraySchema().items(new Schema<>().$ref("#/components/schemas/FieldProblem"))
                        .description("Invalid fields (validation failures only)."));
        problem.setRequired(List.of("type", "title", "status"));
        openApi.getComponents().addSchemas("FieldProblem", fieldProblem);
        openApi.getComponents().addSchemas("Problem", problem);

        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> {
            if (path.startsWith("/v2")) {
                return; // the Open Inference Protocol has its own error object (inference.InferenceErrors)
            }
            for (Map.Entry<PathItem.HttpMethod, Operation> e : item.readOperationsMap().entrySet()) {
                ApiResponses responses = e.getValue().getResponses();
                boolean hasBody = e.getValue().getRequestBody() != null;
                add(responses, "400", "Malformed request (unparseable body, unknown property, wrong type, bad parameter).");
                add(responses, "401", "API keys are configured and the request has no valid one (Authorization: Bearer or X-API-Key).");
                if (path.contains("{id}")) {
                    add(responses, "404", "No such resource.");
                }
                if (hasBody) {
                    add(responses, "413", "Body or data larger than the configured limits, or beyond the API key's storage quota.");
                    add(responses, "415", "Unsupported Content-Type.");
                }
                if (hasBody || e.getKey() == PathItem.HttpMethod.GET) {
                    add(responses, "422", "Well-formed but invalid values; `errors` lists each bad field.");
                }
                if (path.equals("/v1/fits") && e.getKey() == PathItem.HttpMethod.POST) {
                    add(responses, "429", "The job queue, or this API key's share of it, is full, or the key's request rate limit is "
                            + "reached; retry after the Retry-After seconds.");
                }
                add(responses, "429", "This API key's request rate limit is reached; retry after the Retry-After seconds.");
                add(responses, "500", "Unexpected server error (no internals are disclosed).");
                add(responses, "503", "The database cannot be reached right now; retry after the Retry-After seconds.");
                boolean writes = (e.getKey() == PathItem.HttpMethod.POST || e.getKey() == PathItem.HttpMethod.DELETE)
                        && !path.endsWith("/predict") && !path.endsWith("/evaluate");
                if (writes) {
                    add(responses, "507", "The database's storage is full: the write was not kept (reads go on; writes are "
                            + "taken again once space is freed).");
                }
                sort(responses);
            }
        });
    }

    private static void add(ApiResponses responses, String code, String description) {
        if (!responses.containsKey(code)) {
            responses.addApiResponse(code, new ApiResponse().description(description)
                    .content(new Content().addMediaType(PROBLEM, new MediaType().schema(new Schema<>().$ref("#/components/schemas/Problem")))));
        }
    }

    private static void sort(ApiResponses responses) {
        TreeMap<String, ApiResponse> sorted = new TreeMap<>(responses);
        responses.clear();
        responses.putAll(sorted);
    }
}
