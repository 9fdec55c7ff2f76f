package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.SolverCapabilities;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import io.sparsefit.web.ApiException;
import java.time.Duration;
import java.util.List;
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
                new Architecture(List.of(64, 32), 1, true))).isEqualTo(expected);
        // One layer of K units is the shallow estimate.
        assertThat(FitValidator.workingSetBytes(rows, 3, 1, Architecture.shallow(64, true)))
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
     * The widened estimate ({@link FitValidator#widenedWorkingSetBytes}) counted by hand: the gradient part at 64 + 384
     * neurons in one layer and the convex phase's 448 atoms at 7 doubles per row. At 10^4 rows x 10 inputs it is above the
     * measured peak of that fit (271 MiB, the convex phase at 525 atoms, docs/benchmarks.md "A widening fit's memory")
     * and above the limit of one worker under {@code -Xmx256m} (0.6 x 256 MiB), where that fit ran out of heap.
     */
    @Test
    void theWidenedEstimateCountsTheGradientRunsAndTheConvexPhasesAtoms() {
        long rows = 1000;
        long gradient = 8 * (rows * 11 + 4 * rows * 448 + 2 * rows + 20 * (448L * 11 + 448 + 11));
        long atoms = 8 * 7 * rows * 448;
        assertThat(FitValidator.widenedWorkingSetBytes(rows, 10, 1, 64, 384)).isEqualTo(gradient + atoms)
                .isEqualTo(40_389_920L);

        long atTenThousand = FitValidator.widenedWorkingSetBytes(10_000, 10, 1, 64, 384);
        assertThat(atTenThousand >> 20).isEqualTo(377);
        assertThat(atTenThousand).isGreaterThan(271L << 20).isGreaterThan((long) (0.6 * (256L << 20)));
    }

    /**
     * A default fit ({@code auto}, the width not given) that {@code auto} would widen beyond the limit (1,000 rows x 10
     * inputs: about 2.3 MB at its starting width of 64, 40 MB widened) is admitted, not refused for what it might need:
     * the submit stores it with the starting width as a given width ({@code hiddenLayers [64]}, a cap: plain
     * {@code lbfgs} at 64) and a warning. The run reads the stored request ({@link FitValidator#settings(FitRequest)},
     * which has no limit to consult), so a replica or a restart with another limit cannot run another fit. With room for
     * the widened fit, a width given or a solver that does not widen, the request is stored as it came; above the limit
     * at its starting width it is refused as before.
     */
    @Test
    void aFitThatWouldWidenBeyondTheLimitIsStoredWithItsStartingWidthAsACap() {
        FitRequest auto = Http.JSON.readValue("{\"datasetId\":\"d\",\"regularization\":{\"lambda\":0.01}}", FitRequest.class)
                .withDefaults();
        Loss squared = Loss.squared();
        assertThat(FitValidator.workingSetBytes(1000, 10, 1, 64)).isLessThan(3_000_000L);

        FitValidator.Admission between = validator(DataSize.ofMegabytes(10)).checkAgainstData(auto, 1000, 10, 1, squared, false);
        assertThat(between.request().architecture().hiddenLayers()).containsExactly(64);
        assertThat(between.request().withHiddenLayers(null)).isEqualTo(auto);   // nothing else changed
        assertThat(between.warnings()).singleElement().asString()
                .contains("capped at its starting width: architecture.hiddenLayers [64]").contains("could go on beyond it with 384")
                .contains(" 38 MiB for 1000 rows").contains("the 10 MiB one fit may use");

        // what the runner does with the stored request (its JSON, FitRunner.run): lbfgs capped at 64, the rest as asked
        FitRequest stored = Http.JSON.readValue(Http.JSON.writeValueAsString(between.request()), FitRequest.class);
        assertThat(Http.JSON.writeValueAsString(stored)).contains("\"hiddenLayers\":[64]");
        FitSettings run = FitValidator.settings(stored);
        assertThat(run.architecture().widthCapped()).isTrue();
        assertThat(run.width()).isEqualTo(64);
        assertThat(run.withArchitecture(FitValidator.settings(auto).architecture())).isEqualTo(FitValidator.settings(auto));

        // room for the widened fit: stored as it came (the width not given), no warning
        FitValidator.Admission roomy = validator(DataSize.ofMegabytes(50)).checkAgainstData(auto, 1000, 10, 1, squared, false);
        assertThat(roomy.request()).isSameAs(auto);
        assertThat(roomy.warnings()).isEmpty();

        // fits that do not widen: a given width (a cap already), an lbfgs fit
        FitValidator small = validator(DataSize.ofMegabytes(10));
        FitRequest given = request(64);
        assertThat(small.checkAgainstData(given, 1000, 10, 1, squared, false)).isEqualTo(new FitValidator.Admission(given,
                List.of()));
        FitRequest lbfgs = Http.JSON.readValue("{\"datasetId\":\"d\",\"solver\":{\"type\":\"lbfgs\"}}", FitRequest.class)
                .withDefaults();
        assertThat(small.checkAgainstData(lbfgs, 1000, 10, 1, squared, false)).isEqualTo(new FitValidator.Admission(lbfgs,
                List.of()));
        // the validation rows are not trained on: 1,250 rows with a fifth held out are the 1,000 above
        FitRequest held = Http.JSON.readValue("{\"datasetId\":\"d\",\"regularization\":{\"lambda\":0.01},"
                + "\"validationFraction\":0.2}", FitRequest.class).withDefaults();
        assertThat(small.checkAgainstData(held, 1250, 10, 1, squared, false).warnings()).singleElement().asString()
                .contains(" 38 MiB for 1000 rows");

        // beyond WidthFreeSolver.WIDE_MAX_ROWS there is no 384-neuron run: the warning names the convex phase alone
        FitValidator.Admission many = validator(DataSize.ofMegabytes(100)).checkAgainstData(auto, 20_000, 10, 1, squared,
                false);
        assertThat(many.request().architecture().hiddenLayers()).containsExactly(64);
        assertThat(many.warnings()).singleElement().asString().contains("could go on beyond it by adding neurons")
                .doesNotContain("384");

        // beyond SparseFit.AUTO_WIDTH_FREE_MAX_ROWS auto keeps its width: stored as it came, unless the rows the
        // preparation may leave out (200 empty targets of 30,100) bring the fit below it, where the core widens it
        FitValidator roomier = validator(DataSize.ofMegabytes(200));
        assertThat(roomier.checkAgainstData(auto, 30_100, 10, 1, squared, false, 0).request()).isSameAs(auto);
        FitValidator.Admission dropping = roomier.checkAgainstData(auto, 30_100, 10, 1, squared, false, 200);
        assertThat(dropping.request().architecture().hiddenLayers()).containsExactly(64);
        assertThat(dropping.warnings()).singleElement().asString().contains("for 30000 rows"); // the most it widens at

        // beyond the limit at its starting width too: refused as before
        FitValidator tight = validator(DataSize.ofMegabytes(2));
        ApiException refused = catchThrowableOfType(ApiException.class, () -> tight.checkAgainstData(auto, 1000, 10, 1, squared,
                false));
        assertThat(refused.status().value()).isEqualTo(413);
    }

    /**
     * Two inputs, one output: {@code auto} is {@code convex} up to {@link SparseFit#AUTO_CONVEX_MAX_ROWS_2D} rows and a
     * widening {@code lbfgs} above, up to {@link SparseFit#AUTO_WIDTH_FREE_MAX_ROWS}; the rows with empty cells the
     * preparation may leave out can put the fit on either side. The core's own rule ({@link SparseFit#resolve},
     * {@link SparseFit#widenedLbfgsWidth}) at counts inside the range is the reference.
     */
    @Test
    void aTwoInputFitWhoseDroppedRowsMayCrossTheConvexSwitchIsPricedAtItsWidestCase() {
        FitRequest auto = Http.JSON.readValue("{\"datasetId\":\"d\",\"regularization\":{\"lambda\":0.01}}", FitRequest.class)
                .withDefaults();
        Loss squared = Loss.squared();
        FitSettings settings = FitValidator.settings(auto);
        SolverCapabilities.Demand twoInputs = new SolverCapabilities.Demand(squared, false, settings.regularization(),
                settings.lambda(), true, false, 2, 1, 0);
        FitValidator roomier = validator(DataSize.ofMegabytes(200));

        // 30,100 rows of which up to 20,200 may be left out: the fit keeps 9,900 to 30,100, and at 20,000 kept it widens
        // (beyond the limit), so it is capped; priced at 30,000 rows, the most at which it widens
        assertThat(SparseFit.widenedLbfgsWidth(settings, twoInputs, 20_000)).isPositive();
        assertThat(FitValidator.widenedWorkingSetBytes(20_000, 2, 1, 64, SparseFit.widenedLbfgsWidth(settings, twoInputs, 20_000)))
                .isGreaterThan(200L << 20);
        FitValidator.Admission across = roomier.checkAgainstData(auto, 30_100, 2, 1, squared, false, 20_200);
        assertThat(across.request().architecture().hiddenLayers()).containsExactly(64);
        assertThat(across.warnings()).singleElement().asString().contains("by adding neurons").contains("for 30000 rows");

        // 10,100 rows of which up to 200 may be left out: above 10^4 kept it widens (capped), at 9,900 it is convex,
        // whose neurons the cap does not limit, and the warning says so
        assertThat(SparseFit.resolve(SolverType.AUTO, twoInputs, 9_900)).isEqualTo(SolverType.CONVEX);
        assertThat(SparseFit.resolve(SolverType.AUTO, twoInputs, 10_100)).isEqualTo(SolverType.LBFGS);
        FitValidator.Admission near = roomier.checkAgainstData(auto, 10_100, 2, 1, squared, false, 200);
        assertThat(near.request().architecture().hiddenLayers()).containsExactly(64);
        assertThat(near.warnings()).singleElement().asString().contains("for 10100 rows")
                .contains("as few as 9900 rows, where auto is convex");
        // nothing to leave out: the cap as before, without that sentence
        assertThat(roomier.checkAgainstData(auto, 10_100, 2, 1, squared, false, 0).warnings()).singleElement().asString()
                .contains("for 10100 rows").doesNotContain("convex");
        // all below the switch: convex whatever is left out, stored as it came
        assertThat(roomier.checkAgainstData(auto, 9_900, 2, 1, squared, false, 200).request()).isSameAs(auto);
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
