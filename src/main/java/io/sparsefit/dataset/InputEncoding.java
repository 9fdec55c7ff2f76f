package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import org.ejml.data.DMatrixRMaj;

/**
 * How a model reads a table: its input columns by name, each numeric or categorical (one-hot over its levels), what
 * to do with a missing cell, and the target names. The encoded row (the network's input, {@link #features()}) has
 * one entry per numeric column and one per level of each categorical column, in column order. Stored with the model
 * and applied to every table it is evaluated on, so predictions never depend on the order of the columns sent.
 *
 * @param columns input column names, in the order of the stored model
 * @param levels  per column: the sorted levels of a categorical column, null for a numeric one
 * @param means   per column: with {@code missing = impute_mean}, the training mean of a numeric column (what an
 *                empty cell becomes); null otherwise. An empty categorical cell becomes the all-zero block
 * @param missing {@code error}, {@code drop_rows} or {@code impute_mean}: at predict, only {@code impute_mean}
 *                fills empty cells; otherwise an empty cell is a 422 naming it
 * @param named   false for the generated names {@code x0, x1, ...}: a CSV is then also read by position
 */
public record InputEncoding(List<String> columns, List<List<String>> levels, List<Double> means, String missing,
                            List<String> targets, boolean named) {

    public static final String ERROR = "error";
    public static final String DROP_ROWS = "drop_rows";
    public static final String IMPUTE_MEAN = "impute_mean";

    /** The encoding of a stored table's columns, with no imputation. */
    public static InputEncoding of(TableSchema schema, String missing) {
        List<List<String>> levels = new ArrayList<>();
        for (TableSchema.InputColumn c : schema.inputs()) {
            levels.add(c.categorical() ? c.levels() : null);
        }
        return new InputEncoding(schema.columns(), levels, null, missing, schema.targets(), schema.named());
    }

    /** The same with the imputation means of the numeric columns (entries for categorical columns are ignored). */
    public InputEncoding withMeans(double[] columnMeans) {
        List<Double> m = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            m.add(levels.get(j) == null ? columnMeans[j] : null);
        }
        return new InputEncoding(columns, levels, m, missing, targets, named);
    }

    public boolean imputes() {
        return IMPUTE_MEAN.equals(missing);
    }

    /** True when every column is numeric: the encoded row is the raw row. */
    public boolean allNumeric() {
        return levels.stream().allMatch(l -> l == null);
    }

    /** Names of the encoded columns (the network's inputs): a numeric column's name, {@code name=level} per level. */
    public List<String> features() {
        List<String> out = new ArrayList<>();
        for (int j = 0; j < columns.size(); j++) {
            if (levels.get(j) == null) {
                out.add(columns.get(j));
            } else {
                for (String level : levels.get(j)) {
                    out.add(columns.get(j) + "=" + level);
                }
            }
        }
        return out;
    }

    /** Width of the encoded row. */
    public int width() {
        int w = 0;
        for (List<String> l : levels) {
            w += l == null ? 1 : l.size();
        }
        return w;
    }

    /** Which encoded columns are one-hot indicators (left unscaled by standardization). */
    public boolean[] indicatorFeatures() {
        boolean[] out = new boolean[width()];
        int f = 0;
        for (List<String> l : levels) {
            if (l == null) {
                f++;
            } else {
                for (int k = 0; k < l.size(); k++) {
                    out[f++] = true;
                }
            }
        }
        return out;
    }

    /**
     * Encodes stored rows (N x columns: numbers, NaN for a missing cell, level indices for categorical columns; not
     * modified) into N x {@link #width()}. A missing numeric cell becomes its mean when there is one, else it is a 422
     * naming the first such cells (rows counted from 0).
     */
    public DMatrixRMaj encode(DMatrixRMaj raw) {
        int c = columns.size();
        if (raw.numCols != c) {
            throw new IllegalArgumentException("the rows have " + raw.numCols + " columns, the encoding " + c);
        }
        int w = width();
        DMatrixRMaj out = new DMatrixRMaj(raw.numRows, w);
        List<FieldProblem> missingCells = new ArrayList<>();
        for (int i = 0; i < raw.numRows; i++) {
            int f = 0;
            for (int j = 0; j < c; j++) {
                double v = raw.data[i * c + j];
                List<String> l = levels.get(j);
                if (l == null) {
                    if (Double.isNaN(v)) {
                        Double mean = means == null ? null : means.get(j);
                        if (mean == null) {
                            if (missingCells.size() < TableSchema.MAX_MISSING_REPORTED) {
                                missingCells.add(new FieldProblem("row " + i + ", column " + columns.get(j), "is empty and the model "
                                        + "imputes nothing (fit with preprocessing.missing = impute_mean to fill empty cells)"));
                            }
                            v = 0;
                        } else {
                            v = mean;
                        }
                    }
                    out.data[i * w + f++] = v;
                } else {
                    if (!Double.isNaN(v)) {
                        out.data[i * w + f + (int) v] = 1.0;
                    } else if (!imputes() && missingCells.size() < TableSchema.MAX_MISSING_REPORTED) {
                        missingCells.add(new FieldProblem("row " + i + ", column " + columns.get(j), "is empty and the model "
                                + "imputes nothing (fit with preprocessing.missing = impute_mean to fill empty cells)"));
                    }
                    f += l.size();
                }
            }
        }
        if (!missingCells.isEmpty()) {
            throw ApiException.invalid(missingCells);
        }
        return out;
    }

    /**
     * Rows of another table (its columns {@code schema}, stored values {@code raw}, not modified) as this encoding's
     * stored form: columns matched by name (by position when neither side has names and the counts agree), levels by
     * their text. 422 naming a column the table lacks, or a level the model never saw.
     */
    public DMatrixRMaj align(TableSchema schema, DMatrixRMaj raw) {
        List<String> theirs = schema.columns();
        int[] source = columnsIn(theirs, !schema.named());
        int c = columns.size();
        int[][] levelMap = new int[c][];
        List<FieldProblem> errors = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            TableSchema.InputColumn col = schema.inputs().get(source[j]);
            List<String> mine = levels.get(j);
            if (mine == null && col.categorical()) {
                errors.add(new FieldProblem("column " + columns.get(j), "is numeric in the model but holds text in the data"));
            } else if (mine != null && !col.categorical()) {
                errors.add(new FieldProblem("column " + columns.get(j), "is categorical in the model but numeric in the data"));
            } else if (mine != null) {
                levelMap[j] = new int[col.levels().size()];
                for (int k = 0; k < col.levels().size(); k++) {
                    levelMap[j][k] = mine.indexOf(col.levels().get(k));
                    if (levelMap[j][k] < 0) {
                        errors.add(unseen(columns.get(j), col.levels().get(k)));
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        DMatrixRMaj out = new DMatrixRMaj(raw.numRows, c);
        for (int i = 0; i < raw.numRows; i++) {
            for (int j = 0; j < c; j++) {
                double v = raw.data[i * raw.numCols + source[j]];
                out.data[i * c + j] = levelMap[j] == null || Double.isNaN(v) ? v : levelMap[j][(int) v];
            }
        }
        return out;
    }

    /**
     * Text rows with a header (a CSV predict body) in this encoding's stored form: columns matched by name (extra
     * columns ignored; by position for unnamed columns when the header does not name them all), numbers parsed,
     * levels looked up, empty cells NaN. 422 naming a missing column, an unseen level, or a cell that is not a number.
     */
    public DMatrixRMaj readText(List<String> header, List<List<String>> rows, int firstLine) {
        return readText(header, rows, true, i -> "line " + (firstLine + i));
    }

    /**
     * {@link #readText(List, List, int)} with the 422s naming row {@code i} as {@code rowName.apply(i)}, and the
     * by-position reading of unnamed columns only when {@code positionalAllowed}.
     */
    public DMatrixRMaj readText(List<String> header, List<List<String>> rows, boolean positionalAllowed,
                                java.util.function.IntFunction<String> rowName) {
        int[] source = columnsIn(header, positionalAllowed);
        int c = columns.size();
        DMatrixRMaj out = new DMatrixRMaj(rows.size(), c);
        List<FieldProblem> errors = new ArrayList<>();
        for (int i = 0; i < rows.size() && errors.size() < TableSchema.MAX_MISSING_REPORTED; i++) {
            List<String> row = rows.get(i);
            if (row.size() != header.size()) {
                errors.add(new FieldProblem(rowName.apply(i), "has " + row.size() + " cells, the header has " + header.size()));
                continue;
            }
            for (int j = 0; j < c; j++) {
                String text = row.get(source[j]);
                double v;
                if (text.isEmpty()) {
                    v = Double.NaN;
                } else if (levels.get(j) != null) {
                    v = levels.get(j).indexOf(text);
                    if (v < 0) {
                        errors.add(unseen(columns.get(j), text));
                    }
                } else {
                    v = CsvNumbers.parse(text);
                    if (Double.isNaN(v)) {
                        errors.add(new FieldProblem(rowName.apply(i) + ", column " + columns.get(j),
                                "'" + CsvNumbers.abbreviate(text) + "' is not a finite number"));
                    }
                }
                out.data[i * c + j] = v;
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return out;
    }

    /** Where each of this encoding's columns is in {@code names}; by position when allowed and the names do not match. */
    private int[] columnsIn(List<String> names, boolean positionalAllowed) {
        int c = columns.size();
        int[] source = new int[c];
        List<FieldProblem> missingColumns = new ArrayList<>();
        for (int j = 0; j < c; j++) {
            source[j] = names.indexOf(columns.get(j));
            if (source[j] < 0) {
                missingColumns.add(new FieldProblem("column " + columns.get(j), "is missing; the model reads the columns "
                        + columns + " by name, the data has " + abbreviate(names)));
            }
        }
        if (missingColumns.isEmpty()) {
            return source;
        }
        if (!named && positionalAllowed && names.size() == c) {
            // Models without names (JSON uploads without `columns`) read a CSV by position, as before names were kept.
            for (int j = 0; j < c; j++) {
                source[j] = j;
            }
            return source;
        }
        throw ApiException.invalid(missingColumns);
    }

    private static FieldProblem unseen(String column, String level) {
        return new FieldProblem("column " + column, "has the level '" + CsvNumbers.abbreviate(level)
                + "', which the model never saw in training");
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 20 ? names.toString() : names.subList(0, 20) + " and " + (names.size() - 20) + " more";
    }
}
