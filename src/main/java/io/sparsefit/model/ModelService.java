package io.sparsefit.model;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.Network;
import io.sparsefit.dataset.InputEncoding;
import io.sparsefit.dataset.StoredDataset;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import io.sparsefit.web.Ownership;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Stores finished networks and serves them: JSON views, predictions, diagnostics, files to download, plots. */
@Service
public class ModelService {

    private final ModelRepository repository;
    private final StoredModels models;
    private final SoftwareVersions versions;
    private final JsonMapper json;
    private final SparsefitProperties.Limits limits;

    ModelService(ModelRepository repository, StoredModels models, SoftwareVersions versions, JsonMapper json,
                 SparsefitProperties properties) {
        this.repository = repository;
        this.models = models;
        this.versions = versions;
        this.json = json;
        this.limits = properties.limits();
    }

    /**
     * A finished fit made ready to store: its metrics computed (a prediction over every training and held-out row, so
     * done before the storing transaction, not inside it), diagnostics and provenance written.
     */
    public record Ready(NewModel model, String diagnosticsJson, String tableJson, String provenanceJson, double trainRmse) {
    }

    /** Computes what {@link #store(Ready)} writes; touches no database. */
    public Ready prepare(NewModel m) {
        return prepare(m, null);
    }

    /**
     * {@link #prepare(NewModel)} for a point of a regularization path, validated on folds rather than on held-out rows:
     * {@code foldValidationError} (the mean of its folds' errors, null for none) is the diagnostics' validationMse.
     */
    public Ready preparePoint(NewModel m, Double foldValidationError) {
        return prepare(m, foldValidationError);
    }

    private Ready prepare(NewModel m, Double foldValidationError) {
        Network net = m.outcome().network();
        ModelLoss loss = m.loss();
        DMatrixRMaj validPredicted = m.validX() == null ? null : predict(net, m.validX());
        RegressionMetrics train = metrics(loss, predict(net, m.trainX()), m.trainY());
        RegressionMetrics validation = validPredicted == null ? null : metrics(loss, validPredicted, m.validY());
        Double validationError = foldValidationError; // boxed: a conditional with the primitive branch would unbox null
        if (validPredicted != null) {
            validationError = validationError(loss.toLoss(), validPredicted, m.validY());
        }
        List<ModelViews.KnotView> knots = m.table().standardize() && net.oneLayer() != null
                ? ModelViews.knots(net.oneLayer()) : null; // the solver's knots are in standardized units
        String diagnostics = json.writeValueAsString(DiagnosticsView.of(m.outcome().diagnostics(),
                m.table().standardize() ? "standardized" : "original", train, validation, validationError, knots, loss.type()));
        InputEncoding e = m.table().encoding();
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> request = json.readValue(m.requestJson(), java.util.Map.class);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> preprocessing = (java.util.Map<String, Object>) request.get("preprocessing");
        Provenance provenance = new Provenance(request, m.datasetId(), m.datasetSha256(), e.columns(), e.targets(), m.weight(),
                preprocessing, versions.application(), versions.kernels(), versions.java(), versions.os(),
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        double meanMse = train.mse() == null ? Double.NaN : java.util.Arrays.stream(train.mse()).average().orElse(Double.NaN);
        return new Ready(m, diagnostics, json.writeValueAsString(m.table()), json.writeValueAsString(provenance), Math.sqrt(meanMse));
    }

    /**
     * The held-out error a fit reports ({@code validationMse}): the mean over the rows of its loss's error
     * ({@link Loss#error}: {@code ||f - y||^2} for the regression losses whatever the training loss, the log loss for a
     * classification loss), the measure of the core's {@code trainMse} and of a path's folds.
     *
     * @param outputs the network's outputs on the held-out rows, {@code rows x m}, not modified
     * @param y       their targets, not modified
     */
    static double validationError(Loss loss, DMatrixRMaj outputs, DMatrixRMaj y) {
        return loss.error(outputs.data, y.data, outputs.numRows, outputs.numCols, null) / outputs.numRows;
    }

    /**
     * The metrics of the stored network's outputs {@code f} on rows with targets {@code y} (class indices for a
     * classification model): regression metrics per output, or the classification scores under the model's loss.
     */
    static RegressionMetrics metrics(ModelLoss loss, DMatrixRMaj f, DMatrixRMaj y) {
        return loss.classification() ? RegressionMetrics.of(ClassificationScores.of(f, y, loss.toLoss(), loss.classes().count()))
                : RegressionMetrics.of(f, y);
    }

    /** Stores a prepared fit with its table, labels, metrics and provenance; returns the new model id. Call inside the fit's finishing transaction. */
    public String store(Ready r) {
        NewModel m = r.model();
        return insert(m.fitId(), m.apiKeyId(), m.outcome().network(), r.diagnosticsJson(), r.tableJson(), r.provenanceJson(), m.name(),
                m.tags() == null ? null : json.writeValueAsString(m.tags()), r.trainRmse(), m.outcome().diagnostics().objective(),
                json.writeValueAsString(m.loss()));
    }

    private String insert(String fitId, String apiKeyId, Network net, String diagnostics, String table, String provenance, String name,
                          String tags, Double trainRmse, double objective, String lossJson) {
        String id = UUID.randomUUID().toString();
        repository.insert(new ModelRepository.Row(id, fitId, net.inputDim(), net.outputDim(), net.lastWidth(), NetworkCodec.layers(net),
                        net.hasSkip(), NetworkCodec.encode(net), diagnostics, table, provenance, name, tags,
                        Instant.now().truncatedTo(ChronoUnit.MICROS), lossJson), apiKeyId,
                trainRmse != null && Double.isFinite(trainRmse) ? trainRmse : null, Double.isFinite(objective) ? objective : null);
        return id;
    }

    public ModelViews.ModelView get(String id) {
        return ModelViews.view(models.load(id));
    }

    public DiagnosticsView diagnostics(String id) {
        return json.readValue(models.load(id).diagnosticsJson(), DiagnosticsView.class);
    }

    /** A model as a file to download: its name and its bytes. */
    public record ModelFile(String name, byte[] bytes) {
    }

    /**
     * Model {@code id} as a file in {@code format}: {@code onnx} ({@link OnnxExport}, with the metadata that names its
     * inputs, the table's columns and targets, a classifier's loss and classes) or {@code json} (the model resource); 422
     * for another format, 404 when there is no such model or it is another key's.
     */
    public ModelFile export(String id, String format) {
        if (!format.equals("onnx") && !format.equals("json")) {
            throw ApiException.invalid("format", "must be onnx or json");
        }
        StoredModels.Loaded model = models.load(id);
        byte[] bytes = format.equals("onnx")
                ? OnnxExport.export(model.id(), model.network(), onnxMetadata(model), model.loss())
                : json.writeValueAsBytes(ModelViews.view(model));
        return new ModelFile("sparsefit-model-" + model.id() + "." + format, bytes);
    }

    /** The ONNX metadata: the columns of x, the table's columns and targets, a classifier's loss and classes. */
    private Map<String, String> onnxMetadata(StoredModels.Loaded model) {
        InputEncoding e = model.table().encoding();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("sparsefit.features", json.writeValueAsString(e.features()));
        metadata.put("sparsefit.columns", json.writeValueAsString(e.columns()));
        metadata.put("sparsefit.targets", json.writeValueAsString(e.targets()));
        if (model.loss().classification()) {
            metadata.put("sparsefit.loss", model.loss().type());
            metadata.put("sparsefit.classes", json.writeValueAsString(model.loss().classes()));
        }
        return metadata;
    }

    /**
     * The picture of model {@code id}'s learned function ({@link ModelPlots#model}) for its output {@code output} (422 out
     * of range), with its training data while its dataset still exists and matches the model; 404
     * when there is no such model or it is another key's.
     */
    public String plot(String id, int output) {
        StoredModels.Loaded model = models.load(id);
        if (output < 0 || output >= model.network().outputDim()) {
            throw ApiException.invalid("output", "must be between 0 and " + (model.network().outputDim() - 1));
        }
        Optional<DMatrixRMaj[]> data = models.trainingData(model).flatMap(d -> encodedRows(model.table().encoding(), d));
        InputEncoding e = model.table().encoding();
        return ModelPlots.model(model.network(), data.map(xy -> xy[0]).orElse(null), data.map(xy -> xy[1]).orElse(null), output,
                "Model " + ModelPlots.shortId(id), e.features(), e.targets().get(output));
    }

    private static Optional<DMatrixRMaj[]> encodedRows(InputEncoding encoding, StoredDataset data) {
        try {
            DMatrixRMaj[] xy = EncodedRows.of(encoding, data);
            return xy[0].numRows == 0 ? Optional.empty() : Optional.of(xy);
        } catch (ApiException mismatch) {
            return Optional.empty(); // the stored data no longer matches the model: plot the function alone
        }
    }

    /**
     * JSON predict: {@code x}, rows of the model's features (for a model of numeric columns, its columns), in order; or
     * {@code rows}, objects by column name read as a CSV predict's rows ({@link JsonRecords}).
     */
    public PredictResponse predict(String id, PredictRequest request) {
        StoredModels.Loaded model = models.load(id);
        if (request.rows() == null) {
            return PredictResponse.of(predictInBlocks(model.network(), checkedRows(request.x(), "x", model.network().inputDim())),
                    model.loss());
        }
        if (request.x() != null) {
            throw ApiException.invalid("rows", "give either x (rows of the model's features) or rows (objects by column name), not both");
        }
        if (request.rows().isEmpty()) {
            throw ApiException.invalid("rows", "must have at least one row");
        }
        checkRowCount(request.rows().size(), "rows");
        InputEncoding encoding = model.table().encoding();
        return PredictResponse.of(predictInBlocks(model.network(), rowsOf(encoding.encode(JsonRecords.read(encoding, request.rows())))),
                model.loss());
    }

    /**
     * CSV predict: a header, then rows; the model's columns are found by name in any order (other columns are ignored),
     * text levels and empty cells read as the model was trained (an unseen level, a missing column, an empty cell the
     * model does not impute: 422 naming it).
     */
    public PredictResponse predictTable(String id, io.sparsefit.web.CsvTables.TextTable table) {
        StoredModels.Loaded model = models.load(id);
        checkRowCount(table.rows().size(), "body");
        InputEncoding encoding = model.table().encoding();
        DMatrixRMaj x = encoding.encode(encoding.readText(table.header(), table.rows(), 2));
        return PredictResponse.of(predictInBlocks(model.network(), rowsOf(x)), model.loss());
    }

    /**
     * Regression metrics of the model on a stored dataset (columns matched by name, levels by text; rows with an empty
     * target left out, as are rows with an empty input cell the model does not impute) or on rows {@code x} with
     * targets {@code y}.
     */
    public RegressionMetrics evaluate(String id, EvaluateRequest request) {
        StoredModels.Loaded model = models.load(id);
        ModelLoss loss = model.loss();
        // A classification model reads one target column, the class (theory A2b).
        int m = loss.classification() ? 1 : model.network().outputDim();
        if ((request.datasetId() == null) == (request.x() == null && request.y() == null)) {
            throw ApiException.invalid("datasetId", "give either datasetId or x and y");
        }
        DMatrixRMaj x;
        DMatrixRMaj y;
        if (request.datasetId() != null) {
            io.sparsefit.dataset.StoredDataset data = models.dataset(request.datasetId())
                    .orElseThrow(() -> ApiException.invalid("datasetId", "no dataset '" + request.datasetId() + "'"));
            if (data.y().numCols != m) {
                throw ApiException.invalid("datasetId", "the dataset has " + data.y().numCols + " targets, the model " + m + " outputs");
            }
            DMatrixRMaj[] xy = EncodedRows.of(model.table().encoding(), data);
            if (xy[0].numRows == 0) {
                throw ApiException.invalid("datasetId", "no row has every target and input cell the model needs");
            }
            x = xy[0];
            y = xy[1];
            if (loss.classification()) {
                if (data.classes() == null) {
                    throw ApiException.invalid("datasetId", "the model is a classifier over " + loss.classes().labels()
                            + "; the dataset's target holds no labels");
                }
                y = data.classes().indicesIn(loss.classes(), y, "datasetId");
            }
        } else {
            x = new DMatrixRMaj(checkedRows(request.x(), "x", model.network().inputDim()));
            if (request.y() == null || request.y().length != request.x().length) {
                throw ApiException.invalid("y", "needs one row per row of x (" + request.x().length + ")");
            }
            y = new DMatrixRMaj(checkedRows(request.y(), "y", m));
            if (loss.classification()) {
                checkClassIndices(y, loss.classes().count());
            }
        }
        return metrics(loss, predict(model.network(), x), y);
    }

    /** For {@code {"x", "y"}} on a classification model: each y a class index 0..C-1; 422 naming the first that is not. */
    private static void checkClassIndices(DMatrixRMaj y, int classes) {
        for (int i = 0; i < y.numRows; i++) {
            double k = y.data[i];
            if (k != Math.rint(k) || k < 0 || k >= classes) {
                throw ApiException.invalid("y[" + i + "]", "must be a class index 0.." + (classes - 1) + " (the position in the "
                        + "model's classes), got " + k);
            }
        }
    }

    /** Model {@code id} ready to score a table of columns {@code schema} ({@link BatchScorer#of}); 404 for no such model, 422. */
    public BatchScorer scorer(String id, io.sparsefit.dataset.TableSchema schema) {
        StoredModels.Loaded model = models.load(id);
        return BatchScorer.of(model.network(), model.table().encoding(), model.loss(), schema);
    }

    /**
     * The header of a CSV answer: the model's target names; for a classification model with target {@code t} the
     * logits ({@code logit} for logistic, {@code logit_<class>} per class for cross_entropy), then {@code
     * probability_<class>} per class, then {@code t}, the most probable class.
     */
    public List<String> csvHeader(String id) {
        StoredModels.Loaded model = models.load(id);
        return csvHeader(model.table().encoding().targets(), model.loss(), model.network().outputDim());
    }

    /** {@link #csvHeader(String)} of a model with {@code targets}, {@code loss} and {@code outputs} network outputs. */
    static List<String> csvHeader(List<String> targets, ModelLoss loss, int outputs) {
        if (!loss.classification()) {
            return targets;
        }
        List<String> header = new ArrayList<>();
        int classes = loss.classes().count();
        if (outputs == 1) {
            header.add("logit");
        } else {
            for (int k = 0; k < classes; k++) {
                header.add("logit_" + loss.classes().label(k));
            }
        }
        for (int k = 0; k < classes; k++) {
            header.add("probability_" + loss.classes().label(k));
        }
        header.add(targets.get(0));
        return header;
    }

    /**
     * Checks rows of numbers (present, at most {@code max-predict-rows}, each of {@code width} finite values); 422
     * naming the bad entries.
     */
    double[][] checkedRows(double[][] x, String field, int width) {
        List<FieldProblem> errors = new ArrayList<>();
        if (x == null || x.length == 0) {
            errors.add(new FieldProblem(field, "must have at least one row"));
        } else {
            checkRowCount(x.length, field);
            for (int i = 0; i < x.length && errors.size() < 20; i++) {
                if (x[i] == null || x[i].length != width) {
                    errors.add(new FieldProblem(field + "[" + i + "]", "must have " + width + " values (the model's "
                            + (field.equals("y") ? "outputDim" : "inputDim") + "), has "
                            + (x[i] == null ? 0 : x[i].length)));
                    continue;
                }
                for (int j = 0; j < x[i].length; j++) {
                    if (!Double.isFinite(x[i][j])) {
                        errors.add(new FieldProblem(field + "[" + i + "][" + j + "]", "must be a finite number"));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return x;
    }

    private void checkRowCount(int rows, String field) {
        if (rows > limits.maxPredictRows()) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", "At most " + limits.maxPredictRows()
                    + " rows per request", List.of(new FieldProblem(field, "has " + rows + " rows")), null);
        }
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

    /** {@link #predictInBlocks(Network, double[][])} for a matrix: N x m, the same numbers. */
    static DMatrixRMaj predict(Network net, DMatrixRMaj x) {
        int d = x.numCols;
        int m = net.outputDim();
        DMatrixRMaj y = new DMatrixRMaj(x.numRows, m);
        DMatrixRMaj block = new DMatrixRMaj(1, d);
        DMatrixRMaj out = new DMatrixRMaj(1, 1);
        for (int start = 0; start < x.numRows; start += PREDICT_BLOCK_ROWS) {
            int rows = Math.min(PREDICT_BLOCK_ROWS, x.numRows - start);
            block.reshape(rows, d);
            System.arraycopy(x.data, start * d, block.data, 0, rows * d);
            net.predict(block, out);
            System.arraycopy(out.data, 0, y.data, start * m, rows * m);
        }
        return y;
    }

    static double[][] rowsOf(DMatrixRMaj m) {
        double[][] out = new double[m.numRows][m.numCols];
        for (int i = 0; i < m.numRows; i++) {
            System.arraycopy(m.data, i * m.numCols, out[i], 0, m.numCols);
        }
        return out;
    }

    public void delete(String id) {
        Ownership.deleteOwned("model", id, repository::delete);
    }

    /** Retention: deletes the models created before {@code before}; returns how many. */
    public int deleteCreatedBefore(Instant before) {
        return repository.deleteCreatedBefore(before);
    }
}
