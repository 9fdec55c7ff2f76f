package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.function.LongConsumer;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/**
 * Where a CSV upload's inputs go while the body is parsed: blocks of rows in {@link MatrixCodec}'s stored form, each
 * written as the next chunk of the dataset ({@code dataset_chunk}, the form that fits, scoring and downloads read), so
 * the heap holds one block at a time. The first block begins a transaction and inserts the dataset's pending row (the
 * chunks' foreign key); everything up to {@link #commit} is that one transaction, and {@link #close} without a commit
 * rolls it back: a failed, oversized or interrupted upload leaves nothing stored, and no other request sees a dataset
 * before it is complete. A table that ends within its first block is never written here (it is stored in one piece,
 * as a JSON upload is), so a small upload holds no database connection while its body arrives; a large one holds one
 * from its first full chunk to its end, and takes one of the {@code sparsefit.uploads.max-concurrent} permits for that
 * time (none left: 503 with Retry-After before anything is stored), so slow uploads cannot take the whole pool.
 */
final class UploadChunks implements AutoCloseable {

    private final DatasetRepository repository;
    private final PlatformTransactionManager transactions;
    private final String datasetId;
    private final String name;
    private final String apiKeyId;
    private final long chunkBytes;
    private final LongConsumer quota;
    private final Semaphore connections;
    private final long retryAfterSeconds;
    private boolean holding;
    private TransactionStatus tx;
    private boolean chunked;
    private int count;
    private long bytes;

    /**
     * @param chunkBytes about how many bytes of inputs one chunk holds ({@code sparsefit.uploads.chunk-size})
     * @param quota      called with the bytes stored so far after each chunk; throws to refuse the upload
     * @param connections the permits of uploads that may hold a connection at once (one taken at the first chunk, given
     *                    back on {@link #close})
     * @param retryAfterSeconds advertised when no permit is left
     */
    UploadChunks(DatasetRepository repository, PlatformTransactionManager transactions, String datasetId, String name,
                 String apiKeyId, long chunkBytes, LongConsumer quota, Semaphore connections, long retryAfterSeconds) {
        this.repository = repository;
        this.transactions = transactions;
        this.datasetId = datasetId;
        this.name = name;
        this.apiKeyId = apiKeyId;
        this.chunkBytes = chunkBytes;
        this.quota = quota;
        this.connections = connections;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Rows of {@code cols} inputs in one chunk: about {@code chunk-size} bytes, at least one row. */
    int rowsPerChunk(int cols) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, chunkBytes / (8L * cols)));
    }

    /** Stores {@code block} (rows in the stored form, not modified) as the next chunk; the first begins the transaction. */
    void add(byte[] block) {
        if (tx == null) {
            if (!holding) {
                if (!connections.tryAcquire()) {
                    throw ApiException.unavailable("Too many large CSV uploads are being stored at once (sparsefit.uploads"
                            + ".max-concurrent); nothing was stored. Retry after the Retry-After seconds.", retryAfterSeconds);
                }
                holding = true;
            }
            tx = transactions.getTransaction(new DefaultTransactionDefinition());
            chunked = true;
            repository.insertPending(datasetId, name, MatrixCodec.shape(block)[1], Instant.now(), apiKeyId);
        }
        bytes += block.length;
        quota.accept(bytes);
        repository.insertChunk(datasetId, count++, block);
    }

    /** True once a chunk is stored: the dataset is stored in chunks, and {@link #commit} ends its transaction. */
    boolean chunked() {
        return chunked;
    }

    int count() {
        return count;
    }

    /** Chunk {@code k} as stored so far (in this transaction). */
    byte[] read(int k) {
        return repository.chunk(datasetId, k).orElseThrow(() -> new IllegalStateException("chunk " + k + " of an upload vanished"));
    }

    /** Replaces chunk {@code k}. */
    void replace(int k, byte[] block) {
        repository.updateChunk(datasetId, k, block);
    }

    /** Commits the dataset (its row completed by the caller in this transaction). */
    void commit() {
        TransactionStatus done = tx;
        tx = null;
        transactions.commit(done);
    }

    /** Rolls back whatever was stored, unless committed. */
    @Override
    public void close() {
        try {
            if (tx != null && !tx.isCompleted()) {
                TransactionStatus failed = tx;
                tx = null;
                transactions.rollback(failed);
            }
        } finally {
            if (holding) {
                holding = false;
                connections.release();
            }
        }
    }
}
