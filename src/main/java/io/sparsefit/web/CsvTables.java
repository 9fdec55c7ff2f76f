package io.sparsefit.web;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV in and out for numeric tables (RFC 4180 through Commons CSV): a header row, then one row of
 * numbers per line. Numbers are written as Java's shortest round-trip decimal form, the same digits
 * as the JSON answers.
 */
public final class CsvTables {

    public static final String TEXT_CSV = "text/csv";

    private CsvTables() {
    }

    /** Column names {@code prefix} (one column) or {@code prefix0, prefix1, ...}. */
    public static List<String> names(String prefix, int columns) {
        List<String> names = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            names.add(columns == 1 ? prefix : prefix + j);
        }
        return names;
    }

    /** A header row, then the rows of the given column blocks side by side (all with the same number of rows). */
    public static String write(List<String> header, double[][]... blocks) {
        return write(header, blocks.length == 0 ? 0 : blocks[0].length, (i, cells) -> {
            for (double[][] block : blocks) {
                for (double v : block[i]) {
                    cells.add(Double.toString(v));
                }
            }
        });
    }

    /** A header row, then {@code rows} rows whose cells {@code cells} adds to the (cleared) list it is given for each row index. */
    public static String write(List<String> header, int rows, java.util.function.BiConsumer<Integer, List<String>> cells) {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, CSVFormat.RFC4180)) {
            printer.printRecord(header);
            List<String> row = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                row.clear();
                cells.accept(i, row);
                printer.printRecord(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A CSV read as text: the header's names and the rows' cells (each row as read; its width is not checked here). */
    public record TextTable(List<String> header, List<List<String>> rows) {
    }

    /** The 400 of a CSV body the parser could not read: what it said, from the root of {@code failure}. */
    public static ApiException malformed(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return ApiException.badRequest("Malformed CSV: " + root.getMessage(), List.of());
    }

    /** Reads a header and rows of text cells (blank lines skipped); 400 for malformed CSV, 422 without a header. */
    public static TextTable readText(String csv) {
        CSVFormat format = CSVFormat.RFC4180.builder().setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        List<CSVRecord> records;
        try (CSVParser parser = CSVParser.parse(new StringReader(csv == null ? "" : csv), format)) {
            records = parser.getRecords();
        } catch (IOException | RuntimeException e) {
            throw malformed(e);
        }
        if (records.isEmpty()) {
            throw ApiException.invalid("body", "the CSV has no header row");
        }
        List<List<String>> rows = new ArrayList<>(records.size() - 1);
        for (int i = 1; i < records.size(); i++) {
            rows.add(records.get(i).toList());
        }
        return new TextTable(records.get(0).toList(), rows);
    }
}
