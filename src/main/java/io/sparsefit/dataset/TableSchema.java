package io.sparsefit.dataset;

import io.sparsefit.core.ColumnMoments;
import io.sparsefit.web.CsvTables;
import java.util.ArrayList;
import java.util.List;

/**
 * What a stored table's columns are: the input columns (name, kind, levels, missing cells, scale), the target
 * names, the weight column's name and where the first missing cells are. Stored as JSON beside the data
 * ({@code dataset.columns_json}); the stored x matrix holds, per input column, the number, NaN for a missing cell,
 * or for a categorical column the index of its level in {@link InputColumn#levels()} (sorted).
 *
 * @param named        true when the names came from the client (a CSV header, JSON {@code columns}); false for the
 *                     generated {@code x0, x1, ...} of a JSON upload without names (predict then also takes a CSV
 *                     by position, as before names existed)
 * @param firstMissing the first missing cells (at most {@value #MAX_MISSING_REPORTED}), for the 422 of
 *                     {@code preprocessing.missing = error}
 */
public record TableSchema(List<InputColumn> inputs, List<String> targets, String weight, boolean named,
                          List<String> firstMissing, int targetMissing) {

    public static final int MAX_MISSING_REPORTED = 10;
    public static final String NUMERIC = "numeric";
    public static final String CATEGORICAL = "categorical";

    /**
     * One input column.
     *
     * @param levels  the sorted distinct texts of a categorical column; null for a numeric one
     * @param missing empty cells
     * @param mean    mean of the present cells of a numeric column (null for a categorical one, or when unknown)
     * @param std     their population standard deviation (same)
     */
    @io.swagger.v3.oas.annotations.media.Schema(name = "DatasetColumn", description = "One input column of a dataset.")
    public record InputColumn(
            @io.swagger.v3.oas.annotations.media.Schema(description = "Column name.", example = "x") String name,
            @io.swagger.v3.oas.annotations.media.Schema(description = "numeric, or categorical (text; one-hot encoded by a fit).",
                    allowableValues = {NUMERIC, CATEGORICAL}) String kind,
            @io.swagger.v3.oas.annotations.media.Schema(description = "The sorted distinct texts of a categorical column.",
                    nullable = true) List<String> levels,
            @io.swagger.v3.oas.annotations.media.Schema(description = "Empty cells.", example = "0") int missing,
            @io.swagger.v3.oas.annotations.media.Schema(description = "Mean of the present cells (numeric columns).", nullable = true)
            Double mean,
            @io.swagger.v3.oas.annotations.media.Schema(description = "Population standard deviation of the present cells (numeric "
                    + "columns).", nullable = true) Double std) {

        public boolean categorical() {
            return CATEGORICAL.equals(kind);
        }
    }

    /** The schema of {@code d} numeric inputs and {@code m} targets named {@code x0.., y0..} (or {@code x}, {@code y}). */
    public static TableSchema unnamed(int d, int m) {
        return numeric(CsvTables.names("x", d), CsvTables.names("y", m), false, null);
    }

    /** The schema of unnamed numeric rows {@code x} (N x d, not modified) and {@code m} targets, with the columns' scales. */
    public static TableSchema unnamed(org.ejml.data.DMatrixRMaj x, int m) {
        return numeric(CsvTables.names("x", x.numCols), CsvTables.names("y", m), false, x);
    }

    /** Numeric columns with the given names; {@code x} (N x d, may be null) gives their scales. */
    static TableSchema numeric(List<String> columns, List<String> targets, boolean named, org.ejml.data.DMatrixRMaj x) {
        List<InputColumn> inputs = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            Double mean = null;
            Double std = null;
            if (x != null) {
                final int col = j;
                double[] s = ColumnMoments.of(x.numRows, i -> x.data[i * x.numCols + col]);
                mean = s[0];
                std = s[1];
            }
            inputs.add(new InputColumn(columns.get(j), NUMERIC, null, 0, mean, std));
        }
        return new TableSchema(List.copyOf(inputs), List.copyOf(targets), null, named, List.of(), 0);
    }

    public TableSchema withWeight(String name) {
        return new TableSchema(inputs, targets, name, named, firstMissing, targetMissing);
    }

    public List<String> columns() {
        return inputs.stream().map(InputColumn::name).toList();
    }

    /** Empty input and target cells together. */
    public int missingCells() {
        return inputs.stream().mapToInt(InputColumn::missing).sum() + targetMissing;
    }

    /** Columns after one-hot encoding (a categorical column gives one per level). */
    public int encodedWidth() {
        return inputs.stream().mapToInt(c -> c.categorical() ? c.levels().size() : 1).sum();
    }

    public boolean weighted() {
        return weight != null;
    }
}
