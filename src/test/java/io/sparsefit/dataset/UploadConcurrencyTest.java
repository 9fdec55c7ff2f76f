package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sparsefit.support.ServiceTestBase;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Ownership;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * A large CSV upload holds a database connection from its first stored chunk to its end, and one of the
 * {@code sparsefit.uploads.max-concurrent} permits for that time: with none left it is a 503 with Retry-After before
 * anything is stored, and the permit comes back when the upload ends, committed or rolled back. On the real repository
 * and transaction manager of the service.
 */
class UploadConcurrencyTest extends ServiceTestBase {

    @Autowired
    DatasetRepository repository;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcClient jdbc;

    private static final byte[] BLOCK = MatrixCodec.encode(new DMatrixRMaj(new double[][] {{1, 2}, {3, 4}, {5, 6}}));

    private int stored(String id) {
        return jdbc.sql("select count(*) from dataset where id = ?").param(id).query(Integer.class).single()
                + jdbc.sql("select count(*) from dataset_chunk where dataset_id = ?").param(id).query(Integer.class).single();
    }

    @Test
    void withNoPermitLeftAnUploadIsA503BeforeAnythingIsStored() {
        String id = UUID.randomUUID().toString();
        Semaphore permits = new Semaphore(0);
        try (UploadChunks chunks = new UploadChunks(repository, transactions, id, "refused", Ownership.keyIdForNew(), 1024, bytes -> { },
                permits, 7)) {
            assertThatThrownBy(() -> chunks.add(BLOCK))
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
                        assertThat(e.getMessage()).contains("sparsefit.uploads.max-concurrent");
                        assertThat(e.headers().getFirst("Retry-After")).isEqualTo("7");
                    });
            assertThat(chunks.chunked()).isFalse();
        }
        assertThat(permits.availablePermits()).isZero();
        assertThat(stored(id)).isZero();
    }

    @Test
    void aPermitIsHeldFromTheFirstChunkAndGivenBackOnRollback() {
        String id = UUID.randomUUID().toString();
        Semaphore permits = new Semaphore(1);
        try (UploadChunks chunks = new UploadChunks(repository, transactions, id, "rolled back", Ownership.keyIdForNew(), 1024, bytes -> { },
                permits, 1)) {
            chunks.add(BLOCK);
            chunks.add(BLOCK);
            assertThat(permits.availablePermits()).as("one permit for the whole upload").isZero();
            assertThat(chunks.count()).isEqualTo(2);
        }
        assertThat(permits.availablePermits()).isEqualTo(1);
        assertThat(stored(id)).as("closed without a commit: rolled back").isZero();
    }

    @Test
    void aPermitIsGivenBackWhenAQuotaRefusalEndsTheUpload() {
        String id = UUID.randomUUID().toString();
        Semaphore permits = new Semaphore(1);
        try (UploadChunks chunks = new UploadChunks(repository, transactions, id, "over quota", Ownership.keyIdForNew(), 1024,
                bytes -> { throw ApiException.insufficientStorage("quota"); }, permits, 1)) {
            assertThatThrownBy(() -> chunks.add(BLOCK)).isInstanceOf(ApiException.class);
        }
        assertThat(permits.availablePermits()).isEqualTo(1);
        assertThat(stored(id)).isZero();
    }
}
