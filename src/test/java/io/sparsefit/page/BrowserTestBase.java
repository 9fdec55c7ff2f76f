package io.sparsefit.page;

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
import org.openqa.selenium.By;
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
 * A real headless Chromium (Debian's chromium and chromium-driver, which .ci/run installs) on the page at /, one per
 * test, for the page's browser tests. Skipped (not failed) where chromium is not installed. Screenshots go to
 * target/page-screenshots/ (a CI artifact).
 */
abstract class BrowserTestBase extends ServiceTestBase {

    static final File CHROMIUM = new File("/usr/bin/chromium");
    static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "page-screenshots");

    ChromeDriver browser;
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

    void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    static boolean fail(org.openqa.selenium.WebDriver d) {
        throw new AssertionError("the page shows an error: " + d.findElement(By.id("error")).getText());
    }

    /** Picks the bundled example and the choice of lambda by a path of {@code values} lambdas and {@code folds} folds. */
    void choosePath(String example, int values, int folds) {
        new Select(browser.findElement(By.id("example"))).selectByValue(example);
        browser.findElement(By.cssSelector("input[name=lambda-mode][value=path]")).click();
        WebElement count = browser.findElement(By.id("path-count"));
        count.clear();
        count.sendKeys(String.valueOf(values));
        WebElement foldCount = browser.findElement(By.id("path-folds"));
        foldCount.clear();
        foldCount.sendKeys(String.valueOf(folds));
    }

    /** Submits, waits until the status says the path succeeded (failing on a shown error) and returns the path resource. */
    JsonNode runPath() {
        browser.findElement(By.id("submit")).click();
        new WebDriverWait(browser, Duration.ofSeconds(180)).until(d -> !d.findElement(By.id("error")).isDisplayed()
                ? d.findElement(By.id("status")).getText().matches("Path \\S+ succeeded\\.") : fail(d));
        return http.get("/v1/paths/" + browser.findElement(By.id("path-section")).getAttribute("data-path-id")).json();
    }

    List<String> diagnosticKeys() {
        return browser.findElements(By.cssSelector("#diagnostics tbody tr")).stream().map(r -> r.getAttribute("data-key")).toList();
    }
}
