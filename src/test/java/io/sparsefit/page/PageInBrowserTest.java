package io.sparsefit.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparsefit.support.ServiceTestBase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import tools.jackson.databind.JsonNode;

/**
 * The page at / in a real headless Chromium (Debian's chromium and chromium-driver, which .ci/run
 * installs): a person uploads a CSV or picks an example, fits, and sees the plot, the training curve
 * and the diagnostics. Skipped (not failed) where chromium is not installed. Screenshots go to
 * target/page-screenshots/ (a CI artifact).
 */
class PageInBrowserTest extends ServiceTestBase {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "page-screenshots");

    private ChromeDriver browser;
    private Path profile;

    @BeforeEach
    void startBrowser() throws Exception {
        assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "Debian chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)");
        profile = Files.createTempDirectory("sparsefit-chromium-");
        ChromeOptions options = new ChromeOptions();
        // Both paths given: Selenium Manager has nothing to look up or download.
        options.setBinary(CHROMIUM);
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--window-size=1500,2000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    @AfterEach
    void stopBrowser() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Waits for the result section, then for the plot image to have loaded (a decoded SVG has a natural width). */
    private void awaitPlot() {
        new WebDriverWait(browser, Duration.ofSeconds(120)).until(d ->
                !d.findElement(By.id("error")).isDisplayed() ? d.findElement(By.id("result")).isDisplayed() : fail(d));
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> (Boolean) ((JavascriptExecutor) d).executeScript(
                "const a = document.getElementById('model-plot'), b = document.getElementById('loss-plot');"
                        + "return a.complete && a.naturalWidth > 0 && b.complete && b.naturalWidth > 0;"));
    }

    private static boolean fail(org.openqa.selenium.WebDriver d) {
        throw new AssertionError("the page shows an error: " + d.findElement(By.id("error")).getText());
    }

    private List<String> diagnosticKeys() {
        return browser.findElements(By.cssSelector("#diagnostics tbody tr")).stream().map(r -> r.getAttribute("data-key")).toList();
    }

    @Test
    void aPersonUploadsACsvFitsItAndSeesTheSplineWithItsKnots() throws Exception {
        Path csv = Files.createTempFile("kink-", ".csv");
        Files.writeString(csv, "t,value\n0,1\n1,0.1\n2,-0.9\n3,0.1\n4,1.2\n5,1.9\n6,3.1\n7,4.0\n");
        browser.get(http.base() + "/");
        assertThat(browser.getTitle()).contains("sparsefit");
        browser.findElement(By.id("csv-file")).sendKeys(csv.toAbsolutePath().toString());
        assertThat(browser.findElement(By.cssSelector("input[value=file]")).isSelected()).isTrue();
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
        String onnx = browser.findElement(By.id("download-onnx")).getAttribute("href");
        assertThat(onnx).contains("/export?format=onnx");
        // The link the person clicks serves the file.
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(onnx)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray()).statusCode()).isEqualTo(200);
        screenshot("page-1d.png");
    }

    @Test
    void aPersonPicksTheTwoInputExampleAndSeesTheHeatMap() throws Exception {
        browser.get(http.base() + "/");
        new Select(browser.findElement(By.id("example"))).selectByValue("ridges-2d.csv");
        new Select(browser.findElement(By.id("solver"))).selectByValue("lbfgs");
        WebElement iterations = browser.findElement(By.id("max-iter"));
        iterations.clear();
        iterations.sendKeys("400");
        WebElement width = browser.findElement(By.id("width"));
        width.clear();
        width.sendKeys("16");
        browser.findElement(By.id("submit")).click();

        awaitPlot();
        assertThat(diagnosticKeys()).contains("objective", "activeNeurons", "representerBound").doesNotContain("knotCount");
        assertThat(browser.findElement(By.id("plot-caption")).getText()).contains("hyperplanes");
        screenshot("page-2d.png");
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
