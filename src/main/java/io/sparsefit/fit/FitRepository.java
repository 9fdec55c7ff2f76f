package io.sparsefit.fit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for the {@code fit} table. State changes are conditional updates ({@code ... where state = ?})
 * so that two workers, or a worker and a cancel request, can never both win.
 */
@Repository
class FitRepository {

    private static final String COLUMNS = "seq, id, state, dataset_id, request_json, request_sha256, idempotency_key, "
            + "cancel_requested, progress_iteration, progress_max_iter, progress_objective, model_id, error_json, "
            + "created_at, started_at, finished_at";

    private final JdbcClient jdbc;

    FitRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Row(long seq, String id, FitState state, String datasetId, String requestJson, String requestSha256,
               String idempotencyKey, boolean cancelRequested, int iteration, int maxIter, Double objective, String modelId,
               String errorJson, Instant createdAt, Instant startedAt, Instant finishedAt) {
    }

    void insert(String id, String datasetId, String requestJson, String sha, String key, int maxIter, Instant createdAt) {
        jdbc.sql("insert into fit (id, state, dataset_id, request_json, request_sha256, idempotency_key, progress_max_iter, created_at) "
                        + "values (?, 'QUEUED', ?, ?, ?, ?, ?, ?)")
                .params(id, datasetId, requestJson, sha, key, maxIter, Timestamp.from(createdAt))
                .update();
    }

    Optional<Row> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from fit where id = ?").param(id).query(FitRepository::row).optional();
    }

    Optional<Row> findByIdempotencyKey(String key) {
        return jdbc.sql("select " + COLUMNS + " from fit where idempotency_key = ?").param(key).query(FitRepository::row).optional();
    }

    List<Row> page(long afterSeq, int limit, FitState state) {
        if (state == null) {
            return jdbc.sql("select " + COLUMNS + " from fit where seq > ? order by seq limit ?")
                    .params(afterSeq, limit).query(FitRepository::row).list();
        }
        return jdbc.sql("select " + COLUMNS + " from fit where seq > ? and state = ? order by seq limit ?")
                .params(afterSeq, state.name(), limit).query(FitRepository::row).list();
    }

    int count(FitState state) {
        return jdbc.sql("select count(*) from fit where state = ?").param(state.name()).query(Integer.class).single();
    }

    /**
     * Claims the oldest queued fit for {@code owner} until {@code leaseUntil}: a conditional update, so
     * a fit claimed by someone else in between is skipped. Empty when nothing is queued.
     */
    Optional<Row> claimNext(String owner, Instant now, Instant leaseUntil) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<String> candidate = jdbc.sql("select id from fit where state = 'QUEUED' order by seq limit 1")
                    .query(String.class).optional();
            if (candidate.isEmpty()) {
                return Optional.empty();
            }
            int updated = jdbc.sql("update fit set state = 'RUNNING', owner = ?, lease_until = ?, started_at = ?, "
                            + "attempts = attempts + 1 where id = ? and state = 'QUEUED'")
                    .params(owner, Timestamp.from(leaseUntil), Timestamp.from(now), candidate.get())
                    .update();
            if (updated == 1) {
                return find(candidate.get());
            }
        }
        return Optional.empty();
    }

    /** Writes progress and renews the lease; returns whether a cancel was requested (by any replica). */
    boolean saveProgress(String id, String owner, int iteration, Double objective, Instant leaseUntil) {
        jdbc.sql("update fit set progress_iteration = ?, progress_objective = ?, lease_until = ? "
                        + "where id = ? and owner = ? and state = 'RUNNING'")
                .params(iteration, objective, Timestamp.from(leaseUntil), id, owner)
                .update();
        return jdbc.sql("select cancel_requested from fit where id = ?").param(id).query(Boolean.class).optional().orElse(false);
    }

    /** Moves a running fit owned by {@code owner} to a final state; false if it is no longer ours. */
    boolean finish(String id, String owner, FitState state, int iteration, Double objective, String modelId, String errorJson,
                   Instant now) {
        return jdbc.sql("update fit set state = ?, progress_iteration = ?, progress_objective = ?, model_id = ?, error_json = ?, "
                        + "finished_at = ?, owner = null, lease_until = null where id = ? and owner = ? and state = 'RUNNING'")
                .params(state.name(), iteration, objective, modelId, errorJson, Timestamp.from(now), id, owner)
                .update() == 1;
    }

    /** Puts a running fit back in the queue (shutdown before it finished): it runs again from scratch. */
    boolean requeue(String id, String owner) {
        return jdbc.sql("update fit set state = 'QUEUED', owner = null, lease_until = null, progress_iteration = 0, "
                        + "progress_objective = null where id = ? and owner = ? and state = 'RUNNING'")
                .params(id, owner).update() == 1;
    }

    /**
     * At startup: fits left RUNNING by a process that died are queued again. With {@code all} (one
     * replica, the default) every RUNNING fit is taken back; otherwise only those whose lease expired.
     */
    int recover(boolean all, Instant now) {
        String where = all ? "state = 'RUNNING'" : "state = 'RUNNING' and lease_until < ?";
        var spec = jdbc.sql("update fit set state = 'QUEUED', owner = null, lease_until = null, progress_iteration = 0, "
                + "progress_objective = null where " + where);
        return all ? spec.update() : spec.param(Timestamp.from(now)).update();
    }

    /** Cancels a fit that no worker has claimed yet; false if it is not QUEUED any more. */
    boolean cancelQueued(String id, Instant now) {
        return jdbc.sql("update fit set state = 'CANCELLED', cancel_requested = true, finished_at = ? where id = ? and state = 'QUEUED'")
                .params(Timestamp.from(now), id).update() == 1;
    }

    /** Records a cancel request for a running fit (read by its worker at its next progress write). */
    void requestCancel(String id) {
        jdbc.sql("update fit set cancel_requested = true where id = ? and state in ('QUEUED', 'RUNNING')").param(id).update();
    }

    boolean isCancelRequested(String id) {
        return jdbc.sql("select cancel_requested from fit where id = ?").param(id).query(Boolean.class).optional().orElse(false);
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        double objective = rs.getDouble("progress_objective");
        Double obj = rs.wasNull() ? null : objective;
        return new Row(rs.getLong("seq"), rs.getString("id"), FitState.valueOf(rs.getString("state")), rs.getString("dataset_id"),
                rs.getString("request_json"), rs.getString("request_sha256"), rs.getString("idempotency_key"),
                rs.getBoolean("cancel_requested"), rs.getInt("progress_iteration"), rs.getInt("progress_max_iter"), obj,
                rs.getString("model_id"), rs.getString("error_json"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
