package io.sparsefit.dataset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.sparsefit.web.ApiException;
import org.ejml.data.DMatrixRMaj;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The classes of a dataset's one target column when it holds labels (stored as {@code dataset.classes_json}): the
 * distinct labels sorted, numerically when they are all integers, else as strings. Class k is network output k of a
 * classification fit ({@code logistic}: the first class is y = 0, the second y = 1).
 *
 * <p>Two kinds of label column: <b>text</b> (a CSV target column whose first cell is text, or a JSON {@code y} of
 * strings): the stored y holds the class index 0..C-1, and only a classification loss fits it; <b>integers</b> (a
 * target column of integers with at most {@link #MAX_CLASSES} distinct values): the stored y holds the numbers
 * themselves, so a regression loss fits them as numbers and a classification loss as classes.
 *
 * @param labels the sorted distinct labels: strings for a text column, longs for integers
 * @param text   whether the stored y holds class indices (text labels) rather than the integers themselves
 */
public record TargetClasses(@JsonValue List<Object> labels, boolean text) {

    /** The most distinct labels a target column may hold (one output per class). */
    public static final int MAX_CLASSES = 100;

    public TargetClasses {
        labels = List.copyOf(labels);
    }

    /**
     * The classes as JSON shows and stores them (their plain list): strings are text labels, numbers integers.
     * Null for null or an empty list.
     */
    @JsonCreator
    public static TargetClasses of(List<Object> labels) {
        if (labels == null || labels.isEmpty()) {
            return null;
        }
        boolean text = labels.get(0) instanceof String;
        List<Object> normalized = new ArrayList<>();
        for (Object label : labels) {
            normalized.add(text ? label.toString() : (Object) ((Number) label).longValue());
        }
        return new TargetClasses(normalized, text);
    }

    /** Label k as text (for CSV answers and messages). */
    public String label(int k) {
        return labels.get(k).toString();
    }

    /**
     * Text labels from their sorted distinct values (each row's stored y is its index in this list).
     */
    public static TargetClasses ofText(List<String> sorted) {
        return new TargetClasses(new ArrayList<>(sorted), true);
    }

    /**
     * The classes of a numeric target column {@code y} (N x m, not modified) when it is one column of integers with at
     * most {@link #MAX_CLASSES} distinct values (empty cells, NaN, ignored); null otherwise.
     */
    public static TargetClasses ofIntegers(DMatrixRMaj y) {
        if (y.numCols != 1) {
            return null;
        }
        TreeSet<Long> distinct = new TreeSet<>();
        for (int i = 0; i < y.numRows; i++) {
            double v = y.data[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (v != Math.rint(v) || Math.abs(v) > 1e15) {
                return null;
            }
            distinct.add((long) v);
            if (distinct.size() > MAX_CLASSES) {
                return null;
            }
        }
        return distinct.isEmpty() ? null : new TargetClasses(new ArrayList<>(distinct), false);
    }

    /** C, the number of classes. */
    public int count() {
        return labels.size();
    }

    /**
     * The targets as class indices 0..C-1 (NaN stays NaN): {@code y} itself for text labels (stored as indices), else
     * each integer's position in {@link #labels}.
     *
     * @param y one target column, N x 1, not modified
     */
    public DMatrixRMaj indices(DMatrixRMaj y) {
        if (text) {
            return y;
        }
        Map<Long, Integer> index = new java.util.HashMap<>();
        for (int k = 0; k < labels.size(); k++) {
            index.put(((Number) labels.get(k)).longValue(), k);
        }
        DMatrixRMaj out = new DMatrixRMaj(y.numRows, 1);
        for (int i = 0; i < y.numRows; i++) {
            double v = y.data[i];
            if (Double.isNaN(v)) {
                out.data[i] = Double.NaN;
                continue;
            }
            Integer k = index.get((long) v);
            if (k == null || v != Math.rint(v)) {
                throw ApiException.invalid("y", "row " + i + " holds " + v + ", which is not one of the classes " + labels);
            }
            out.data[i] = k;
        }
        return out;
    }

    /**
     * Targets {@code y} stored with these classes (N x 1, not modified; NaN rows are not allowed) as indices into
     * {@code other}'s classes, matched by label (a model's classes against a dataset it is evaluated on); 422 naming the
     * first label {@code other} does not have.
     */
    public DMatrixRMaj indicesIn(TargetClasses other, DMatrixRMaj y, String field) {
        DMatrixRMaj own = indices(y);
        Map<String, Integer> index = new java.util.HashMap<>();
        for (int k = 0; k < other.count(); k++) {
            index.put(other.label(k), k);
        }
        DMatrixRMaj out = new DMatrixRMaj(y.numRows, 1);
        for (int i = 0; i < y.numRows; i++) {
            String label = label((int) own.data[i]);
            Integer k = index.get(label);
            if (k == null) {
                throw ApiException.invalid(field, "row " + i + " is of class '" + label + "', which the model does not know; its classes "
                        + "are " + other.labels());
            }
            out.data[i] = k;
        }
        return out;
    }

    /**
     * Text labels from a JSON {@code y} of strings: the sorted distinct labels and each row's index, as a one-column
     * matrix. 422 for an empty or blank label.
     */
    static Indexed fromStrings(List<String> values, String field) {
        TreeSet<String> distinct = new TreeSet<>();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || v.isBlank()) {
                throw ApiException.invalid(field + "[" + i + "]", "a label must be a non-empty string");
            }
            distinct.add(v);
        }
        List<String> sorted = new ArrayList<>(distinct);
        DMatrixRMaj y = new DMatrixRMaj(values.size(), 1);
        for (int i = 0; i < values.size(); i++) {
            y.data[i] = java.util.Collections.binarySearch(sorted, values.get(i));
        }
        return new Indexed(ofText(sorted), y);
    }

    /** Text labels and the stored targets: each row's class index, N x 1. */
    record Indexed(TargetClasses classes, DMatrixRMaj y) {
    }
}
