package io.sparsefit.model;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.network.Network;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import io.sparsefit.web.Ownership;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Stores finished networks and serves them: JSON views, predictions, diagnostics. */
@Service
public class ModelService {

    private final ModelRepository repository;
    private final JsonMapper json;
    private final SparsefitProperties.Limits limits;

    ModelService(ModelRepository repository, JsonMapper json, SparsefitProperties properties) {
        this.repository = repository;
        this.json = json;
        this.limits = properties.limits();
    }

    /**
     * Stores the outcome of fit {@code fitId}, owned by the fit's key {@code apiKeyId}; returns the new model id.
     * Call inside the fit's finishing transaction.
     */
    public String store(String fitId, String apiKeyId, FitOutcome outcome, Double validationMse) {
        Network net = outcome.network();
        String id = UUID.randomUUID().toString();
        String diagnostics = json.writeValueAsString(DiagnosticsView.of(outcome.diagnostics(), validationMse));
        repository.insert(new ModelRepository.Row(id, fitId, net.inputDim(), net.outputDim(), net.lastWidth(), NetworkCodec.layers(net),
                net.hasSkip(), NetworkCodec.encode(net), diagnostics), Instant.now(), apiKeyId);
        return id;
    }

    public ModelViews.ModelView get(String id) {
        ModelRepository.Row row = row(id);
        return ModelViews.view(row.id(), row.fitId(), network(row));
    }

    public DiagnosticsView diagnostics(String id) {
        return json.readValue(row(id).diagnosticsJson(), DiagnosticsView.class);
    }

    public PredictResponse predict(String id, PredictRequest request) {
        ModelRepository.Row row = row(id);
        double[][] x = request.x();
        List<FieldProblem> errors = new ArrayList<>();
        if (x == null || x.length == 0) {
            errors.add(new FieldProblem("x", "must have at least one row"));
        } else {
            if (x.length > limits.maxPredictRows()) {
                throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", "At most " + limits.maxPredictRows()
                        + " rows per request", List.of(new FieldProblem("x", "has " + x.length + " rows")), null);
            }
            for (int i = 0; i < x.length && errors.size() < 20; i++) {
                if (x[i] == null || x[i].length != row.inputDim()) {
                    errors.add(new FieldProblem("x[" + i + "]", "must have " + row.inputDim() + " values (the model's inputDim), has "
                            + (x[i] == null ? 0 : x[i].length)));
                    continue;
                }
                for (int j = 0; j < x[i].length; j++) {
                    if (!Double.isFinite(x[i][j])) {
                        errors.add(new FieldProblem("x[" + i + "][" + j + "]", "must be a finite number"));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new PredictResponse(predictInBlocks(network(row), x));
    }

    /** Rows evaluated per block: the hidden activations held at once are at most this many rows x width. */
    static final int PREDICT_BLOCK_ROWS = 256;

    /**
     * Evaluates {@code x} in blocks of {@link #PREDICT_BLOCK_ROWS} rows, so memory beyond input and
     * output stays bounded by block x width (100,000 rows on a 4096-neuron model needed 3.3 GB at once).
     * Each row's output depends on that row only, computed by the same operations in the same order,
     * so the result is bitwise the same as one evaluation of the whole matrix.
     */
    static double[][] predictInBlocks(Network net, double[][] x) {
        int n = x.length;
        int d = x[0].length;
        double[][] y = new double[n][];
        DMatrixRMaj block = new DMatrixRMaj(1, d);
        DMatrixRMaj out = new DMatrixRMaj(1, 1);
        for (int start = 0; start < n; start += PREDICT_BLOCK_ROWS) {
            int rows = Math.min(PREDICT_BLOCK_ROWS, n - start);
            block.reshape(rows, d);
            for (int i = 0; i < rows; i++) {
                System.arraycopy(x[start + i], 0, block.data, i * d, d);
            }
            net.predict(block, out);
            for (int i = 0; i < rows; i++) {
                y[start + i] = java.util.Arrays.copyOfRange(out.data, i * out.numCols, (i + 1) * out.numCols);
            }
        }
        return y;
    }

    public void delete(String id) {
        if (!repository.delete(id, Ownership.scope())) {
            throw ApiException.notFound("model", id);
        }
    }

    /** Retention: deletes the models created before {@code before}; returns how many. */
    public int deleteCreatedBefore(Instant before) {
        return repository.deleteCreatedBefore(before);
    }

    private ModelRepository.Row row(String id) {
        return repository.find(id, Ownership.scope()).orElseThrow(() -> ApiException.notFound("model", id));
    }

    private static Network network(ModelRepository.Row row) {
        return NetworkCodec.decode(row.parameters(), row.inputDim(), row.outputDim(), row.layers(), row.skip());
    }
}
