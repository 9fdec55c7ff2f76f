package io.sparsefit.dataset;

import java.util.regex.Pattern;

/** Reading a CSV cell as a number: plain decimals only, so that text columns are recognized as text. */
final class CsvNumbers {

    /** A plain decimal number with an optional exponent, as in JSON but with an optional + and bare leading/trailing dots. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");

    private CsvNumbers() {
    }

    /** True for text that reads as a plain decimal (not Java's hex floats, 1d/1f suffixes, NaN or Infinity). */
    static boolean isDecimal(String text) {
        return DECIMAL.matcher(text).matches();
    }

    /** The finite number {@code text} spells, or NaN when it is not a plain finite decimal. */
    static double parse(String text) {
        if (!isDecimal(text)) {
            return Double.NaN;
        }
        double v = Double.parseDouble(text);
        return Double.isFinite(v) ? v : Double.NaN;
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
