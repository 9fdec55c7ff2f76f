package io.sparsefit.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Document-level OpenAPI metadata; operations and schemas are described on the controllers and records. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {

    static final String BEARER = "bearerAuth";
    static final String API_KEY_HEADER = "apiKeyHeader";

    @Bean
    OpenAPI sparsefitOpenApi() {
        return new OpenAPI()
                // Optional API keys (sparsefit.security.api-keys): off by default, so the empty requirement {} is listed
                // too; with keys configured, either scheme works and a request without one is 401.
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An API key from sparsefit.security.api-keys, as Authorization: Bearer <key>."))
                        .addSecuritySchemes(API_KEY_HEADER, new SecurityScheme().type(SecurityScheme.Type.APIKEY)
                                .in(SecurityScheme.In.HEADER).name("X-API-Key")
                                .description("The same API key in the X-API-Key header.")))
                .security(List.of(new SecurityRequirement().addList(BEARER), new SecurityRequirement().addList(API_KEY_HEADER),
                        new SecurityRequirement()))
                // Relative: the host that serves this document (Swagger UI's "Try it out" works wherever the service runs;
                // generated clients take their host from their configuration, e.g. http://localhost:8080).
                .servers(List.of(new Server().url("/").description("The host that serves this document")))
                .info(new Info()
                        .title("sparsefit")
                        .version("v1")
                        .description("Fits one-hidden-layer ReLU networks under sparse regularization (weight decay, "
                                + "path norm) and serves the learned functions: neurons, knots, diagnostics, predictions.")
                        .contact(new Contact().name("sparsefit").url("https://sparsefit.io"))
                        .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")))
                .addTagsItem(new Tag().name("datasets").description("Training data: upload as JSON or CSV, list, delete."))
                .addTagsItem(new Tag().name("fits").description("Asynchronous fitting jobs: submit, poll, stream progress, cancel."))
                .addTagsItem(new Tag().name("paths").description("Regularization paths: fits over a lambda grid with validation, "
                        + "the best and one-SE choice of lambda, and in one dimension the exact solution path."))
                .addTagsItem(new Tag().name("models").description("Learned networks: parameters, predictions (JSON or CSV), "
                        + "diagnostics, plots (SVG), export (ONNX)."))
                .addTagsItem(new Tag().name("scorings").description("Batch scoring: a stored model over a stored dataset as a job "
                        + "(progress, cancel), its predictions downloaded as CSV or JSON pages."))
                .addTagsItem(new Tag().name("inference").description("Open Inference Protocol (KServe v2) endpoints over the stored models."));
    }
}
