package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
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
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(false).get();
        List<String> header;
        List<CSVRecord> records;
        try (CSVParser parser = CSVParser.parse(new StringReader(csv == null ? "" : csv), format)) {
            records = parser.getRecords();
        } catch (IOException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw ApiException.badRequest("Malformed CSV: " + root.getMessage(), List.of());
        }
        if (records.isEmpty()) {
            throw ApiException.invalid("body", "the CSV has no header row");
        }
        header = records.get(0).toList();
        // Blank lines (e.g. a trailing one) are kept by the parser so record numbers stay line numbers; drop them here.
        records = records.stream().filter(r -> !(r.size() == 1 && r.get(0).isEmpty())).toList();
        if (records.size() < 2) {
            throw ApiException.invalid("body", "the CSV has a header but no data rows");
        }
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
        int n = records.size() - 1;
        validator.checkSize(n, inputs.length, targets.length, "");
        DMatrixRMaj x = new DMatrixRMaj(n, inputs.length);
        DMatrixRMaj y = new DMatrixRMaj(n, targets.length);
        List<FieldProblem> errors = new ArrayList<>();
        for (int i = 0; i < n && errors.size() < MAX_REPORTED; i++) {
            CSVRecord rec = records.get(i + 1);
            // With empty lines kept, the record number is the line number (unless a quoted cell spans lines).
            long line = rec.getRecordNumber();
            if (rec.size() != header.size()) {
                errors.add(new FieldProblem("line " + line, "has " + rec.size() + " cells, the header has " + header.size()));
                continue;
            }
            for (int k = 0; k < inputs.length; k++) {
                x.data[i * inputs.length + k] = cell(rec, inputs[k], header, line, errors);
            }
            for (int k = 0; k < targets.length; k++) {
                y.data[i * targets.length + k] = cell(rec, targets[k], header, line, errors);
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors.size() <= MAX_REPORTED ? errors : errors.subList(0, MAX_REPORTED));
        }
        return new DMatrixRMaj[] {x, y};
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
