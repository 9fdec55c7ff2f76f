package io.sparsefit.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The must-show of issue 22: a table whose column b is ~1e4 times larger than column a, fitted with
 * preprocessing.standardize = true, predicts (to 1e-9) what a fit of the same table standardized here by hand
 * (population mean and standard deviation, written out below) predicts when its inputs are mapped by hand; and the
 * standardized model's neurons + skip, evaluated here in the original units, reproduce its predict.
 */
class StandardizationTest extends ServiceTestBase {

    private static final int N = 60;

    @Test
    void standardizedFitIsTheFitOfTheStandardizedTableMappedBackExactly() {
        double[][] x = new double[N][2];
        double[] y = new double[N];
        SplittableRandom random = new SplittableRandom(5);
        StringBuilder csv = new StringBuilder("a,b,y\n");
        for (int i = 0; i < N; i++) {
            x[i][0] = random.nextDouble();                // ~1
            x[i][1] = 10_000 * (2 + random.nextDouble()); // ~1e4 and far from zero
            y[i] = Math.abs(x[i][0] - 0.5) + Math.max(0, x[i][1] / 10_000 - 2.5) + 0.1 * Math.sin(7 * i);
            csv.append(x[i][0]).append(',').append(x[i][1]).append(',').append(y[i]).append('\n');
        }
        Http.Answer up = http.send("POST", "/v1/datasets?target=y&name=scales", "text/csv", csv.toString(), Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        String raw = up.json().get("id").asString();
        assertThat(up.json().get("columns").toString()).isEqualTo("[\"a\",\"b\"]");

        // By hand: population mean and standard deviation per column, then z = (x - mean) / sd.
        double[] mean = new double[2];
        double[] sd = new double[2];
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < N; i++) {
                mean[j] += x[i][j];
            }
            mean[j] /= N;
            for (int i = 0; i < N; i++) {
                sd[j] += (x[i][j] - mean[j]) * (x[i][j] - mean[j]);
            }
            sd[j] = Math.sqrt(sd[j] / N);
        }
        double[][] z = new double[N][2];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 2; j++) {
                z[i][j] = (x[i][j] - mean[j]) / sd[j];
            }
        }
        JsonNode zUp = http.postJson("/v1/datasets", Map.of("x", z, "y", y, "columns", java.util.List.of("a", "b"))).json();
        String standardizedByHand = zUp.get("id").asString();

        String settings = "\"architecture\":{\"hiddenLayers\":[8]},\"regularization\":{\"lambda\":0.01},"
                + "\"solver\":{\"type\":\"lbfgs\",\"maxIter\":400},\"seed\":3";
        JsonNode fitStd = http.succeededFit("{\"datasetId\":\"" + raw + "\"," + settings + ",\"preprocessing\":{\"standardize\":true}}");
        JsonNode fitHand = http.succeededFit("{\"datasetId\":\"" + standardizedByHand + "\"," + settings + "}");
        JsonNode fitRaw = http.succeededFit("{\"datasetId\":\"" + raw + "\"," + settings + "}");
        assertThat(fitStd.get("warnings").size()).isZero();
        assertThat(fitRaw.get("warnings").get(0).asString()).contains("standardize");
        assertThat(fitStd.get("request").get("preprocessing").get("standardize").asBoolean()).isTrue();
        assertThat(fitRaw.get("request").get("preprocessing").toString()).isEqualTo("{\"standardize\":false,\"missing\":\"error\"}");

        String stdModel = fitStd.get("modelId").asString();
        String handModel = fitHand.get("modelId").asString();
        // New points, in the original units and mapped by hand.
        double[][] probe = new double[25][2];
        double[][] probeZ = new double[25][2];
        for (int i = 0; i < probe.length; i++) {
            probe[i][0] = -0.2 + 1.4 * random.nextDouble();
            probe[i][1] = 10_000 * (1.8 + 1.4 * random.nextDouble());
            for (int j = 0; j < 2; j++) {
                probeZ[i][j] = (probe[i][j] - mean[j]) / sd[j];
            }
        }
        JsonNode fromStd = http.postJson("/v1/models/" + stdModel + "/predict", Map.of("x", probe)).json().get("y");
        JsonNode fromHand = http.postJson("/v1/models/" + handModel + "/predict", Map.of("x", probeZ)).json().get("y");
        for (int i = 0; i < probe.length; i++) {
            double expected = fromHand.get(i).get(0).asDouble();
            assertThat(fromStd.get(i).get(0).asDouble()).as("row %d", i).isCloseTo(expected, within(1e-9 * (1 + Math.abs(expected))));
        }

        // The standardized model's neurons and skip are in the original units: evaluate them here.
        JsonNode model = http.get("/v1/models/" + stdModel).json();
        assertThat(model.get("columns").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(model.get("preprocessing").get("standardize").asBoolean()).isTrue();
        assertThat(model.get("preprocessing").get("scale").get(1).asDouble()).isCloseTo(sd[1], within(1e-9 * sd[1]));
        assertThat(model.get("neurons").size()).isPositive();
        for (int i = 0; i < probe.length; i++) {
            double f = model.get("skip").get("bias").get(0).asDouble();
            for (int j = 0; j < 2; j++) {
                f += model.get("skip").get("weights").get(0).get(j).asDouble() * probe[i][j];
            }
            for (JsonNode n : model.get("neurons")) {
                double pre = n.get("w").get(0).asDouble() * probe[i][0] + n.get("w").get(1).asDouble() * probe[i][1] - n.get("b").asDouble();
                f += n.get("v").get(0).asDouble() * Math.max(0, pre);
            }
            double predicted = fromStd.get(i).get(0).asDouble();
            assertThat(f).as("neurons + skip at row %d", i).isCloseTo(predicted, within(1e-9 * (1 + Math.abs(predicted))));
        }

        // The diagnostics say in which units the penalty terms are; the metrics are those of the stored model.
        JsonNode diagnostics = http.get("/v1/models/" + stdModel + "/diagnostics").json();
        assertThat(diagnostics.get("inputUnits").asString()).isEqualTo("standardized");
        assertThat(http.get("/v1/models/" + fitRaw.get("modelId").asString() + "/diagnostics").json().get("inputUnits").asString())
                .isEqualTo("original");
        assertThat(diagnostics.get("objective").asDouble())
                .isCloseTo(http.get("/v1/models/" + handModel + "/diagnostics").json().get("objective").asDouble(), within(1e-9));
    }
}
