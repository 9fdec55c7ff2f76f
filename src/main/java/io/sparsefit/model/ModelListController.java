package io.sparsefit.model;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.Cursors;
import io.sparsefit.web.Ownership;
import io.sparsefit.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v1/models}: the stored models in creation order, paged like datasets and fits. */
@RestController
@Tag(name = "models")
class ModelListController {

    private final JdbcClient jdbc;
    private final SparsefitProperties.Limits limits;

    ModelListController(JdbcClient jdbc, SparsefitProperties properties) {
        this.jdbc = jdbc;
        this.limits = properties.limits();
    }

    @Schema(name = "ModelSummary", description = "A stored model in a listing; GET /v1/models/{id} has the network itself.")
    record ModelSummary(
            @Schema(description = "Identifier.") String id,
            @Schema(description = "The fit that produced it.") String fitId,
            @Schema(description = "Input dimension d.", example = "1") int inputDim,
            @Schema(description = "Output dimension m.", example = "1") int outputDim,
            @Schema(description = "Units of the last hidden layer (the only hidden layer of a shallow network).", example = "3") int width,
            @Schema(description = "The hidden layers, first to last (one ReLU layer for a shallow network).")
            List<ModelViews.LayerShape> hiddenLayers,
            @Schema(description = "Whether the affine skip connection C x was trained.") boolean skip,
            @Schema(description = "Creation time (UTC).") Instant createdAt) {
    }

    private record Sequenced(long seq, ModelSummary summary) {
    }

    @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listModels", summary = "List models",
            description = "Models in creation order, `limit` per page; pass `nextCursor` as `cursor` for the next page.")
    Page<ModelSummary> list(@Parameter(description = "Page size (at most the configured maximum, 100 by default).")
                            @RequestParam(defaultValue = "20") @Min(1) @Max(1000) int limit,
                            @Parameter(description = "Cursor from a previous page's `nextCursor`.")
                            @RequestParam(required = false) String cursor) {
        int size = Math.min(limit, limits.maxPageSize());
        Ownership.Scope scope = Ownership.scope();
        List<Sequenced> rows = scope.bind(jdbc.sql("select seq, id, fit_id, input_dim, output_dim, width, layers, skip, created_at from model "
                        + "where seq > :after" + scope.clause() + " order by seq limit :limit")
                        .param("after", Cursors.decode(cursor)).param("limit", size + 1))
                .query((rs, i) -> {
                    OffsetDateTime t = rs.getObject("created_at", OffsetDateTime.class);
                    return new Sequenced(rs.getLong("seq"), new ModelSummary(rs.getString("id"), rs.getString("fit_id"),
                            rs.getInt("input_dim"), rs.getInt("output_dim"), rs.getInt("width"),
                            NetworkCodec.shapes(rs.getString("layers")), rs.getBoolean("skip"),
                            t == null ? null : t.toInstant()));
                }).list();
        boolean more = rows.size() > size;
        List<Sequenced> page = more ? rows.subList(0, size) : rows;
        String next = more ? Cursors.encode(page.get(page.size() - 1).seq()) : null;
        return new Page<>(page.stream().map(Sequenced::summary).toList(), next);
    }
}
