package io.sparsefit.dataset;

import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code y} of a JSON dataset upload: rows of numbers, a flat array of numbers (one output), or a flat array of
 * strings (labels of one target, {@link TargetClasses}). Read as strictly as the rest of the body: a string among
 * numbers, a number among labels or a non-number in a row is a 400, as Jackson answers for a wrong type.
 */
final class JsonTargets {

    private JsonTargets() {
    }

    /** Numeric targets (rows) or labels; one of the two is null. */
    record Read(double[][] rows, TargetClasses.Indexed labels) {
    }

    static Read read(JsonNode y, String field) {
        if (y == null || y.isNull()) {
            return new Read(null, null); // "is required", reported with x's problems by DataValidator
        }
        if (!y.isArray()) {
            throw wrongType(field, "must be an array of numbers, of rows of numbers, or of labels (strings)");
        }
        if (!y.isEmpty() && y.get(0).isString()) {
            List<String> labels = new ArrayList<>(y.size());
            for (int i = 0; i < y.size(); i++) {
                if (!y.get(i).isString()) {
                    throw wrongType(field + "[" + i + "]", "must be a string like the other labels");
                }
                labels.add(y.get(i).asString());
            }
            return new Read(null, TargetClasses.fromStrings(labels, field));
        }
        double[][] rows = new double[y.size()][];
        for (int i = 0; i < y.size(); i++) {
            JsonNode row = y.get(i);
            if (row.isArray()) {
                rows[i] = new double[row.size()];
                for (int j = 0; j < row.size(); j++) {
                    rows[i][j] = number(row.get(j), field + "[" + i + "][" + j + "]");
                }
            } else if (row.isNull()) {
                rows[i] = null; // "must be an array of numbers", from DataValidator
            } else {
                rows[i] = new double[] {number(row, field + "[" + i + "]")};
            }
        }
        return new Read(rows, null);
    }

    private static double number(JsonNode node, String field) {
        if (!node.isNumber()) {
            throw wrongType(field, "must be a number");
        }
        return node.asDouble();
    }

    private static ApiException wrongType(String field, String message) {
        return ApiException.badRequest("Malformed request body: " + field + " " + message, List.of(new FieldProblem(field, message)));
    }
}
