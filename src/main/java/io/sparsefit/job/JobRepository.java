package io.sparsefit.job;

import io.sparsefit.web.Ownership;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * SQL for the job table (named {@code fit}: fits were its first kind; a row's {@code kind} says FIT, PATH or SCORING),
 * the queue shared by every replica. State changes are conditional updates ({@code ... where state = ? and owner = ?})
 * so that two workers, a worker and a cancel request, or a worker and the reaper of another replica can never both
 * win. The SQL is portable between PostgreSQL and H2 in PostgreSQL mode.
 */
@Repository
class JobRepository {

    private static final String COLUMNS = "seq, id, state, dataset_id, request_json, request_sha256, idempotency_key, "
            + "cancel_requested, progress_iteration, progress_max_iter, progress_objective, model_id, error_json, "
            + "created_at, started_at, finished_at, api_key_id, kind, warnings_json";

    /**
     * The update that gives a RUNNING job back to the queue, to run again from scratch on any replica: no owner, no
     * lease, its progress forgotten. Each caller adds its conditions (and what it does with the attempt).
     */
    private static final String REQUEUE = "update fit set state = 'QUEUED', owner = null, lease_until = null, "
            + "progress_iteration = 0, progress_objective = null";

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;

    JobRepository(JdbcClient jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** A stored job; {@code resultId} is the {@code model_id} column (what a fit produced). */
    record Row(long seq, String id, JobState state, String datasetId, String requestJson, String requestSha256,
               String idempotencyKey, boolean cancelRequested, int step, int steps, Double objective, String resultId,
               String errorJson, Instant createdAt, Instant startedAt, Instant finishedAt, String apiKeyId, String kind,
               String warningsJson) {
    }

    /** Inserts a queued job of {@code kind}, owned by {@code apiKeyId}; {@code idempotencyKey} may be null. */
    void insert(String kind, String id, String datasetId, String requestJson, String sha, String idempotencyKey, int steps,
                String warningsJson, Instant createdAt, String apiKeyId) {
        jdbc.sql("insert into fit (id, state, dataset_id, request_json, request_sha256, idempotency_key, progress_max_iter, created_at, "
                        + "kind, api_key_id, warnings_json) values (?, 'QUEUED', ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(id, datasetId, requestJson, sha, idempotencyKey, steps, Timestamp.from(createdAt), kind, apiKeyId, warningsJson)
                .update();
    }

    /** The job, if the scope may see it (workers pass {@link Ownership.Scope#ALL}). */
    Optional<Row> find(String id, Ownership.Scope scope) {
        return scope.bind(jdbc.sql("select " + COLUMNS + " from fit where id = :id" + scope.clause()).param("id", id))
                .query(JobRepository::row).optional();
    }

    Optional<Row> find(String id) {
        return find(id, Ownership.Scope.ALL);
    }

    /** Idempotency keys are scoped per API key: the same key string of two API keys names two different jobs. */
    Optional<Row> findByIdempotencyKey(String apiKeyId, String key) {
        return jdbc.sql("select " + COLUMNS + " from fit where api_key_id = ? and idempotency_key = ?").params(apiKeyId, key)
                .query(JobRepository::row).optional();
    }

    /** Jobs of {@code kind}, in submission order, as the scope may see them. */
    List<Row> page(String kind, long afterSeq, int limit, JobState state, Ownership.Scope scope) {
        String byState = state == null ? "" : " and state = :state";
        JdbcClient.StatementSpec sql = jdbc.sql("select " + COLUMNS + " from fit where seq > :after and kind = :kind" + byState
                + scope.clause() + " order by seq limit :limit").param("after", afterSeq).param("kind", kind).param("limit", limit);
        if (state != null) {
            sql = sql.param("state", state.name());
        }
        return scope.bind(sql).query(JobRepository::row).list();
    }

    int count(JobState state) {
        return jdbc.sql("select count(*) from fit where state = ?").param(state.name()).query(Integer.class).single();
    }

    /** Fits of one API key in {@code state}. */
    int count(JobState state, String apiKeyId) {
        return jdbc.sql("select count(*) from fit where state = ? and api_key_id = ?").params(state.name(), apiKeyId)
                .query(Integer.class).single();
    }

    /** Deletes a job in a final state; false if it does not exist or is still queued or running. */
    boolean deleteFinished(String id) {
        return jdbc.sql("delete from fit where id = ? and state in ('SUCCEEDED', 'FAILED', 'CANCELLED')").param(id).update() == 1;
    }

    /**
     * Retention: deletes the jobs of {@code kind} that ended before {@code before}; returns how many. A path's
     * points and result go with it (V33: foreign keys with on delete cascade).
     */
    int deleteFinishedBefore(String kind, Instant before) {
        return jdbc.sql("delete from fit where kind = ? and finished_at < ? and state in ('SUCCEEDED', 'FAILED', 'CANCELLED')")
                .params(kind, Timestamp.from(before)).update();
    }

    /**
     * Claims the oldest queued job for {@code owner} until {@code leaseUntil}, or returns empty when
     * nothing is queued. The candidate row is locked with {@code FOR UPDATE SKIP LOCKED}, so replicas
     * claiming at the same moment take different rows instead of waiting for each other, and the
     * update is still conditional on {@code state = 'QUEUED'}: two claims of one job cannot both win.
     * Each claim counts one attempt.
     */
    Optional<Row> claimNext(String owner, Instant now, Instant leaseUntil) {
        return claimNext(owner, now, leaseUntil, 0);
    }

    /**
     * As {@link #claimNext(String, Instant, Instant)}, skipping the jobs of API keys that already have
     * {@code maxRunningPerKey} jobs RUNNING (0: no limit). Two replicas claiming for one key at the same
     * moment can overshoot the limit by one each; a single replica cannot (its claims are serialized).
     */
    Optional<Row> claimNext(String owner, Instant now, Instant leaseUntil, int maxRunningPerKey) {
        String perKey = maxRunningPerKey <= 0 ? "" : " and (select count(*) from fit r where r.state = 'RUNNING' "
                + "and r.api_key_id = fit.api_key_id) < " + maxRunningPerKey;
        String claimed = tx.execute(status -> {
            Optional<String> candidate = jdbc.sql("select id from fit where state = 'QUEUED'" + perKey
                            + " order by seq limit 1 for update skip locked")
                    .query(String.class).optional();
            if (candidate.isEmpty()) {
                return null;
            }
            int updated = jdbc.sql("update fit set state = 'RUNNING', owner = ?, lease_until = ?, started_at = ?, "
                            + "attempts = attempts + 1 where id = ? and state = 'QUEUED'")
                    .params(owner, Timestamp.from(leaseUntil), Timestamp.from(now), candidate.get())
                    .update();
            return updated == 1 ? candidate.get() : null;
        });
        return claimed == null ? Optional.empty() : find(claimed);
    }

    /** What a lease renewal found: whether the job is still ours, and whether someone asked to cancel it. */
    record Renewal(boolean owned, boolean cancelRequested) {
    }

    /** Extends the lease of a job {@code owner} runs; tells whether it still owns it and whether a cancel was requested. */
    Renewal renewLease(String id, String owner, Instant leaseUntil) {
        int updated = jdbc.sql("update fit set lease_until = ? where id = ? and owner = ? and state = 'RUNNING'")
                .params(Timestamp.from(leaseUntil), id, owner).update();
        return new Renewal(updated == 1, updated == 1 && isCancelRequested(id));
    }

    /** Writes progress and renews the lease; tells whether the job is still ours and whether a cancel was requested (on any replica). */
    Renewal saveProgress(String id, String owner, int iteration, Double objective, Instant leaseUntil) {
        int updated = jdbc.sql("update fit set progress_iteration = ?, progress_objective = ?, lease_until = ? "
                        + "where id = ? and owner = ? and state = 'RUNNING'")
                .params(iteration, objective, Timestamp.from(leaseUntil), id, owner)
                .update();
        return new Renewal(updated == 1, updated == 1 && isCancelRequested(id));
    }

    /** Moves a running job owned by {@code owner} to a final state; false if it is no longer ours. */
    boolean finish(String id, String owner, JobState state, int iteration, Double objective, String resultId, String errorJson,
                   Instant now) {
        return jdbc.sql("update fit set state = ?, progress_iteration = ?, progress_objective = ?, model_id = ?, error_json = ?, "
                        + "finished_at = ?, owner = null, lease_until = null where id = ? and owner = ? and state = 'RUNNING'")
                .params(state.name(), iteration, objective, resultId, errorJson, Timestamp.from(now), id, owner)
                .update() == 1;
    }

    /*
     * A pending cancel (cancel_requested set while the job runs, not yet seen by its run) is never queued again: every
     * requeue below is conditional on cancel_requested = false, in the same update, so a cancel cannot slip in between a
     * check and the requeue; such a job ends CANCELLED instead (its run's Control, or cancelAbandoned* for a run that
     * is gone). A requeue would cost an attempt and a run, or end the job FAILED on its last attempt.
     */

    /**
     * Gives a running job back to the queue at shutdown: it runs again from scratch, on any replica.
     * The attempt is returned too, as a graceful stop is not a failure of the job. False, nothing changed, when the job
     * is not ours any more or its cancel was requested.
     */
    boolean requeue(String id, String owner) {
        return jdbc.sql(REQUEUE + ", attempts = case when attempts > 0 then attempts - 1 else 0 end "
                        + "where id = ? and owner = ? and state = 'RUNNING' and cancel_requested = false")
                .params(id, owner).update() == 1;
    }

    /**
     * Gives a running job back to the queue after a transient fault (the database unreachable or full, a 503 out of its
     * run), its attempt counted as a lost lease's is, so a fault that never clears ends the job after
     * {@code maxAttempts} claims; false, nothing changed, when the job is not ours any more, used its last attempt, or
     * its cancel was requested.
     */
    boolean requeueCountingTheAttempt(String id, String owner, int maxAttempts) {
        return jdbc.sql(REQUEUE + " where id = ? and owner = ? and state = 'RUNNING' and attempts < ? "
                        + "and cancel_requested = false")
                .params(id, owner, maxAttempts).update() == 1;
    }

    /**
     * At startup: the jobs this instance (same identity) left RUNNING when it died, with claims left and no cancel
     * requested, are queued again at once; nobody else can be running them, since the owner is this instance.
     */
    int requeueOwnedBy(String owner, int maxAttempts) {
        return jdbc.sql(REQUEUE + " where state = 'RUNNING' and owner = ? and attempts < ? and cancel_requested = false")
                .params(owner, maxAttempts).update();
    }

    /**
     * At startup: the jobs this instance left RUNNING on their last allowed attempt (each claim counted
     * one) end FAILED instead of being queued again: a job that kills the JVM must not do so forever.
     * Returns their ids. Not those whose cancel was requested ({@link #cancelAbandonedOwnedBy}).
     */
    List<String> failOwnedWithoutAttemptsLeft(String owner, int maxAttempts, java.util.function.Function<String, String> errorJson,
                                              Instant now) {
        List<String> ids = jdbc.sql("select id from fit where state = 'RUNNING' and owner = ? and attempts >= ? and cancel_requested = false")
                .params(owner, maxAttempts).query(String.class).list();
        return ids.stream().filter(id -> jdbc.sql("update fit set state = 'FAILED', error_json = ?, finished_at = ?, owner = null, "
                        + "lease_until = null where id = ? and state = 'RUNNING' and owner = ? and cancel_requested = false")
                .params(errorJson.apply(id), Timestamp.from(now), id, owner).update() == 1).toList();
    }

    /**
     * At startup: the jobs this instance left RUNNING whose cancel was requested end CANCELLED (what the user asked),
     * neither queued again nor failed. Returns their ids.
     */
    List<String> cancelAbandonedOwnedBy(String owner, Instant now) {
        List<String> ids = jdbc.sql("select id from fit where state = 'RUNNING' and owner = ? and cancel_requested = true")
                .param(owner).query(String.class).list();
        return ids.stream().filter(id -> jdbc.sql("update fit set state = 'CANCELLED', finished_at = ?, owner = null, lease_until = null "
                        + "where id = ? and state = 'RUNNING' and owner = ? and cancel_requested = true")
                .params(Timestamp.from(now), id, owner).update() == 1).toList();
    }

    /**
     * Queues again every RUNNING job whose lease ran out (its replica died, hung, or lost the
     * database for longer than a lease) and that has claims left and no cancel requested. A missing lease counts as
     * expired.
     */
    int requeueExpired(Instant now, int maxAttempts) {
        return jdbc.sql(REQUEUE + " where state = 'RUNNING' and (lease_until is null or lease_until < ?) "
                        + "and attempts < ? and cancel_requested = false")
                .params(Timestamp.from(now), maxAttempts).update();
    }

    /** RUNNING jobs whose lease ran out on their last allowed attempt, without a cancel requested. */
    List<String> expiredWithoutAttemptsLeft(Instant now, int maxAttempts) {
        return jdbc.sql("select id from fit where state = 'RUNNING' and (lease_until is null or lease_until < ?) and attempts >= ? "
                        + "and cancel_requested = false")
                .params(Timestamp.from(now), maxAttempts).query(String.class).list();
    }

    /** Ends a job FAILED whose lease ran out on its last attempt; false if it changed in between (or was cancelled). */
    boolean failExpired(String id, String errorJson, Instant now, int maxAttempts) {
        return jdbc.sql("update fit set state = 'FAILED', error_json = ?, finished_at = ?, owner = null, lease_until = null "
                        + "where id = ? and state = 'RUNNING' and (lease_until is null or lease_until < ?) and attempts >= ? "
                        + "and cancel_requested = false")
                .params(errorJson, Timestamp.from(now), id, Timestamp.from(now), maxAttempts).update() == 1;
    }

    /**
     * Ends CANCELLED every RUNNING job whose lease ran out and whose cancel was requested (its run is gone, or will find
     * the job lost): whatever attempts it has left, it is neither queued again nor failed. Returns their ids.
     */
    List<String> cancelAbandonedExpired(Instant now) {
        List<String> ids = jdbc.sql("select id from fit where state = 'RUNNING' and (lease_until is null or lease_until < ?) "
                        + "and cancel_requested = true")
                .param(Timestamp.from(now)).query(String.class).list();
        return ids.stream().filter(id -> jdbc.sql("update fit set state = 'CANCELLED', finished_at = ?, owner = null, lease_until = null "
                        + "where id = ? and state = 'RUNNING' and (lease_until is null or lease_until < ?) and cancel_requested = true")
                .params(Timestamp.from(now), id, Timestamp.from(now)).update() == 1).toList();
    }

    /** Cancels a job that no worker has claimed yet; false if it is not QUEUED any more. */
    boolean cancelQueued(String id, Instant now) {
        return jdbc.sql("update fit set state = 'CANCELLED', cancel_requested = true, finished_at = ? where id = ? and state = 'QUEUED'")
                .params(Timestamp.from(now), id).update() == 1;
    }

    /** Records a cancel request for a running job (read by its worker at its next progress write). */
    void requestCancel(String id) {
        jdbc.sql("update fit set cancel_requested = true where id = ? and state in ('QUEUED', 'RUNNING')").param(id).update();
    }

    /** The jobs {@code owner} runs whose cancel was requested, through any replica. */
    List<String> cancelRequestedOwnedBy(String owner) {
        return jdbc.sql("select id from fit where state = 'RUNNING' and owner = ? and cancel_requested = true").param(owner)
                .query(String.class).list();
    }

    boolean isCancelRequested(String id) {
        return jdbc.sql("select cancel_requested from fit where id = ?").param(id).query(Boolean.class).optional().orElse(false);
    }

    /**
     * The readiness write probe: inserts a fit row and moves it to RUNNING (the same constraints, indexes
     * and identity as a real submission and claim), then rolls back, so nothing stays and no worker or
     * reader ever sees it. Throws when the database cannot take writes.
     */
    void probeWrite(Duration timeout) {
        TransactionTemplate probe = new TransactionTemplate(tx.getTransactionManager());
        probe.setTimeout((int) Math.max(1, timeout.toSeconds()));
        probe.executeWithoutResult(status -> {
            String id = java.util.UUID.randomUUID().toString();
            jdbc.sql("insert into fit (id, state, dataset_id, request_json, request_sha256, created_at) values (?, 'QUEUED', ?, '{}', '-', ?)")
                    .params(id, id, Timestamp.from(Instant.now())).update();
            jdbc.sql("update fit set state = 'RUNNING' where id = ?").param(id).update();
            status.setRollbackOnly();
        });
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        double objective = rs.getDouble("progress_objective");
        Double obj = rs.wasNull() ? null : objective;
        return new Row(rs.getLong("seq"), rs.getString("id"), JobState.valueOf(rs.getString("state")), rs.getString("dataset_id"),
                rs.getString("request_json"), rs.getString("request_sha256"), rs.getString("idempotency_key"),
                rs.getBoolean("cancel_requested"), rs.getInt("progress_iteration"), rs.getInt("progress_max_iter"), obj,
                rs.getString("model_id"), rs.getString("error_json"), instant(rs, "created_at"), instant(rs, "started_at"),
                instant(rs, "finished_at"), rs.getString("api_key_id"), rs.getString("kind"), rs.getString("warnings_json"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
