package io.sparsefit.page;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The page at / in a real headless Chromium (see {@link BrowserTestBase}): a person uploads a CSV or picks an example,
 * fits, and sees the plot, the training curve and the diagnostics; or chooses lambda by a cross-validated
 * regularization path and clicks through its points. Classifiers: {@link ClassificationPageInBrowserTest}.
 */
class PageInBrowserTest extends BrowserTestBase {

    /** Waits for the result section, then for the plot image to have loaded (a decoded SVG has a natural width). */
    private void awaitPlot() {
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d ->
                !d.findElement(By.id("error")).isDisplayed() ? d.findElement(By.id("result")).isDisplayed() : fail(d));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const a = document.getElementById('model-plot'), b = document.getElementById('loss-plot');"
                        + "return a.complete && a.naturalWidth > 0 && b.complete && b.naturalWidth > 0;"));
    }

    /** Waits until the result section shows {@code modelId} and its plot image, that model's plot.svg, has loaded. */
    private void awaitShownModel(String modelId) {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .withMessage(() -> "the page to show model " + modelId + "; it shows " + browser.findElement(By.id("result")).getAttribute("data-model-id"))
                .until(d -> !d.findElement(By.id("error")).isDisplayed()
                        ? d.findElement(By.id("result")).isDisplayed() && modelId.equals(d.findElement(By.id("result")).getAttribute("data-model-id"))
                        : fail(d));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const a = document.getElementById('model-plot');"
                        + "return a.complete && a.naturalWidth > 0 && a.src.endsWith('/v1/models/' + arguments[0] + '/plot.svg');", modelId));
    }

    @Test
    void aPersonUploadsACsvFitsItAndSeesTheSplineWithItsKnots() throws Exception {
        Path csv = Files.createTempFile("kink-", ".csv");
        Files.writeString(csv, "t,value\n0,1\n1,0.1\n2,-0.9\n3,0.1\n4,1.2\n5,1.9\n6,3.1\n7,4.0\n");
        browser.get(http.base() + "/");
        assertThat(browser.getTitle()).contains("sparsefit");
        browser.findElement(By.id("csv-file")).sendKeys(csv.toAbsolutePath().toString());
        assertThat(browser.findElement(By.cssSelector("input[value=file]")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("standardize")).isSelected()).as("standardize is on by default").isTrue();
        assertThat(browser.findElement(By.id("missing-choice")).isDisplayed()).as("a table of numbers: nothing to ask").isFalse();
        WebElement width = browser.findElement(By.id("width"));
        assertThat(width.getAttribute("value")).as("no width by default").isEmpty();
        assertThat(width.getAttribute("placeholder")).isEqualTo("auto chooses");
        browser.findElement(By.id("target")).sendKeys("value");
        new Select(browser.findElement(By.id("solver"))).selectByValue("exact");
        WebElement lambda = browser.findElement(By.id("lambda"));
        lambda.clear();
        lambda.sendKeys("0.2");
        browser.findElement(By.id("submit")).click();

        awaitPlot();
        assertThat(browser.findElement(By.id("progress-text")).getText()).startsWith("SUCCEEDED");
        assertThat(diagnosticKeys()).contains("objective", "pathNorm", "knotCount", "certificate.gap", "certificate.exact");
        String knots = browser.findElement(By.cssSelector("#diagnostics tr[data-key=knotCount] td.value")).getText();
        assertThat(Integer.parseInt(knots)).isPositive();
        assertThat(browser.findElement(By.id("plot-caption")).getText()).contains(knots + " knots");
        JsonNode request = http.get("/v1/fits/" + shownFitId()).json().get("request");
        assertThat(request.get("architecture").has("hiddenLayers")).as("an empty width field sends no width: " + request).isFalse();
        JsonNode preprocessing = request.get("preprocessing");
        assertThat(preprocessing.get("standardize").asBoolean()).isTrue();
        assertThat(preprocessing.get("missing").asString()).isEqualTo("error");
        assertThat(browser.findElement(By.id("fit-warnings")).isDisplayed()).isFalse();
        String onnx = browser.findElement(By.id("download-onnx")).getAttribute("href");
        assertThat(onnx).contains("/export?format=onnx");
        // The link the person clicks serves the file.
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(onnx)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
        screenshot("page-1d.png");
    }

    /** Sets the solver to lbfgs with this iteration limit and these hidden-layer widths ("8, 6": two layers). */
    private void chooseLbfgs(int maxIterations, String widths) {
        new Select(browser.findElement(By.id("solver"))).selectByValue("lbfgs");
        WebElement iterations = browser.findElement(By.id("max-iter"));
        iterations.clear();
        iterations.sendKeys(String.valueOf(maxIterations));
        WebElement width = browser.findElement(By.id("width"));
        width.clear();
        width.sendKeys(widths);
    }

    /** The id of the fit the status line says succeeded. */
    private String shownFitId() {
        java.util.regex.Matcher status = java.util.regex.Pattern.compile("Fit (\\S+) succeeded\\.")
                .matcher(browser.findElement(By.id("status")).getText());
        assertThat(status.find()).as(browser.findElement(By.id("status")).getText()).isTrue();
        return status.group(1);
    }

    @Test
    void aTableWithTextAndEmptyCellsIsOfferedTheMissingCellPolicyAndUnstandardizedScalesAreWarnedAbout() throws Exception {
        // area in square metres, age in years: standard deviations ~300x apart; a text column and two empty cells.
        StringBuilder table = new StringBuilder("area,age,city,price\n");
        for (int i = 0; i < 24; i++) {
            String area = i == 5 ? "" : String.valueOf(1000 + 97 * i);
            String age = i == 9 ? "" : String.valueOf((i * 7) % 5 * 0.3);
            table.append(area).append(',').append(age).append(',').append(i % 3 == 0 ? "Oslo" : "Bergen").append(',')
                    .append(0.001 * (1000 + 97 * i) + (i % 3 == 0 ? 1 : 0)).append('\n');
        }
        Path csv = Files.createTempFile("homes-", ".csv");
        Files.writeString(csv, table);
        browser.get(http.base() + "/");
        browser.findElement(By.id("csv-file")).sendKeys(csv.toAbsolutePath().toString());
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("missing-choice")).isDisplayed());
        assertThat(browser.findElement(By.id("table-traits")).getText()).isEqualTo("text columns and empty cells");
        new Select(browser.findElement(By.id("missing"))).selectByValue("drop_rows");
        browser.findElement(By.id("standardize")).click(); // off: the scales far apart are then warned about
        chooseLbfgs(200, "8");
        browser.findElement(By.id("submit")).click();

        awaitPlot();
        JsonNode fit = http.get("/v1/fits/" + shownFitId()).json();
        assertThat(fit.get("request").get("architecture").get("hiddenLayers").toString()).as("a given width is sent").isEqualTo("[8]");
        assertThat(fit.get("request").get("preprocessing").get("standardize").asBoolean()).isFalse();
        assertThat(fit.get("request").get("preprocessing").get("missing").asString()).isEqualTo("drop_rows");
        List<String> warnings = java.util.stream.StreamSupport.stream(fit.get("warnings").spliterator(), false)
                .map(JsonNode::asString).toList();
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("preprocessing.standardize"));
        List<String> shown = browser.findElements(By.cssSelector("#fit-warnings li")).stream().map(WebElement::getText).toList();
        assertThat(shown).isEqualTo(warnings);
        assertThat(browser.findElement(By.id("fit-warnings")).isDisplayed()).isTrue();
        screenshot("page-table-warnings.png");
    }

    @Test
    void aPersonPicksTheTwoInputExampleAndSeesTheHeatMap() throws Exception {
        browser.get(http.base() + "/");
        new Select(browser.findElement(By.id("example"))).selectByValue("ridges-2d.csv");
        chooseLbfgs(400, "16");
        browser.findElement(By.id("submit")).click();

        awaitPlot();
        assertThat(diagnosticKeys()).contains("objective", "activeNeurons", "representerBound").doesNotContain("knotCount");
        assertThat(browser.findElement(By.id("plot-caption")).getText()).contains("hyperplanes");
        screenshot("page-2d.png");
    }

    @Test
    void aPersonFitsADeepNetworkWithLinearLayersAndSeesItsRanks() throws Exception {
        browser.get(http.base() + "/");
        new Select(browser.findElement(By.id("example"))).selectByValue("ridges-2d.csv");
        chooseLbfgs(300, "8, 6");
        WebElement linear = browser.findElement(By.id("linear-layers"));
        linear.clear();
        linear.sendKeys("1");
        browser.findElement(By.id("submit")).click();

        awaitPlot();
        String model = browser.findElement(By.id("result")).getAttribute("data-model-id");
        JsonNode layers = http.get("/v1/models/" + model).json().get("layers");
        assertThat(layers.findValuesAsString("activation")).containsExactly("linear", "relu", "linear", "relu", "linear");
        assertThat(diagnosticKeys()).contains("objective", "deep.activeUnits", "deep.linearRuns.effectiveRank")
                .doesNotContain("pathNorm", "knotCount");
        assertThat(browser.findElement(By.id("plot-caption")).getText()).contains("deep network");
        assertThat(browser.findElement(By.id("certificate-text")).getText()).contains("last layer");
        screenshot("page-deep.png");
    }

    @Test
    void aConvexTwoInputFitShowsTheDualityGapClosingWhileItRunsAndTheFinalCertificate() throws Exception {
        browser.get(http.base() + "/");
        new Select(browser.findElement(By.id("example"))).selectByValue("ridges-2d.csv");
        new Select(browser.findElement(By.id("solver"))).selectByValue("convex");
        WebElement lambda = browser.findElement(By.id("lambda"));
        lambda.clear();
        lambda.sendKeys("0.01"); // a few seconds of outer rounds, each reporting its gap over SSE
        browser.findElement(By.id("submit")).click();

        // While it runs: the page shows the latest gap from the progress events.
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d -> !d.findElement(By.id("error")).isDisplayed()
                ? Integer.parseInt(d.findElement(By.id("gap-text")).getAttribute("data-seen")) > 0 : fail(d));
        assertThat(browser.findElement(By.id("gap-text")).getText()).startsWith("Duality gap ");
        awaitPlot();
        int seen = Integer.parseInt(browser.findElement(By.id("gap-text")).getAttribute("data-seen"));
        @SuppressWarnings("unchecked")
        List<Number> live = (List<Number>) ((JavascriptExecutor) browser).executeScript("return gaps.map((g) => g[1]);");
        assertThat(live).hasSize(seen).allSatisfy(g -> assertThat(g.doubleValue()).isFinite().isGreaterThanOrEqualTo(0));

        // After: the final certificate, the same number as the model's diagnostics, no larger than the gaps seen live.
        java.util.regex.Matcher status = java.util.regex.Pattern.compile("Fit (\\S+) succeeded\\.")
                .matcher(browser.findElement(By.id("status")).getText());
        assertThat(status.find()).as(browser.findElement(By.id("status")).getText()).isTrue();
        JsonNode fit = http.get("/v1/fits/" + status.group(1)).json();
        assertThat(fit.get("request").get("solver").get("type").asString()).isEqualTo("convex");
        JsonNode certificate = http.get("/v1/models/" + fit.get("modelId").asString() + "/diagnostics").json().get("certificate");
        double gap = certificate.get("gap").asDouble();
        assertThat(gap).isLessThanOrEqualTo(live.stream().mapToDouble(Number::doubleValue).max().orElseThrow());
        java.util.regex.Matcher shown = java.util.regex.Pattern.compile("^Final certificate: duality gap (\\S+) ")
                .matcher(browser.findElement(By.id("certificate-text")).getText());
        assertThat(shown.find()).as(browser.findElement(By.id("certificate-text")).getText()).isTrue();
        assertThat(Double.parseDouble(shown.group(1))).isCloseTo(gap, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(diagnosticKeys()).contains("certificate.gap", "certificate.exact");
        if (seen >= 2) {
            assertThat(browser.findElement(By.id("gap-trace")).isDisplayed()).isTrue();
        }
        screenshot("page-2d-convex.png");
    }

    @Test
    void aPersonChoosesLambdaByCrossValidationAndClicksThroughThePathsModels() throws Exception {
        browser.get(http.base() + "/");
        // Not the defaults (12 values, 5 folds), so that the request shows the inputs were read.
        choosePath("hat-1d.csv", 8, 4);
        assertThat(browser.findElement(By.id("submit")).getText()).isEqualTo("Run the path");
        JsonNode path = runPath();
        assertThat(path.get("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(path.get("request").get("grid").get("count").asInt()).isEqualTo(8);
        assertThat(path.get("request").get("validation").get("folds").asInt()).isEqualTo(4);
        assertThat(path.get("request").get("preprocessing").get("standardize").asBoolean()).as("the page's default, as for a fit").isTrue();
        assertThat(path.get("solver").asString()).as("auto on one input").isEqualTo("exact");
        JsonNode points = path.get("points");
        assertThat(points.size()).isEqualTo(8);
        assertThat(browser.findElement(By.id("progress-text")).getText()).startsWith("SUCCEEDED: 8 of 8 points");

        // The chart: one marker per point, in the path's order, each naming its point's model.
        List<WebElement> markers = browser.findElements(By.cssSelector("#path-chart svg .path-point"));
        assertThat(markers).hasSize(points.size());
        for (int i = 0; i < points.size(); i++) {
            assertThat(markers.get(i).getAttribute("data-model-id")).isEqualTo(points.get(i).get("modelId").asString());
        }
        assertThat(browser.findElements(By.cssSelector("#path-chart svg .choice-line"))).as("best and oneSe marked").isNotEmpty();
        assertThat(browser.findElement(By.id("path-explained")).getText()).contains("one SE", "best");

        // The chosen lambda, as the API has it, highlighted on the chart, and its model shown like a fit's.
        JsonNode chosen = path.get("chosen");
        int chosenIndex = chosen.get("index").asInt();
        assertThat(Double.parseDouble(browser.findElement(By.id("path-chosen")).getAttribute("data-lambda")))
                .isEqualTo(chosen.get("lambda").asDouble());
        assertThat(browser.findElement(By.id("path-chosen")).getText()).startsWith("Chosen λ = ");
        assertThat(markers.get(chosenIndex).getAttribute("class")).contains("chosen");
        String chosenModel = chosen.get("modelId").asString();
        awaitShownModel(chosenModel);
        assertThat(markers.get(chosenIndex).getAttribute("class")).contains("shown");
        assertThat(browser.findElement(By.id("loss-figure")).isDisplayed()).as("a path has no training curve").isFalse();
        assertThat(diagnosticKeys()).contains("objective", "pathNorm", "knotCount", "certificate.gap");
        assertThat(browser.findElement(By.id("download-onnx")).getAttribute("href")).endsWith("/v1/models/" + chosenModel + "/export?format=onnx");
        screenshot("page-1d-path.png");

        // Clicking another point shows that point's model instead.
        int other = chosenIndex == points.size() - 1 ? 0 : points.size() - 1;
        String otherModel = points.get(other).get("modelId").asString();
        assertThat(otherModel).isNotEqualTo(chosenModel);
        markers.get(other).click();
        awaitShownModel(otherModel);
        assertThat(markers.get(other).getAttribute("class")).contains("shown");
        assertThat(markers.get(chosenIndex).getAttribute("class")).doesNotContain("shown");
        assertThat(browser.findElement(By.id("shown-model")).getText()).contains("point " + (other + 1) + " of 8", otherModel);
        screenshot("page-1d-path-other-point.png");

        // The table of points picks too: back to the chosen one.
        browser.findElement(By.cssSelector("#path-table-details summary")).click();
        browser.findElement(By.cssSelector("#path-points tbody tr[data-index='" + chosenIndex + "'] button.show-point")).click();
        awaitShownModel(chosenModel);

        // Back to a single lambda: a plain fit, with its training curve again and no path.
        browser.findElement(By.cssSelector("input[name=lambda-mode][value=value]")).click();
        assertThat(browser.findElement(By.id("submit")).getText()).isEqualTo("Fit");
        browser.findElement(By.id("submit")).click();
        awaitPlot();
        assertThat(browser.findElement(By.id("loss-figure")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("path-section")).isDisplayed()).isFalse();
        java.util.regex.Matcher fitStatus = java.util.regex.Pattern.compile("Fit (\\S+) succeeded\\.")
                .matcher(browser.findElement(By.id("status")).getText());
        assertThat(fitStatus.find()).as(browser.findElement(By.id("status")).getText()).isTrue();
        // A path point's plot shows the training data as a fit's plot of the same data does (one dot per row).
        String fitModel = http.get("/v1/fits/" + fitStatus.group(1)).json().get("modelId").asString();
        assertThat(dataDots(chosenModel)).isEqualTo(dataDots(fitModel)).isGreaterThanOrEqualTo(10);
    }

    /**
     * The circles in a model's plot.svg: its training-data dots and the legend's one. JFreeSVG writes a circle as a
     * path of four cubic curves (knots and frames are straight-line paths).
     */
    private int dataDots(String modelId) {
        String svg = http.get("/v1/models/" + modelId + "/plot.svg").body();
        return (int) java.util.regex.Pattern.compile("<path d='M[^C']*C[^C']*C[^C']*C[^C']*C[^C']*Z'").matcher(svg).results().count();
    }

    @Test
    void theHuberLossIsSentWithItsDeltaAndDrawnAsARegression() {
        browser.get(http.base() + "/");
        assertThat(new Select(browser.findElement(By.id("loss"))).getFirstSelectedOption().getAttribute("value")).isEqualTo("squared");
        assertThat(browser.findElement(By.id("huber-delta-choice")).isDisplayed()).as("delta only for huber").isFalse();
        new Select(browser.findElement(By.id("loss"))).selectByValue("huber");
        WebElement delta = browser.findElement(By.id("huber-delta"));
        assertThat(delta.isDisplayed()).isTrue();
        delta.clear();
        delta.sendKeys("0.25");
        new Select(browser.findElement(By.id("solver"))).selectByValue("lbfgs");
        browser.findElement(By.id("submit")).click();

        awaitPlot();
        JsonNode loss = http.get("/v1/fits/" + shownFitId()).json().get("request").get("loss");
        assertThat(loss.get("type").asString()).isEqualTo("huber");
        assertThat(loss.get("delta").asDouble()).isEqualTo(0.25);
        assertThat(diagnosticKeys()).contains("loss", "trainMse").doesNotContain("trainAccuracy");
        assertThat(browser.findElement(By.id("classes-text")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("class-plot")).isDisplayed()).isFalse();
    }

    @Test
    void anInvalidSettingIsExplainedOnThePage() {
        browser.get(http.base() + "/");
        WebElement width = browser.findElement(By.id("width"));
        width.clear();
        width.sendKeys("100000"); // above sparsefit.limits.max-width
        new Select(browser.findElement(By.id("solver"))).selectByValue("prox");
        browser.findElement(By.id("submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElement(By.id("error")).isDisplayed());
        assertThat(browser.findElement(By.id("error")).getText()).startsWith("The fit was not accepted.").contains("architecture.hiddenLayers");
    }
}
