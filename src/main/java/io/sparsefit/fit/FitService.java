package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.dataset.DataValidator;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.DatasetView;
import io.sparsefit.dataset.TableSchema;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Cursors;
import io.sparsefit.web.FieldProblem;
import io.sparsefit.web.Ownership;
import io.sparsefit.web.Page;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Submits, reads, lists and cancels fits. Everything is checked before a fit is queued. */
@Service
public class FitService {

    private final FitRepository repository;
    private final FitValidator validator;
    private final DataValidator dataValidator;
    private final DatasetService datasets;
    private final FitWorkers workers;
    private final LiveFits liveFits;
    private final FitMetrics metrics;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final SparsefitProperties properties;
    private final JobQueue queue;
    private final FitWarnings fitWarnings;
    /** Admission (queue-depth check + insert) is serialized in this process only: with replicas the limit is approximate. */

    FitService(FitRepository repository, FitValidator validator, DataValidator dataValidator, DatasetService datasets,
               FitWorkers workers, LiveFits liveFits, FitMetrics metrics, TransactionTemplate tx, JsonMapper json,
               SparsefitProperties properties, JobQueue queue, FitWarnings fitWarnings) {
        this.repository = repository;
        this.validator = validator;
        this.dataValidator = dataValidator;
        this.datasets = datasets;
        this.workers = workers;
        this.liveFits = liveFits;
        this.metrics = metrics;
        this.tx = tx;
        this.json = json;
        this.properties = properties;
        this.queue = queue;
        this.fitWarnings = fitWarnings;
    }

    /** The fit and whether it already existed (an Idempotency-Key replay). */
    public record Submission(FitView fit, boolean replayed) {
    }

    public Submission submit(FitRequest raw, String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ApiException.invalid("Idempotency-Key", "must be 1 to 200 characters");
        }
        FitRequest request = raw.withDefaults();
        validator.checkRequest(request);
        String sha = sha256(json.writeValueAsString(request));
        String apiKeyId = Ownership.keyIdForNew();
        if (idempotencyKey != null) {
            Optional<Submission> replay = replay(apiKeyId, idempotencyKey, sha);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        DataValidator.Table inline = null;
        TableSchema schema;
        if (request.data() != null) {
            inline = dataValidator.toTable(request.data().x(), request.data().y(), "data.");
            schema = TableSchema.unnamed(inline.x(), inline.y().numCols);
            int targets = inline.y().numCols;
            Loss loss = FitLoss.resolve(request.loss(), inline.classes(), targets, 0).toLoss();
            validator.checkAgainstData(request, inline.x().numRows, inline.x().numCols, loss.outputs(targets), loss, false);
        } else {
            DatasetView ds = datasets.find(request.datasetId())
                    .orElseThrow(() -> ApiException.invalid("datasetId", "no dataset '" + request.datasetId() + "'"));
            schema = datasets.schema(ds.id());
            PreparedTable.check(request, schema);
            Loss loss = FitLoss.resolve(request.loss(), ds.classes(), ds.outputDim(), schema.targetMissing()).toLoss();
            // The network's inputs: one per numeric column, one per level of a categorical column; its outputs: one per
            // target column, or per class (cross_entropy).
            validator.checkAgainstData(request, ds.rows(), schema.encodedWidth(), loss.outputs(ds.outputDim()), loss, schema.weighted());
        }
        List<String> warnings = PreparedTable.warnings(request, schema);
        String id = UUID.randomUUID().toString();
        DataValidator.Table data = inline;
        Optional<Submission> raced = queue.admit(apiKeyId, () -> {
            try {
                tx.executeWithoutResult(status -> {
                    FitRequest stored = request;
                    if (data != null) {
                        stored = request.withDataset(datasets.store("inline data of fit " + id, data).id());
                    }
                    repository.insert(id, stored.datasetId(), json.writeValueAsString(stored), sha, idempotencyKey,
                            request.solver().maxIter(), Instant.now().truncatedTo(ChronoUnit.MICROS), apiKeyId);
                    fitWarnings.save(id, warnings);
                });
            } catch (DuplicateKeyException duplicate) {
                // Another request with the same Idempotency-Key won the insert.
                return Optional.of(replay(apiKeyId, idempotencyKey, sha).orElseThrow(() -> duplicate));
            }
            return Optional.<Submission>empty();
        });
        if (raced.isPresent()) {
            return raced.get();
        }
        metrics.submitted();
        workers.wake();
        return new Submission(get(id), false);
    }

    private Optional<Submission> replay(String apiKeyId, String key, String sha) {
        return repository.findByIdempotencyKey(apiKeyId, key).map(existing -> {
            if (!existing.requestSha256().equals(sha)) {
                // Never name the fit (a habit from when keys were global; they are scoped per API key now).
                throw ApiException.invalid(List.of(new FieldProblem("Idempotency-Key",
                        "was already used with a different request body; use a new key for a new request")));
            }
            return new Submission(view(existing), true);
        });
    }

    public FitView get(String id) {
        return view(repository.find(id, Ownership.scope()).filter(FitRepository.Row::isFit)
                .orElseThrow(() -> ApiException.notFound("fit", id)));
    }

    public Page<FitView> list(FitState state, int limit, String cursor) {
        int size = Math.min(limit, properties.limits().maxPageSize());
        List<FitRepository.Row> rows = repository.page(Cursors.decode(cursor), size + 1, state, Ownership.scope());
        boolean more = rows.size() > size;
        List<FitRepository.Row> page = more ? rows.subList(0, size) : rows;
        String next = more ? Cursors.encode(page.get(page.size() - 1).seq()) : null;
        return new Page<>(page.stream().map(this::view).toList(), next);
    }

    /**
     * {@code DELETE /v1/fits/{id}}: cancels a fit that is not finished, deletes one that is. A queued fit
     * ends CANCELLED at once; a running one is asked to stop (a flag in the database, read by the
     * replica that runs it at its next heartbeat or progress write, or set here at once when this
     * replica runs it) and ends CANCELLED within one solver iteration after that. A finished fit
     * (SUCCEEDED, FAILED, CANCELLED) is deleted and the answer is empty; its model, if any, stays and
     * keeps its {@code fitId}. A second DELETE of a cancelled fit therefore deletes it.
     *
     * @return the fit after cancelling, or empty when it was deleted
     */
    public Optional<FitView> cancelOrDelete(String id) {
        FitRepository.Row row = repository.find(id, Ownership.scope()).filter(FitRepository.Row::isFit)
                .orElseThrow(() -> ApiException.notFound("fit", id));
        if (row.state().isFinal()) {
            if (!repository.deleteFinished(id)) {
                throw ApiException.notFound("fit", id);
            }
            return Optional.empty();
        }
        return Optional.of(cancel(row));
    }

    private FitView cancel(FitRepository.Row row) {
        if (queue.cancel(row.id())) {
            metrics.cancelledWhileQueued();
        }
        return get(row.id());
    }

    private FitView view(FitRepository.Row row) {
        FitRequest request = json.readValue(row.requestJson(), FitRequest.class);
        int iteration = row.iteration();
        Double objective = row.objective();
        Double gap = null;
        LiveFits.Live live = row.state() == FitState.RUNNING ? liveFits.get(row.id()) : null;
        if (live != null) {
            iteration = live.iteration;
            double liveObjective = live.objective;
            if (Double.isFinite(liveObjective)) {
                objective = liveObjective;
            }
            double liveGap = live.gap;
            if (Double.isFinite(liveGap)) {
                gap = liveGap;
            }
        }
        int maxIter = row.maxIter();
        double fraction = row.state() == FitState.SUCCEEDED ? 1.0
                : maxIter > 0 ? Math.min(1.0, iteration / (double) maxIter) : 0.0;
        FitView.FitError error = row.errorJson() == null ? null : json.readValue(row.errorJson(), FitView.FitError.class);
        return new FitView(row.id(), row.state(), new FitView.Progress(iteration, maxIter, fraction, objective, gap), row.createdAt(),
                row.startedAt(), row.finishedAt(), row.modelId(), error, request, fitWarnings.find(row.id()));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
