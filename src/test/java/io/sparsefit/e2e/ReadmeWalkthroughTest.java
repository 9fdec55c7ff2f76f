package io.sparsefit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sparsefit.core.FitOutcome;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.diagnostics.DiagnosticsCalculator;
import io.sparsefit.core.penalty.PathNorm;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.CancellationToken;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.ProgressListener;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.support.Http;
import io.sparsefit.support.ReadmeWalkthrough;
import io.sparsefit.support.ServiceTestBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's walkthrough, run command by command over real HTTP, then checked against the core:
 * the exact 1-D fit's diagnostics equal the core's own fit of the same data, and /predict equals the
 * network evaluated here from the model's neurons + skip and from its layers + skip; the path's chosen
 * point is the core's own exact fit at its lambda.
 */
class ReadmeWalkthroughTest extends ServiceTestBase {

    @Test
    void walkthroughRunsAndAgreesWithTheCore() {
        List<ReadmeWalkthrough.Command> commands = ReadmeWalkthrough.commands(ReadmeWalkthrough.readme());
        ReadmeWalkthrough walk = new ReadmeWalkthrough(http);
        walk.run(commands);
        assertThat(walk.vars()).containsKeys("DATASET", "FIT", "MODEL");

        // The data, as the README uploads it.
        ReadmeWalkthrough.Exchange upload = walk.find("POST", "/v1/datasets?target=y&name=hat");
        assertThat(upload.answer().status()).isEqualTo(201);
        assertThat(upload.answer().header("Location")).isEqualTo("/v1/datasets/" + walk.vars().get("DATASET"));
        double[][] xy = parseCsv(upload.body());
        double[] x = xy[0];
        double[] y = xy[1];

        // The fit request as the README sends it, and its echo with the defaults filled in.
        JsonNode request = Http.JSON.readTree(walk.find("POST", "/v1/fits").body());
        double lambda = request.get("regularization").get("lambda").asDouble();
        assertThat(request.get("solver").get("type").asString()).isEqualTo("exact");
        JsonNode fit = http.get("/v1/fits/" + walk.vars().get("FIT")).json();
        assertThat(fit.get("state").asString()).isEqualTo("SUCCEEDED");
        JsonNode echo = fit.get("request");
        // no width given: none echoed (a starting width of 64 that auto may go beyond, not a cap)
        assertThat(echo.get("architecture").has("hiddenLayers")).isFalse();
        assertThat(echo.get("architecture").get("skip").asBoolean()).isTrue();
        assertThat(echo.get("solver").get("maxIter").asInt()).isEqualTo(20000);
        assertThat(echo.get("solver").get("tol").asDouble()).isEqualTo(1e-9);
        assertThat(echo.get("seed").asLong()).isZero();
        assertThat(echo.get("validationFraction").asDouble()).isZero();

        // The core's own fit of the same problem with the same settings.
        FitProblem problem = FitProblem.of1D(x, y);
        FitSettings settings = FitSettings.defaults(lambda).withSolver(SolverType.EXACT).withLogEvery(20);
        FitOutcome expected = SparseFit.fit(problem, settings, ProgressListener.NONE, CancellationToken.NEVER);
        JsonNode diagnostics = http.get("/v1/models/" + walk.vars().get("MODEL") + "/diagnostics").json();
        double objective = diagnostics.get("objective").asDouble();
        assertThat(objective).isCloseTo(expected.diagnostics().objective(), within(1e-12 * Math.abs(objective)));
        double recomputed = DiagnosticsCalculator.dataFit(expected.shallow(), problem) + lambda * PathNorm.of(expected.shallow());
        assertThat(objective).isCloseTo(recomputed, within(1e-9 * Math.abs(objective)));
        assertThat(diagnostics.get("dataFit").asDouble() + diagnostics.get("penalty").asDouble())
                .isCloseTo(objective, within(1e-12 * Math.abs(objective)));
        assertThat(diagnostics.get("regularization").asString()).isEqualTo("weight_decay");
        assertThat(diagnostics.get("lambda").asDouble()).isEqualTo(lambda);
        assertThat(diagnostics.get("representerBound").asInt()).isEqualTo(x.length - 2);
        assertThat(diagnostics.get("knotCount").asInt()).isEqualTo(expected.diagnostics().knotCount());
        assertThat(diagnostics.get("validationMse").isNull()).isTrue();
        for (String field : List.of("objective", "dataFit", "penalty", "pathNorm", "lambda", "regularization", "activeNeurons",
                "totalNeurons", "representerBound", "balanceError", "knotCount", "certificate", "trainMse", "validationMse",
                "iterations", "converged", "runtimeMs", "singularValues", "lossCurve")) {
            assertThat(diagnostics.has(field)).as("diagnostics has %s", field).isTrue();
        }

        // The model: knots as the core finds them; neurons + skip and layers + skip both give /predict.
        JsonNode model = http.get("/v1/models/" + walk.vars().get("MODEL")).json();
        assertThat(model.get("knots").size()).isEqualTo(expected.diagnostics().knots().size());
        for (int k = 0; k < model.get("knots").size(); k++) {
            assertThat(model.get("knots").get(k).get("x").asDouble()).isEqualTo(expected.diagnostics().knots().get(k).x());
        }
        ReadmeWalkthrough.Exchange predict = walk.find("POST", "/predict");
        JsonNode inputs = Http.JSON.readTree(predict.body()).get("x");
        JsonNode outputs = predict.answer().json().get("y");
        assertThat(outputs.size()).isEqualTo(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            double[] in = {inputs.get(i).get(0).asDouble()};
            double served = outputs.get(i).get(0).asDouble();
            double tol = 1e-12 * Math.max(1.0, Math.abs(served));
            assertThat(fromNeurons(model, in)[0]).isCloseTo(served, within(tol));
            assertThat(fromLayers(model, in)[0]).isCloseTo(served, within(tol));
        }

        // The event stream ends with the final state.
        ReadmeWalkthrough.Exchange events = walk.find("GET", "/events");
        assertThat(events.answer().contentType()).startsWith("text/event-stream");
        assertThat(events.answer().body()).contains("event:state").contains("\"state\":\"SUCCEEDED\"");

        // The path: lambda_max first with zero knots, the chosen point is the one-SE choice, and its model is
        // the core's own exact fit at that lambda (objective to 1e-9, prediction to 1e-9).
        JsonNode path = http.get("/v1/paths/" + walk.vars().get("LAMBDAS")).json();
        assertThat(path.get("state").asString()).as(path.toString()).isEqualTo("SUCCEEDED");
        JsonNode points = path.get("points");
        assertThat(points.size()).isEqualTo(8);
        assertThat(points.get(0).get("lambda").asDouble()).isEqualTo(path.get("lambdaMax").asDouble());
        assertThat(points.get(0).get("activeNeurons").asInt()).isZero();
        assertThat(path.get("chosen")).isEqualTo(path.get("oneSe"));
        assertThat(path.get("oneSe").get("lambda").asDouble()).isGreaterThanOrEqualTo(path.get("best").get("lambda").asDouble());
        JsonNode chosen = points.get(path.get("chosen").get("index").asInt());
        assertThat(chosen.get("modelId").asString()).isEqualTo(walk.vars().get("CHOSEN"));
        double chosenLambda = chosen.get("lambda").asDouble();
        FitOutcome atChosen = SparseFit.fit(problem, FitSettings.defaults(chosenLambda).withSolver(SolverType.EXACT).withLogEvery(20), ProgressListener.NONE, CancellationToken.NEVER);
        double chosenObjective = chosen.get("objective").asDouble();
        assertThat(chosenObjective).isCloseTo(atChosen.diagnostics().objective(), within(1e-9 * Math.abs(chosenObjective)));
        double servedAtChosen = walk.find("POST", "/v1/models/" + walk.vars().get("CHOSEN") + "/predict").answer().json()
                .get("y").get(0).get(0).asDouble();
        org.ejml.data.DMatrixRMaj at = atChosen.network().predict(new org.ejml.data.DMatrixRMaj(1, 1, true, 4.5),
                new org.ejml.data.DMatrixRMaj(1, 1));
        assertThat(servedAtChosen).isCloseTo(at.get(0, 0), within(1e-9 * Math.max(1.0, Math.abs(servedAtChosen))));

        // The deep fit: lbfgs, two ReLU layers each behind a linear layer, the output layer last; layers + skip give
        // /predict; each linear run is rebalanced, so its raw penalty is the nuclear norm of its product (A8).
        JsonNode deepModel = http.get("/v1/models/" + walk.vars().get("DEEP_MODEL")).json();
        assertThat(deepModel.get("layers").findValuesAsString("activation")).containsExactly("linear", "relu", "linear", "relu", "linear");
        ReadmeWalkthrough.Exchange deepPredict = walk.find("POST", "/v1/models/" + walk.vars().get("DEEP_MODEL") + "/predict");
        JsonNode deepInputs = Http.JSON.readTree(deepPredict.body()).get("x");
        for (int i = 0; i < deepInputs.size(); i++) {
            double served = deepPredict.answer().json().get("y").get(i).get(0).asDouble();
            assertThat(fromLayers(deepModel, new double[] {deepInputs.get(i).get(0).asDouble()})[0])
                    .isCloseTo(served, within(1e-12 * Math.max(1.0, Math.abs(served))));
        }
        JsonNode deepDiagnostics = http.get("/v1/models/" + walk.vars().get("DEEP_MODEL") + "/diagnostics").json();
        assertThat(deepDiagnostics.get("solver").asString()).isEqualTo("lbfgs");
        for (JsonNode run : deepDiagnostics.get("deep").get("linearRuns")) {
            double nuclear = run.get("schattenPenalty").asDouble();
            assertThat(run.get("rawPenalty").asDouble()).isCloseTo(nuclear, within(1e-6 * Math.max(1.0, nuclear)));
        }

        // The classifier: its classes, and the CSV answer's logits, probabilities (softmax, theory A2b) and label,
        // recomputed here from layers + skip.
        JsonNode classifier = http.get("/v1/models/" + walk.vars().get("CLASSIFIER")).json();
        assertThat(classifier.get("classes").toString()).isEqualTo("[\"setosa\",\"versicolor\",\"virginica\"]");
        ReadmeWalkthrough.Exchange classified = walk.find("POST", "/v1/models/" + walk.vars().get("CLASSIFIER") + "/predict");
        List<String> rows = classified.answer().body().lines().toList();
        assertThat(rows.get(0)).isEqualTo("logit_setosa,logit_versicolor,logit_virginica,probability_setosa,probability_versicolor,"
                + "probability_virginica,species");
        List<String> flowers = classified.body().lines().skip(1).toList();
        for (int i = 0; i < flowers.size(); i++) {
            String[] in = flowers.get(i).split(",");
            double[] f = fromLayers(classifier, new double[] {Double.parseDouble(in[0]), Double.parseDouble(in[1])});
            String[] out = rows.get(i + 1).split(",");
            double max = Math.max(f[0], Math.max(f[1], f[2]));
            double z = Math.exp(f[0] - max) + Math.exp(f[1] - max) + Math.exp(f[2] - max);
            int best = 0;
            for (int k = 0; k < 3; k++) {
                assertThat(Double.parseDouble(out[k])).isCloseTo(f[k], within(1e-12 * Math.max(1.0, Math.abs(f[k]))));
                assertThat(Double.parseDouble(out[3 + k])).isCloseTo(Math.exp(f[k] - max) / z, within(1e-12));
                best = f[k] > f[best] ? k : best;
            }
            assertThat(out[6]).isEqualTo(List.of("setosa", "versicolor", "virginica").get(best));
            assertThat(out[6]).isEqualTo(List.of("setosa", "versicolor", "virginica").get(i)); // the three inputs are typical of each
        }
    }

    /** f(x) = sum_k v_k relu(w_k . x - b_k) + skip.weights x + skip.bias, from the model's JSON. */
    static double[] fromNeurons(JsonNode model, double[] x) {
        int m = model.get("outputDim").asInt();
        double[] f = affine(model, x);
        for (JsonNode n : model.get("neurons")) {
            double z = -n.get("b").asDouble();
            for (int j = 0; j < x.length; j++) {
                z += n.get("w").get(j).asDouble() * x[j];
            }
            double a = Math.max(0, z);
            for (int o = 0; o < m; o++) {
                f[o] += n.get("v").get(o).asDouble() * a;
            }
        }
        return f;
    }

    /** h = act(W h + bias) layer by layer, then + skip.weights x + skip.bias. */
    static double[] fromLayers(JsonNode model, double[] x) {
        double[] h = x;
        for (JsonNode layer : model.get("layers")) {
            JsonNode w = layer.get("weights");
            double[] next = new double[w.size()];
            for (int r = 0; r < w.size(); r++) {
                double s = 0;
                for (int c = 0; c < h.length; c++) {
                    s += w.get(r).get(c).asDouble() * h[c];
                }
                s += layer.get("bias").get(r).asDouble();
                next[r] = layer.get("activation").asString().equals("relu") ? Math.max(0, s) : s;
            }
            h = next;
        }
        double[] affine = affine(model, x);
        for (int o = 0; o < h.length; o++) {
            h[o] += affine[o];
        }
        return h;
    }

    private static double[] affine(JsonNode model, double[] x) {
        JsonNode skip = model.get("skip");
        int m = model.get("outputDim").asInt();
        double[] f = new double[m];
        for (int o = 0; o < m; o++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
                s += skip.get("weights").get(o).get(j).asDouble() * x[j];
            }
            f[o] = s + skip.get("bias").get(o).asDouble();
        }
        return f;
    }

    /** Two-column CSV with a header: x, y. */
    static double[][] parseCsv(String csv) {
        List<double[]> rows = new ArrayList<>();
        String[] lines = csv.strip().split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            rows.add(new double[] {Double.parseDouble(cells[0]), Double.parseDouble(cells[1])});
        }
        double[] x = rows.stream().mapToDouble(r -> r[0]).toArray();
        double[] y = rows.stream().mapToDouble(r -> r[1]).toArray();
        return new double[][] {x, y};
    }
}
