package io.sparsefit.dataset;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import io.sparsefit.web.Ownership;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** SQL for the {@code dataset} table (portable between H2 and PostgreSQL). */
@Repository
class DatasetRepository {

    private static final String VIEW_COLUMNS = "seq, id, name, row_count, input_dim, output_dim, sha256, created_at, columns_json, "
            + "classes_json";

    private final JdbcClient jdbc;
    private final JsonMapper json;

    DatasetRepository(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** {@code w}: the encoded weights, null without a weight column. */
    void insert(DatasetView view, TableSchema schema, byte[] x, byte[] y, byte[] w, String apiKeyId) {
        insert(view, schema, x, y, w, apiKeyId, x.length);
    }

    /** {@code x} null: x is stored in chunks ({@link #insertChunk}) of {@code xBytes} bytes in all. */
    void insert(DatasetView view, TableSchema schema, byte[] x, byte[] y, byte[] w, String apiKeyId, long xBytes) {
        jdbc.sql("insert into dataset (id, name, row_count, input_dim, output_dim, sha256, x_data, y_data, created_at, "
                        + "api_key_id, stored_bytes, columns_json, w_data, classes_json) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(view.id(), view.name(), view.rows(), view.inputDim(), view.outputDim(), view.sha256(), x, y,
                        Timestamp.from(view.createdAt()), apiKeyId, xBytes + y.length + (w == null ? 0 : w.length),
                        json.writeValueAsString(schema), w, view.classes() == null ? null : json.writeValueAsString(view.classes()))
                .update();
    }

    /**
     * The row of a dataset whose x is being streamed into chunks ({@link UploadChunks}), inserted first for the chunks'
     * foreign key and completed by {@link #complete} in the same transaction (never committed as it is: no other
     * transaction sees it).
     */
    void insertPending(String id, String name, int inputDim, java.time.Instant createdAt, String apiKeyId) {
        jdbc.sql("insert into dataset (id, name, row_count, input_dim, output_dim, sha256, x_data, y_data, created_at, api_key_id, "
                        + "stored_bytes) values (?, ?, 0, ?, 0, '', null, ?, ?, ?, 0)")
                .params(id, name, inputDim, new byte[0], Timestamp.from(createdAt), apiKeyId).update();
    }

    /** Completes a dataset row of {@link #insertPending} once its x is stored in chunks of {@code xBytes} bytes in all. */
    void complete(DatasetView view, TableSchema schema, byte[] y, byte[] w, long xBytes) {
        jdbc.sql("update dataset set row_count = ?, input_dim = ?, output_dim = ?, sha256 = ?, y_data = ?, created_at = ?, "
                        + "stored_bytes = ?, columns_json = ?, w_data = ?, classes_json = ? where id = ?")
                .params(view.rows(), view.inputDim(), view.outputDim(), view.sha256(), y, Timestamp.from(view.createdAt()),
                        xBytes + y.length + (w == null ? 0 : w.length), json.writeValueAsString(schema), w,
                        view.classes() == null ? null : json.writeValueAsString(view.classes()), view.id())
                .update();
    }

    /** Replaces chunk {@code chunk} of x of dataset {@code id} (the level indices of an upload, renumbered once they are sorted). */
    void updateChunk(String datasetId, int chunk, byte[] x) {
        jdbc.sql("update dataset_chunk set x_data = ? where dataset_id = ? and chunk = ?").params(x, datasetId, chunk).update();
    }

    /** One chunk of rows of x of a dataset stored with {@code x_data} null, in order from 0. */
    void insertChunk(String datasetId, int chunk, byte[] x) {
        jdbc.sql("insert into dataset_chunk (dataset_id, chunk, x_data) values (?, ?, ?)").params(datasetId, chunk, x).update();
    }

    /** The chunks of x of dataset {@code id} in order (empty for a dataset stored in one piece). */
    List<byte[]> chunks(String id) {
        return jdbc.sql("select x_data from dataset_chunk where dataset_id = ? order by chunk").param(id)
                .query((rs, i) -> rs.getBytes(1)).list();
    }

    /** How many chunks of x dataset {@code id} has (0 for a dataset stored in one piece). */
    int chunkCount(String id) {
        return jdbc.sql("select count(*) from dataset_chunk where dataset_id = ?").param(id).query(Integer.class).single();
    }

    /** Chunk {@code chunk} of x of dataset {@code id}, if there is one. */
    Optional<byte[]> chunk(String id, int chunk) {
        return jdbc.sql("select x_data from dataset_chunk where dataset_id = ? and chunk = ?").params(id, chunk)
                .query((rs, i) -> rs.getBytes(1)).optional();
    }

    /** The stored schema of a dataset row (datasets stored before schemas: numeric columns x0.., y0..). */
    TableSchema schema(String columnsJson, int inputDim, int outputDim) {
        return columnsJson == null ? TableSchema.unnamed(inputDim, outputDim) : json.readValue(columnsJson, TableSchema.class);
    }

    Optional<DatasetView> find(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select " + VIEW_COLUMNS + " from dataset where id = :id" + scope.clause()).param("id", id))
                .query((rs, i) -> view(rs)).optional();
    }

    Optional<TableSchema> findSchema(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select columns_json, input_dim, output_dim from dataset where id = :id" + scope.clause())
                        .param("id", id))
                .query((rs, i) -> schema(rs.getString(1), rs.getInt(2), rs.getInt(3))).optional();
    }

    /** The stored matrices (w null without weights) and the schema. */
    record Data(byte[] x, byte[] y, byte[] w, TableSchema schema) {
    }

    Optional<Data> findData(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select x_data, y_data, w_data, columns_json, input_dim, output_dim from dataset where id = :id"
                        + scope.clause()).param("id", id))
                .query((rs, i) -> new Data(rs.getBytes(1), rs.getBytes(2), rs.getBytes(3), schema(rs.getString(4), rs.getInt(5),
                        rs.getInt(6)))).optional();
    }

    /** The stored targets and weights and the schema, without x (x_data null in the answer). */
    Optional<Data> findTargets(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select y_data, w_data, columns_json, input_dim, output_dim from dataset where id = :id"
                        + scope.clause()).param("id", id))
                .query((rs, i) -> new Data(null, rs.getBytes(1), rs.getBytes(2), schema(rs.getString(3), rs.getInt(4), rs.getInt(5))))
                .optional();
    }

    /** Up to {@code limit} datasets created after {@code afterSeq}, in creation order, each with its sequence number. */
    List<Sequenced> page(long afterSeq, int limit, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select " + VIEW_COLUMNS + " from dataset where seq > :after" + scope.clause()
                        + " order by seq limit :limit").param("after", afterSeq).param("limit", limit))
                .query((rs, i) -> new Sequenced(rs.getLong("seq"), view(rs))).list();
    }

    boolean delete(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("delete from dataset where id = :id" + scope.clause()).param("id", id)).update() > 0;
    }

    /** Bytes of dataset data stored by one key. */
    long storedBytes(String apiKeyId) {
        return jdbc.sql("select coalesce(sum(stored_bytes), 0) from dataset where api_key_id = ?").param(apiKeyId)
                .query(Long.class).single();
    }

    /**
     * Retention: deletes the datasets created before {@code before}, except those a queued or running fit
     * still has to read. Returns how many were deleted.
     */
    int deleteCreatedBefore(Instant before) {
        return jdbc.sql("delete from dataset where created_at < ? and not exists (select 1 from fit "
                        + "where fit.dataset_id = dataset.id and fit.state in ('QUEUED', 'RUNNING'))")
                .param(Timestamp.from(before)).update();
    }

    record Sequenced(long seq, DatasetView view) {
    }

    private DatasetView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        TableSchema schema = schema(rs.getString("columns_json"), rs.getInt("input_dim"), rs.getInt("output_dim"));
        String classes = rs.getString("classes_json");
        return DatasetView.of(rs.getString("id"), rs.getString("name"), rs.getInt("row_count"), instant(rs, "created_at"),
                rs.getString("sha256"), rs.getInt("output_dim"), schema, classes == null ? null : json.readValue(classes, TargetClasses.class));
    }

    static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
