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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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
 * ownership.
 */
class JobQueueTest {

    private static final int MAX_ATTEMPTS = 3;

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    private HikariDataSource dataSource;
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
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        repository = new JobRepository(jdbc, tx);
        live = new LiveJobs();
        SparsefitProperties properties = new SparsefitProperties("unused",
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

    /** A kind the queue runs without knowing what it computes: it names the resource in problems and keeps nothing. */
    private static final class StubRunner implements JobRunner {
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
