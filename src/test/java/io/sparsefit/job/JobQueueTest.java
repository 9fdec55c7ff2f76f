package io.sparsefit.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queue's SQL and the heartbeat on both databases (H2 in PostgreSQL mode, and a real
 * PostgreSQL), without an application, for jobs of a kind whose runner is a stub (the queue knows no feature):
 * concurrent claims never take a job twice; a beat renews the
 * leases of the fits running here and passes on cancel requests; it marks a fit whose row another
 * replica took over as lost; it re-queues expired leases of other replicas and ends a fit FAILED,
 * with a problem object, once its last allowed attempt expired; completion and requeue need
 * ownership; and a runner's job ends the same way whatever its kind (result, unexplained failure, shutdown, lost
 * lease), through {@link JobExecution}.
 */
class JobQueueTest {

    private static final int MAX_ATTEMPTS = 3;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    private HikariDataSource dataSource;
    private SparsefitProperties properties;
    private TransactionTemplate tx;
    private JobRepository repository;
    private JdbcClient jdbc;
    private LiveJobs live;
    private JobHeartbeat heartbeat;

    private void setUp(String database) {
        // A small pool, as in the application (the claims below run on four threads at once).
        HikariDataSource ds = new HikariDataSource();
        ds.setMaximumPoolSize(4);
        if (database.equals("postgres")) {
            ds.setJdbcUrl(TestDatabase.newPostgresDatabase());
            ds.setUsername(TestDatabase.USER);
        } else {
            // The same URL settings as application.yaml, on a file in a fresh directory.
            ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("queue") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
            ds.setUsername("sa");
        }
        dataSource = ds;
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = JdbcClient.create(ds);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        repository = new JobRepository(jdbc, tx);
        live = new LiveJobs();
        properties = new SparsefitProperties("unused",
                new SparsefitProperties.Fits(1, 100, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(60),
                        Duration.ofSeconds(5), MAX_ATTEMPTS, true, Duration.ofSeconds(1), Duration.ofMinutes(30)),
                new SparsefitProperties.Limits(100, 10, 10, 10, 10, org.springframework.util.unit.DataSize.ofMegabytes(1), 10, 10,
                        Duration.ofSeconds(30), Duration.ofHours(1), org.springframework.util.unit.DataSize.ofBytes(0), 6, 4, Duration.ofSeconds(10)),
                SparsefitProperties.Security.off(), SparsefitProperties.Retention.off());
        heartbeat = new JobHeartbeat(repository, live, new JobRunners(List.of(new StubRunner())), JsonMapper.builder().build(),
                properties);
    }

    @org.junit.jupiter.api.AfterEach
    void closePool() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    private String queue() {
        String id = java.util.UUID.randomUUID().toString();
        repository.insert(StubRunner.KIND.name(), id, "dataset", "{}", "sha", null, 10, null, Instant.now(), "");
        return id;
    }

    private JobRepository.Row row(String id) {
        return repository.find(id).orElseThrow();
    }

    private int attempts(String id) {
        return jdbc.sql("select attempts from fit where id = ?").param(id).query(Integer.class).single();
    }

    private Instant leaseUntil(String id) {
        return jdbc.sql("select lease_until from fit where id = ?").param(id)
                .query((rs, i) -> rs.getObject(1, java.time.OffsetDateTime.class)).single().toInstant();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void concurrentClaimsTakeEachFitOnce(String database) throws Exception {
        setUp(database);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(queue());
        }
        List<String> claimed = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Void>> claimers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String owner = "replica-" + t;
                claimers.add(() -> {
                    Optional<JobRepository.Row> r;
                    while ((r = repository.claimNext(owner, Instant.now(), Instant.now().plusSeconds(60))).isPresent()) {
                        assertThat(r.get().state()).isEqualTo(JobState.RUNNING);
                        claimed.add(r.get().id());
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(claimers)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(claimed).hasSize(40).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(ids).allSatisfy(id -> assertThat(attempts(id)).isEqualTo(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void heartbeatRenewsLocalLeasesPassesOnCancelsAndDetectsTakeOver(String database) {
        setUp(database);
        String mine = queue();
        String taken = queue();
        Instant past = Instant.now().minusSeconds(5);
        // Claimed here with leases already expired (as after a long pause): the beat renews them before it reaps.
        assertThat(repository.claimNext("here", past, past).orElseThrow().id()).isEqualTo(mine);
        assertThat(repository.claimNext("here", past, past).orElseThrow().id()).isEqualTo(taken);
        LiveJobs.Live runningMine = live.start(mine);
        LiveJobs.Live runningTaken = live.start(taken);
        jdbc.sql("update fit set owner = 'elsewhere', lease_until = ? where id = ?")
                .params(java.sql.Timestamp.from(Instant.now().plusSeconds(60)), taken).update();
        repository.requestCancel(mine);

        heartbeat.beat("here");

        assertThat(row(mine).state()).isEqualTo(JobState.RUNNING);
        assertThat(leaseUntil(mine)).isAfter(Instant.now().plusSeconds(50));
        assertThat(runningMine.cancelled).isTrue();
        assertThat(runningMine.lost).isFalse();
        assertThat(runningTaken.lost).isTrue();
        // Ownership is required to finish or give back.
        assertThat(repository.finish(taken, "here", JobState.SUCCEEDED, 1, null, null, null, Instant.now())).isFalse();
        assertThat(repository.requeue(taken, "here")).isFalse();
        assertThat(repository.finish(mine, "here", JobState.CANCELLED, 1, null, null, null, Instant.now())).isTrue();
        assertThat(row(taken).state()).isEqualTo(JobState.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void expiredLeasesAreQueuedAgainUntilTheAttemptLimitThenTheFitFails(String database) {
        setUp(database);
        String id = queue();
        String healthy = queue();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Instant past = Instant.now().minusSeconds(1);
            assertThat(repository.claimNext("dead-" + attempt, past, past).orElseThrow().id()).isEqualTo(id);
            assertThat(attempts(id)).isEqualTo(attempt);
            if (attempt == 1) {
                // Another replica's live fit, lease in the future: never touched by the reaper.
                repository.claimNext("alive", Instant.now(), Instant.now().plusSeconds(60));
            }
            heartbeat.beat("here");
            JobRepository.Row after = row(id);
            if (attempt < MAX_ATTEMPTS) {
                assertThat(after.state()).isEqualTo(JobState.QUEUED);
            } else {
                assertThat(after.state()).isEqualTo(JobState.FAILED);
                assertThat(after.errorJson()).contains("\"status\":500").contains("claimed " + MAX_ATTEMPTS + " times")
                        .contains("\"type\":\"https://sparsefit.io/problems/stub-failed\"").contains("/v1/stubs/" + id);
                assertThat(after.finishedAt()).isNotNull();
            }
        }
        assertThat(row(healthy).state()).isEqualTo(JobState.RUNNING);
        assertThat(attempts(healthy)).isEqualTo(1);
        // A graceful give-back returns the attempt: shutdowns never use up a fit's attempts.
        assertThat(repository.requeue(healthy, "alive")).isTrue();
        assertThat(attempts(healthy)).isZero();
        assertThat(row(healthy).state()).isEqualTo(JobState.QUEUED);
    }

    /** Claims the next job and runs it here with {@code runner}, as a worker does; {@code stopping}: the service is stopping. */
    private void runClaimed(JobRunner runner, boolean stopping) {
        JobExecution execution = new JobExecution(repository, live, new JobRunners(List.of(runner)), tx, JsonMapper.builder().build(),
                properties);
        Instant now = Instant.now();
        execution.run(repository.claimNext("here", now, now.plusSeconds(60)).orElseThrow(), "here", () -> stopping);
    }

    /** A runner of the stub kind that does {@code body} and records what the queue told it ended. */
    private static final class Recording extends StubRunner {
        final List<String> ended = new ArrayList<>();
        final List<String> discarded = new ArrayList<>();
        final java.util.function.BiConsumer<Job, JobControl> body;

        Recording(java.util.function.BiConsumer<Job, JobControl> body) {
            this.body = body;
        }

        @Override
        public void run(Job job, JobControl control) {
            body.accept(job, control);
        }

        @Override
        public void ended(JobState state, int steps, long nanos) {
            ended.add(state + "/" + steps + "/" + (nanos >= 0));
        }

        @Override
        public void discard(String id) {
            discarded.add(id);
        }
    }

    /**
     * An {@link io.sparsefit.web.ApiException} out of a runner (a dataset deleted under it: the 404 a request would get; data
     * it cannot use: 422) ends the job FAILED with a problem of that status and detail, of the kind's type and title,
     * whatever the kind: the queue maps it, no runner has to; what the job stored is discarded in the same transaction.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anApiExceptionOutOfARunnerKeepsItsStatusAndDetail(String database) {
        setUp(database);
        String gone = queue();
        Recording deleted = new Recording((job, control) -> {
            control.progress(4, null);
            throw io.sparsefit.web.ApiException.notFound("dataset", "d-1");
        });
        runClaimed(deleted, false);
        JobRepository.Row row = row(gone);
        assertThat(row.state()).isEqualTo(JobState.FAILED);
        assertThat(row.errorJson()).contains("\"type\":\"" + io.sparsefit.web.Problems.TYPE_BASE + "stub-failed\"")
                .contains("\"title\":\"Stub failed\"").contains("\"status\":404")
                .contains("\"detail\":\"dataset 'd-1' does not exist\"").contains("/v1/stubs/" + gone);
        assertThat(row.step()).isEqualTo(4);
        assertThat(deleted.ended).containsExactly("FAILED/4/true");
        assertThat(deleted.discarded).containsExactly(gone);

        String invalid = queue();
        Recording unusable = new Recording((job, control) -> {
            throw io.sparsefit.web.ApiException.invalid("preprocessing.missing", "no training row is left");
        });
        runClaimed(unusable, false);
        assertThat(row(invalid).errorJson()).contains("\"status\":422")
                .contains("\"detail\":\"preprocessing.missing: no training row is left\"");
    }

    /**
     * A cancel that was accepted wins over the failure it caused: a runner that throws once its job was cancelled, while
     * the service stops or not, ends CANCELLED (not FAILED, and not given back to the queue at a shutdown), what it
     * stored discarded; so does a runner that reports the failure itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anAcceptedCancelWinsOverTheFailureItCaused(String database) {
        setUp(database);
        for (boolean stopping : new boolean[] {true, false}) {
            String id = queue();
            repository.requestCancel(id); // accepted before the claim (as a cancel through another replica)
            Recording throwing = new Recording((job, control) -> {
                assertThat(control.cancelRequested()).isTrue();
                control.progress(2, 0.25);
                throw new IllegalStateException("the solver stopped mid-step");
            });
            runClaimed(throwing, stopping);
            JobRepository.Row row = row(id);
            assertThat(row.state()).as("stopping: %s", stopping).isEqualTo(JobState.CANCELLED);
            assertThat(row.errorJson()).isNull();
            assertThat(row.step()).isEqualTo(2);
            assertThat(throwing.ended).containsExactly("CANCELLED/2/true");
            assertThat(throwing.discarded).containsExactly(id);
        }
        String reported = queue();
        repository.requestCancel(reported);
        Recording failing = new Recording((job, control) -> assertThat(control.fail(500, "Stub failed", "after the cancel")).isTrue());
        runClaimed(failing, false);
        assertThat(row(reported).state()).isEqualTo(JobState.CANCELLED);
    }

    /**
     * What every kind gets from the queue without writing it: the result and the final state written together under the
     * lease, an exception the runner does not explain ends FAILED with a problem naming the kind's resource (its message
     * only logged), an exception while the service stops gives the job back (attempt returned), a lost lease writes
     * nothing; each end is told to the runner once.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theQueueEndsJobsOfAnyKindTheSameWay(String database) {
        setUp(database);
        String done = queue();
        String result = java.util.UUID.randomUUID().toString(); // what the job produced (a fit's model id)
        Recording succeeding = new Recording((job, control) -> {
            control.progress(2, 0.5);
            assertThat(control.finish(JobState.SUCCEEDED, 3, 1.5, () -> result)).isTrue();
        });
        runClaimed(succeeding, false);
        JobRepository.Row row = row(done);
        assertThat(row.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(row.resultId()).isEqualTo(result);
        assertThat(row.step()).isEqualTo(3);
        assertThat(row.objective()).isEqualTo(1.5);
        assertThat(succeeding.ended).containsExactly("SUCCEEDED/3/true");
        assertThat(live.size()).isZero();

        String failed = queue();
        Recording throwing = new Recording((job, control) -> {
            throw new IllegalStateException("secret internals");
        });
        runClaimed(throwing, false);
        row = row(failed);
        assertThat(row.state()).isEqualTo(JobState.FAILED);
        assertThat(row.errorJson()).contains("\"type\":\"" + io.sparsefit.web.Problems.TYPE_BASE + "stub-failed\"")
                .contains("\"title\":\"Stub failed\"").contains("\"status\":500").contains("/v1/stubs/" + failed)
                .contains("could not complete the stub").doesNotContain("secret internals");
        assertThat(throwing.ended).containsExactly("FAILED/0/true");

        String stopped = queue();
        Recording stopping = new Recording((job, control) -> {
            assertThat(control.token().isCancelled()).isTrue(); // a shutdown reaches the token
            throw new IllegalStateException("interrupted by the shutdown");
        });
        runClaimed(stopping, true);
        assertThat(row(stopped).state()).isEqualTo(JobState.QUEUED);
        assertThat(attempts(stopped)).isZero();
        assertThat(stopping.ended).isEmpty();

        Recording lost = new Recording((job, control) -> {
            // Another replica took the job over after our lease ran out.
            jdbc.sql("update fit set owner = 'elsewhere' where id = ?").param(job.id()).update();
            assertThat(control.write(() -> { })).isFalse();
            assertThat(control.token().isCancelled()).isTrue();
            assertThat(control.finish(JobState.SUCCEEDED, 1, null, () -> java.util.UUID.randomUUID().toString())).isFalse();
        });
        runClaimed(lost, false);
        row = row(stopped);
        assertThat(row.state()).isEqualTo(JobState.RUNNING);
        assertThat(row.resultId()).isNull();
        assertThat(lost.ended).isEmpty();
    }

    /**
     * The core's IllegalArgumentException (its argument check naming what does not fit: here a real one, rows of x and y
     * that differ) is the request's doing: FAILED 422 with the core's words. The same exception thrown by the service's
     * own code is a bug: FAILED 500 "internal error", its message not shown; so is any other exception.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theCoresRefusalEnds422AndAnyOtherErrorAnInternal500(String database) {
        setUp(database);
        String refused = queue();
        runClaimed(new Recording((job, control) -> {
            new io.sparsefit.core.FitProblem(new org.ejml.data.DMatrixRMaj(3, 1), new org.ejml.data.DMatrixRMaj(2, 1));
        }), false);
        JobRepository.Row row = row(refused);
        assertThat(row.state()).isEqualTo(JobState.FAILED);
        assertThat(row.errorJson()).contains("\"status\":422").contains("\"title\":\"Stub failed\"")
                .contains("\"detail\":\"The solver refused the request's settings for this data: x has 3 rows but y has 2\"");

        String bug = queue();
        runClaimed(new Recording((job, control) -> {
            throw new IllegalArgumentException("secret internals of the service");
        }), false);
        row = row(bug);
        assertThat(row.state()).isEqualTo(JobState.FAILED);
        assertThat(row.errorJson()).contains("\"status\":500").contains("Internal error: the service could not complete the stub")
                .doesNotContain("secret internals");
        assertThat(JobFailure.thrownByCore(new IllegalArgumentException())).isFalse();
    }

    /**
     * A transient fault out of a run (a 503 ApiException, the database unreachable for a moment) puts the job back in the
     * queue at once with its attempt counted, as a lost lease does, so it runs again; on its last allowed attempt it ends
     * FAILED with the fault's status and detail. Nothing of it is told to the runner as an end until then.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aTransientFaultQueuesTheJobAgainWithItsAttemptCountedUntilTheLast(String database) {
        setUp(database);
        String id = queue();
        Recording busy = new Recording((job, control) -> {
            control.progress(5, 0.5);
            throw io.sparsefit.web.ApiException.unavailable("the store is busy", 1);
        });
        for (int attempt = 1; attempt < MAX_ATTEMPTS; attempt++) {
            runClaimed(busy, false);
            JobRepository.Row row = row(id);
            assertThat(row.state()).as("attempt %d", attempt).isEqualTo(JobState.QUEUED);
            assertThat(attempts(id)).isEqualTo(attempt);
            assertThat(row.step()).isZero();
            assertThat(row.errorJson()).isNull();
        }
        assertThat(busy.ended).isEmpty();
        runClaimed(busy, false);
        JobRepository.Row row = row(id);
        assertThat(row.state()).isEqualTo(JobState.FAILED);
        assertThat(attempts(id)).isEqualTo(MAX_ATTEMPTS);
        assertThat(row.errorJson()).contains("\"status\":503").contains("\"title\":\"Stub failed\"")
                .contains("the store is busy (on its last allowed attempt, " + MAX_ATTEMPTS + ")");
        assertThat(busy.ended).containsExactly("FAILED/5/true");
        assertThat(busy.discarded).containsExactly(id);

        String blip = queue();
        runClaimed(new Recording((job, control) -> {
            throw new DataAccessResourceFailureException("connection reset");
        }), false);
        assertThat(row(blip).state()).isEqualTo(JobState.QUEUED);
        assertThat(attempts(blip)).isEqualTo(1);
    }

    /**
     * A cancel pending in the database (requested through another replica while the job runs, not yet passed on to its
     * run) is never queued again, where the job would otherwise go back to the queue: a transient fault ends it
     * CANCELLED, with no attempt spent on another run (on its first attempt) and not FAILED (on its last); so does a
     * shutdown's give-back; and so does a lease that runs out, or the restart of the replica that ran it, whatever its
     * attempts. What the run stored is discarded as for any cancel.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aPendingCancelEndsTheJobCancelledWhereItWouldGoBackToTheQueue(String database) {
        setUp(database);
        List<RuntimeException> faults = List.of(io.sparsefit.web.ApiException.unavailable("the store is busy", 1),
                new DataAccessResourceFailureException("connection reset"));
        for (int attemptsBefore : new int[] {0, MAX_ATTEMPTS - 1}) {
            for (RuntimeException fault : faults) {
                String id = queue();
                jdbc.sql("update fit set attempts = ? where id = ?").params(attemptsBefore, id).update();
                Recording faulting = new Recording((job, control) -> {
                    control.progress(5, 0.5);
                    repository.requestCancel(job.id()); // through another replica: only the database knows it yet
                    assertThat(control.cancelRequested()).isFalse();
                    throw fault;
                });
                runClaimed(faulting, false);
                JobRepository.Row row = row(id);
                assertThat(row.state()).as("%s on attempt %d", fault, attemptsBefore + 1).isEqualTo(JobState.CANCELLED);
                assertThat(row.errorJson()).isNull();
                assertThat(attempts(id)).isEqualTo(attemptsBefore + 1);
                assertThat(row.step()).isEqualTo(5);
                assertThat(faulting.ended).containsExactly("CANCELLED/5/true");
                assertThat(faulting.discarded).containsExactly(id);
            }
        }

        String stopped = queue();
        Recording stopping = new Recording((job, control) -> {
            control.progress(2, 0.25);
            repository.requestCancel(job.id());
            throw new IllegalStateException("interrupted by the shutdown");
        });
        runClaimed(stopping, true);
        assertThat(row(stopped).state()).as("a shutdown gives a pending cancel back as CANCELLED").isEqualTo(JobState.CANCELLED);
        assertThat(stopping.ended).containsExactly("CANCELLED/2/true");

        // Leases that ran out with a cancel pending, on a first and on a last attempt: the reaper cancels both.
        List<String> expired = new ArrayList<>();
        for (int attempts : new int[] {1, MAX_ATTEMPTS}) {
            String id = queue();
            Instant past = Instant.now().minusSeconds(1);
            assertThat(repository.claimNext("dead", past, past).orElseThrow().id()).isEqualTo(id);
            jdbc.sql("update fit set attempts = ? where id = ?").params(attempts, id).update();
            repository.requestCancel(id);
            expired.add(id);
        }
        heartbeat.beat("here");
        for (String id : expired) {
            JobRepository.Row row = row(id);
            assertThat(row.state()).isEqualTo(JobState.CANCELLED);
            assertThat(row.errorJson()).isNull();
            assertThat(row.finishedAt()).isNotNull();
        }

        // A replica that stopped while running it, starting again (JobWorkers.start): cancelled, not queued again.
        String orphan = queue();
        assertThat(repository.claimNext("restarted", Instant.now(), Instant.now().plusSeconds(60)).orElseThrow().id()).isEqualTo(orphan);
        repository.requestCancel(orphan);
        heartbeat.cancelPendingOwnedBy("restarted");
        heartbeat.failExhaustedOwnedBy("restarted");
        assertThat(repository.requeueOwnedBy("restarted", MAX_ATTEMPTS)).isZero();
        assertThat(row(orphan).state()).isEqualTo(JobState.CANCELLED);
        assertThat(row(orphan).errorJson()).isNull();
    }

    /**
     * A transient fault whose requeue cannot be written (the database still unreachable) leaves the job RUNNING; the
     * WARN that says so tells what its lease running out does, a cancel pending in the database included (this run
     * cannot see it), and the reaper then does that: a job whose cancel was requested through another replica ends
     * CANCELLED, it does not run again.
     */
    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aFaultWhoseRequeueCannotBeWrittenSaysWhatItsLeaseRunningOutDoes(CapturedOutput output) {
        setUp("h2");
        JobRepository unreachable = new JobRepository(jdbc, tx) {
            @Override
            boolean requeueCountingTheAttempt(String id, String owner, int maxAttempts) {
                throw new DataAccessResourceFailureException("connection refused");
            }
        };
        String id = queue();
        Recording faulting = new Recording((job, control) -> {
            repository.requestCancel(job.id()); // through another replica: only the database knows it
            throw new DataAccessResourceFailureException("connection reset");
        });
        JobExecution execution = new JobExecution(unreachable, live, new JobRunners(List.of(faulting)), tx,
                JsonMapper.builder().build(), properties);
        Instant now = Instant.now();
        execution.run(repository.claimNext("here", now, now.plusSeconds(60)).orElseThrow(), "here", () -> false);
        assertThat(row(id).state()).isEqualTo(JobState.RUNNING);
        assertThat(output).contains("Job " + id + " stopped: database unreachable")
                .contains("when its lease runs out it is queued again, or ends CANCELLED if a cancel is pending by then");
        jdbc.sql("update fit set lease_until = ? where id = ?").params(java.sql.Timestamp.from(now.minusSeconds(1)), id).update();
        heartbeat.beat("elsewhere");
        assertThat(row(id).state()).isEqualTo(JobState.CANCELLED);
        assertThat(faulting.ended).isEmpty();
    }

    /**
     * Ownership is per replica, so when another replica re-queues a job after this one's lease ran out and this same
     * replica claims it again, the database cannot tell the old run from the new one: the old run must be found lost
     * here, write nothing and leave the new run registered (its lease renewed by the heartbeat).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRunClaimedAgainByTheSameReplicaStopsTheOldRunWithoutItsWrites(String database) {
        setUp(database);
        String id = queue();
        LiveJobs.Live[] again = new LiveJobs.Live[1];
        Recording old = new Recording((job, control) -> {
            assertThat(control.token().isCancelled()).isFalse();
            // The lease ran out, another replica re-queued the job, and a second worker of this replica claimed it.
            jdbc.sql("update fit set state = 'QUEUED', owner = null, lease_until = null where id = ?").param(job.id()).update();
            Instant now = Instant.now();
            assertThat(repository.claimNext("here", now, now.plusSeconds(60)).orElseThrow().id()).isEqualTo(job.id());
            again[0] = live.start(job.id());
            assertThat(control.token().isCancelled()).isTrue();
            assertThat(control.write(() -> jdbc.sql("update fit set progress_iteration = 99 where id = ?").param(job.id()).update()))
                    .isFalse();
            assertThat(control.finish(JobState.SUCCEEDED, 1, null, () -> "old result")).isFalse();
            assertThat(control.fail(500, "Stub failed", "old failure")).isFalse();
            control.stop(1); // neither cancelled by a user nor ours any more: no give-back of the new run's job
        });
        runClaimed(old, false);
        JobRepository.Row row = row(id);
        assertThat(row.state()).isEqualTo(JobState.RUNNING);
        assertThat(row.step()).isZero();
        assertThat(row.resultId()).isNull();
        assertThat(row.errorJson()).isNull();
        assertThat(old.ended).isEmpty();
        assertThat(live.get(id)).isSameAs(again[0]);
        assertThat(again[0].lost).isFalse();
        heartbeat.beat("here");
        assertThat(again[0].lost).isFalse();
        assertThat(row(id).state()).isEqualTo(JobState.RUNNING);
        live.end(again[0]);
        assertThat(live.size()).isZero();
    }

    /** A kind the queue runs without knowing what it computes: it names the resource in problems and keeps nothing. */
    private static class StubRunner implements JobRunner {
        /** A kind name the fit_kind_check constraint allows. */
        static final JobKind KIND = new JobKind("FIT", "stub", retention -> Duration.ZERO);

        @Override
        public JobKind kind() {
            return KIND;
        }

        @Override
        public void run(Job job, JobControl control) {
            throw new UnsupportedOperationException("the queue's SQL and heartbeat are tested without running jobs");
        }
    }
}
