// The README walkthrough through the generated TypeScript client (openapi-generator, typescript-fetch), used
// exactly as generated: CSV upload, a fit with the exact solver, the event stream, polling, the model, its
// diagnostics, prediction checked against the model's own layers, the plots, the ONNX export and a typed 404; then a
// table with named columns, a text column and an empty cell, fitted standardized with a name and tags, its model in
// the original units, evaluated, predicted by column name, used to score the stored table (a batch scoring job, its
// predictions read back as JSON pages), and found again by tag.
// .ci/clients generates the client into target/clients/typescript, compiles this file with it (tsc) and runs it
// on Node 20 (global fetch):  node target/clients/ts-build/clients/typescript/walkthrough.js [BASE_URL]
import {
    Configuration, DatasetsApi, FitsApi, Fit, Model, ModelsApi, ProblemFromJSON, ResponseError, ScoringsApi,
} from "../../target/clients/typescript";

declare const process: { argv: string[]; exit(code: number): never };

const BASE = process.argv[2] ?? "http://localhost:8080";
const DATA = "x,y\n0,0.1\n1,0.9\n2,2.1\n3,2.9\n4,4.2\n5,3.1\n6,1.9\n7,1.2\n8,0.1\n9,-0.8\n";
// The README's table: size in square metres, age in years, a text column and one empty cell.
type Home = [number | null, string, number, number];
const HOMES: Home[] = [[40, "Oslo", 0, 4.0], [49, "Bergen", 7, 2.38], [null, "Oslo", 14, 4.86], [67, "Tromso", 21, 3.14],
    [76, "Bergen", 28, 3.52], [85, "Oslo", 5, 6.2], [94, "Tromso", 12, 4.58], [103, "Bergen", 19, 4.96],
    [112, "Oslo", 26, 7.34], [121, "Bergen", 3, 6.02], [130, "Tromso", 10, 6.4], [139, "Oslo", 17, 8.78]];

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
    await table(datasets, fits, models);
    console.log(`typescript client walkthrough: OK (plot ${plot.length} chars, ONNX ${onnx.size} bytes)`);
}

async function wait(fits: FitsApi, fit: Fit): Promise<Fit> {
    for (let i = 0; i < 240 && (fit.state === "QUEUED" || fit.state === "RUNNING"); i++) {
        await new Promise(resolve => setTimeout(resolve, 500));
        fit = await fits.getFit({ id: fit.id });
    }
    return fit;
}

/** The network's inputs for one complete table row: numeric columns as they are, `city=level` as 0/1. */
function featuresOf(row: Home, features: string[]): number[] {
    const values: Record<string, number> = { size: row[0]!, age: row[2] };
    return features.map(name => name.includes("=") ? (row[1] === name.split("=")[1] ? 1 : 0) : values[name]);
}

const close = (a: number, b: number, tol: number) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

/** Names, standardization, evaluate and the model list filter, as in the README walkthrough. */
async function table(datasets: DatasetsApi, fits: FitsApi, models: ModelsApi): Promise<void> {
    const csv = "size,city,age,price\n" + HOMES.map(row => row.map(v => v === null ? "" : String(v)).join(",") + "\n").join("");
    const homes = await datasets.uploadDatasetCsv({ body: csv, target: "price", name: "homes" });
    check(JSON.stringify(homes.columns) === JSON.stringify(["size", "city", "age"]) && homes.missingCells === 1,
        `named columns and the empty cell: ${JSON.stringify(homes)}`);
    const city = homes.inputs.find(c => c.name === "city");
    check(city?.kind === "categorical" && JSON.stringify(city.levels) === JSON.stringify(["Bergen", "Oslo", "Tromso"]),
        `city is categorical: ${JSON.stringify(city)}`);

    const tag = `client-walkthrough-${Date.now()}`;
    let fit = await fits.createFit({ fitRequest: {
        datasetId: homes.id, architecture: { hiddenLayers: [8] }, solver: { type: "lbfgs", maxIter: 500 },
        preprocessing: { standardize: true, missing: "impute_mean" }, name: "homes", tags: [tag, "walkthrough"] } });
    fit = await wait(fits, fit);
    check(fit.state === "SUCCEEDED" && fit.modelId, `table fit ${fit.id} ended ${fit.state}: ${JSON.stringify(fit.error)}`);
    check(fit.request.preprocessing?.standardize === true && fit.request.name === "homes", `request ${JSON.stringify(fit.request)}`);

    const model = await models.getModel({ id: fit.modelId! });
    check(model.name === "homes" && model.tags.includes(tag), `labels ${model.name} ${model.tags}`);
    // The standardization the service used: population mean and std of each numeric input (age: no empty cell).
    const ages = HOMES.map(row => row[2]);
    const mean = ages.reduce((s, a) => s + a, 0) / ages.length;
    const std = Math.sqrt(ages.reduce((s, a) => s + (a - mean) ** 2, 0) / ages.length);
    const j = model.features.indexOf("age");
    const pre = model.preprocessing;
    check(pre.standardize && close(pre.mean![j], mean, 1e-12) && close(pre.scale![j], std, 1e-12),
        `age standardized by ${mean}, ${std}: ${JSON.stringify(pre)}`);
    const diagnostics = await models.getModelDiagnostics({ id: model.id });
    check(diagnostics.inputUnits === "standardized", "objective and lambda in standardized units");

    // The model is in the original units: its layers + skip at raw inputs give the service's predictions.
    const complete = HOMES.filter(row => row[0] !== null);
    const x = complete.map(row => featuresOf(row, model.features));
    const predicted = (await models.predict({ id: model.id, predictRequest: { x } })).y.map(row => row[0]);
    x.forEach((xi, i) => {
        const expected = evaluate(model, xi)[0];
        check(close(predicted[i], expected, 1e-9), `f(${xi}) = ${predicted[i]}, layers + skip give ${expected}`);
    });

    // Evaluate on inline rows: the metrics of those predictions, computed here.
    const y = complete.map(row => row[3]);
    const scores = await models.evaluateModel({ id: model.id, evaluateRequest: { x, y: y.map(v => [v]) } });
    const mse = predicted.reduce((s, f, i) => s + (f - y[i]) ** 2, 0) / y.length;
    const mae = predicted.reduce((s, f, i) => s + Math.abs(f - y[i]), 0) / y.length;
    const ybar = y.reduce((s, v) => s + v, 0) / y.length;
    const r2 = 1 - mse * y.length / y.reduce((s, v) => s + (v - ybar) ** 2, 0);
    // a regression model's evaluation has the four per-output metrics (a classifier's has accuracy and logLoss instead)
    check(scores.mse != null && scores.rmse != null && scores.mae != null && scores.r2 != null,
        `evaluate of a regression model without its metrics: ${JSON.stringify(scores)}`);
    check(scores.rows === y.length && close(scores.mse![0], mse, 1e-9) && close(scores.rmse![0], Math.sqrt(mse), 1e-9)
        && close(scores.mae![0], mae, 1e-9) && close(scores.r2![0]!, r2, 1e-9),
        `evaluate ${JSON.stringify(scores)} against mse ${mse}, mae ${mae}, r2 ${r2}`);
    const stored = await models.evaluateModel({ id: model.id, evaluateRequest: { datasetId: homes.id } });
    check(stored.rows === HOMES.length && stored.rmse?.length === 1, `evaluate on the stored table: ${JSON.stringify(stored)}`);

    // JSON predict by column name (text levels, null for the empty cell, imputed) and a batch scoring of the stored
    // table: one prediction per row, in order, equal to predict of the same rows.
    const rows = HOMES.map(([size, city, age]) => ({ size, city, age }));
    const byName = (await models.predict({ id: model.id, predictRequest: { rows } })).y.map(row => row[0]);
    const completeByName = byName.filter((_, i) => HOMES[i][0] !== null);
    check(completeByName.every((v, i) => close(v, predicted[i], 1e-12)), `predict by name ${byName} against ${predicted}`);
    const scorings = new ScoringsApi(new Configuration({ basePath: BASE }));
    let scoring = await scorings.createScoring({ scoringRequest: { modelId: model.id, datasetId: homes.id } });
    for (let i = 0; i < 240 && (scoring.state === "QUEUED" || scoring.state === "RUNNING"); i++) {
        await new Promise(resolve => setTimeout(resolve, 500));
        scoring = await scorings.getScoring({ id: scoring.id });
    }
    check(scoring.state === "SUCCEEDED" && scoring.progress.rows === HOMES.length, `scoring ${JSON.stringify(scoring)}`);
    const page = await scorings.getScoringPredictions({ id: scoring.id, offset: 0, limit: 1000 });
    check(JSON.stringify(page.columns) === JSON.stringify(["price"]) && page.nextOffset == null && page.items.length === HOMES.length
        && page.items.every((p, i) => close(p[0], byName[i], 1e-12)),
        `scored rows ${JSON.stringify(page)} against predict by name ${byName}`);

    const found = await models.listModels({ tag, name: "homes", sort: "trainRmse" });
    check(found.items.length === 1 && found.items[0].id === model.id && found.items[0].trainRmse != null,
        `found by tag: ${JSON.stringify(found)}`);
    console.log(`table model ${model.id}: features ${model.features}, train RMSE ${found.items[0].trainRmse}, R^2 ${scores.r2![0]}`);
}

main().catch(e => { console.error(e instanceof Error ? e.message : e); process.exit(1); });
