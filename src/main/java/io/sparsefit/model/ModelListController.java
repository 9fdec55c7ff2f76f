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
    private final tools.jackson.databind.json.JsonMapper json;

    ModelListController(JdbcClient jdbc, SparsefitProperties properties, tools.jackson.databind.json.JsonMapper json) {
        this.jdbc = jdbc;
        this.limits = properties.limits();
        this.json = json;
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
            @Schema(description = "Creation time (UTC).") Instant createdAt,
            @Schema(description = "The fit's name, if any.", nullable = true) String name,
            @Schema(description = "The fit's tags.") List<String> tags,
            @Schema(description = "The objective of the fit (diagnostics.objective); null for models stored before it was kept.",
                    nullable = true) Double objective,
            @Schema(description = "RMSE on the training rows (the root of the mean over outputs of the MSE); null for models stored "
                    + "before it was kept and for path points.", nullable = true) Double trainRmse) {
    }

    /** Sort orders: the request name, its SQL; a leading '-' sorts descending. */
    private static final java.util.Map<String, String> SORTS = java.util.Map.of(
            "createdAt", "seq", "objective", "objective", "trainRmse", "train_rmse");

    private record Sequenced(long seq, ModelSummary summary) {
    }

    @GetMapping(path = "/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "listModels", summary = "List models",
            description = "Models in creation order (or as `sort` says), `limit` per page; pass `nextCursor` as `cursor` for the next "
                    + "page. `name` keeps the models of fits with that name, `tag` those with that tag.")
    Page<ModelSummary> list(@Parameter(description = Page.LIMIT_DESCRIPTION)
                            @RequestParam(defaultValue = Page.DEFAULT_LIMIT) @Min(1) @Max(Page.MAX_LIMIT) int limit,
                            @Parameter(description = "Cursor from a previous page's `nextCursor` (of the same query).")
                            @RequestParam(required = false) String cursor,
                            @Parameter(description = "Only models whose fit had this name (exact match).")
                            @RequestParam(required = false) String name,
                            @Parameter(description = "Only models whose fit had this tag.")
                            @RequestParam(required = false) String tag,
                            @Parameter(description = "Order: createdAt (default), objective or trainRmse, ascending; a leading - "
                                    + "for descending. Models without the value come last.",
                                    schema = @Schema(allowableValues = {"createdAt", "-createdAt", "objective", "-objective", "trainRmse",
                                            "-trainRmse"}))
                            @RequestParam(defaultValue = "createdAt") String sort) {
        boolean descending = sort.startsWith("-");
        String column = SORTS.get(descending ? sort.substring(1) : sort);
        if (column == null) {
            throw io.sparsefit.web.ApiException.invalid("sort", "must be one of createdAt, objective, trainRmse, with an optional leading -");
        }
        int size = limits.pageSize(limit);
        Ownership.Scope scope = Ownership.scope();
        StringBuilder where = new StringBuilder(" where 1 = 1");
        java.util.Map<String, Object> params = new java.util.HashMap<>();
        boolean keyset = column.equals("seq") && !descending;
        long position = Cursors.decode(cursor);
        if (keyset) {
            where.append(" and seq > :after"); // creation order pages by key, as before
            params.put("after", position);
        }
        if (name != null) {
            where.append(" and name = :name");
            params.put("name", name);
        }
        if (tag != null) {
            // tags is a JSON array of strings: look for the tag as one of its quoted elements.
            where.append(" and tags like :tag escape '!'");
            params.put("tag", "%" + json.writeValueAsString(tag).replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%");
        }
        String order = " order by " + (column.equals("seq") ? "" : column + " is null, ") + column + (descending ? " desc" : "")
                + ", seq";
        String page = keyset ? " limit :limit" : " limit :limit offset :offset";
        var statement = jdbc.sql("select seq, id, fit_id, input_dim, output_dim, width, layers, skip, created_at, name, tags, objective, "
                + "train_rmse from model" + where + scope.clause() + order + page).param("limit", size + 1);
        if (!keyset) {
            statement = statement.param("offset", position);
        }
        for (var p : params.entrySet()) {
            statement = statement.param(p.getKey(), p.getValue());
        }
        List<Sequenced> rows = scope.bind(statement)
                .query((rs, i) -> {
                    OffsetDateTime t = rs.getObject("created_at", OffsetDateTime.class);
                    String tags = rs.getString("tags");
                    return new Sequenced(rs.getLong("seq"), new ModelSummary(rs.getString("id"), rs.getString("fit_id"),
                            rs.getInt("input_dim"), rs.getInt("output_dim"), rs.getInt("width"),
                            NetworkCodec.shapes(rs.getString("layers")), rs.getBoolean("skip"),
                            t == null ? null : t.toInstant(), rs.getString("name"),
                            tags == null ? List.of() : List.of(json.readValue(tags, String[].class)),
                            (Double) rs.getObject("objective", Double.class), (Double) rs.getObject("train_rmse", Double.class)));
                }).list();
        return Page.ofFetched(rows, size, last -> keyset ? last.seq() : position + size, Sequenced::summary);
    }
}
