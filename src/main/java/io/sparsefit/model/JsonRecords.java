package io.sparsefit.model;

import io.sparsefit.dataset.InputEncoding;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ejml.data.DMatrixRMaj;

/**
 * JSON predict rows given as objects by column name ({@code "rows": [{"size": 50, "city": "Oslo"}]}), read exactly as the
 * rows of a CSV predict body ({@link InputEncoding#readText}): each value becomes the text of its cell (a number its JSON
 * literal, which {@code Double.toString} gives back exactly; null or an absent key the empty cell), so a level is matched by
 * its text and every 422 is the CSV one, the row named {@code rows[i]}.
 */
final class JsonRecords {

    private JsonRecords() {
    }

    /** The rows in {@code encoding}'s stored form (not yet one-hot encoded); 422 for a value that is not a number, text or null. */
    static DMatrixRMaj read(InputEncoding encoding, List<Map<String, Object>> rows) {
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            if (row != null) {
                keys.addAll(row.keySet());
            }
        }
        List<String> header = new ArrayList<>(keys);
        List<List<String>> text = new ArrayList<>(rows.size());
        List<FieldProblem> errors = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i) == null ? Map.of() : rows.get(i);
            List<String> cells = new ArrayList<>(header.size());
            for (String key : header) {
                Object value = row.get(key);
                if (value == null) {
                    cells.add("");
                } else if (value instanceof String || value instanceof Number) {
                    cells.add(value.toString());
                } else {
                    cells.add("");
                    if (errors.size() < 20) {
                        errors.add(new FieldProblem("rows[" + i + "]." + key, "must be a number, a text or null"));
                    }
                }
            }
            text.add(cells);
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        // By name only: an object's keys have no order a model could read by position.
        return encoding.readText(header, text, false, i -> "rows[" + i + "]");
    }
}
