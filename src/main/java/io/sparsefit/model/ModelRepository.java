package io.sparsefit.model;

import java.sql.Timestamp;
import java.time.Instant;
import io.sparsefit.web.Ownership;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the {@code model} table. */
@Repository
class ModelRepository {

    private final JdbcClient jdbc;

    ModelRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * {@code layers}: the hidden layers as {@link NetworkCodec#layers} writes them; {@code width}: the last one's units.
     * {@code inputsJson} ({@link ModelTable}), {@code provenanceJson} ({@link Provenance}), {@code name} and {@code tagsJson}
     * (a JSON array of strings) are null for models stored before tables had names; {@code lossJson} ({@link ModelLoss}) for
     * models stored before losses (squared) and for path points.
     */
    record Row(String id, String fitId, int inputDim, int outputDim, int width, String layers, boolean skip, byte[] parameters,
               String diagnosticsJson, String inputsJson, String provenanceJson, String name, String tagsJson, Instant createdAt,
               String lossJson) {
    }

    /** {@code trainRmse} and {@code objective}: the sort keys of the model list. */
    void insert(Row row, String apiKeyId, Double trainRmse, Double objective) {
        jdbc.sql("insert into model (id, fit_id, input_dim, output_dim, width, layers, skip, parameters, diagnostics_json, "
                        + "created_at, api_key_id, inputs_json, provenance_json, name, tags, train_rmse, objective, loss_json) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(row.id(), row.fitId(), row.inputDim(), row.outputDim(), row.width(), row.layers(), row.skip(), row.parameters(),
                        row.diagnosticsJson(), Timestamp.from(row.createdAt()), apiKeyId, row.inputsJson(), row.provenanceJson(),
                        row.name(), row.tagsJson(), trainRmse, objective, row.lossJson())
                .update();
    }

    Optional<Row> find(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select id, fit_id, input_dim, output_dim, width, layers, skip, parameters, diagnostics_json, "
                        + "inputs_json, provenance_json, name, tags, created_at, loss_json from model where id = :id" + scope.clause())
                        .param("id", id))
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                        rs.getString(6), rs.getBoolean(7), rs.getBytes(8), rs.getString(9), rs.getString(10), rs.getString(11),
                        rs.getString(12), rs.getString(13), rs.getObject(14, java.time.OffsetDateTime.class).toInstant(),
                        rs.getString(15)))
                .optional();
    }

    boolean delete(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("delete from model where id = :id" + scope.clause()).param("id", id)).update() > 0;
    }

    /** Retention: deletes the models created before {@code before}; returns how many. */
    int deleteCreatedBefore(Instant before) {
        return jdbc.sql("delete from model where created_at < ?").param(Timestamp.from(before)).update();
    }
}
