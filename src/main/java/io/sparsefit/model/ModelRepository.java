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

    /** {@code layers}: the hidden layers as {@link NetworkCodec#layers} writes them; {@code width}: the last one's units. */
    record Row(String id, String fitId, int inputDim, int outputDim, int width, String layers, boolean skip, byte[] parameters,
               String diagnosticsJson) {
    }

    void insert(Row row, Instant createdAt, String apiKeyId) {
        jdbc.sql("insert into model (id, fit_id, input_dim, output_dim, width, layers, skip, parameters, diagnostics_json, "
                        + "created_at, api_key_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(row.id(), row.fitId(), row.inputDim(), row.outputDim(), row.width(), row.layers(), row.skip(), row.parameters(),
                        row.diagnosticsJson(), Timestamp.from(createdAt), apiKeyId)
                .update();
    }

    Optional<Row> find(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select id, fit_id, input_dim, output_dim, width, layers, skip, parameters, diagnostics_json "
                        + "from model where id = :id" + scope.clause()).param("id", id))
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                        rs.getString(6), rs.getBoolean(7), rs.getBytes(8), rs.getString(9)))
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
