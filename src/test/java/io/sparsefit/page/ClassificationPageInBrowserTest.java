package io.sparsefit.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.support.ClassProbabilities;
import io.sparsefit.support.Http;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The page's classification view in a real headless Chromium (issue 21): the two half-moons example with the logistic
 * loss (heat map of the second class's probability, points coloured by class, one line per neuron), a 1-D CSV of
 * integer labels (the probability curve over the labelled points), a three-class CSV (logistic refused with the
 * service's problem detail, then cross-entropy drawn as the most probable class). Every probability the page shows is
 * checked against the model's own formula evaluated here from its JSON (theory A1: sum_k v_k relu(w_k . x - b_k) +
 * C x + c0, then the sigmoid or the softmax) and against the service's predict, to 1e-9.
 */
class ClassificationPageInBrowserTest extends BrowserTestBase {

    private static final double TOLERANCE = 1e-9;

    private JavascriptExecutor js() {
        return (JavascriptExecutor) browser;
    }

    /** Waits until the result section shows a model whose classification plot has been drawn; fails on a shown error. */
    private JsonNode awaitClassPlot() {
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> !d.findElement(By.id("error")).isDisplayed()
                ? (Boolean) js().executeScript("return classView != null && !document.getElementById('result').hidden"
                        + " && classView.modelId === document.getElementById('result').dataset.modelId")
                : fail(d));
        assertThat(browser.findElement(By.id("class-plot")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("model-plot")).isDisplayed()).as("the service's plot image gives way").isFalse();
        return Http.JSON.readTree((String) js().executeScript("return JSON.stringify(classView)"));
    }

    /** The network's outputs at x from the model's JSON: canonical neurons plus the affine skip (theory A1). */
    private static double[] outputs(JsonNode model, double[] x) {
        int m = model.get("outputDim").asInt();
        double[] f = new double[m];
        JsonNode skip = model.get("skip");
        for (int o = 0; o < m; o++) {
            f[o] = skip.get("bias").get(o).asDouble();
            for (int j = 0; j < x.length; j++) {
                f[o] += skip.get("weights").get(o).get(j).asDouble() * x[j];
            }
        }
        for (JsonNode neuron : model.get("neurons")) {
            double z = -neuron.get("b").asDouble();
            for (int j = 0; j < x.length; j++) {
                z += neuron.get("w").get(j).asDouble() * x[j];
            }
            for (int o = 0; o < m; o++) {
                f[o] += neuron.get("v").get(o).asDouble() * Math.max(0, z);
            }
        }
        return f;
    }

    /** Class probabilities: the sigmoid of one logit (second class) or the softmax of one output per class. */
    private static double[] probabilities(JsonNode model, double[] x) {
        return ClassProbabilities.of(outputs(model, x));
    }

    private static double[] doubles(JsonNode row) {
        double[] out = new double[row.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = row.get(i).asDouble();
        }
        return out;
    }

    /** The service's predict at these rows: its probabilities. */
    private JsonNode predicted(String modelId, List<double[]> rows) {
        Http.Answer answer = http.postJson("/v1/models/" + modelId + "/predict", Map.of("x", rows));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().get("probabilities");
    }

    /**
     * Checks the heat map's cells {@code indices}: each one's position and shown probability (data-x1, data-x2, data-p,
     * the values it was drawn from) against the grid, the model's formula and the service's predict.
     */
    @SuppressWarnings("unchecked")
    private void checkCells(JsonNode model, JsonNode view, int[] indices) {
        int classes = model.get("classes").size();
        List<double[]> rows = new ArrayList<>();
        List<Double> shown = new ArrayList<>();
        for (int n : indices) {
            List<String> cell = (List<String>) js().executeScript("const c = document.querySelectorAll('.heat-cell')[arguments[0]];"
                    + "return [c.dataset.x1, c.dataset.x2, c.dataset.p];", n);
            double[] x = {Double.parseDouble(cell.get(0)), Double.parseDouble(cell.get(1))};
            assertThat(x).containsExactly(doubles(view.get("grid").get(n)));
            rows.add(x);
            shown.add(Double.parseDouble(cell.get(2)));
        }
        JsonNode service = predicted(model.get("id").asString(), rows);
        for (int i = 0; i < indices.length; i++) {
            double[] p = probabilities(model, rows.get(i));
            // Two classes: the second's probability; more: the most probable class's.
            double expected = classes == 2 ? p[1] : java.util.Arrays.stream(p).max().orElseThrow();
            assertThat(shown.get(i)).as("cell %d at %s", indices[i], java.util.Arrays.toString(rows.get(i)))
                    .isCloseTo(expected, within(TOLERANCE));
            for (int k = 0; k < classes; k++) {
                assertThat(service.get(i).get(k).asDouble()).isCloseTo(p[k], within(TOLERANCE));
                assertThat(view.get("probabilities").get(indices[i]).get(k).asDouble()).isCloseTo(p[k], within(TOLERANCE));
            }
        }
    }

    /** The page's data points: their class (data-class) and fill colour, in the dataset's row order. */
    @SuppressWarnings("unchecked")
    private List<List<String>> dataPoints() {
        return (List<List<String>>) js().executeScript(
                "return [...document.querySelectorAll('#class-plot .data-point')].map((c) => [c.dataset.class, c.getAttribute('fill')]);");
    }

    /** Every point's class is its row's label's index; one colour per class, different classes different colours. */
    private static void checkPointColours(List<List<String>> points, List<Integer> labels) {
        assertThat(points).hasSize(labels.size());
        Map<String, String> colourOf = new java.util.HashMap<>();
        for (int i = 0; i < points.size(); i++) {
            assertThat(Integer.parseInt(points.get(i).get(0))).as("point %d", i).isEqualTo(labels.get(i));
            String previous = colourOf.putIfAbsent(points.get(i).get(0), points.get(i).get(1));
            assertThat(previous == null ? points.get(i).get(1) : previous).isEqualTo(points.get(i).get(1));
        }
        assertThat(new java.util.HashSet<>(colourOf.values())).hasSize(colourOf.size());
    }

    private int count(String css) {
        return browser.findElements(By.cssSelector(css)).size();
    }

    private JsonNode shownModel() {
        return http.get("/v1/models/" + browser.findElement(By.id("result")).getAttribute("data-model-id")).json();
    }

    @Test
    void thePersonFitsTheHalfMoonsWithTheLogisticLossAndSeesTheSecondClassProbabilityAsAHeatMap() throws Exception {
        browser.get(http.base() + "/");
        new Select(browser.findElement(By.id("example"))).selectByValue("moons-2d.csv");
        assertThat(new Select(browser.findElement(By.id("loss"))).getFirstSelectedOption().getAttribute("value"))
                .as("the example brings its loss").isEqualTo("logistic");
        browser.findElement(By.id("submit")).click();

        JsonNode view = awaitClassPlot();
        JsonNode model = shownModel();
        String fitId = model.get("fitId").asString();
        assertThat(http.get("/v1/fits/" + fitId).json().get("request").get("loss").get("type").asString()).isEqualTo("logistic");
        assertThat(model.get("classes").get(0).asString()).isEqualTo("lower");
        assertThat(model.get("classes").get(1).asString()).isEqualTo("upper");
        assertThat(browser.findElement(By.id("classes-text")).getText()).contains("\"lower\" (class 0)", "\"upper\" (class 1)");

        // The heat map: one cell per grid row sent to predict, each showing P(upper) there.
        assertThat(view.get("grid").size()).isEqualTo(60 * 60);
        assertThat(count("#class-plot .heat-cell")).isEqualTo(view.get("grid").size());
        checkCells(model, view, new int[] {0, 59, 61, 1234, 1830, 2999, 3540, 3599});
        // Colour follows the probability: orange (upper) where P > 0.5, blue (lower) where below.
        @SuppressWarnings("unchecked")
        List<List<Object>> cells = (List<List<Object>>) js().executeScript("return [...document.querySelectorAll('.heat-cell')]"
                + ".filter((c) => Math.abs(c.dataset.p - 0.5) > 0.2).map((c) => [Number(c.dataset.p), getComputedStyle(c).fill]);");
        assertThat(cells).hasSizeGreaterThan(100).allSatisfy(c -> {
            int[] rgb = java.util.Arrays.stream(((String) c.get(1)).replaceAll("[^0-9,]", "").split(",")).mapToInt(Integer::parseInt).toArray();
            boolean upper = ((Number) c.get(0)).doubleValue() > 0.5;
            assertThat(upper ? rgb[0] > rgb[2] : rgb[2] > rgb[0]).as("cell %s", c).isTrue();
        });

        // The points, coloured by class in the example's row order; one line per neuron of the model.
        List<Integer> labels = new String(getClass().getResourceAsStream("/static/examples/moons-2d.csv").readAllBytes(),
                StandardCharsets.UTF_8).lines().skip(1).map(l -> l.endsWith(",upper") ? 1 : 0).toList();
        checkPointColours(dataPoints(), labels);
        assertThat(model.get("neurons").size()).isPositive();
        assertThat(count("#class-plot .neuron-line")).isEqualTo(model.get("neurons").size()).isEqualTo(view.get("neurons").asInt());

        // The classifier's diagnostics, with the service's values.
        JsonNode diagnostics = http.get("/v1/models/" + model.get("id").asString() + "/diagnostics").json();
        assertThat(diagnosticKeys()).contains("loss", "trainAccuracy", "trainLogLoss", "dataFit", "certificate.gap")
                .doesNotContain("trainMse", "knotCount");
        assertThat(Double.parseDouble(browser.findElement(By.cssSelector("#diagnostics tr[data-key=trainAccuracy] td.value")).getText()))
                .isCloseTo(diagnostics.get("trainAccuracy").asDouble(), within(1e-5));
        assertThat(diagnostics.get("trainAccuracy").asDouble()).as("the moons are nearly separable").isGreaterThan(0.8);
        assertThat(Double.parseDouble(browser.findElement(By.cssSelector("#diagnostics tr[data-key=trainLogLoss] td.value")).getText()))
                .isCloseTo(diagnostics.get("trainLogLoss").asDouble(), within(1e-5));
        assertThat(browser.findElement(By.id("plot-caption")).getText()).contains("probability of \"upper\"");
        screenshot("page-classify-moons.png");
    }

    @Test
    void aOneInputCsvOfIntegerLabelsShowsTheProbabilityCurveOverTheLabelledPoints() throws Exception {
        StringBuilder table = new StringBuilder("dose,response\n");
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            double x = -3 + 6 * i / 29.0;
            int label = Math.abs(x) < 1.2 || i == 3 ? 1 : 0; // one stray 1 far out
            labels.add(label);
            table.append(x).append(',').append(label).append('\n');
        }
        Path csv = Files.createTempFile("dose-", ".csv");
        Files.writeString(csv, table);
        browser.get(http.base() + "/");
        browser.findElement(By.id("csv-file")).sendKeys(csv.toAbsolutePath().toString());
        new Select(browser.findElement(By.id("loss"))).selectByValue("logistic");
        WebElement lambda = browser.findElement(By.id("lambda"));
        lambda.clear();
        lambda.sendKeys("0.1");
        browser.findElement(By.id("submit")).click();

        JsonNode view = awaitClassPlot();
        JsonNode model = shownModel();
        assertThat(model.get("classes").get(0).asLong()).isZero();
        assertThat(model.get("classes").get(1).asLong()).isEqualTo(1);
        assertThat(count("#class-plot .heat-cell")).isZero();
        assertThat(count("#class-plot .probability-curve")).isEqualTo(1);

        // The curve's probabilities are the model's, and its pixels are an affine map of them (y axis 0..1).
        JsonNode grid = view.get("grid");
        List<double[]> rows = new ArrayList<>();
        for (int n = 0; n < grid.size(); n += 40) {
            rows.add(doubles(grid.get(n)));
        }
        JsonNode service = predicted(model.get("id").asString(), rows);
        for (int i = 0; i < rows.size(); i++) {
            double p = probabilities(model, rows.get(i))[1];
            assertThat(view.get("probabilities").get(40 * i).get(1).asDouble()).isCloseTo(p, within(TOLERANCE));
            assertThat(service.get(i).get(1).asDouble()).isCloseTo(p, within(TOLERANCE));
        }
        String[] pixels = browser.findElement(By.cssSelector("#class-plot .probability-curve")).getAttribute("points").trim().split("\\s+");
        assertThat(pixels).hasSize(grid.size());
        double[] py = java.util.Arrays.stream(pixels).mapToDouble(s -> Double.parseDouble(s.split(",")[1])).toArray();
        int lo = 0, hi = 0;
        for (int n = 0; n < py.length; n++) {
            double p = view.get("probabilities").get(n).get(1).asDouble();
            lo = p < view.get("probabilities").get(lo).get(1).asDouble() ? n : lo;
            hi = p > view.get("probabilities").get(hi).get(1).asDouble() ? n : hi;
        }
        double p0 = view.get("probabilities").get(lo).get(1).asDouble(), p1 = view.get("probabilities").get(hi).get(1).asDouble();
        assertThat(p1 - p0).as("the curve rises and falls").isGreaterThan(0.3);
        for (int n = 0; n < py.length; n++) {
            double p = view.get("probabilities").get(n).get(1).asDouble();
            assertThat(py[n]).isCloseTo(py[lo] + (py[hi] - py[lo]) * (p - p0) / (p1 - p0), within(1e-6));
        }

        // The labelled points: coloured by class, class 1 drawn higher (at P = 1) than class 0 (at P = 0).
        checkPointColours(dataPoints(), labels);
        @SuppressWarnings("unchecked")
        List<List<Object>> heights = (List<List<Object>>) js().executeScript(
                "return [...document.querySelectorAll('#class-plot .data-point')].map((c) => [c.dataset.class, Number(c.getAttribute('cy'))]);");
        double y0 = heights.stream().filter(h -> "0".equals(h.get(0))).mapToDouble(h -> ((Number) h.get(1)).doubleValue()).max().orElseThrow();
        double y1 = heights.stream().filter(h -> "1".equals(h.get(0))).mapToDouble(h -> ((Number) h.get(1)).doubleValue()).min().orElseThrow();
        assertThat(y1).as("SVG y grows downward").isLessThan(y0);
        assertThat(count("#class-plot .neuron-line")).isEqualTo(model.get("neurons").size());
        assertThat(browser.findElement(By.id("plot-caption")).getText()).contains("probability of \"1\" along dose");
        screenshot("page-classify-1d.png");
    }

    @Test
    void logisticOnThreeClassesShowsTheProblemDetailAndCrossEntropyThenDrawsTheMostProbableClass() throws Exception {
        StringBuilder table = new StringBuilder("a,b,kind\n");
        List<Integer> labels = new ArrayList<>();
        String[] names = {"ash", "birch", "cedar"};
        double[][] centres = {{0, 2}, {2, -1}, {-2, -1}};
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < 45; i++) {
            int k = i % 3;
            labels.add(k);
            table.append(centres[k][0] + random.nextDouble(-1, 1)).append(',').append(centres[k][1] + random.nextDouble(-1, 1))
                    .append(',').append(names[k]).append('\n');
        }
        Path csv = Files.createTempFile("trees-", ".csv");
        Files.writeString(csv, table);
        browser.get(http.base() + "/");
        browser.findElement(By.id("csv-file")).sendKeys(csv.toAbsolutePath().toString());
        // The target's text labels are recognised: not an input with levels, and a classification loss is chosen.
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("loss-hint")).isDisplayed());
        assertThat(browser.findElement(By.id("loss-hint")).getText()).contains("3 labels (ash, birch, cedar)");
        assertThat(new Select(browser.findElement(By.id("loss"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("cross_entropy");
        assertThat(browser.findElement(By.id("missing-choice")).isDisplayed()).as("no text input, no empty cell").isFalse();

        // Logistic on three classes: the service's problem detail, shown as it was sent.
        new Select(browser.findElement(By.id("loss"))).selectByValue("logistic");
        browser.findElement(By.id("submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("error")).isDisplayed());
        String datasetId = http.send("POST", "/v1/datasets?name=trees", "text/csv", table.toString(), Map.of()).json().get("id").asString();
        Http.Answer refused = http.postJson("/v1/fits", Map.of("datasetId", datasetId, "loss", Map.of("type", "logistic")));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        String detail = refused.json().get("detail").asString();
        assertThat(detail).contains("logistic", "cross_entropy");
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("The fit was not accepted.").contains(detail);
        assertThat(browser.findElement(By.id("result")).isDisplayed()).isFalse();

        // Cross-entropy: one output per class; each cell shows the most probable class's probability.
        new Select(browser.findElement(By.id("loss"))).selectByValue("cross_entropy");
        browser.findElement(By.id("submit")).click();
        JsonNode view = awaitClassPlot();
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        JsonNode model = shownModel();
        assertThat(model.get("outputDim").asInt()).isEqualTo(3);
        assertThat(model.get("classes").get(2).asString()).isEqualTo("cedar");
        checkCells(model, view, new int[] {0, 777, 1800, 2500, 3599});
        checkPointColours(dataPoints(), labels);
        assertThat(count("#class-plot .neuron-line")).isEqualTo(model.get("neurons").size());
        assertThat(browser.findElement(By.id("plot-caption")).getText()).contains("most probable class");
        screenshot("page-classify-three.png");
    }

    @Test
    void aClassificationPathIsValidatedByLogLossAndItsChosenModelDrawnAsAClassifier() {
        browser.get(http.base() + "/");
        choosePath("moons-2d.csv", 4, 2);
        JsonNode path = runPath();
        assertThat(path.get("request").get("loss").get("type").asString()).isEqualTo("logistic");
        assertThat(browser.findElement(By.id("path-validation-heading")).getAttribute("textContent")).as("in the closed table")
                .isEqualTo("validation log loss ± SE");
        assertThat(browser.findElement(By.cssSelector("#path-chart svg")).getText()).contains("mean log loss").doesNotContain("squared");
        String chosen = path.get("chosen").get("modelId").asString();
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> !d.findElement(By.id("error")).isDisplayed()
                ? chosen.equals(js().executeScript("return classView ? classView.modelId : null")) : fail(d));
        assertThat(count("#class-plot .heat-cell")).isEqualTo(60 * 60);
        assertThat(count("#class-plot .data-point")).as("the path's dataset, named by the model's provenance").isEqualTo(120);
        assertThat(count("#class-plot .neuron-line")).isEqualTo(http.get("/v1/models/" + chosen).json().get("neurons").size());
    }
}
