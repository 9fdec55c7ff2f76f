package io.sparsefit.core.convex;

/**
 * One ReLU atom {@code relu(u . x - c)} with a unit normal {@code u} (theory A6), and the dual value
 * {@code value = ||sum_n r_n relu(u . x_n - c)||} it reached for the residual it was priced against.
 *
 * @param direction the unit normal u (length d, not copied: treat as read-only)
 * @param offset    c, so the atom is active where {@code u . x > c}
 * @param value     the dual value at this atom, {@code >= 0}
 */
public record Atom(double[] direction, double offset, double value) {
}
