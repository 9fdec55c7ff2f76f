package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.WidthFreeSolver;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import io.sparsefit.web.ApiException;
import java.time.Duration;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;

/**
 * Admission from the estimated working set: a fit too large for its share of the heap is 413 before
 * it is queued, and the largest request the (test) limits allow either succeeds or is refused cleanly.
 */
class AdmissionTest extends ServiceTestBase {

    private static FitValidator validator(DataSize maxFitMemory) {
        return new FitValidator(properties(maxFitMemory));
    }

    private static SparsefitProperties properties(DataSize maxFitMemory) {
        return new SparsefitProperties("unused",
                new SparsefitProperties.Fits(2, 100, Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(60),
                        Duration.ofSeconds(5), 3, true, Duration.ofSeconds(1), Duration.ofMinutes(30)),
                new SparsefitProperties.Limits(100000, 1000, 100, 4096, 1000000, DataSize.ofMegabytes(16), 100, 100000,
                        Duration.ofSeconds(30), Duration.ofHours(1), maxFitMemory, 6, 4, Duration.ofSeconds(10)),
                SparsefitProperties.Security.off(), SparsefitProperties.Retention.off());
    }

    private static FitRequest request(int width) {
        return Http.JSON.readValue("{\"datasetId\":\"d\",\"architecture\":{\"hiddenLayers\":[" + width + "]}}", FitRequest.class)
                .withDefaults();
    }

    @Test
    void theEstimateGrowsWithRowsTimesWidthAndRefusesBeyondTheBudget() {
        // 100,000 rows x 4,096 neurons: the four N x K matrices alone are 13 GB.
        assertThat(FitValidator.workingSetBytes(100_000, 1, 1, 4096)).isGreaterThan(13_000_000_000L);
        assertThat(FitValidator.workingSetBytes(1000, 1, 1, 64)).isLessThan(FitValidator.workingSetBytes(2000, 1, 1, 64));

        FitValidator small = validator(DataSize.ofMegabytes(10));
        // 1,000 x 64: about 2 MB, admitted; 1,000 x 512: about 16 MB, refused with 413 naming the field.
        assertThatCode(() -> small.checkAgainstData(request(64), 1000, 1, 1, false)).doesNotThrowAnyException();
        ApiException refused = catchThrowableOfType(ApiException.class, () -> small.checkAgainstData(request(512), 1000, 1, 1, false));
        assertThat(refused.status().value()).isEqualTo(413);
        assertThat(refused.errors()).extracting(e -> e.field()).containsExactly("architecture.hiddenLayers");

        // The chart's heap (1152 MiB) and the default limits: the largest allowed fit is refused, not queued to die.
        long chartBudget = (long) (0.6 * 1152L * 1024 * 1024 / 2);
        assertThat(FitValidator.workingSetBytes(100_000, 1, 1, 4096)).isGreaterThan(chartBudget);
    }

    @Test
    void aDeepArchitectureIsEstimatedOverEveryLayer() {
        // Counted by hand: d = 3, m = 1, layers [64, 32], one linear layer (3 x 3, then 64 x 64) before each ReLU layer.
        // Units held per row: 3 + 64 + 64 + 32 = 163; parameters: 9 + 64*4 + 64*64 + 32*65 + 32*1 + 1*4 = 6477.
        long rows = 1000;
        long expected = 8 * (rows * (3 + 1) + 4 * rows * 163 + 2 * rows * 1 + 20 * 6477L);
        assertThat(FitValidator.workingSetBytes(rows, 3, 1,
                new io.sparsefit.core.solver.Architecture(java.util.List.of(64, 32), 1, true))).isEqualTo(expected);
        // One layer of K units is the shallow estimate.
        assertThat(FitValidator.workingSetBytes(rows, 3, 1, io.sparsefit.core.solver.Architecture.shallow(64, true)))
                .isEqualTo(8 * (rows * 4 + 4 * rows * 64 + 2 * rows + 20 * (64L * 4 + 64 + 4)));

        FitValidator small = validator(DataSize.ofMegabytes(10));
        FitRequest deep = Http.JSON.readValue("{\"datasetId\":\"d\",\"architecture\":{\"hiddenLayers\":[64,64,64,64,64,64],"
                + "\"linearLayers\":2},\"solver\":{\"type\":\"lbfgs\"}}", FitRequest.class).withDefaults();
        assertThatCode(() -> small.checkAgainstData(request(64), 1000, 1, 1, false)).doesNotThrowAnyException();
        ApiException refused = catchThrowableOfType(ApiException.class, () -> small.checkAgainstData(deep, 1000, 1, 1, false));
        assertThat(refused.status().value()).isEqualTo(413);
        assertThat(refused.getMessage()).contains("[64, 64, 64, 64, 64, 64]").contains("2 linear layers");
    }

    /**
     * A default fit ({@code auto}, the width not given) that {@code auto} widens holds the starting and the wide
     * {@code lbfgs} width's estimate together, 64 + 384 neurons ({@link FitValidator#widenedWorkingSetBytes}): at 1,000
     * rows x 10 inputs about 15 MB against 2.3 MB at 64. Between the two it is admitted, not refused for what it might
     * need, and runs at its starting width as a cap (plain {@code lbfgs} at 64, the fit the estimate covers), with a
     * warning; above both it is refused as before; with room for the widened fit, or a width given, nothing changes.
     */
    @Test
    void aFitThatWouldWidenBeyondTheLimitIsAdmittedAtItsStartingWidthWithAWarning() {
        FitRequest auto = Http.JSON.readValue("{\"datasetId\":\"d\",\"regularization\":{\"lambda\":0.01}}", FitRequest.class)
                .withDefaults();
        Loss squared = Loss.squared();
        long start = FitValidator.workingSetBytes(1000, 10, 1, 64);
        long widened = FitValidator.widenedWorkingSetBytes(FitValidator.settings(auto), 1000, 10, 1, squared, false);
        // counted by hand: 64 + 6 x 64 neurons in one layer
        assertThat(widened).isEqualTo(8 * (1000L * 11 + 4 * 1000L * 448 + 2 * 1000L + 20 * (448L * 11 + 448 + 11)));
        assertThat(start).isLessThan(3_000_000L);
        assertThat(widened).isGreaterThan(15_000_000L);

        FitValidator between = validator(DataSize.ofMegabytes(10));
        assertThatCode(() -> between.checkAgainstData(auto, 1000, 10, 1, squared, false)).doesNotThrowAnyException();
        FitSettings capped = between.settings(auto, 1000, 10, 1, squared, false);
        assertThat(capped.architecture().widthCapped()).isTrue();
        assertThat(capped.width()).isEqualTo(64);
        assertThat(capped.withArchitecture(FitValidator.settings(auto).architecture())).isEqualTo(FitValidator.settings(auto));
        assertThat(between.widthWarnings(auto, 1000, 10, 1, squared, false)).singleElement().asString()
                .contains("starting width of 64").contains("with 384 neurons beside them").contains(" 14 MiB").contains("10 MiB");

        // the run's settings are the same (FitRunner, on the prepared table's problem)
        FitRunner runner = new FitRunner(null, null, null, null, properties(DataSize.ofMegabytes(10)), between);
        FitProblem table = new FitProblem(new DMatrixRMaj(1000, 10), new DMatrixRMaj(1000, 1));
        assertThat(runner.settings(auto, 1000, table)).isEqualTo(capped);

        FitValidator roomy = validator(DataSize.ofMegabytes(20));
        assertThat(roomy.settings(auto, 1000, 10, 1, squared, false)).isEqualTo(FitValidator.settings(auto));
        assertThat(roomy.widthWarnings(auto, 1000, 10, 1, squared, false)).isEmpty();

        // a fit that does not widen: a given width (a cap already), an lbfgs fit
        FitRequest given = request(64);
        assertThat(between.settings(given, 1000, 10, 1, squared, false)).isEqualTo(FitValidator.settings(given));
        assertThat(between.widthWarnings(given, 1000, 10, 1, squared, false)).isEmpty();
        FitRequest lbfgs = Http.JSON.readValue("{\"datasetId\":\"d\",\"solver\":{\"type\":\"lbfgs\"}}", FitRequest.class)
                .withDefaults();
        assertThat(FitValidator.widenedWorkingSetBytes(FitValidator.settings(lbfgs), 1000, 10, 1, squared, false)).isZero();
        // beyond the wide lbfgs restart's rows the convex phase still grows the fit: the same estimate
        assertThat(FitValidator.widenedWorkingSetBytes(FitValidator.settings(auto), WidthFreeSolver.WIDE_MAX_ROWS + 1, 10,
                1, squared, false)).isEqualTo(FitValidator.workingSetBytes(WidthFreeSolver.WIDE_MAX_ROWS + 1, 10, 1, 64 + 384));
        // the validation rows are not trained on: 1,250 rows with a fifth held out are the 1,000 above
        FitRequest held = Http.JSON.readValue("{\"datasetId\":\"d\",\"regularization\":{\"lambda\":0.01},"
                + "\"validationFraction\":0.2}", FitRequest.class).withDefaults();
        assertThat(between.widthWarnings(held, 1250, 10, 1, squared, false)).singleElement().asString().contains("1000 rows");

        // beyond the limit at its starting width too: refused as before
        FitValidator tight = validator(DataSize.ofMegabytes(2));
        ApiException refused = catchThrowableOfType(ApiException.class, () -> tight.checkAgainstData(auto, 1000, 10, 1, squared,
                false));
        assertThat(refused.status().value()).isEqualTo(413);
    }

    @Test
    void theLargestAllowedFitAndPredictSucceedOrAreRefusedCleanly() {
        // The test context's limits: 5,000 rows, width 512.
        StringBuilder x = new StringBuilder();
        StringBuilder y = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            x.append(i == 0 ? "" : ",").append('[').append(i / 5000.0).append(']');
            y.append(i == 0 ? "" : ",").append(Math.sin(i / 500.0));
        }
        Http.Answer ds = http.postJson("/v1/datasets", "{\"x\":[" + x + "],\"y\":[" + y + "]}");
        assertThat(ds.status()).as(ds.body()).isEqualTo(201);
        Http.Answer fit = http.postJson("/v1/fits", "{\"datasetId\":\"" + ds.json().get("id").asString() + "\","
                + "\"architecture\":{\"hiddenLayers\":[512]},\"solver\":{\"type\":\"lbfgs\",\"maxIter\":5}}");
        assertThat(fit.status()).as(fit.body()).isIn(202, 413);
        if (fit.status() == 413) {
            assertThat(fit.contentType()).startsWith("application/problem+json");
            return;
        }
        JsonNode done = http.awaitFinal(fit.json().get("id").asString(), Duration.ofSeconds(120));
        assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        // Predict at the row limit of one request (100,000 rows; 600 kB, within this context's 1 MB body limit).
        StringBuilder rows = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            rows.append(i == 0 ? "" : ",").append("[0.5]");
        }
        Http.Answer predicted = http.postJson("/v1/models/" + done.get("modelId").asString() + "/predict", "{\"x\":[" + rows + "]}");
        assertThat(predicted.status()).as(predicted.body()).isIn(200, 413);
        if (predicted.status() == 200) {
            assertThat(predicted.json().get("y").size()).isEqualTo(100_000);
        } else {
            assertThat(predicted.contentType()).startsWith("application/problem+json");
        }
    }
}
