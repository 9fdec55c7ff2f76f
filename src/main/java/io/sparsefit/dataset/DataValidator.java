package io.sparsefit.dataset;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks uploaded training data before it is stored: present, rectangular, finite, matching row
 * counts, within the configured size limits. Reports every bad field (up to a cap) as 422, except
 * sizes beyond the limits, which are 413.
 */
@Component
public class DataValidator {

    private static final int MAX_REPORTED = 20;

    private final SparsefitProperties.Limits limits;

    DataValidator(SparsefitProperties properties) {
        this.limits = properties.limits();
    }

    /** The validated pair as matrices; {@code prefix} is prepended to field names (e.g. {@code data.}). */
    public DMatrixRMaj[] toMatrices(double[][] x, double[][] y, String prefix) {
        List<FieldProblem> errors = new ArrayList<>();
        int d = checkRect(x, prefix + "x", errors);
        int m = checkRect(y, prefix + "y", errors);
        if (x != null && y != null && x.length > 0 && y.length > 0 && x.length != y.length) {
            errors.add(new FieldProblem(prefix + "y", "has " + y.length + " rows but x has " + x.length));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(cap(errors));
        }
        checkSize(x.length, d, m, prefix);
        return new DMatrixRMaj[] {new DMatrixRMaj(x), new DMatrixRMaj(y)};
    }

    /**
     * Inputs and JSON targets (rows of numbers, a flat array of numbers, or a flat array of labels: {@link JsonTargets})
     * validated as {@link #toMatrices} does; y of labels holds each row's class index in {@code textClasses}.
     */
    public Table toTable(double[][] x, tools.jackson.databind.JsonNode y, String prefix) {
        JsonTargets.Read targets = JsonTargets.read(y, prefix + "y");
        TargetClasses.Indexed labels = targets.labels();
        DMatrixRMaj[] xy = toMatrices(x, labels == null ? targets.rows() : columnRows(labels.y()), prefix);
        return new Table(xy[0], xy[1], labels == null ? null : labels.classes());
    }

    /** Validated inputs x (N x d) and targets y (N x m), with the classes of text labels (null otherwise). */
    public record Table(DMatrixRMaj x, DMatrixRMaj y, TargetClasses textClasses) {

        /** The classes of the targets: the text labels, or few distinct integers in one column; null otherwise. */
        public TargetClasses classes() {
            return textClasses != null ? textClasses : TargetClasses.ofIntegers(y);
        }
    }

    /** One column as rows of one number each (for the shape checks of {@link #toMatrices}). */
    private static double[][] columnRows(DMatrixRMaj column) {
        double[][] rows = new double[column.numRows][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {column.data[i]};
        }
        return rows;
    }

    /** The configured maximum number of rows (samples) of a dataset. */
    public int maxRows() {
        return limits.maxRows();
    }

    /** The most input columns a table may have after one-hot encoding ({@code sparsefit.limits.max-input-dim}). */
    public int maxEncodedWidth() {
        return limits.maxInputDim();
    }

    /**
     * JSON {@code columns} (input names: as many as x has columns, non-blank, distinct) and {@code w} (one weight
     * > 0 per row); both optional. 422 naming what is wrong.
     */
    public void checkNamesAndWeights(java.util.List<String> columns, double[] w, int rows, int d, String prefix) {
        List<FieldProblem> errors = new ArrayList<>();
        if (columns != null) {
            if (columns.size() != d) {
                errors.add(new FieldProblem(prefix + "columns", "has " + columns.size() + " names but x has " + d + " columns"));
            } else if (columns.stream().anyMatch(c -> c == null || c.isBlank())) {
                errors.add(new FieldProblem(prefix + "columns", "every name must be non-empty"));
            } else if (columns.stream().distinct().count() != d) {
                errors.add(new FieldProblem(prefix + "columns", "names a column twice"));
            }
        }
        if (w != null) {
            if (w.length != rows) {
                errors.add(new FieldProblem(prefix + "w", "has " + w.length + " weights but x has " + rows + " rows"));
            } else {
                for (int i = 0; i < w.length; i++) {
                    if (!(w[i] > 0) || !Double.isFinite(w[i])) {
                        errors.add(new FieldProblem(prefix + "w[" + i + "]", "must be a finite number > 0"));
                        break;
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** Size limits, shared with the CSV parser (413 beyond them). */
    public void checkSize(int rows, int d, int m, String prefix) {
        List<FieldProblem> errors = new ArrayList<>();
        if (rows > limits.maxRows()) {
            errors.add(new FieldProblem(prefix + "x", "has " + rows + " rows, the limit is " + limits.maxRows()));
        }
        if (d > limits.maxInputDim()) {
            errors.add(new FieldProblem(prefix + "x", "has " + d + " columns, the limit is " + limits.maxInputDim()));
        }
        if (m > limits.maxOutputDim()) {
            errors.add(new FieldProblem(prefix + "y", "has " + m + " columns, the limit is " + limits.maxOutputDim()));
        }
        if (!errors.isEmpty()) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", "The data exceeds the configured size limits",
                    errors, null);
        }
    }

    /** Returns the column count, or -1 after recording why the matrix is unusable. */
    private static int checkRect(double[][] a, String name, List<FieldProblem> errors) {
        if (a == null) {
            errors.add(new FieldProblem(name, "is required"));
            return -1;
        }
        if (a.length == 0) {
            errors.add(new FieldProblem(name, "must have at least one row"));
            return -1;
        }
        int cols = -1;
        for (int i = 0; i < a.length && errors.size() < MAX_REPORTED; i++) {
            double[] row = a[i];
            if (row == null) {
                errors.add(new FieldProblem(name + "[" + i + "]", "must be an array of numbers"));
                continue;
            }
            if (row.length == 0) {
                errors.add(new FieldProblem(name + "[" + i + "]", "must not be empty"));
                continue;
            }
            if (cols < 0) {
                cols = row.length;
            } else if (row.length != cols) {
                errors.add(new FieldProblem(name + "[" + i + "]", "has " + row.length + " values but row 0 has " + cols + " (ragged array)"));
                continue;
            }
            for (int j = 0; j < row.length; j++) {
                if (!Double.isFinite(row[j])) {
                    errors.add(new FieldProblem(name + "[" + i + "][" + j + "]", "must be a finite number"));
                    break;
                }
            }
        }
        return cols;
    }

    static List<FieldProblem> cap(List<FieldProblem> errors) {
        return errors.size() <= MAX_REPORTED ? errors : errors.subList(0, MAX_REPORTED);
    }
}
