package io.sparsefit.model;

import io.sparsefit.core.network.CanonicalNeuron;
import io.sparsefit.core.network.Knot;
import io.sparsefit.core.network.Network;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.ejml.data.DMatrixRMaj;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYLineAnnotation;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;

/**
 * Pictures of a learned function as SVG documents, drawn with JFreeChart onto JFreeSVG's Graphics2D:
 * one input: the training data, the fitted linear spline and its knots; two inputs: a heat map of the
 * function with each neuron's line {@code w . x = b} and the data; more inputs: predicted against
 * observed on the training rows. Also the training (loss) curve. Pure functions of their arguments.
 */
public final class ModelPlots {

    static final int WIDTH = 720;
    static final int HEIGHT = 480;
    private static final Color DATA = new Color(0x33, 0x33, 0x33);
    private static final Color FUNCTION = new Color(0x1f, 0x77, 0xb4);
    private static final Color KNOT = new Color(0xd6, 0x27, 0x28);

    /** Points at which a one-input deep network is drawn. */
    private static final int DEEP_GRID_POINTS = 801;

    /** The media type of every picture here. */
    public static final String SVG = "image/svg+xml";

    private ModelPlots() {
    }

    /** A picture as the answer of a plot endpoint: 200, {@value #SVG}, revalidated on every use (its data may change). */
    public static ResponseEntity<String> answer(String svg) {
        return ResponseEntity.ok().header("Content-Type", SVG).cacheControl(CacheControl.noCache()).body(svg);
    }

    /** An id shortened for a picture's title: its first 8 characters. */
    public static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /** "2 ReLU layers + 2 linear layers": a deep network's hidden layers in words. */
    private static String layerCount(Network net) {
        int relu = net.depth();
        int linear = net.layers().size() - relu;
        return relu + (relu == 1 ? " ReLU layer" : " ReLU layers") + (linear == 0 ? "" : " + " + linear + (linear == 1 ? " linear layer" : " linear layers"));
    }

    /** The plot of the network's output {@code output} with generic axis names; {@code x}/{@code y} are the training data or null. */
    static String model(Network net, DMatrixRMaj x, DMatrixRMaj y, int output, String title) {
        List<String> inputs = new java.util.ArrayList<>();
        for (int j = 0; j < net.inputDim(); j++) {
            inputs.add(net.inputDim() == 1 ? "x" : "x[" + j + "]");
        }
        return model(net, x, y, output, title, inputs, net.outputDim() == 1 ? "y" : "y[" + output + "]");
    }

    /**
     * The plot of the network's output {@code output}; {@code x}/{@code y} are the training data (encoded inputs) or
     * null; {@code inputs} names the network's inputs and {@code target} the output on the axes.
     */
    static String model(Network net, DMatrixRMaj x, DMatrixRMaj y, int output, String title, List<String> inputs, String target) {
        JFreeChart chart = switch (net.inputDim()) {
            case 1 -> oneInput(net, x, y, output, title, inputs, target);
            case 2 -> twoInputs(net, x, y, output, title, inputs);
            default -> predictedVsObserved(net, x, y, output, title, target);
        };
        return svg(chart);
    }

    /**
     * The logged objective, data fit and penalty against the iteration; a log scale when they span more
     * than a decade and are all positive; markers as well as lines when there are few points (the exact
     * solver logs one or two).
     */
    public static String loss(List<DiagnosticsView.LossPointView> curve, String title) {
        XYSeries objective = new XYSeries("objective");
        XYSeries dataFit = new XYSeries("data fit");
        XYSeries penalty = new XYSeries("penalty");
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        for (DiagnosticsView.LossPointView p : curve) {
            objective.add(p.iteration(), p.objective());
            dataFit.add(p.iteration(), p.dataFit());
            penalty.add(p.iteration(), p.penalty());
            for (double v : new double[] {p.objective(), p.dataFit(), p.penalty()}) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            first = Math.min(first, p.iteration());
            last = Math.max(last, p.iteration());
        }
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(objective);
        data.addSeries(dataFit);
        data.addSeries(penalty);
        NumberAxis iterations = new NumberAxis("iteration");
        iterations.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        iterations.setAutoRangeIncludesZero(false);
        if (curve.isEmpty() || first == last) {
            int at = curve.isEmpty() ? 0 : first;
            iterations.setRange(at - 1, at + 1);
        }
        org.jfree.chart.axis.ValueAxis values;
        if (lo > 0 && hi / lo > 20) {
            LogAxis log = new LogAxis("value (log scale)");
            log.setSmallestValue(1e-300);
            log.setNumberFormatOverride(new java.text.DecimalFormat("0.###E0"));
            if (Math.log10(hi / lo) > 2) {
                log.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0), false, false); // one tick per decade
            }
            values = log;
        } else {
            NumberAxis linear = new NumberAxis("value");
            linear.setAutoRangeIncludesZero(true);
            values = linear;
        }
        XYLineAndShapeRenderer renderer = lines(3);
        renderer.setDefaultShapesVisible(curve.size() <= 20);
        XYPlot plot = new XYPlot(data, iterations, values, renderer);
        return svg(chart(title, plot, true));
    }

    private static XYLineAndShapeRenderer lines(int series) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        Color[] colors = {FUNCTION, new Color(0x2c, 0xa0, 0x2c), new Color(0xff, 0x7f, 0x0e)};
        for (int s = 0; s < series; s++) {
            r.setSeriesPaint(s, colors[s % colors.length]);
            r.setSeriesStroke(s, new BasicStroke(2f));
        }
        return r;
    }

    private static JFreeChart oneInput(Network net, DMatrixRMaj x, DMatrixRMaj y, int output, String title, List<String> inputs,
                                       String target) {
        // A deep network's breakpoints are not listed (its units are not hyperplanes of the input): it is drawn on a
        // fine grid instead, exact at the grid points and linear between them only where no breakpoint falls.
        boolean shallow = net.oneLayer() != null;
        List<Knot> knots = shallow ? Knot.of(net.oneLayer()) : List.of();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (x != null) {
            for (int i = 0; i < x.numRows; i++) {
                lo = Math.min(lo, x.get(i, 0));
                hi = Math.max(hi, x.get(i, 0));
            }
        }
        for (Knot k : knots) {
            lo = Math.min(lo, k.x());
            hi = Math.max(hi, k.x());
        }
        if (!(lo < hi)) {
            lo = Double.isFinite(lo) ? lo - 1 : -1;
            hi = lo + 2;
        }
        double pad = 0.05 * (hi - lo);
        lo -= pad;
        hi += pad;
        // The function is linear between knots: evaluating at the ends and at every knot draws it exactly.
        TreeSet<Double> at = new TreeSet<>();
        at.add(lo);
        at.add(hi);
        for (int i = 1; !shallow && i < DEEP_GRID_POINTS - 1; i++) {
            at.add(lo + (hi - lo) * i / (DEEP_GRID_POINTS - 1));
        }
        for (Knot k : knots) {
            if (k.x() > lo && k.x() < hi) {
                at.add(k.x());
            }
        }
        double[] grid = at.stream().mapToDouble(Double::doubleValue).toArray();
        double[] f = evaluate(net, grid, output);
        XYSeries function = new XYSeries("fitted function", false);
        for (int i = 0; i < grid.length; i++) {
            function.add(grid[i], f[i]);
        }
        XYSeries knotSeries = new XYSeries("knots", false);
        double[] kx = knots.stream().mapToDouble(Knot::x).toArray();
        double[] kf = evaluate(net, kx, output);
        for (int i = 0; i < kx.length; i++) {
            knotSeries.add(kx[i], kf[i]);
        }
        XYSeries points = new XYSeries("training data", false);
        if (x != null && y != null) {
            for (int i = 0; i < x.numRows; i++) {
                points.add(x.get(i, 0), y.get(i, output));
            }
        }
        XYSeriesCollection lines = new XYSeriesCollection(function);
        XYSeriesCollection marks = new XYSeriesCollection();
        marks.addSeries(points);
        marks.addSeries(knotSeries);

        NumberAxis xAxis = new NumberAxis(inputs.get(0));
        xAxis.setAutoRangeIncludesZero(false);
        NumberAxis yAxis = new NumberAxis(target);
        yAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        lineRenderer.setSeriesPaint(0, FUNCTION);
        lineRenderer.setSeriesStroke(0, new BasicStroke(2.5f));
        XYLineAndShapeRenderer markRenderer = new XYLineAndShapeRenderer(false, true);
        markRenderer.setSeriesPaint(0, DATA);
        markRenderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        markRenderer.setSeriesPaint(1, KNOT);
        markRenderer.setSeriesShape(1, new Rectangle2D.Double(-5, -5, 10, 10));
        XYPlot plot = new XYPlot(marks, xAxis, yAxis, markRenderer);
        plot.setDataset(1, lines);
        plot.setRenderer(1, lineRenderer);
        for (double k : kx) {
            ValueMarker marker = new ValueMarker(k, KNOT, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[] {4f, 4f}, 0f));
            plot.addDomainMarker(marker);
        }
        String subtitle = !shallow ? " (" + layerCount(net) + ")" : " (" + knots.size() + (knots.size() == 1 ? " knot)" : " knots)");
        return chart(title + subtitle, plot, true);
    }

    private static JFreeChart twoInputs(Network net, DMatrixRMaj x, DMatrixRMaj y, int output, String title, List<String> inputs) {
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        if (x != null) {
            for (int i = 0; i < x.numRows; i++) {
                for (int j = 0; j < 2; j++) {
                    lo[j] = Math.min(lo[j], x.get(i, j));
                    hi[j] = Math.max(hi[j], x.get(i, j));
                }
            }
        }
        for (int j = 0; j < 2; j++) {
            if (!(lo[j] < hi[j])) {
                lo[j] = Double.isFinite(lo[j]) ? lo[j] - 1 : -1;
                hi[j] = lo[j] + 2;
            }
            double pad = 0.05 * (hi[j] - lo[j]);
            lo[j] -= pad;
            hi[j] += pad;
        }
        int n = 60;
        double dx = (hi[0] - lo[0]) / n;
        double dy = (hi[1] - lo[1]) / n;
        DMatrixRMaj cells = new DMatrixRMaj(n * n, 2);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                cells.set(i * n + j, 0, lo[0] + (i + 0.5) * dx);
                cells.set(i * n + j, 1, lo[1] + (j + 0.5) * dy);
            }
        }
        DMatrixRMaj out = net.predict(cells, null);
        double[][] xyz = new double[3][n * n];
        double zMin = Double.POSITIVE_INFINITY;
        double zMax = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n * n; c++) {
            xyz[0][c] = cells.get(c, 0);
            xyz[1][c] = cells.get(c, 1);
            xyz[2][c] = out.get(c, output);
            zMin = Math.min(zMin, xyz[2][c]);
            zMax = Math.max(zMax, xyz[2][c]);
        }
        if (!(zMin < zMax)) {
            zMax = zMin + 1;
        }
        DefaultXYZDataset heat = new DefaultXYZDataset();
        heat.addSeries("f", xyz);
        XYBlockRenderer block = new XYBlockRenderer();
        block.setBlockWidth(dx);
        block.setBlockHeight(dy);
        Viridis scale = new Viridis(zMin, zMax);
        block.setPaintScale(scale);
        NumberAxis xAxis = new NumberAxis(inputs.get(0));
        xAxis.setRange(lo[0], hi[0]);
        NumberAxis yAxis = new NumberAxis(inputs.get(1));
        yAxis.setRange(lo[1], hi[1]);
        XYPlot plot = new XYPlot(heat, xAxis, yAxis, block);
        plot.setDatasetRenderingOrder(org.jfree.chart.plot.DatasetRenderingOrder.FORWARD); // data points over the heat map

        XYSeries points = new XYSeries("training data", false);
        if (x != null) {
            for (int i = 0; i < x.numRows; i++) {
                points.add(x.get(i, 0), x.get(i, 1));
            }
        }
        XYLineAndShapeRenderer markRenderer = new XYLineAndShapeRenderer(false, true);
        markRenderer.setSeriesPaint(0, Color.WHITE);
        markRenderer.setSeriesOutlinePaint(0, Color.BLACK);
        markRenderer.setUseOutlinePaint(true);
        markRenderer.setDrawOutlines(true);
        markRenderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        plot.setDataset(1, new XYSeriesCollection(points));
        plot.setRenderer(1, markRenderer);

        int lines = 0;
        BasicStroke stroke = new BasicStroke(2f);
        // Only a one-layer network's units are lines in the input plane; a deep network's heat map stands alone.
        boolean oneLayer = net.oneLayer() != null;
        List<CanonicalNeuron> neurons = oneLayer ? CanonicalNeuron.of(net.oneLayer()) : List.of();
        for (CanonicalNeuron neuron : neurons) {
            double[] seg = clip(neuron.w(), neuron.b(), lo, hi);
            if (seg != null) {
                plot.addAnnotation(new XYLineAnnotation(seg[0], seg[1], seg[2], seg[3], stroke, KNOT));
                lines++;
            }
        }
        String subtitle = oneLayer ? " (" + lines + (lines == 1 ? " neuron line)" : " neuron lines)")
                : " (" + layerCount(net) + ")";
        JFreeChart chart = chart(title + subtitle, plot, false);
        NumberAxis zAxis = new NumberAxis(net.outputDim() == 1 ? "f(x)" : "f(x)[" + output + "]");
        PaintScaleLegend legend = new PaintScaleLegend(scale, zAxis);
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        return chart;
    }

    private static JFreeChart predictedVsObserved(Network net, DMatrixRMaj x, DMatrixRMaj y, int output, String title, String target) {
        XYSeries points = new XYSeries("training rows", false);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        if (x != null && y != null) {
            DMatrixRMaj f = net.predict(x, null);
            for (int i = 0; i < x.numRows; i++) {
                double obs = y.get(i, output);
                double pred = f.get(i, output);
                points.add(obs, pred);
                lo = Math.min(lo, Math.min(obs, pred));
                hi = Math.max(hi, Math.max(obs, pred));
            }
        }
        if (!(lo < hi)) {
            lo = Double.isFinite(lo) ? lo - 1 : -1;
            hi = lo + 2;
        }
        XYSeries diagonal = new XYSeries("predicted = observed", false);
        diagonal.add(lo, lo);
        diagonal.add(hi, hi);
        NumberAxis xAxis = new NumberAxis("observed " + target);
        NumberAxis yAxis = new NumberAxis("predicted " + target);
        xAxis.setAutoRangeIncludesZero(false);
        yAxis.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer markRenderer = new XYLineAndShapeRenderer(false, true);
        markRenderer.setSeriesPaint(0, DATA);
        markRenderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        XYPlot plot = new XYPlot(new XYSeriesCollection(points), xAxis, yAxis, markRenderer);
        XYLineAndShapeRenderer lineRenderer = new XYLineAndShapeRenderer(true, false);
        lineRenderer.setSeriesPaint(0, FUNCTION);
        plot.setDataset(1, new XYSeriesCollection(diagonal));
        plot.setRenderer(1, lineRenderer);
        return chart(title + " (" + net.inputDim() + " inputs: predicted against observed)", plot, true);
    }

    /** The segment of the line {@code w . x = b} inside the box, as {x0, y0, x1, y1}, or null when it misses the box. */
    static double[] clip(double[] w, double b, double[] lo, double[] hi) {
        List<double[]> pts = new ArrayList<>();
        double eps = 1e-12 * Math.max(1, Math.max(hi[0] - lo[0], hi[1] - lo[1]));
        if (Math.abs(w[1]) > 1e-15) {
            for (double xv : new double[] {lo[0], hi[0]}) {
                double yv = (b - w[0] * xv) / w[1];
                if (yv >= lo[1] - eps && yv <= hi[1] + eps) {
                    pts.add(new double[] {xv, yv});
                }
            }
        }
        if (Math.abs(w[0]) > 1e-15) {
            for (double yv : new double[] {lo[1], hi[1]}) {
                double xv = (b - w[1] * yv) / w[0];
                if (xv >= lo[0] - eps && xv <= hi[0] + eps) {
                    pts.add(new double[] {xv, yv});
                }
            }
        }
        if (pts.size() < 2) {
            return null;
        }
        double[] a = pts.get(0);
        double[] best = null;
        double far = -1;
        for (double[] p : pts) {
            double dist = Math.hypot(p[0] - a[0], p[1] - a[1]);
            if (dist > far) {
                far = dist;
                best = p;
            }
        }
        return far <= eps ? null : new double[] {a[0], a[1], best[0], best[1]};
    }

    private static double[] evaluate(Network net, double[] at, int output) {
        if (at.length == 0) {
            return new double[0];
        }
        DMatrixRMaj x = new DMatrixRMaj(at.length, 1);
        System.arraycopy(at, 0, x.data, 0, at.length);
        DMatrixRMaj out = net.predict(x, null);
        double[] f = new double[at.length];
        for (int i = 0; i < at.length; i++) {
            f[i] = out.get(i, output);
        }
        return f;
    }

    private static JFreeChart chart(String title, XYPlot plot, boolean legend) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        LegendTitle l = chart.getLegend();
        if (l != null) {
            l.setPosition(RectangleEdge.BOTTOM);
        }
        return chart;
    }

    private static String svg(JFreeChart chart) {
        SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
        chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
        // The element with its namespaces, without the DOCTYPE that getSVGDocument adds (an external DTD nobody needs).
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + g.getSVGElement();
    }

    /** A perceptually uniform colour map (viridis, 5 anchors, linear in between). */
    record Viridis(double lower, double upper) implements PaintScale {
        private static final int[][] ANCHORS = {
                {0x44, 0x01, 0x54}, {0x3b, 0x52, 0x8b}, {0x21, 0x91, 0x8c}, {0x5e, 0xc9, 0x62}, {0xfd, 0xe7, 0x25}};

        @Override
        public double getLowerBound() {
            return lower;
        }

        @Override
        public double getUpperBound() {
            return upper;
        }

        @Override
        public Paint getPaint(double value) {
            double t = (value - lower) / (upper - lower);
            t = Double.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0;
            double s = t * (ANCHORS.length - 1);
            int i = Math.min(ANCHORS.length - 2, (int) Math.floor(s));
            double f = s - i;
            int[] a = ANCHORS[i];
            int[] b = ANCHORS[i + 1];
            return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                    (int) Math.round(a[2] + f * (b[2] - a[2])));
        }
    }
}
