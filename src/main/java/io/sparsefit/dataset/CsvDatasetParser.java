package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.ejml.data.DMatrixRMaj;
import org.springframework.stereotype.Component;

/**
 * Parses a CSV upload (RFC 4180 via Commons CSV): a header row naming the columns, then one sample per
 * line. The {@code target} columns are the outputs (default: the last column), all others the inputs,
 * in file order. Bad cells are reported with their line number and column name.
 */
@Component
class CsvDatasetParser {

    private static final int MAX_REPORTED = 20;
    /** A plain decimal number with an optional exponent, as in JSON but with an optional + and bare leading/trailing dots. */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    private final DataValidator validator;

    CsvDatasetParser(DataValidator validator) {
        this.validator = validator;
    }

    DMatrixRMaj[] parse(String csv, String target) {
        return parse(new StringReader(csv == null ? "" : csv), target);
    }

    /**
     * Streams the CSV: records are read one at a time into growing column-major buffers, and reading
     * stops with 413 at the first row beyond {@code max-rows}, so memory is the parsed numbers, never
     * the whole text or its records.
     */
    DMatrixRMaj[] parse(Reader csv, String target) {
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
            int[] targets = targetColumns(header, target);
            Set<Integer> targetSet = new LinkedHashSet<>();
            Arrays.stream(targets).forEach(targetSet::add);
            int[] inputs = new int[header.size() - targetSet.size()];
            for (int j = 0, k = 0; j < header.size(); j++) {
                if (!targetSet.contains(j)) {
                    inputs[k++] = j;
                }
            }
            if (inputs.length == 0) {
                throw ApiException.invalid("target", "every column is a target; at least one input column is needed");
            }
            validator.checkSize(1, inputs.length, targets.length, "");
            double[] xs = new double[Math.min(1024, maxRows) * inputs.length];
            double[] ys = new double[Math.min(1024, maxRows) * targets.length];
            List<FieldProblem> errors = new ArrayList<>();
            int n = 0;
            for (CSVRecord rec = nextNonBlank(records); rec != null; rec = nextNonBlank(records)) {
                if (n == maxRows) {
                    // 413 at the first row beyond the limit: the rest of the body is never read.
                    throw new ApiException(org.springframework.http.HttpStatus.CONTENT_TOO_LARGE, "Content too large",
                            "The data exceeds the configured size limits",
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
                    continue;
                }
                if ((n + 1) * inputs.length > xs.length) {
                    xs = Arrays.copyOf(xs, Math.min(maxRows, 2 * (n + 1)) * inputs.length);
                    ys = Arrays.copyOf(ys, Math.min(maxRows, 2 * (n + 1)) * targets.length);
                }
                for (int k = 0; k < inputs.length; k++) {
                    xs[n * inputs.length + k] = cell(rec, inputs[k], header, line, errors);
                }
                for (int k = 0; k < targets.length; k++) {
                    ys[n * targets.length + k] = cell(rec, targets[k], header, line, errors);
                }
                n++;
            }
            if (n == 0) {
                throw ApiException.invalid("body", "the CSV has a header but no data rows");
            }
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors.size() <= MAX_REPORTED ? errors : errors.subList(0, MAX_REPORTED));
            }
            DMatrixRMaj x = new DMatrixRMaj(n, inputs.length);
            DMatrixRMaj y = new DMatrixRMaj(n, targets.length);
            System.arraycopy(xs, 0, x.data, 0, n * inputs.length);
            System.arraycopy(ys, 0, y.data, 0, n * targets.length);
            return new DMatrixRMaj[] {x, y};
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

    private static double cell(CSVRecord rec, int column, List<String> header, long line, List<FieldProblem> errors) {
        String text = rec.get(column);
        double v;
        try {
            if (!DECIMAL.matcher(text).matches()) {
                throw new NumberFormatException(); // Java's hex floats, 1d/1f suffixes, NaN, Infinity
            }
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            errors.add(new FieldProblem("line " + line + ", column " + header.get(column), "'" + abbreviate(text) + "' is not a number"));
            return 0;
        }
        if (!Double.isFinite(v)) {
            errors.add(new FieldProblem("line " + line + ", column " + header.get(column), "must be a finite number"));
        }
        return v;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
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
