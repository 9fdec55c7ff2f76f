package io.sparsefit.fit;

import io.sparsefit.dataset.DataValidator;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.DatasetView;
import io.sparsefit.dataset.TableSchema;
import io.sparsefit.dataset.TargetClasses;
import io.sparsefit.web.ApiException;

/**
 * The data a fit request (or a path's, as a fit request) names, as its submit checks it, before anything is stored:
 * inline rows, validated here and stored as a dataset only once the job is queued ({@link #datasetId}), or a stored
 * dataset the caller may see (422 on {@code datasetId} when there is none: the body is wrong, not the URL), whose
 * columns are checked against the request's preprocessing as {@link PreparedTable} will prepare them.
 *
 * @param inline the validated inline rows, or null for a stored dataset
 * @param stored the stored dataset, or null for inline rows
 * @param schema the table's columns (inline rows: unnamed numeric columns, no weights, no empty target cells)
 */
public record SubmittedData(DataValidator.Table inline, DatasetView stored, TableSchema schema) {

    /** Checks the data {@code request} (with defaults) names: its inline rows, or its stored dataset's columns; 422. */
    public static SubmittedData of(FitRequest request, DataValidator validator, DatasetService datasets) {
        if (request.data() != null) {
            DataValidator.Table table = validator.toTable(request.data().x(), request.data().y(), "data.");
            return new SubmittedData(table, null, TableSchema.unnamed(table.x(), table.y().numCols));
        }
        DatasetView dataset = datasets.find(request.datasetId())
                .orElseThrow(() -> ApiException.invalid("datasetId", "no dataset '" + request.datasetId() + "'"));
        TableSchema schema = datasets.schema(dataset.id());
        PreparedTable.check(request, schema);
        return new SubmittedData(null, dataset, schema);
    }

    public int rows() {
        return inline != null ? inline.x().numRows : stored.rows();
    }

    /** The network's inputs: one per numeric column, one per level of a categorical column. */
    public int inputWidth() {
        return inline != null ? inline.x().numCols : schema.encodedWidth();
    }

    /** Target columns (a column of labels is one). */
    public int targets() {
        return inline != null ? inline.y().numCols : stored.outputDim();
    }

    /** The targets' classes when they are labels, else null. */
    public TargetClasses classes() {
        return inline != null ? inline.classes() : stored.classes();
    }

    /**
     * The id of the dataset the job reads: the stored one, or the inline rows stored now as a dataset called {@code name}.
     * Called once, when the job is queued (so a refused submission stores nothing).
     */
    public String datasetId(DatasetService datasets, String name) {
        return inline == null ? stored.id() : datasets.store(name, inline).id();
    }
}
