package io.sparsefit.model;

import io.sparsefit.core.network.Network;
import io.sparsefit.dataset.InputEncoding;
import io.sparsefit.dataset.TableSchema;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * A stored model made ready to score a stored table block by block (batch scoring): the table's columns are matched
 * to the model's once, as evaluate matches them ({@link InputEncoding#align}: by name, by position for unnamed
 * columns, levels by text), and each block of stored rows is encoded and predicted by the same code as predict
 * ({@link ModelService#predict(Network, DMatrixRMaj)}), so a scored row equals its predict answer bit for bit.
 */
public final class BatchScorer {

    private final Network network;
    private final InputEncoding encoding;
    private final ModelLoss loss;
    private final TableSchema schema;

    private BatchScorer(Network network, InputEncoding encoding, ModelLoss loss, TableSchema schema) {
        this.network = network;
        this.encoding = encoding;
        this.loss = loss;
        this.schema = schema;
    }

    /**
     * The scorer of a model for a table of columns {@code schema}; 422 naming a missing column, a column of the other
     * kind, a level the model never saw, or a column with empty cells the model does not impute (a scored table has
     * one prediction per row, so no row can be left out).
     */
    static BatchScorer of(Network network, InputEncoding encoding, ModelLoss loss, TableSchema schema) {
        encoding.align(schema, new DMatrixRMaj(0, schema.columns().size()));
        if (!encoding.imputes()) {
            List<FieldProblem> empty = new ArrayList<>();
            for (String column : encoding.columns()) {
                int j = schema.columns().indexOf(column);
                j = j >= 0 ? j : encoding.columns().indexOf(column); // unnamed columns are matched by position
                TableSchema.InputColumn c = j >= 0 ? schema.inputs().get(j) : null;
                if (c != null && c.missing() > 0) {
                    empty.add(new FieldProblem("column " + column, "has " + c.missing() + " empty cells and the model imputes "
                            + "nothing (fit with preprocessing.missing = impute_mean to fill empty cells)"));
                }
            }
            if (!empty.isEmpty()) {
                throw ApiException.invalid(empty);
            }
        }
        return new BatchScorer(network, encoding, loss, schema);
    }

    /** The names of the predicted columns: the model's targets. */
    public List<String> outputs() {
        return encoding.targets();
    }

    /** The columns of a scored row, as predict's CSV names them ({@link ModelService#csvHeader(String)}). */
    public List<String> columns() {
        return ModelService.csvHeader(encoding.targets(), loss, network.outputDim());
    }

    /** The network's outputs per row (for a classification model the logits). */
    public int logits() {
        return network.outputDim();
    }

    /** A classification model's class labels (strings or integers), in the order of its probabilities; null for regression. */
    public List<Object> classes() {
        return loss.classification() ? loss.classes().labels() : null;
    }

    /** Predictions (N x outputs) of stored rows {@code raw} of the table (N x its inputs; not modified). */
    public DMatrixRMaj predict(DMatrixRMaj raw) {
        return ModelService.predict(network, encoding.encode(encoding.align(schema, raw)));
    }

    /**
     * Scored rows of stored rows {@code raw} (not modified), as predict answers them: the outputs ({@link #predict}) and,
     * for a classification model, then each class's probability and the index in {@link #classes()} of the most
     * probable class ({@link ClassProbabilities}, theory A2b), so N x (outputs + classes + 1).
     */
    public DMatrixRMaj score(DMatrixRMaj raw) {
        DMatrixRMaj y = predict(raw);
        if (!loss.classification()) {
            return y;
        }
        double[][] p = ClassProbabilities.of(ModelService.rowsOf(y), loss.toLoss());
        int[] label = ClassProbabilities.argmax(p);
        int m = y.numCols;
        int c = loss.classes().count();
        DMatrixRMaj out = new DMatrixRMaj(y.numRows, m + c + 1);
        for (int i = 0; i < y.numRows; i++) {
            int row = i * out.numCols;
            System.arraycopy(y.data, i * m, out.data, row, m);
            System.arraycopy(p[i], 0, out.data, row + m, c);
            out.data[row + m + c] = label[i];
        }
        return out;
    }
}
