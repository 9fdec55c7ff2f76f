package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.ejml.data.DMatrixRMaj;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Parses a CSV upload (RFC 4180 via Commons CSV, already the project's CSV library): a header row naming the
 * columns, then one sample per line. The {@code target} columns are the outputs (default: the last column), the
 * {@code weight} column (optional) the sample weights, all others the inputs, in file order.
 *
 * <p>An input column is numeric or categorical, decided by its first non-empty cell: text there makes the column
 * categorical (every distinct text a level, one-hot encoded by a fit), a number makes it numeric (a later text cell
 * is then a 422 naming it). An empty cell is missing (stored as NaN; {@code preprocessing.missing} of a fit decides
 * what it means). Targets are numbers or empty, or labels: one target column whose first non-empty cell is text holds
 * labels ({@link LabelColumn}; every cell a label, none empty; with several target columns text is refused). Weights are numbers > 0 and never empty. Bad cells are
 * reported with their line number and column name.
 */
@Component
class CsvDatasetParser {

    private static final int MAX_REPORTED = 20;

    private final DataValidator validator;

    CsvDatasetParser(DataValidator validator) {
        this.validator = validator;
    }

    ParsedTable parse(String csv, String target, String weight) {
        return parse(new StringReader(csv == null ? "" : csv), target, weight);
    }

    /**
     * Streams the CSV: records are read one at a time into a growing row-major buffer, and reading stops with 413
     * at the first row beyond {@code max-rows}, so memory is the parsed numbers, never the whole text or its records.
     */
    ParsedTable parse(Reader csv, String target, String weight) {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(false).get();
        int maxRows = validator.maxRows();
        try (CSVParser parser = CSVParser.parse(csv, format)) {
            Iterator<CSVRecord> records = parser.iterator();
            CSVRecord headerRecord = nextNonBlank(records);
            if (headerRecord == null) {
                throw ApiException.invalid("body", "the CSV has no header row");
            }
            List<String> header = headerRecord.toList();
            if (header.size() < 2) {
                throw ApiException.invalid("body", "the CSV needs at least two columns (inputs and a target), found " + header.size());
            }
            if (header.stream().anyMatch(String::isEmpty)) {
                throw ApiException.invalid("header", "column " + (header.indexOf("") + 1) + " has no name; name every column");
            }
            if (header.stream().distinct().count() != header.size()) {
                throw ApiException.invalid("header", "names a column twice: " + duplicates(header));
            }
            int[] targets = targetColumns(header, target);
            int weightColumn = weightColumn(header, weight, targets);
            int[] inputs = inputColumns(header.size(), targets, weightColumn);
            int d = inputs.length;
            int m = targets.length;
            validator.checkSize(1, d, m, "");
            Columns columns = new Columns(header, inputs, validator.maxEncodedWidth());
            MatrixBuffer xs = new MatrixBuffer(d, 1024, maxRows);
            double[] ys = new double[Math.min(1024, maxRows) * m];
            double[] ws = weightColumn < 0 ? null : new double[Math.min(1024, maxRows)];
            List<FieldProblem> errors = new ArrayList<>();
            List<String> firstMissing = new ArrayList<>();
            LabelColumn labels = new LabelColumn();
            int targetMissing = 0;
            int n = 0;
            for (CSVRecord rec = nextNonBlank(records); rec != null; rec = nextNonBlank(records)) {
                if (n == maxRows) {
                    // 413 at the first row beyond the limit: the rest of the body is never read.
                    throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", "The data exceeds the configured size limits",
                            List.of(new FieldProblem("x", "has more than " + maxRows + " rows, the limit is " + maxRows)), null);
                }
                if (errors.size() >= MAX_REPORTED) {
                    n++;
                    continue; // keep counting rows for the limit, stop collecting errors
                }
                // With empty lines kept, the record number is the line number (unless a quoted cell spans lines).
                long line = rec.getRecordNumber();
                if (rec.size() != header.size()) {
                    errors.add(new FieldProblem("line " + line, "has " + rec.size() + " cells, the header has " + header.size()));
                    n++;
                    xs.addRow();
                    continue;
                }
                if ((n + 1) * m > ys.length) {
                    int grown = Math.min(maxRows, 2 * (n + 1));
                    ys = Arrays.copyOf(ys, grown * m);
                    ws = ws == null ? null : Arrays.copyOf(ws, grown);
                }
                int row = xs.addRow();
                for (int k = 0; k < d; k++) {
                    double v = columns.read(k, rec.get(inputs[k]), line, errors);
                    xs.set(row, k, v);
                    if (Double.isNaN(v) && firstMissing.size() < TableSchema.MAX_MISSING_REPORTED) {
                        firstMissing.add("line " + line + ", column " + header.get(inputs[k]));
                    }
                }
                for (int k = 0; k < m; k++) {
                    String text = rec.get(targets[k]);
                    if (m == 1 && labels.isText(text)) {
                        ys[n * m + k] = labels.read(text, header.get(targets[k]));
                        continue;
                    }
                    if (text.isEmpty()) {
                        ys[n * m + k] = Double.NaN;
                        targetMissing++;
                        if (firstMissing.size() < TableSchema.MAX_MISSING_REPORTED) {
                            firstMissing.add("line " + line + ", column " + header.get(targets[k]));
                        }
                    } else {
                        ys[n * m + k] = number(text, header.get(targets[k]), line, errors);
                    }
                }
                if (ws != null) {
                    double w = number(rec.get(weightColumn), header.get(weightColumn), line, errors);
                    if (!(w > 0) && !Double.isNaN(w)) {
                        errors.add(new FieldProblem("line " + line + ", column " + header.get(weightColumn), "a weight must be > 0"));
                    }
                    ws[n] = w;
                }
                n++;
            }
            if (n == 0) {
                throw ApiException.invalid("body", "the CSV has a header but no data rows");
            }
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors.size() <= MAX_REPORTED ? errors : errors.subList(0, MAX_REPORTED));
            }
            DMatrixRMaj y = DMatrixRMaj.wrap(n, m, ys.length == n * m ? ys : Arrays.copyOf(ys, n * m));
            TargetClasses classes = labels.finish(y, targetMissing, firstMissing, header.get(targets[0]));
            List<TableSchema.InputColumn> described = columns.finish(xs);
            List<String> targetNames = Arrays.stream(targets).mapToObj(header::get).toList();
            TableSchema schema = new TableSchema(described, targetNames, weightColumn < 0 ? null : header.get(weightColumn), true,
                    List.copyOf(firstMissing), targetMissing);
            if (schema.encodedWidth() > validator.maxEncodedWidth()) {
                throw ApiException.invalid("header", "the inputs one-hot encode to " + schema.encodedWidth() + " columns, more than the "
                        + "limit of " + validator.maxEncodedWidth() + " (sparsefit.limits.max-input-dim); a text column with many "
                        + "distinct values (an identifier?) should be left out");
            }
            return new ParsedTable(xs.encoded(), y, ws == null ? null : Arrays.copyOf(ws, n), schema, classes);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            ApiException api = cause(e);
            if (api != null) {
                throw api; // e.g. the body size limit, hit while reading
            }
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw ApiException.badRequest("Malformed CSV: " + root.getMessage(), List.of());
        }
    }

    /**
     * The input columns while they are read: each one's kind (by its first non-empty cell) and, for a categorical
     * column, its levels in order of appearance (the stored index until {@link #finish} renumbers them sorted).
     */
    private static final class Columns {

        private final List<String> header;
        private final int[] inputs;
        private final int maxLevels;
        private final Boolean[] categorical;
        private final List<Map<String, Integer>> levels = new ArrayList<>();
        private final int[] missing;

        Columns(List<String> header, int[] inputs, int maxLevels) {
            this.header = header;
            this.inputs = inputs;
            this.maxLevels = maxLevels;
            this.categorical = new Boolean[inputs.length];
            this.missing = new int[inputs.length];
            for (int k = 0; k < inputs.length; k++) {
                levels.add(new LinkedHashMap<>());
            }
        }

        double read(int k, String text, long line, List<FieldProblem> errors) {
            if (text.isEmpty()) {
                missing[k]++;
                return Double.NaN;
            }
            if (categorical[k] == null) {
                categorical[k] = !CsvNumbers.isDecimal(text);
            }
            if (!categorical[k]) {
                return number(text, header.get(inputs[k]), line, errors);
            }
            Map<String, Integer> seen = levels.get(k);
            Integer index = seen.get(text);
            if (index == null) {
                if (seen.size() == maxLevels) {
                    throw ApiException.invalid("column " + header.get(inputs[k]), "has more than " + maxLevels + " distinct text values "
                            + "(sparsefit.limits.max-input-dim); a text column with this many values (an identifier?) cannot be one-hot "
                            + "encoded; leave it out");
                }
                index = seen.size();
                seen.put(text, index);
            }
            return index;
        }

        /** The columns' descriptions; renumbers the level indices in {@code x} (modified) to the sorted levels. */
        List<TableSchema.InputColumn> finish(MatrixBuffer x) {
            List<TableSchema.InputColumn> out = new ArrayList<>();
            int d = inputs.length;
            for (int k = 0; k < d; k++) {
                String name = header.get(inputs[k]);
                if (Boolean.TRUE.equals(categorical[k])) {
                    List<String> sorted = new ArrayList<>(levels.get(k).keySet());
                    sorted.sort(null);
                    int[] renumber = new int[sorted.size()];
                    for (Map.Entry<String, Integer> e : levels.get(k).entrySet()) {
                        renumber[e.getValue()] = java.util.Collections.binarySearch(sorted, e.getKey());
                    }
                    for (int i = 0; i < x.rows(); i++) {
                        double v = x.get(i, k);
                        if (!Double.isNaN(v)) {
                            x.set(i, k, renumber[(int) v]);
                        }
                    }
                    out.add(new TableSchema.InputColumn(name, TableSchema.CATEGORICAL, List.copyOf(sorted), missing[k], null, null));
                } else {
                    double[] scale = x.scale(k);
                    out.add(new TableSchema.InputColumn(name, TableSchema.NUMERIC, null, missing[k],
                            finiteOrNull(scale[0]), finiteOrNull(scale[1])));
                }
            }
            return out;
        }
    }

    private static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double number(String text, String column, long line, List<FieldProblem> errors) {
        if (!CsvNumbers.isDecimal(text)) {
            // Java's hex floats, 1d/1f suffixes, NaN, Infinity, text
            errors.add(new FieldProblem("line " + line + ", column " + column, "'" + CsvNumbers.abbreviate(text) + "' is not a number"));
            return 0;
        }
        double v = Double.parseDouble(text);
        if (!Double.isFinite(v)) {
            errors.add(new FieldProblem("line " + line + ", column " + column, "must be a finite number"));
            return 0;
        }
        return v;
    }

    private static ApiException cause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }

    /** The next record that is not a blank line (kept by the parser so record numbers stay line numbers), or null. */
    private static CSVRecord nextNonBlank(Iterator<CSVRecord> records) {
        while (records.hasNext()) {
            CSVRecord r = records.next();
            if (!(r.size() == 1 && r.get(0).isEmpty())) {
                return r;
            }
        }
        return null;
    }

    private static List<String> duplicates(List<String> header) {
        return header.stream().filter(h -> header.indexOf(h) != header.lastIndexOf(h)).distinct().toList();
    }

    private static int[] inputColumns(int columns, int[] targets, int weightColumn) {
        List<Integer> inputs = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            final int col = j;
            if (col != weightColumn && Arrays.stream(targets).noneMatch(t -> t == col)) {
                inputs.add(j);
            }
        }
        if (inputs.isEmpty()) {
            throw ApiException.invalid("target", "every column is a target or the weight; at least one input column is needed");
        }
        return inputs.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int weightColumn(List<String> header, String weight, int[] targets) {
        if (weight == null) {
            return -1;
        }
        int col = header.indexOf(weight.trim());
        if (weight.isBlank() || col < 0) {
            throw ApiException.invalid("weight", "no column named '" + weight + "'; the header has " + header);
        }
        if (Arrays.stream(targets).anyMatch(t -> t == col)) {
            throw ApiException.invalid("weight", "'" + weight + "' is also a target column");
        }
        return col;
    }

    private static int[] targetColumns(List<String> header, String target) {
        if (target == null || target.isBlank()) {
            return new int[] {header.size() - 1};
        }
        String[] names = target.split(",", -1);
        if (Arrays.stream(names).anyMatch(n -> n.isBlank())) {
            throw ApiException.invalid("target", "names an empty column; give comma-separated column names");
        }
        int[] cols = new int[names.length];
        List<FieldProblem> errors = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            String name = names[i].trim();
            cols[i] = header.indexOf(name);
            if (cols[i] < 0) {
                errors.add(new FieldProblem("target", "no column named '" + name + "'; the header has " + header));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        if (Arrays.stream(cols).distinct().count() != cols.length) {
            throw ApiException.invalid("target", "names a column twice");
        }
        return cols;
    }
}
