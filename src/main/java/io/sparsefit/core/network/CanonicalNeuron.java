package io.sparsefit.core.network;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A neuron in the canonical form of theory A6: {@code v relu(w . x - b)} with {@code ||w|| = 1}, so
 * that {@code ||v||} is the neuron's share of the path norm (its R-TV amplitude).
 */
public record CanonicalNeuron(double[] w, double b, double[] v) {

    /**
     * The neurons of {@code net} moved to unit input norm, zero neurons dropped, sorted by
     * {@code w} then {@code b}. Merging of neurons on one hyperplane is done by the finishing step;
     * this view only rescales, so the function is unchanged.
     */
    public static List<CanonicalNeuron> of(ShallowNetwork net) {
        int d = net.inputDim();
        int m = net.outputDim();
        List<CanonicalNeuron> out = new ArrayList<>();
        for (int k = 0; k < net.width(); k++) {
            double nw = net.inputNorm(k);
            if (nw == 0.0 || net.outputNorm(k) == 0.0) {
                continue;
            }
            double[] w = new double[d];
            double[] v = new double[m];
            double c = net.unitNormal(k, w, 0, v, 0);
            out.add(new CanonicalNeuron(w, c, v));
        }
        out.sort(ORDER);
        return out;
    }

    private static final Comparator<CanonicalNeuron> ORDER = (p, q) -> compare(p.w, p.b, q.w, q.b);

    /** The canonical order of unit-normal hyperplanes {@code (u, c)}: by {@code u} entry by entry, then by {@code c}. */
    public static int compare(double[] u, double c, double[] otherU, double otherC) {
        for (int j = 0; j < u.length; j++) {
            int order = Double.compare(u[j], otherU[j]);
            if (order != 0) {
                return order;
            }
        }
        return Double.compare(c, otherC);
    }
}
