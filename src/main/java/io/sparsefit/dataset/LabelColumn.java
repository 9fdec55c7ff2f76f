package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import org.ejml.data.DMatrixRMaj;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one target column of a CSV upload while it is read, when it may hold labels: its kind is decided by its first
 * non-empty cell, as for an input column (text: labels; a number: numeric, and a later text cell is a 422). Text labels
 * get indices in order of appearance, renumbered to the sorted labels by {@link #finish}.
 */
final class LabelColumn {

    private Boolean text;
    private final Map<String, Integer> seen = new LinkedHashMap<>();

    /** Whether {@code cell} is read as a label: the column is a text column (decided by its first non-empty cell). */
    boolean isText(String cell) {
        if (cell.isEmpty()) {
            return false;
        }
        if (text == null) {
            text = !CsvNumbers.isDecimal(cell);
        }
        return text;
    }

    /** The label's index in order of appearance; 422 beyond {@link TargetClasses#MAX_CLASSES} distinct labels. */
    double read(String cell, String column) {
        Integer index = seen.get(cell);
        if (index == null) {
            if (seen.size() == TargetClasses.MAX_CLASSES) {
                throw ApiException.invalid("column " + column, "has more than " + TargetClasses.MAX_CLASSES + " distinct labels; "
                        + "a label column holds at most " + TargetClasses.MAX_CLASSES + " classes");
            }
            index = seen.size();
            seen.put(cell, index);
        }
        return index;
    }

    /**
     * The classes of a text column, with {@code y} (N x 1, modified) renumbered to the sorted labels; null for a numeric
     * column. 422 when a label column has empty cells ({@code firstMissing} names them): a row without its class can be
     * neither fitted nor scored.
     */
    TargetClasses finish(DMatrixRMaj y, int emptyCells, List<String> firstMissing, String column) {
        if (!Boolean.TRUE.equals(text)) {
            return null;
        }
        if (emptyCells > 0) {
            String first = firstMissing.stream().filter(c -> c.endsWith(", column " + column)).findFirst()
                    .map(c -> "; the first: " + c).orElse("");
            throw ApiException.invalid("column " + column, "is a label column with " + emptyCells + " empty cells (every row "
                    + "needs its class)" + first);
        }
        List<String> sorted = new ArrayList<>(seen.keySet());
        Collections.sort(sorted);
        int[] renumber = new int[sorted.size()];
        for (Map.Entry<String, Integer> e : seen.entrySet()) {
            renumber[e.getValue()] = Collections.binarySearch(sorted, e.getKey());
        }
        for (int i = 0; i < y.numRows; i++) {
            y.data[i] = renumber[(int) y.data[i]];
        }
        return TargetClasses.ofText(sorted);
    }
}
