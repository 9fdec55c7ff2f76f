package io.sparsefit.dataset;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.CsvTables;
import io.sparsefit.web.Cursors;
import io.sparsefit.web.Ownership;
import io.sparsefit.web.Page;
import io.sparsefit.web.Sha256;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.ejml.data.DMatrixRMaj;
import org.springframework.stereotype.Service;

/** Stores, lists, loads and deletes datasets; the data is validated before it is stored. */
@Service
public class DatasetService {

    private final DatasetRepository repository;
    private final DataValidator validator;
    private final CsvDatasetParser csv;
    private final SparsefitProperties.Limits limits;
    private final long maxStoredBytes;
    private final org.springframework.transaction.support.TransactionTemplate tx;
    /** Largest x value stored in one piece; larger ones are split into chunks of rows of about this size (dataset_chunk). */
    private final long chunkBytes;
    private final java.util.concurrent.Semaphore uploadConnections;
    private final long retryAfterSeconds;

    DatasetService(DatasetRepository repository, DataValidator validator, CsvDatasetParser csv, SparsefitProperties properties,
                   org.springframework.transaction.support.TransactionTemplate tx, io.sparsefit.config.UploadProperties uploads) {
        this.tx = tx;
        this.chunkBytes = Math.max(8, uploads.chunkSize().toBytes());
        this.uploadConnections = new java.util.concurrent.Semaphore(uploads.maxConcurrent());
        this.retryAfterSeconds = Math.max(1, properties.fits().retryAfter().toSeconds());
        this.repository = repository;
        this.validator = validator;
        this.csv = csv;
        this.limits = properties.limits();
        this.maxStoredBytes = properties.security().perKey().maxStoredBytes().toBytes();
    }

    /** Retention: deletes datasets created before {@code before} that no queued or running fit needs. */
    public int deleteCreatedBefore(Instant before) {
        return repository.deleteCreatedBefore(before);
    }

    public DatasetView create(DatasetUpload upload) {
        DataValidator.Table table = validator.toTable(upload.x(), upload.y(), "");
        DMatrixRMaj[] xy = {table.x(), table.y()};
        validator.checkNamesAndWeights(upload.columns(), upload.w(), xy[0].numRows, xy[0].numCols, "");
        TableSchema schema = upload.columns() == null ? TableSchema.unnamed(xy[0].numCols, xy[1].numCols)
                : TableSchema.numeric(upload.columns(), CsvTables.names("y", xy[1].numCols), true, null);
        schema = TableSchema.numeric(schema.columns(), schema.targets(), schema.named(), xy[0]);
        if (upload.w() != null) {
            schema = schema.withWeight("w");
        }
        return store(upload.name(), new ParsedTable(MatrixCodec.encode(xy[0]), xy[1], upload.w(), schema, table.textClasses()));
    }

    /**
     * Stores a CSV upload as it is parsed ({@link CsvDatasetParser}): x in chunks of rows written while the body
     * arrives, all in one transaction that commits only a complete, valid dataset (see {@link UploadChunks}).
     */
    public DatasetView createFromCsv(java.io.Reader body, String target, String weight, String name) {
        if (name != null && name.length() > 200) {
            throw ApiException.invalid("name", "size must be between 0 and 200");
        }
        String id = UUID.randomUUID().toString();
        String keyId = Ownership.keyIdForNew();
        try (UploadChunks chunks = new UploadChunks(repository, tx.getTransactionManager(), id, name, keyId, chunkBytes,
                stored -> checkQuota(keyId, stored), uploadConnections, retryAfterSeconds)) {
            CsvDatasetParser.Streamed table = csv.parse(body, target, weight, chunks);
            DatasetView view = DatasetView.of(id, name, table.rows(), Instant.now().truncatedTo(ChronoUnit.MICROS), table.sha256(),
                    table.y().numCols, table.schema(), table.classes());
            byte[] wb = table.storedW();
            checkQuota(keyId, table.xBytes() + table.storedY().length + (wb == null ? 0 : wb.length));
            if (!chunks.chunked()) {
                repository.insert(view, table.schema(), table.onePieceX(), table.storedY(), wb, keyId);
                return view;
            }
            repository.complete(view, table.schema(), table.storedY(), wb, table.xBytes());
            chunks.commit();
            return view;
        }
    }

    /** Stores already validated matrices (the inline data of a fit request): numeric, unnamed columns. */
    public DatasetView store(String name, DMatrixRMaj x, DMatrixRMaj y) {
        return store(name, ParsedTable.of(x, y, null, TableSchema.unnamed(x, y.numCols)));
    }

    /** Stores validated inline data (of a fit or path request): unnamed columns, the targets' text labels kept. */
    public DatasetView store(String name, DataValidator.Table table) {
        return store(name, new ParsedTable(MatrixCodec.encode(table.x()), table.y(), null,
                TableSchema.unnamed(table.x(), table.y().numCols), table.textClasses()));
    }

    /** The stored schema of a dataset the caller may see; 404 otherwise. */
    public TableSchema schema(String id) {
        return Ownership.owned("dataset", id, repository::findSchema);
    }

    private DatasetView store(String name, ParsedTable table) {
        byte[] xb = table.storedX();
        byte[] yb = MatrixCodec.encode(table.y());
        byte[] wb = table.w() == null ? null : MatrixCodec.encode(table.w(), 1, table.w().length);
        // The hash of x and y only, as before weights existed: equal data, equal hash; the weights are listed apart.
        DatasetView view = DatasetView.of(UUID.randomUUID().toString(), name, table.y().numRows,
                Instant.now().truncatedTo(ChronoUnit.MICROS), Sha256.hex(xb, yb), table.y().numCols, table.schema(), table.classes());
        String keyId = Ownership.keyIdForNew();
        checkQuota(keyId, (long) xb.length + yb.length + (wb == null ? 0 : wb.length));
        int rows = table.y().numRows;
        int chunkRows = (int) Math.max(1, Math.min(Integer.MAX_VALUE, chunkBytes / (8L * view.inputDim())));
        if (rows <= chunkRows) {
            repository.insert(view, table.schema(), xb, yb, wb, keyId);
            return view;
        }
        // Large: x in chunks of rows (the dataset row first, for the chunks' foreign key), all in one transaction.
        tx.executeWithoutResult(status -> {
            repository.insert(view, table.schema(), null, yb, wb, keyId, xb.length);
            for (int from = 0, chunk = 0; from < rows; from += chunkRows, chunk++) {
                repository.insertChunk(view.id(), chunk, MatrixCodec.slice(xb, from, Math.min(rows, from + chunkRows)));
            }
        });
        return view;
    }

    /**
     * The per-key storage quota ({@code sparsefit.security.per-key.max-stored-bytes}): 413, as the data is
     * too large for what the key may keep; deleting datasets makes room. Checked before the insert, so
     * uploads of one key racing each other can overshoot by one dataset.
     */
    private void checkQuota(String keyId, long bytes) {
        if (maxStoredBytes <= 0) {
            return;
        }
        long stored = repository.storedBytes(keyId);
        if (stored + bytes > maxStoredBytes) {
            throw ApiException.payloadTooLarge("Storage quota exceeded: this key stores " + stored + " bytes of datasets, this one "
                    + "needs " + bytes + " more, the limit is " + maxStoredBytes + "; delete datasets to make room");
        }
    }

    public DatasetView get(String id) {
        return Ownership.owned("dataset", id, repository::find);
    }

    /** The dataset if it exists and the caller may see it. */
    public java.util.Optional<DatasetView> find(String id) {
        return repository.find(id, Ownership.scope());
    }

    public StoredDataset load(String id) {
        DatasetView view = get(id);
        DatasetRepository.Data data = Ownership.owned("dataset", id, repository::findData);
        DMatrixRMaj x = data.x() != null ? MatrixCodec.decode(data.x()) : MatrixCodec.decodeRows(repository.chunks(id));
        return new StoredDataset(view, x, MatrixCodec.decode(data.y()),
                data.w() == null ? null : MatrixCodec.decode(data.w()).data, data.schema());
    }

    /**
     * A dataset's targets and weights with its view and schema, but not its inputs (read those with {@link #rowBlocks}):
     * x is null in the answer. 404 when the caller may not see it.
     */
    public StoredDataset targets(String id) {
        DatasetView view = get(id);
        DatasetRepository.Data data = Ownership.owned("dataset", id, repository::findTargets);
        return new StoredDataset(view, null, MatrixCodec.decode(data.y()), data.w() == null ? null : MatrixCodec.decode(data.w()).data,
                data.schema());
    }

    /**
     * The inputs of a dataset the caller may see as blocks of consecutive rows, in order, read one block at a time so
     * that a dataset larger than the heap can be streamed (batch scoring): its stored chunks (dataset_chunk), or the
     * whole x as one block for a dataset stored in one piece (at most {@code sparsefit.uploads.chunk-size}). 404 when
     * there is no such dataset.
     */
    public RowBlocks rowBlocks(String id) {
        DatasetView view = get(id);
        TableSchema schema = schema(id);
        int chunks = repository.chunkCount(id);
        return new RowBlocks(view, schema, Math.max(1, chunks), block -> {
            byte[] bytes = chunks == 0
                    ? repository.findData(id, Ownership.Scope.ALL).map(DatasetRepository.Data::x).orElse(null)
                    : repository.chunk(id, block).orElse(null);
            if (bytes == null) {
                throw ApiException.notFound("dataset", id); // deleted while it was read
            }
            return MatrixCodec.decode(bytes);
        });
    }

    /**
     * A dataset's input rows in {@code count} blocks; {@code read.apply(i)} decodes block i (rows in stored order, N_i x
     * inputs as {@link ParsedTable} describes them) from the database each time it is called.
     */
    public record RowBlocks(DatasetView view, TableSchema schema, int count, java.util.function.IntFunction<DMatrixRMaj> read) {
    }

    public Page<DatasetView> list(int limit, String cursor) {
        int size = limits.pageSize(limit);
        List<DatasetRepository.Sequenced> rows = repository.page(Cursors.decode(cursor), size + 1, Ownership.scope());
        return Page.ofFetched(rows, size, DatasetRepository.Sequenced::seq, DatasetRepository.Sequenced::view);
    }

    public void delete(String id) {
        Ownership.deleteOwned("dataset", id, repository::delete);
    }
}
