package io.sparsefit.dataset;

import io.sparsefit.config.UploadProperties;
import io.sparsefit.core.ColumnMoments;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.CsvTables;
import io.sparsefit.web.FieldProblem;
import io.sparsefit.web.Sha256;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
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
    private final int maxRows;
    private final int maxColumns;

    CsvDatasetParser(DataValidator validator, UploadProperties uploads) {
        this.validator = validator;
        this.maxRows = uploads.maxRows();
        this.maxColumns = uploads.maxColumns();
    }

    /**
     * A CSV upload read and stored: its rows, x in one piece when it fit in one chunk (else null: x is in
     * {@code chunks}), y and the weights in their stored form (w one row of N, as a JSON upload's; null without a weight
     * column), the schema, the classes of the target (null without labels) and the sha256 of the stored x and y.
     */
    record Streamed(int rows, byte[] onePieceX, long xBytes, DMatrixRMaj y, byte[] storedY, byte[] storedW, TableSchema schema,
                    TargetClasses classes, String sha256) {
    }

    /**
     * Streams the CSV: records are read one at a time into a block of rows in the stored form, and each full block goes
     * to {@code chunks} (the store) as it fills, so the heap holds one block of inputs, the targets and weights, and the
     * columns' summaries, never the text, its records or all the inputs. Reading stops with 413 at the first row beyond
     * {@code sparsefit.uploads.max-rows}. Once the body is read, one pass over the stored blocks renumbers the level
     * indices of categorical columns to their sorted levels, takes the numeric columns' squared deviations (the second
     * pass of {@link ColumnMoments}) and hashes x as the one matrix it is.
     */
    Streamed parse(Reader csv, String target, String weight, UploadChunks chunks) {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(false).get();
        try (CSVParser parser = CSVParser.parse(csv, format)) {
            Iterator<CSVRecord> records = parser.iterator();
            CSVRecord headerRecord = nextNonBlank(records);
            if (headerRecord == null) {
                throw ApiException.invalid("body", "the CSV has no header row");
            }
            List<String> header = headerRecord.toList();
            if (header.size() > maxColumns) {
                throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large", "The data exceeds the configured size limits",
                        List.of(new FieldProblem("header", "has " + header.size() + " columns, the limit is " + maxColumns
                                + " (sparsefit.uploads.max-columns)")), null);
            }
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
            int blockRows = chunks.rowsPerChunk(d);
            MatrixBuffer xs = new MatrixBuffer(d, Math.min(1024, blockRows), blockRows);
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
                            List.of(new FieldProblem("x", "has more than " + maxRows + " rows, the limit is " + maxRows
                                    + " (sparsefit.uploads.max-rows)")), null);
                }
                if (errors.size() >= MAX_REPORTED) {
                    n++;
                    continue; // keep counting rows for the limit, stop collecting errors
                }
                if (xs.rows() == blockRows) {
                    // A full block: to the store, unless the upload has already failed (then it is only read on, for the
                    // row limit and more errors, and its rows are dropped).
                    if (errors.isEmpty()) {
                        chunks.add(xs.encoded());
                    }
                    xs = new MatrixBuffer(d, blockRows, blockRows);
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
            TargetClasses textClasses = labels.finish(y, targetMissing, firstMissing, header.get(targets[0]));
            byte[] storedY = MatrixCodec.encode(y);
            byte[] onePiece = null;
            if (chunks.chunked()) {
                chunks.add(xs.encoded());
            } else {
                onePiece = xs.encoded();
            }
            xs = null;
            String sha256 = columns.finishBlocks(n, chunks, onePiece, storedY);
            List<TableSchema.InputColumn> described = columns.describe();
            List<String> targetNames = Arrays.stream(targets).mapToObj(header::get).toList();
            TableSchema schema = new TableSchema(described, targetNames, weightColumn < 0 ? null : header.get(weightColumn), true,
                    List.copyOf(firstMissing), targetMissing);
            if (schema.encodedWidth() > validator.maxEncodedWidth()) {
                throw ApiException.invalid("header", "the inputs one-hot encode to " + schema.encodedWidth() + " columns, more than the "
                        + "limit of " + validator.maxEncodedWidth() + " (sparsefit.limits.max-input-dim); a text column with many "
                        + "distinct values (an identifier?) should be left out");
            }
            return new Streamed(n, onePiece, MatrixCodec.HEADER + 8L * n * d, y, storedY,
                    ws == null ? null : MatrixCodec.encode(ws, 1, n), schema,
                    textClasses != null ? textClasses : TargetClasses.ofIntegers(y), sha256);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            ApiException api = cause(e);
            if (api != null) {
                throw api; // e.g. the body size limit, hit while reading
            }
            if (e instanceof org.springframework.dao.DataAccessException || e instanceof org.springframework.transaction.TransactionException) {
                throw (RuntimeException) e; // the store failed while chunks were written: the database fault's own answer (web.ProblemAdvice)
            }
            throw CsvTables.malformed(e);
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
        /** Numeric columns: the sum and count of the present cells (the first pass of {@link ColumnMoments}, in row order). */
        private final double[] sum;
        private final int[] present;
        /** Numeric columns: the squared deviations from the mean (its second pass, over the stored blocks). */
        private final double[] squares;

        Columns(List<String> header, int[] inputs, int maxLevels) {
            this.header = header;
            this.inputs = inputs;
            this.maxLevels = maxLevels;
            this.categorical = new Boolean[inputs.length];
            this.missing = new int[inputs.length];
            this.sum = new double[inputs.length];
            this.present = new int[inputs.length];
            this.squares = new double[inputs.length];
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
                double v = number(text, header.get(inputs[k]), line, errors);
                sum[k] += v;
                present[k]++;
                return v;
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

        /**
         * The second pass, over the stored x ({@code onePiece}, or the blocks of {@code chunks} when it is null; N =
         * {@code rows} rows): renumbers each categorical cell from its level's order of appearance to its index among the
         * sorted levels (a block is written back when it holds a categorical column), sums the numeric columns' squared
         * deviations from their means, and returns the sha256 of x as one stored matrix followed by {@code storedY}.
         */
        String finishBlocks(int rows, UploadChunks chunks, byte[] onePiece, byte[] storedY) {
            int d = inputs.length;
            int[][] renumber = new int[d][];
            double[] mean = new double[d];
            for (int k = 0; k < d; k++) {
                if (Boolean.TRUE.equals(categorical[k])) {
                    List<String> sorted = sortedLevels(k);
                    renumber[k] = new int[sorted.size()];
                    for (Map.Entry<String, Integer> e : levels.get(k).entrySet()) {
                        renumber[k][e.getValue()] = java.util.Collections.binarySearch(sorted, e.getKey());
                    }
                } else {
                    mean[k] = sum[k] / present[k];
                }
            }
            boolean rewrite = Arrays.stream(renumber).anyMatch(java.util.Objects::nonNull);
            MessageDigest sha = Sha256.digest();
            sha.update(MatrixCodec.header(rows, d));
            int blocks = onePiece != null ? 1 : chunks.count();
            for (int b = 0; b < blocks; b++) {
                byte[] block = onePiece != null ? onePiece : chunks.read(b);
                ByteBuffer cells = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
                int count = (block.length - MatrixCodec.HEADER) / 8;
                for (int c = 0; c < count; c++) {
                    int k = c % d;
                    int at = MatrixCodec.HEADER + 8 * c;
                    double v = cells.getDouble(at);
                    if (Double.isNaN(v)) {
                        continue;
                    }
                    if (renumber[k] != null) {
                        cells.putDouble(at, renumber[k][(int) v]);
                    } else {
                        squares[k] += (v - mean[k]) * (v - mean[k]);
                    }
                }
                if (rewrite && onePiece == null) {
                    chunks.replace(b, block);
                }
                sha.update(block, MatrixCodec.HEADER, block.length - MatrixCodec.HEADER);
            }
            sha.update(storedY);
            return java.util.HexFormat.of().formatHex(sha.digest());
        }

        private List<String> sortedLevels(int k) {
            List<String> sorted = new ArrayList<>(levels.get(k).keySet());
            sorted.sort(null);
            return sorted;
        }

        /**
         * The columns' descriptions, after {@link #finishBlocks}: kinds, sorted levels, missing cells, and mean and
         * population standard deviation computed as {@link ColumnMoments#of} computes them (the same sums in the same
         * order, so equal to the bit, which standardization relies on).
         */
        List<TableSchema.InputColumn> describe() {
            List<TableSchema.InputColumn> out = new ArrayList<>();
            for (int k = 0; k < inputs.length; k++) {
                String name = header.get(inputs[k]);
                if (Boolean.TRUE.equals(categorical[k])) {
                    out.add(new TableSchema.InputColumn(name, TableSchema.CATEGORICAL, List.copyOf(sortedLevels(k)), missing[k], null, null));
                } else {
                    double mean = sum[k] / present[k];
                    out.add(new TableSchema.InputColumn(name, TableSchema.NUMERIC, null, missing[k],
                            finiteOrNull(mean), finiteOrNull(Math.sqrt(squares[k] / present[k]))));
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
