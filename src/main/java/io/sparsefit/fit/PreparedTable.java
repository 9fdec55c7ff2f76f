package io.sparsefit.fit;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.network.InputStandardization;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.path.Folds;
import io.sparsefit.dataset.DatasetView;
import io.sparsefit.dataset.InputEncoding;
import io.sparsefit.dataset.StoredDataset;
import io.sparsefit.dataset.TableSchema;
import io.sparsefit.model.ModelLoss;
import io.sparsefit.model.ModelTable;
import io.sparsefit.model.NewModel;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A stored table made ready for the core, following the request's {@code preprocessing}: rows held out for validation
 * (the seeded split of {@link ValidationSplit}, on the stored rows), rows with empty cells dropped or imputed, text
 * columns one-hot encoded ({@link InputEncoding}), inputs standardized ({@link InputStandardization}); then the
 * finished network mapped back to the original units. The {@link FitProblem} of a fit is built here and nowhere
 * else ({@link #problem(DMatrixRMaj, DMatrixRMaj, double[])}): a fit's and a regularization path's (whose request is the
 * fit request of its points, without validation rows: the path validates on folds of the prepared rows).
 */
public final class PreparedTable {

    private final FitProblem problem;
    private final ModelLoss loss;
    private final InputEncoding encoding;
    private final InputStandardization standardization;
    /** Rows in the original (encoded) units, for the metrics of the model as stored; validX null without held-out rows. */
    private final DMatrixRMaj trainX;
    private final DMatrixRMaj validX;
    private final DMatrixRMaj validY;
    /** Where the table came from, recorded in its models' provenance. */
    private final DatasetView dataset;
    private final String weightColumn;

    private PreparedTable(FitProblem problem, ModelLoss loss, InputEncoding encoding, InputStandardization standardization,
                          DMatrixRMaj trainX, DMatrixRMaj validX, DMatrixRMaj validY, StoredDataset source) {
        this.problem = problem;
        this.dataset = source.view();
        this.weightColumn = source.schema().weight();
        this.loss = loss;
        this.trainX = trainX;
        this.encoding = encoding;
        this.standardization = standardization;
        this.validX = validX;
        this.validY = validY;
    }

    /**
     * Checks of a request against the stored table's schema, at submit (422): with {@code missing = error} any empty
     * cell, named.
     */
    public static void check(FitRequest request, TableSchema schema) {
        if (InputEncoding.ERROR.equals(request.preprocessing().missing()) && schema.missingCells() > 0) {
            List<FieldProblem> errors = new ArrayList<>();
            for (String cell : schema.firstMissing()) {
                errors.add(new FieldProblem(cell, "is empty; set preprocessing.missing to drop_rows or impute_mean, or fill it"));
            }
            throw new ApiException(org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", "The dataset has "
                    + schema.missingCells() + " empty cells and preprocessing.missing is error; the first: " + schema.firstMissing(),
                    errors, null);
        }
    }

    /**
     * Warnings for the fit resource: with standardization off, input columns whose standard deviations differ by more
     * than 100x (the penalty weighs each column in its own units, theory A2, so the small-scale one is all but ignored).
     */
    public static List<String> warnings(FitRequest request, TableSchema schema) {
        if (request.preprocessing().standardize()) {
            return List.of();
        }
        TableSchema.InputColumn small = null;
        TableSchema.InputColumn large = null;
        for (TableSchema.InputColumn c : schema.inputs()) {
            if (c.std() == null || !(c.std() > 0)) {
                continue;
            }
            if (small == null || c.std() < small.std()) {
                small = c;
            }
            if (large == null || c.std() > large.std()) {
                large = c;
            }
        }
        if (small == null || large.std() <= 100 * small.std()) {
            return List.of();
        }
        return List.of(String.format(java.util.Locale.ROOT, "Input scales differ by %.3g times (standard deviation of '%s' %.4g, of '%s' "
                        + "%.4g) and preprocessing.standardize is false: the penalty measures weights in raw input units, so the "
                        + "small-scale columns are all but ignored; set preprocessing.standardize to true to weigh every column alike",
                large.std() / small.std(), large.name(), large.std(), small.name(), small.std()));
    }

    /** The stored table {@code data} prepared as {@code request} says (checked by {@link #check}); 422 when nothing is left to fit. */
    public static PreparedTable of(StoredDataset data, FitRequest request) {
        String missing = request.preprocessing().missing();
        TableSchema schema = data.schema();
        DMatrixRMaj w = data.w() == null ? null : new DMatrixRMaj(data.w().length, 1, true, data.w());
        ModelLoss loss = FitLoss.resolve(request.loss(), data.classes(), data.y().numCols, schema.targetMissing());
        // A classification loss reads each row's class index (theory A2b: class k is output k).
        DMatrixRMaj targets = loss.classification() ? loss.classes().indices(data.y()) : data.y();
        ValidationSplit split = ValidationSplit.of(data.x(), targets, request.validationFraction(), request.seed());
        DMatrixRMaj trainW = w == null ? null : ValidationSplit.of(w, w, request.validationFraction(), request.seed()).trainX();
        boolean dropIncompleteInputs = InputEncoding.DROP_ROWS.equals(missing);
        boolean[] keep = complete(split.trainX(), split.trainY(), dropIncompleteInputs);
        DMatrixRMaj rawX = rows(split.trainX(), keep);
        DMatrixRMaj trainY = rows(split.trainY(), keep);
        DMatrixRMaj keptW = trainW == null ? null : rows(trainW, keep); // the weights of the rows kept, not of every row
        if (rawX.numRows == 0) {
            throw ApiException.invalid("preprocessing.missing", "no training row is left after leaving out rows with empty cells");
        }
        InputEncoding encoding = InputEncoding.of(schema, missing);
        if (encoding.imputes()) {
            double[] means = new double[rawX.numCols];
            for (int j = 0; j < means.length; j++) {
                means[j] = columnMean(rawX, j);
            }
            encoding = encoding.withMeans(means);
        }
        DMatrixRMaj encoded = encoding.encode(rawX);
        DMatrixRMaj x = encoded;
        InputStandardization standardization = null;
        if (request.preprocessing().standardize()) {
            standardization = InputStandardization.of(encoded).keeping(encoding.indicatorFeatures());
            x = standardization.apply(encoded);
        }
        DMatrixRMaj validX = null;
        DMatrixRMaj validY = null;
        if (split.hasValidation()) {
            boolean[] keepValid = complete(split.validX(), split.validY(), dropIncompleteInputs);
            if (count(keepValid) > 0) {
                validX = encoding.encode(rows(split.validX(), keepValid));
                validY = rows(split.validY(), keepValid);
            }
        }
        return new PreparedTable(problem(x, trainY, keptW == null ? null : keptW.data, loss.toLoss()), loss, encoding, standardization,
                encoded, validX, validY, data);
    }

    /**
     * THE place where a fit's {@link FitProblem} is built: the request's loss and the table's sample weights (of the
     * rows kept) go to the core, which minimizes {@code sum_n w_n loss_n + lambda R} (theory A2b; for a classification
     * loss plus {@code lambda/2 ||C||_F^2}) with every solver.
     */
    static FitProblem problem(DMatrixRMaj x, DMatrixRMaj y, double[] w, Loss loss) {
        FitProblem problem = new FitProblem(x, y).withLoss(loss);
        return w == null ? problem : problem.withSampleWeights(w);
    }

    public FitProblem problem() {
        return problem;
    }

    /** The finished outcome in the original units: the standardization folded into the network (the diagnostics stay as solved). */
    public FitOutcome toOriginalUnits(FitOutcome outcome) {
        if (standardization == null) {
            return outcome;
        }
        Network folded = standardization.foldInto(outcome.network());
        return new FitOutcome(folded, outcome.diagnostics());
    }

    /** How the model reads tables (stored with it). */
    public ModelTable table() {
        return new ModelTable(encoding, standardization != null, standardization == null ? null : standardization.mean(),
                standardization == null ? null : standardization.scale());
    }

    /**
     * The model of {@code outcome} (fitted on this table, in the original units: {@link #toOriginalUnits}) to store for fit
     * {@code fitId} of key {@code apiKeyId}: how it reads tables, its loss, {@code requestJson} and this table's dataset as
     * its provenance, and the rows its metrics are computed on (encoded, original units; the held-out rows too when the
     * request held rows out). What a fit stores, and each point of a path.
     */
    public NewModel model(String fitId, String apiKeyId, FitOutcome outcome, String name, List<String> tags, String requestJson) {
        return new NewModel(fitId, apiKeyId, outcome, loss, table(), name, tags, requestJson, dataset.id(), dataset.sha256(),
                weightColumn, trainX, problem.y(), validX, validY);
    }

    /** Rows to keep: every target present, and every input present when {@code inputsToo}. */
    /**
     * At most how many rows of a table with {@code schema} the preparation leaves out for {@code request} ({@link
     * #complete}): those with an empty target, and under {@code drop_rows} those with an empty input cell (at most one
     * row per empty cell). Known from the schema alone, before the data is read: the submit's admission uses it.
     */
    static int mayDrop(FitRequest request, TableSchema schema) {
        return InputEncoding.DROP_ROWS.equals(request.preprocessing().missing()) ? schema.missingCells()
                : schema.targetMissing();
    }

    private static boolean[] complete(DMatrixRMaj x, DMatrixRMaj y, boolean inputsToo) {
        boolean[] keep = new boolean[x.numRows];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = !hasNaN(y, i) && !(inputsToo && hasNaN(x, i));
        }
        return keep;
    }

    private static boolean hasNaN(DMatrixRMaj m, int row) {
        for (int j = 0; j < m.numCols; j++) {
            if (Double.isNaN(m.data[row * m.numCols + j])) {
                return true;
            }
        }
        return false;
    }

    private static int count(boolean[] keep) {
        int n = 0;
        for (boolean k : keep) {
            n += k ? 1 : 0;
        }
        return n;
    }

    /** The rows of {@code m} (not modified) that {@code keep} marks: {@code m} itself when that is every row, else a copy. */
    private static DMatrixRMaj rows(DMatrixRMaj m, boolean[] keep) {
        return count(keep) == m.numRows ? m : Folds.rows(m, keep, true);
    }

    private static double columnMean(DMatrixRMaj x, int j) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < x.numRows; i++) {
            double v = x.data[i * x.numCols + j];
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }
}
