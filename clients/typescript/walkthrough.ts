// The README walkthrough through the generated TypeScript client (openapi-generator, typescript-fetch), used
// exactly as generated: CSV upload, a fit with the exact solver, the event stream, polling, the model, its
// diagnostics, prediction checked against the model's own layers, the plots, the ONNX export and a typed 404.
// .ci/clients generates the client into target/clients/typescript, compiles this file with it (tsc) and runs it
// on Node 20 (global fetch):  node target/clients/ts-build/clients/typescript/walkthrough.js [BASE_URL]
import {
    Configuration, DatasetsApi, FitsApi, Fit, Model, ModelsApi, ProblemFromJSON, ResponseError,
} from "../../target/clients/typescript";

declare const process: { argv: string[]; exit(code: number): never };

const BASE = process.argv[2] ?? "http://localhost:8080";
const DATA = "x,y\n0,0.1\n1,0.9\n2,2.1\n3,2.9\n4,4.2\n5,3.1\n6,1.9\n7,1.2\n8,0.1\n9,-0.8\n";

function check(condition: unknown, message: string): void {
    if (!condition) {
        throw new Error("typescript client walkthrough: FAILED: " + message);
    }
}

/** f(x) from the model's layers + skip: h = act(W h + bias), then + C x + c0. */
function evaluate(model: Model, x: number[]): number[] {
    let h = x.slice();
    for (const layer of model.layers) {
        h = layer.weights.map((row, i) => row.reduce((s, w, j) => s + w * h[j], 0) + layer.bias[i]);
        if (layer.activation === "relu") {
            h = h.map(v => Math.max(0, v));
        }
    }
    return h.map((v, o) => v + model.skip.weights[o].reduce((s, c, j) => s + c * x[j], 0) + model.skip.bias[o]);
}

async function main(): Promise<void> {
    const config = new Configuration({ basePath: BASE });
    const datasets = new DatasetsApi(config), fits = new FitsApi(config), models = new ModelsApi(config);

    const dataset = await datasets.uploadDatasetCsv({ body: DATA, target: "y", name: "hat" });
    check(dataset.rows === 10 && dataset.inputDim === 1 && dataset.outputDim === 1, `dataset ${JSON.stringify(dataset)}`);
    console.log(`dataset ${dataset.id}: ${dataset.rows} rows`);

    let fit: Fit = await fits.createFit({ fitRequest: {
        datasetId: dataset.id, regularization: { type: "weight_decay", lambda: 0.5 }, solver: { type: "exact" } } });
    check(fit.request.solver?.type === "exact" && fit.request.seed === 0, `defaults filled in: ${JSON.stringify(fit.request)}`);

    // The event stream (the client returns it whole once the fit has finished), then the same fit by polling.
    const stream = await fits.streamFitEvents({ id: fit.id });
    const events = stream.split("\n\n").filter(block => block.trim() !== "");
    check(events.some(block => block.startsWith("event:state")), `a final state event in ${stream.slice(0, 300)}`);
    const last = events[events.length - 1].split("\n").filter(l => l.startsWith("data:")).map(l => l.slice(5)).join("");
    check(JSON.parse(last).state === "SUCCEEDED", `the stream's last event: ${last}`);
    for (let i = 0; i < 120 && (fit.state === "QUEUED" || fit.state === "RUNNING"); i++) {
        await new Promise(resolve => setTimeout(resolve, 500));
        fit = await fits.getFit({ id: fit.id });
    }
    fit = await fits.getFit({ id: fit.id });
    check(fit.state === "SUCCEEDED" && fit.modelId, `fit ${fit.id} ended ${fit.state}: ${JSON.stringify(fit.error)}`);
    console.log(`fit ${fit.id}: ${fit.state}, ${events.length} events`);

    const model = await models.getModel({ id: fit.modelId! });
    check(model.knots.length >= 1, "knots");
    const diagnostics = await models.getModelDiagnostics({ id: model.id });
    const certificate = diagnostics.certificate;
    check(certificate !== null && certificate.exact, `certificate ${JSON.stringify(certificate)}`);
    check(certificate!.gap <= 1e-6 * Math.max(1, Math.abs(diagnostics.objective)), "duality gap closed");
    console.log(`model ${model.id}: ${model.knots.length} knots, objective ${diagnostics.objective}, gap ${certificate!.gap}`);

    const xs = [0.5, 4.5, 9.0];
    const predicted = await models.predict({ id: model.id, predictRequest: { x: xs.map(x => [x]) } });
    check(predicted.y.length === 3, `predict ${JSON.stringify(predicted)}`);
    xs.forEach((x, i) => {
        const expected = evaluate(model, [x])[0];
        check(Math.abs(predicted.y[i][0] - expected) <= 1e-9 * Math.max(1, Math.abs(expected)),
            `f(${x}) = ${predicted.y[i][0]}, layers + skip give ${expected}`);
    });

    const plot = await models.getModelPlot({ id: model.id });
    check(plot.includes("<svg"), "plot.svg is SVG");
    const loss = await fits.getFitLossPlot({ id: fit.id });
    check(loss.includes("<svg"), "loss.svg is SVG");
    const onnx = await models.exportModel({ id: model.id, format: "onnx" });
    check(onnx.size > 100, `ONNX blob of ${onnx.size} bytes`);
    // Page through the listing (oldest first; the service may hold other models, e.g. a path's) by nextCursor.
    let listed = false;
    let cursor: string | undefined = undefined;
    for (let pages = 0; !listed && pages < 100; pages++) {
        const page = await models.listModels(cursor ? { limit: 10, cursor } : { limit: 10 });
        listed = page.items.some(m => m.id === model.id);
        cursor = page.nextCursor ?? undefined;
        if (!cursor) {
            break;
        }
    }
    check(listed, "the model is listed");

    try {
        await models.getModel({ id: "nope" });
        check(false, "a 404 for an unknown model");
    } catch (e) {
        check(e instanceof ResponseError, `a ResponseError, not ${e}`);
        const problem = ProblemFromJSON(await (e as ResponseError).response.json());
        check((e as ResponseError).response.status === 404 && problem.status === 404 && problem.title,
            `typed 404 problem: ${JSON.stringify(problem)}`);
    }
    console.log(`typescript client walkthrough: OK (plot ${plot.length} chars, ONNX ${onnx.size} bytes)`);
}

main().catch(e => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
