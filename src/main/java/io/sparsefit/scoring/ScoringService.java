package io.sparsefit.scoring;

import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.DatasetView;
import io.sparsefit.dataset.MatrixCodec;
import io.sparsefit.job.JobQueue;
import io.sparsefit.job.JobState;
import io.sparsefit.job.JobView;
import io.sparsefit.model.BatchScorer;
import io.sparsefit.model.ModelService;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import io.sparsefit.web.Page;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.ejml.data.DMatrixRMaj;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Submits, reads, lists and cancels scorings, and reads their predictions. Everything is checked before a scoring is queued. */
@Service
public class ScoringService {

    /** Rows of a JSON page of predictions when the request names no limit, and the most it may ask for. */
    static final int DEFAULT_PAGE_ROWS = 1000;
    static final int MAX_PAGE_ROWS = 10000;

    private final JobQueue queue;
    private final ScoringRepository repository;
    private final DatasetService datasets;
    private final ModelService models;
    private final JsonMapper json;

    ScoringService(JobQueue queue, ScoringRepository repository, DatasetService datasets, ModelService models, JsonMapper json) {
        this.queue = queue;
        this.repository = repository;
        this.datasets = datasets;
        this.models = models;
        this.json = json;
    }

    /**
     * Queues a scoring: 422 for a missing id, 404 for a model or dataset the caller cannot see, 422 when the dataset's
     * columns do not fit the model (as evaluate says: a missing column, another kind, an unseen level; and empty cells the
     * model does not impute).
     */
    public ScoringView submit(ScoringRequest request) {
        List<FieldProblem> missing = new ArrayList<>();
        if (request == null || request.modelId() == null || request.modelId().isBlank()) {
            missing.add(new FieldProblem("modelId", "must not be blank"));
        }
        if (request == null || request.datasetId() == null || request.datasetId().isBlank()) {
            missing.add(new FieldProblem("datasetId", "must not be blank"));
        }
        if (!missing.isEmpty()) {
            throw ApiException.invalid(missing);
        }
        DatasetView dataset = datasets.get(request.datasetId());
        BatchScorer scorer = models.scorer(request.modelId(), datasets.schema(request.datasetId()));
        ScoringSpec spec = new ScoringSpec(request.modelId(), dataset.id(), dataset.rows(), scorer.outputs(), scorer.columns(),
                scorer.logits(), scorer.classes());
        // No Idempotency-Key.
        return view(queue.submit(new JobQueue.NewJob(ScoringJob.KIND, dataset.rows(), List.of(),
                id -> new JobQueue.Stored(dataset.id(), json.writeValueAsString(spec)))).job());
    }

    public ScoringView get(String id) {
        return view(job(id));
    }

    public Page<ScoringView> list(JobState state, int limit, String cursor) {
        return queue.page(ScoringJob.KIND, state, limit, cursor).map(this::view);
    }

    /** Like a fit: a queued scoring is cancelled at once, a running one within one slice; a finished one is deleted with its predictions. */
    public Optional<ScoringView> cancelOrDelete(String id) {
        return queue.cancelOrDelete(ScoringJob.KIND, id).map(this::view);
    }

    /** The CSV header of the predictions of a SUCCEEDED scoring; 404, or 409 while it is not SUCCEEDED. */
    public List<String> checkPredictions(String id) {
        return succeeded(id).header();
    }

    private ScoringSpec succeeded(String id) {
        JobView job = job(id);
        if (job.state() != JobState.SUCCEEDED) {
            throw ApiException.conflict("The scoring is " + job.state() + "; its predictions can be read once it has SUCCEEDED");
        }
        return spec(job);
    }

    /**
     * Hands the predictions of scoring {@code id} (checked by {@link #checkPredictions}) to {@code row} as the cells of
     * predict's CSV (numbers in shortest round-trip digits, as CsvTables; a classification row's label last), one row at
     * a time and one stored block in memory at a time, in row order: what a download streams. The array is reused.
     */
    void forEachCsvRow(String id, Consumer<String[]> row) {
        ScoringSpec spec = spec(job(id));
        String[] cells = new String[spec.header().size()];
        int numbers = spec.classes() == null ? cells.length : cells.length - 1;
        int count = repository.blockCount(id);
        for (int b = 0; b < count; b++) {
            DMatrixRMaj y = block(id, b);
            for (int i = 0; i < y.numRows; i++) {
                int at = i * y.numCols;
                for (int j = 0; j < numbers; j++) {
                    cells[j] = Double.toString(y.data[at + j]);
                }
                if (spec.classes() != null) {
                    cells[numbers] = String.valueOf(spec.classes().get((int) y.data[at + numbers]));
                }
                row.accept(cells);
            }
        }
    }

    /** Rows {@code offset} to {@code offset + limit - 1} of the predictions of a SUCCEEDED scoring; 404, 409, 422 for a bad range. */
    public PredictionPage page(String id, int offset, Integer limit) {
        ScoringSpec spec = succeeded(id);
        int rows = spec.rows();
        int size = limit == null ? DEFAULT_PAGE_ROWS : limit;
        List<FieldProblem> errors = new ArrayList<>();
        if (offset < 0) {
            errors.add(new FieldProblem("offset", "must be >= 0"));
        }
        if (size < 1 || size > MAX_PAGE_ROWS) {
            errors.add(new FieldProblem("limit", "must be between 1 and " + MAX_PAGE_ROWS));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        int from = Math.min(offset, rows);
        int to = (int) Math.min(rows, (long) from + size);
        int width = spec.width();
        List<Object> classes = spec.classes();
        double[][] items = new double[to - from][];
        double[][] probabilities = classes == null ? null : new double[to - from][];
        Object[] labels = classes == null ? null : new Object[to - from];
        for (ScoringRepository.Block b : repository.blocksCovering(id, from, to)) {
            DMatrixRMaj y = block(id, b.index());
            for (int r = Math.max(from, b.rowStart()); r < Math.min(to, b.rowStart() + b.rowCount()); r++) {
                int at = (r - b.rowStart()) * y.numCols;
                items[r - from] = Arrays.copyOfRange(y.data, at, at + width);
                if (classes != null) {
                    probabilities[r - from] = Arrays.copyOfRange(y.data, at + width, at + width + classes.size());
                    labels[r - from] = classes.get((int) y.data[at + width + classes.size()]);
                }
            }
        }
        return new PredictionPage(spec.header(), from, items, to < rows ? to : null, probabilities, labels);
    }

    /** Block {@code index} of the predictions of scoring {@code id}; 404 when the scoring was deleted meanwhile. */
    private DMatrixRMaj block(String id, int index) {
        return MatrixCodec.decode(repository.block(id, index).orElseThrow(() -> ApiException.notFound("scoring", id)).data());
    }

    private JobView job(String id) {
        return queue.get(ScoringJob.KIND, id);
    }

    private ScoringSpec spec(JobView job) {
        return json.readValue(job.requestJson(), ScoringSpec.class);
    }

    private ScoringView view(JobView job) {
        ScoringSpec spec = spec(job);
        long done = job.state() == JobState.SUCCEEDED ? spec.rows() : job.step();
        return new ScoringView(job.id(), job.state(), new ScoringView.Progress(done, spec.rows(), job.fraction(done, spec.rows())),
                job.createdAt(), job.startedAt(), job.finishedAt(), spec.modelId(), spec.datasetId(), spec.rows(), spec.outputs(), job.error());
    }
}
