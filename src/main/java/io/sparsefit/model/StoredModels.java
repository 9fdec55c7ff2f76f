package io.sparsefit.model;

import io.sparsefit.core.network.Network;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.StoredDataset;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.Ownership;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Read access to a stored model's network and, through the fit that produced it, its training data:
 * for the plot and export resources (kept apart from {@link ModelService}, which serves the JSON views
 * and predictions).
 */
@Component
class StoredModels {

    private final ModelRepository repository;
    private final DatasetService datasets;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    StoredModels(ModelRepository repository, DatasetService datasets, JdbcClient jdbc, JsonMapper json) {
        this.repository = repository;
        this.datasets = datasets;
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * A stored model: its network (original units), how it reads tables, its labels and provenance (null for models
     * stored before provenance was kept), the stored diagnostics JSON and the loss with its classes.
     */
    record Loaded(String id, String fitId, Network network, ModelTable table, String name, List<String> tags, Provenance provenance,
                  Instant createdAt, String diagnosticsJson, ModelLoss loss) {
    }

    /** The model; 404 when there is no such model. */
    Loaded load(String id) {
        ModelRepository.Row row = Ownership.owned("model", id, repository::find);
        ModelTable table = row.inputsJson() == null ? ModelTable.unnamed(row.inputDim(), row.outputDim())
                : json.readValue(row.inputsJson(), ModelTable.class);
        List<String> tags = row.tagsJson() == null ? List.of() : List.of(json.readValue(row.tagsJson(), String[].class));
        Provenance provenance = row.provenanceJson() == null ? null : json.readValue(row.provenanceJson(), Provenance.class);
        return new Loaded(row.id(), row.fitId(),
                NetworkCodec.decode(row.parameters(), row.inputDim(), row.outputDim(), row.layers(), row.skip()), table, row.name(),
                tags, provenance, row.createdAt(), row.diagnosticsJson(),
                row.lossJson() == null ? ModelLoss.DEFAULT : json.readValue(row.lossJson(), ModelLoss.class));
    }

    /** A stored dataset the caller may see, or empty. */
    Optional<StoredDataset> dataset(String id) {
        if (datasets.find(id).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(datasets.load(id));
        } catch (ApiException deletedMeanwhile) {
            return Optional.empty();
        }
    }

    /**
     * The dataset the model was trained on (all its rows, validation rows included), or empty when it
     * has been deleted since. Models link to their fit ({@code model.fit_id}), fits to their dataset
     * ({@code fit.dataset_id}); the model package reads that one column and does not depend on the fit package.
     * A path point's model has a fit id of its own with no fit row (a point is not a fit), so its data is
     * found through its point ({@code path_point.model_id}) and the path's row, whose dataset every point used.
     */
    Optional<StoredDataset> trainingData(Loaded model) {
        Optional<String> datasetId = jdbc.sql("select dataset_id from fit where id = ?").param(model.fitId())
                .query(String.class).optional()
                .or(() -> jdbc.sql("select f.dataset_id from path_point p join fit f on f.id = p.path_id where p.model_id = ?")
                        .param(model.id()).query(String.class).optional());
        if (datasetId.isEmpty() || datasets.find(datasetId.get()).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(datasets.load(datasetId.get()));
        } catch (ApiException deletedMeanwhile) {
            return Optional.empty();
        }
    }
}
