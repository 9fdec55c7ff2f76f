package io.sparsefit.dataset;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** SQL for the {@code dataset} table (portable between H2 and PostgreSQL). */
@Repository
class DatasetRepository {

    private static final String VIEW_COLUMNS = "seq, id, name, row_count, input_dim, output_dim, sha256, created_at";

    private final JdbcClient jdbc;

    DatasetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(DatasetView view, byte[] x, byte[] y) {
        jdbc.sql("insert into dataset (id, name, row_count, input_dim, output_dim, sha256, x_data, y_data, created_at) "
                        + "values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(view.id(), view.name(), view.rows(), view.inputDim(), view.outputDim(), view.sha256(), x, y,
                        Timestamp.from(view.createdAt()))
                .update();
    }

    Optional<DatasetView> find(String id) {
        return jdbc.sql("select " + VIEW_COLUMNS + " from dataset where id = ?").param(id)
                .query((rs, i) -> view(rs)).optional();
    }

    Optional<byte[][]> findData(String id) {
        return jdbc.sql("select x_data, y_data from dataset where id = ?").param(id)
                .query((rs, i) -> new byte[][] {rs.getBytes(1), rs.getBytes(2)}).optional();
    }

    /** Up to {@code limit} datasets created after {@code afterSeq}, in creation order, each with its sequence number. */
    List<Sequenced> page(long afterSeq, int limit) {
        return jdbc.sql("select " + VIEW_COLUMNS + " from dataset where seq > ? order by seq limit ?")
                .params(afterSeq, limit)
                .query((rs, i) -> new Sequenced(rs.getLong("seq"), view(rs))).list();
    }

    boolean delete(String id) {
        return jdbc.sql("delete from dataset where id = ?").param(id).update() > 0;
    }

    record Sequenced(long seq, DatasetView view) {
    }

    private static DatasetView view(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new DatasetView(rs.getString("id"), rs.getString("name"), rs.getInt("row_count"), rs.getInt("input_dim"),
                rs.getInt("output_dim"), instant(rs, "created_at"), rs.getString("sha256"));
    }

    static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
