// The page at /: upload data, submit a fit (or a regularization path that chooses λ), follow it over
// Server-Sent Events, show the result. Plain browser JavaScript talking to the same /v1 API as every
// other client; no build step, no library (the path chart is SVG built here, a classifier's plot in classes.js).
'use strict';

const $ = (id) => document.getElementById(id);

// One sentence per diagnostic, in the order shown (docs/diagnostics.md has the longer version).
const EXPLAIN = [
  ['loss', 'The loss of the data term (shown when it is not the squared loss).'],
  ['objective', 'The number the fit minimizes: data fit + penalty. Compare it only between fits of the same data and λ.'],
  ['dataFit', 'Half the sum of squared errors on the training rows (a sum, not a mean).'],
  ['penalty', 'λ times the regularizer the fit was trained with.'],
  ['pathNorm', 'Σ ‖v‖‖w‖ over the neurons; in one input it is the total absolute change of slope of the spline.'],
  ['activeNeurons', 'Neurons that contribute; the sparser, the simpler the function.'],
  ['representerBound', 'N − (d + 1): theory guarantees an optimal network with at most this many neurons.'],
  ['knotCount', 'Breakpoints of the spline (one input only): few knots, at or between data points.'],
  ['balanceError', 'How far each neuron is from ‖v‖ = ‖w‖, which holds at every weight-decay minimizer (≈ 0 after finishing).'],
  ['certificate.gap', 'Objective minus a lower bound on the best objective any network can reach: ≈ 0 proves the global optimum.'],
  ['certificate.exact', 'Whether the lower bound is rigorous (the dual norm proven: exact pricing, or bounded by branch and bound) or estimated by sampling directions.'],
  ['certificate.gapBound', 'A proven upper bound on the gap (equal to it when exact); beside a sampled gap it says how far the estimate can be trusted.'],
  ['trainMse', 'Mean squared error on the training rows.'],
  ['validationMse', 'The same on held-out rows (only when a validation fraction was asked for).'],
  ['trainAccuracy', 'Classifiers: the share of training rows whose most probable class is their own.'],
  ['trainLogLoss', 'Classifiers: the mean log loss −log p(own class) on the training rows; the bar to beat is always answering the class frequencies (log 2 ≈ 0.693 for two balanced classes).'],
  ['validationAccuracy', 'Classifiers: the accuracy on held-out rows (only when a validation fraction was asked for).'],
  ['validationLogLoss', 'Classifiers: the mean log loss on held-out rows.'],
  ['deep.activeUnits', 'Deep networks: units that contribute, per hidden layer.'],
  ['deep.linearRuns.effectiveRank', 'Deep networks: rank of the product of each run of linear layers (singular values above 0.001 of the largest); weight decay drives it low.'],
  ['deep.lastLayerCertificate.gap', 'Deep networks: duality gap of the last layer\'s convex problem with the earlier layers fixed (≈ 0: that layer is optimal).'],
  ['solver', 'The solver that ran (auto resolved).'],
  ['iterations', 'Solver iterations.'],
  ['stopReason', 'Why the solver stopped: CONVERGED, MAX_ITERATIONS, CANCELLED or DIVERGED.'],
  ['runtimeMs', 'Milliseconds to solve, finish (polish, prune, merge) and diagnose.'],
];

// What a classifier's diagnostics mean instead (its trainMse and validationMse repeat the log losses: not shown).
const CLASSIFIER_EXPLAIN = {
  dataFit: 'The loss summed over the training rows: for a classifier the log loss Σ −log p(own class) (a sum, not a mean).',
  trainMse: null,
  validationMse: null,
};

let events = null;
let currentDatasetId = null; // the dataset of the latest upload: the points of a classifier's plot when the model names none
const trace = [];   // [iteration, objective] seen while the fit runs
const gaps = [];    // [iteration, duality gap] seen while the fit runs (the convex solver reports one every outer round)
let shownModelRequest = 0; // counts showModel calls, so that only the latest one's answers are drawn
let currentPath = null;    // the finished path whose points the chart and the table let a person pick
let pathInputDim = 1;      // inputs of the path's dataset: one input counts knots, more count active neurons
const SVG_NS = 'http://www.w3.org/2000/svg';

function show(el, visible) { el.hidden = !visible; }

function fail(message) {
  $('error').textContent = message;
  show($('error'), true);
  $('status').textContent = '';
  $('submit').disabled = false;
}

async function problemText(response) {
  try {
    const p = await response.json();
    const fields = (p.errors || []).map((e) => e.field + ': ' + e.message).join('; ');
    return (p.title || response.status) + ': ' + (p.detail || '') + (fields && fields !== p.detail ? ' (' + fields + ')' : '');
  } catch (e) {
    return 'HTTP ' + response.status;
  }
}

async function csvText() {
  const source = document.querySelector('input[name=source]:checked').value;
  if (source === 'file') {
    const file = $('csv-file').files[0];
    if (!file) { throw new Error('Choose a CSV file first (or pick a bundled example).'); }
    return { name: file.name.replace(/\.csv$/i, ''), text: await file.text() };
  }
  const name = $('example').value;
  const r = await fetch('/examples/' + name);
  if (!r.ok) { throw new Error('Could not load the example ' + name); }
  return { name: name.replace(/\.csv$/, ''), text: await r.text() };
}

// What a CSV holds besides numbers: text cells (a categorical input) and empty cells (missing). Read here, before the
// upload, so that the page can offer the missing-cell policy (preprocessing.missing) with the fit's other settings.
// Text in the target column is not an input with levels but labels: returned apart (distinct, in order of appearance).
function tableTraits(text, targetName) {
  const lines = text.split(/\r?\n/);
  const header = lines[0].split(',').map((h) => h.trim().replace(/^"(.*)"$/, '$1'));
  const targetIndex = targetName ? header.indexOf(targetName) : header.length - 1;
  const rows = lines.slice(1).filter((line) => line.trim() !== '');
  let textCells = false;
  let emptyCells = false;
  const labels = new Set();
  for (const row of rows) {
    // A quoted cell with a comma only makes a text cell of its parts, which is still text.
    row.split(',').forEach((raw, j) => {
      const cell = raw.trim().replace(/^"(.*)"$/, '$1');
      if (cell === '') {
        emptyCells = true;
      } else if (!Number.isFinite(Number(cell))) {
        if (j === targetIndex) { labels.add(cell); } else { textCells = true; }
      }
    });
  }
  return { textCells, emptyCells, labels: [...labels] };
}

async function sourceChanged() {
  let traits = { textCells: false, emptyCells: false, labels: [] };
  try {
    traits = tableTraits((await csvText()).text, $('target').value.trim());
  } catch (e) {
    // No file chosen yet: nothing to offer.
  }
  const example = document.querySelector('input[name=source]:checked').value === 'example' ? $('example').selectedOptions[0] : null;
  suggestLoss(example, traits.labels);
  const named = [traits.textCells && 'text columns', traits.emptyCells && 'empty cells'].filter(Boolean);
  $('table-traits').textContent = named.join(' and ');
  show($('missing-choice'), named.length > 0);
}

// The preprocessing of a fit: standardization, and the missing-cell policy where the table has empty cells or text.
function preprocessing() {
  const p = { standardize: $('standardize').checked };
  if (!$('missing-choice').hidden) { p.missing = $('missing').value; }
  return p;
}

// ", 2 classes: a, b" for a dataset whose target holds labels.
function classesNote(dataset) {
  return dataset.classes ? ', ' + dataset.classes.length + ' classes: ' + dataset.classes.join(', ') : '';
}

function lambdaMode() {
  return document.querySelector('input[name=lambda-mode]:checked').value;
}

// The label of the button and the cost hint follow the λ mode, so the person sees what submitting will do.
function lambdaModeChanged() {
  const path = lambdaMode() === 'path';
  $('submit').textContent = path ? 'Run the path' : 'Fit';
  show($('path-hint'), path);
}

function isClassificationLoss(type) { return type === 'logistic' || type === 'cross_entropy'; }

// FitRequest.loss (and a path's): delta only for huber.
function lossSpec() {
  const type = $('loss').value;
  return type === 'huber' ? { type, delta: parseFloat($('huber-delta').value) } : { type };
}

function lossChanged() {
  show($('huber-delta-choice'), $('loss').value === 'huber');
  show($('loss-hint'), false);
}

// Picks the loss the data asks for: a bundled example names its own; a table whose target column holds text labels
// gets logistic (two classes) or cross-entropy (more) in place of a regression loss, and the person is told.
function suggestLoss(example, labels) {
  let wanted = null;
  if (example) {
    wanted = example.dataset.loss || (isClassificationLoss($('loss').value) ? 'squared' : null);
  } else if (labels && labels.length > 1 && !isClassificationLoss($('loss').value)) {
    wanted = labels.length === 2 ? 'logistic' : 'cross_entropy';
  }
  if (wanted == null || wanted === $('loss').value) { return; }
  $('loss').value = wanted;
  lossChanged();
  if (labels && !example) {
    $('loss-hint').textContent = 'The target column holds ' + labels.length + ' labels (' + labels.slice(0, 5).join(', ')
      + (labels.length > 5 ? ', …' : '') + '): the loss is now ' + $('loss').selectedOptions[0].textContent + '.';
    show($('loss-hint'), true);
  }
}

// The network and solver settings, the same for a fit and for every point of a path.
function networkSettings() {
  const architecture = { linearLayers: parseInt($('linear-layers').value, 10) || 0 };
  const widths = $('width').value.trim();
  // Empty sends no width: the service starts at 64 neurons and auto may widen (README, fit request defaults);
  // given widths are a cap the fit keeps.
  // "32, 16" is two ReLU layers; the server checks the widths and answers 422 for bad ones.
  if (widths) { architecture.hiddenLayers = widths.split(',').map((w) => parseInt(w.trim(), 10)); }
  return { architecture, solver: { type: $('solver').value, maxIter: parseInt($('max-iter').value, 10) } };
}

async function submit(event) {
  event.preventDefault();
  show($('error'), false);
  show($('result'), false);
  show($('path-section'), false);
  currentPath = null;
  showWarnings([]);
  if (events) { events.close(); }
  if (lambdaMode() === 'path' && $('penalty').value === 'none') {
    // Checked here rather than after the upload: the server would refuse it too, in less plain words.
    return fail('A path varies λ, the strength of the penalty, so it needs one: choose weight decay or path norm.');
  }
  $('submit').disabled = true;
  try {
    const csv = await csvText();
    const params = new URLSearchParams({ name: csv.name });
    const target = $('target').value.trim();
    if (target) { params.set('target', target); }
    $('status').textContent = 'Uploading…';
    const up = await fetch('/v1/datasets?' + params, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: csv.text });
    if (!up.ok) { return fail('Upload failed. ' + await problemText(up)); }
    const dataset = await up.json();
    currentDatasetId = dataset.id;
    if (lambdaMode() === 'path') { return await submitPath(dataset); }

    const request = {
      datasetId: dataset.id,
      ...networkSettings(),
      regularization: { type: $('penalty').value, lambda: parseFloat($('lambda').value) },
      preprocessing: preprocessing(),
      loss: lossSpec(),
    };
    const sub = await fetch('/v1/fits', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
    if (!sub.ok) { return fail('The fit was not accepted. ' + await problemText(sub)); }
    const fit = await sub.json();
    $('status').textContent = 'Fit ' + fit.id + ' on ' + dataset.rows + ' rows × ' + dataset.inputDim + ' inputs' + classesNote(dataset);
    follow(fit);
  } catch (e) {
    fail(e.message);
  }
}

// Clears the objective and gap traces and shows the progress panel: a new job starts.
function resetProgress() {
  trace.length = 0;
  gaps.length = 0;
  drawTraces();
  $('gap-text').textContent = '';
  $('gap-text').dataset.seen = '0';
  show($('progress-section'), true);
}

// Follows a fit or a path (resource at `url`) over its event stream: onProgress per progress event, onFinal once with
// the final resource. The stream ends after the final event; on any other error, one poll decides: follow again while
// the job still runs, else it has finished.
function followJob(url, job, onProgress, onFinal) {
  onProgress(job);
  events = new EventSource(url + '/events');
  events.addEventListener('progress', (e) => onProgress(JSON.parse(e.data)));
  events.addEventListener('state', (e) => {
    events.close();
    onFinal(JSON.parse(e.data));
  });
  events.onerror = () => {
    if (events.readyState === EventSource.CLOSED) { return; }
    events.close();
    fetch(url).then((r) => r.json())
      .then((j) => (j.state === 'QUEUED' || j.state === 'RUNNING') ? followJob(url, j, onProgress, onFinal) : onFinal(j));
  };
}

function follow(fit) {
  resetProgress();
  followJob('/v1/fits/' + fit.id, fit, progress, finished);
}

function progress(fit) {
  const p = fit.progress;
  $('progress').value = p.fraction;
  const objective = p.objective == null ? '' : ', objective ' + p.objective.toPrecision(6);
  $('progress-text').textContent = fit.state + ': iteration ' + p.iteration + ' of ' + p.maxIter + objective;
  if (p.objective != null) {
    trace.push([p.iteration, p.objective]);
  }
  if (p.gap != null) {
    gaps.push([p.iteration, p.gap]);
    $('gap-text').textContent = 'Duality gap ' + p.gap.toPrecision(3) + ' (objective minus a lower bound on the optimum; '
      + 'it closes toward 0 as the solver approaches the global optimum).';
    $('gap-text').dataset.seen = String(gaps.length);
    $('gap-text').dataset.gap = String(p.gap);
  }
  drawTraces();
}

function drawTraces() {
  drawSeries($('objective-trace'), trace, 'objective (log scale) so far', '#1f77b4');
  drawSeries($('gap-trace'), gaps, 'duality gap (log scale) so far: closing toward 0', '#d62728');
}

function drawSeries(canvas, series, label, color) {
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  canvas.hidden = series.length < 2;
  if (series.length < 2) { return; }
  const xs = series.map((t) => t[0]);
  const ys = series.map((t) => Math.log10(Math.max(t[1], 1e-300)));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  g.strokeStyle = color;
  g.lineWidth = 2;
  g.beginPath();
  series.forEach((t, i) => {
    const px = 10 + (canvas.width - 20) * (xs[i] - x0) / Math.max(1, x1 - x0);
    const py = canvas.height - 10 - (canvas.height - 20) * (ys[i] - y0) / Math.max(1e-12, y1 - y0);
    if (i === 0) { g.moveTo(px, py); } else { g.lineTo(px, py); }
  });
  g.stroke();
  g.fillStyle = '#555';
  g.fillText(label, 12, 14);
}

async function finished(fit) {
  progress(fit);
  $('submit').disabled = false;
  if (fit.state !== 'SUCCEEDED') {
    return fail('The fit ended ' + fit.state + (fit.error ? ': ' + fit.error.detail : '.'));
  }
  $('status').textContent = 'Fit ' + fit.id + ' succeeded.';
  show($('shown-model'), false);
  showWarnings(fit.warnings || []);
  return showModel(fit.modelId, fit.id);
}

// The fit's warnings (e.g. input scales far apart without standardization), one item each.
function showWarnings(warnings) {
  const list = $('fit-warnings');
  list.textContent = '';
  for (const w of warnings) {
    const li = document.createElement('li');
    li.textContent = w;
    list.appendChild(li);
  }
  show(list, warnings.length > 0);
}

// Shows one model: its plot, the diagnostics in sentences and the downloads. fitId names the fit whose
// training curve goes beside the plot; a path point has none (its model was refit inside the path job).
async function showModel(model, fitId) {
  const request = ++shownModelRequest;
  const r = await fetch('/v1/models/' + model + '/diagnostics');
  if (!r.ok) { return fail('Could not read the diagnostics. ' + await problemText(r)); }
  const d = await r.json();
  const m = await (await fetch('/v1/models/' + model)).json();
  let classPlot = null;
  if (hasClassificationView(m)) {
    try {
      classPlot = await classificationPlot(m, (m.provenance && m.provenance.datasetId) || currentDatasetId);
    } catch (e) {
      return fail(e.message);
    }
  }
  // A person clicking through path points can ask for another model before this one's answers arrive.
  if (request !== shownModelRequest) { return; }
  // A classifier of one or two inputs is drawn here (classes.js); every other model by the service (plot.svg).
  show($('model-plot'), classPlot == null);
  show($('class-plot'), classPlot != null);
  classView = classPlot && classPlot.view;
  if (classPlot) {
    $('model-plot').removeAttribute('src');
    $('class-plot').replaceChildren(classPlot.chart);
  } else {
    $('class-plot').textContent = '';
    $('model-plot').src = '/v1/models/' + model + '/plot.svg';
  }
  $('classes-text').textContent = m.classes ? classesSentence(m) : '';
  show($('classes-text'), m.classes != null);
  if (fitId) {
    $('loss-plot').src = '/v1/fits/' + fitId + '/loss.svg';
  } else {
    $('loss-plot').removeAttribute('src');
  }
  show($('loss-figure'), Boolean(fitId));
  const deep = d.deep != null;
  const second = m.classes && m.classes.length === 2 ? 'the probability of "' + m.classes[1] + '" (the second class)'
    : 'the most probable class (paler where its probability is lower)';
  $('plot-caption').textContent = classPlot && m.inputDim === 1
    ? 'The labelled points and the probability of ' + (m.classes.length === 2 ? '"' + m.classes[1] + '"' : 'each class')
      + ' along ' + m.columns[0] + ' from the service\'s predict; dashed lines are the neurons\' knots.'
    : classPlot
      ? 'A heat map of ' + second + ' from the service\'s predict, the training points coloured by class, and each '
        + 'neuron\'s line w · x = b.'
      : m.inputDim === 1 && deep
    ? 'Data (dots) and the fitted function of the deep network (line).'
    : m.inputDim === 2 && deep
      ? 'The fitted function of the deep network as a heat map with the training inputs.'
      : m.inputDim === 1
    ? 'Data (dots), the fitted spline (line) and its ' + d.knotCount + ' knots (squares, dashed lines).'
    : m.inputDim === 2
      ? 'The fitted function as a heat map with the training inputs; red lines are the neurons\' hyperplanes w · x = b.'
      : m.classes
        ? 'The network\'s outputs (logits) against the training targets (class indices), as the service plots them.'
        : 'Predicted against observed on the training rows: points on the diagonal are fitted exactly.';
  const body = $('diagnostics').querySelector('tbody');
  body.textContent = '';
  for (const [key, general] of EXPLAIN) {
    const sentence = m.classes && key in CLASSIFIER_EXPLAIN ? CLASSIFIER_EXPLAIN[key] : general;
    // A path through an array (deep.linearRuns.effectiveRank) collects the field of every element.
    const value = key.split('.').reduce((o, k) => (o == null ? o : Array.isArray(o) ? o.map((e) => e[k]) : o[k]), d);
    if (value === undefined || (value === null && key !== 'certificate.gap') || (key === 'knotCount' && m.inputDim !== 1)
        || (Array.isArray(value) && value.length === 0) || sentence === null || (key === 'loss' && value === 'squared')) { continue; }
    const tr = document.createElement('tr');
    tr.dataset.key = key;
    for (const [text, cls] of [[key, ''], [format(value), 'value'], [sentence, '']]) {
      const td = document.createElement('td');
      td.textContent = text;
      if (cls) { td.className = cls; }
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  $('certificate-text').textContent = certificateSentence(d);
  $('download-onnx').href = '/v1/models/' + model + '/export?format=onnx';
  $('download-json').href = '/v1/models/' + model + '/export?format=json';
  $('link-model').href = '/v1/models/' + model;
  $('result').dataset.modelId = model;
  show($('result'), true);
}

function certificateSentence(d) {
  const c = d.certificate;
  if (d.deep != null) {
    const last = d.deep.lastLayerCertificate;
    return last == null
      ? 'A deep network has no global certificate; the last-layer certificate needs weight decay with λ > 0.'
      : 'A deep network has no global certificate. With the earlier layers fixed, the last layer\'s convex problem has duality gap '
        + last.gap.toPrecision(3) + ': ' + (last.gap <= 1e-6 * Math.max(Math.abs(d.objective), 1e-300)
          ? 'that layer is optimal for the features it is given.' : 'that layer could still improve by that much.');
  }
  if (c == null) {
    return 'No optimality certificate: it needs a penalty with λ > 0.';
  }
  const relative = c.gap / Math.max(Math.abs(d.objective), 1e-300);
  if (!c.exact) {
    return 'Final certificate: duality gap ' + c.gap.toPrecision(3) + ' (' + relative.toPrecision(2) + ' of the objective) against '
      + 'a lower bound estimated by sampling directions, so it may understate how far the optimum is'
      + (c.gapBound == null ? '.' : '; proven: at most ' + c.gapBound.toPrecision(3) + '.');
  }
  return 'Final certificate: duality gap ' + c.gap.toPrecision(3) + ' (' + relative.toPrecision(2) + ' of the objective) against '
    + 'a rigorous lower bound' + (relative <= 1e-6 ? ': the fit is the global optimum to within that gap.' : ': the fit may still be improved by that much at most.');
}

function format(v) {
  if (v === null) { return '—'; }
  if (Array.isArray(v)) { return v.map(format).join(', '); }
  if (typeof v === 'number' && !Number.isInteger(v)) { return v.toPrecision(6); }
  return String(v);
}

// ---- Choosing λ by a regularization path (POST /v1/paths) ----

async function submitPath(dataset) {
  const request = {
    datasetId: dataset.id,
    ...networkSettings(),
    regularization: { type: $('penalty').value },
    preprocessing: preprocessing(), // as a fit's: standardization, the missing-cell policy
    loss: lossSpec(),
    grid: { count: parseInt($('path-count').value, 10) },
    validation: { folds: parseInt($('path-folds').value, 10) },
  };
  const sub = await fetch('/v1/paths', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
  if (!sub.ok) { return fail('The path was not accepted. ' + await problemText(sub)); }
  const path = await sub.json();
  pathInputDim = dataset.inputDim;
  $('status').textContent = 'Path ' + path.id + ' on ' + dataset.rows + ' rows × ' + dataset.inputDim + ' inputs' + classesNote(dataset);
  followPath(path);
}

function followPath(path) {
  // The objective and gap traces belong to one fit; a path reports points instead.
  resetProgress();
  $('path-section').dataset.pathId = path.id;
  followJob('/v1/paths/' + path.id, path, pathProgress, pathFinished);
}

function pathProgress(path) {
  const p = path.progress;
  $('progress').value = p.fraction;
  const last = path.points.length ? ', the last at λ = ' + path.points[path.points.length - 1].lambda.toPrecision(3) : '';
  $('progress-text').textContent = path.state + ': ' + p.points + ' of ' + p.totalPoints + ' points' + last;
  if (path.points.length > 0) {
    // The chart grows while the path runs; its points become clickable once it has finished.
    $('path-summary').textContent = pathSummary(path);
    drawPathChart(path, false);
    show($('path-section'), true);
  }
}

async function pathFinished(path) {
  pathProgress(path);
  $('submit').disabled = false;
  if (path.state !== 'SUCCEEDED' || !path.chosen) {
    return fail('The path ended ' + path.state + (path.error ? ': ' + path.error.detail : '.'));
  }
  currentPath = path;
  $('status').textContent = 'Path ' + path.id + ' succeeded.';
  $('path-summary').textContent = pathSummary(path);
  drawPathChart(path, true);
  $('path-explained').textContent = pathExplanation(path);
  const chosen = path.points[path.chosen.index];
  const rule = path.chosen.index === indexOf(path.oneSe) ? 'the one-standard-error rule' : 'the least validation error';
  $('path-chosen').textContent = 'Chosen λ = ' + path.chosen.lambda.toPrecision(4) + ' (' + rule + '): ' + complexity(chosen)
    + (chosen.validationMse ? ', validation ' + errorName(path) + ' ' + validationText(chosen.validationMse) : '') + '. Its model is shown below.';
  // The exact number, for anyone (or any test) comparing it with GET /v1/paths/{id}.
  $('path-chosen').dataset.lambda = String(path.chosen.lambda);
  fillPathTable(path);
  show($('path-section'), true);
  return showPathPoint(path.chosen.index);
}

// Shows the model of one point of the finished path, as a fit's model is shown, and marks it on the chart and table.
function showPathPoint(index) {
  const path = currentPath;
  const point = path.points[index];
  document.querySelectorAll('#path-chart .path-point').forEach((m) => m.classList.toggle('shown', Number(m.dataset.index) === index));
  document.querySelectorAll('#path-points tbody tr').forEach((tr) => tr.classList.toggle('shown', Number(tr.dataset.index) === index));
  const picked = pickedBy(path, index);
  $('shown-model').textContent = 'Showing point ' + (index + 1) + ' of ' + path.points.length + ', λ = ' + point.lambda.toPrecision(4)
    + (picked ? ' (' + picked + ')' : '') + ': ' + complexity(point) + '. Model ' + point.modelId + '.';
  show($('shown-model'), true);
  return showModel(point.modelId, null);
}

function indexOf(choice) { return choice == null ? -1 : choice.index; }

function pickedBy(path, index) {
  const names = [];
  if (index === indexOf(path.chosen)) { names.push('chosen'); }
  if (index === indexOf(path.best)) { names.push('best'); }
  if (index === indexOf(path.oneSe)) { names.push('one SE'); }
  return names.join(', ');
}

// The complexity a person compares along the path: knots in one input, active neurons otherwise.
function complexity(point) {
  return pathInputDim === 1 ? point.knotCount + (point.knotCount === 1 ? ' knot' : ' knots')
    : point.activeNeurons + (point.activeNeurons === 1 ? ' active neuron' : ' active neurons');
}

// What a path's errors are (its trainMse and validationMse fields): mean squared errors, or a classifier's mean log loss.
function errorName(path) {
  return path.request.loss && isClassificationLoss(path.request.loss.type) ? 'log loss' : 'MSE';
}

function validationText(v) {
  return v.mean.toPrecision(3) + ' ± ' + v.standardError.toPrecision(2);
}

function validatedOn(path) {
  const v = path.request.validation;
  return v.folds ? v.folds + ' folds' : 'a held-out fraction ' + v.fraction + ' of the rows';
}

function pathSummary(path) {
  const n = path.progress.totalPoints;
  const lowest = path.points[path.points.length - 1].lambda;
  const breakpoints = path.breakpoints && path.breakpoints.length
    ? '; the exact solution path changes its knots at ' + path.breakpoints.length + ' breakpoints' : '';
  return n + ' values of λ from λmax = ' + (path.lambdaMax == null ? '?' : path.lambdaMax.toPrecision(3))
    + ' (the straight-line fit) down to ' + lowest.toPrecision(3) + (path.points.length < n ? ' so far' : '')
    + ', each validated on ' + validatedOn(path) + ' and refit on all rows by the ' + path.solver + ' solver' + breakpoints + '.';
}

function pathExplanation(path) {
  const chose = path.request.choice === 'best' ? 'best (as the request asked)' : 'one SE (the default)';
  return 'Each dot is the mean validation error at one λ with bars of ±1 standard error; the squares are the error on '
    + 'the training rows, which keeps falling as λ shrinks while the validation error turns back up once the function '
    + 'follows the noise. best is the λ with the least validation error; one SE is the largest λ whose validation error '
    + 'is still within one standard error of best\'s (below the dotted line): a simpler function that is statistically '
    + 'as good. This path chose ' + chose + '. Click a dot, or a row of the table, to see that λ\'s model.';
}

function fillPathTable(path) {
  $('path-validation-heading').textContent = 'validation ' + errorName(path) + ' ± SE';
  $('path-training-heading').textContent = 'training ' + errorName(path);
  const body = $('path-points').querySelector('tbody');
  body.textContent = '';
  path.points.forEach((p, i) => {
    const tr = document.createElement('tr');
    tr.dataset.index = String(i);
    const cells = [String(i + 1), p.lambda.toPrecision(4), p.validationMse ? validationText(p.validationMse) : '—',
      p.trainMse.toPrecision(3), String(p.activeNeurons), pathInputDim === 1 ? String(p.knotCount) : '—', pickedBy(path, i)];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'show-point';
    button.textContent = 'show';
    button.addEventListener('click', () => showPathPoint(i));
    const td = document.createElement('td');
    td.appendChild(button);
    tr.appendChild(td);
    body.appendChild(tr);
  });
}

// ---- The path chart: inline SVG, validation error (mean ± 1 SE) and training error against λ on a log axis ----

function svg(tag, attributes, parent, text) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attributes)) { el.setAttribute(k, String(v)); }
  if (text != null) { el.textContent = text; }
  if (parent) { parent.appendChild(el); }
  return el;
}

// Round tick values about `count` apart on a linear axis (steps of 1, 2 or 5 times a power of ten).
function linearTicks(lo, hi, count) {
  const raw = (hi - lo) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) { ticks.push(Number(t.toPrecision(12))); }
  return ticks;
}

// Tick values on a log axis given in log10 units: the powers of ten, with 2 and 5 between them when the range is short.
function logTicks(lo, hi) {
  const multiples = hi - lo < 2 ? [1, 2, 5] : [1];
  const ticks = [];
  for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
    for (const m of multiples) {
      const t = Math.log10(m) + k;
      if (t >= lo - 1e-9 && t <= hi + 1e-9) { ticks.push(t); }
    }
  }
  return ticks;
}

function tickLabel(v) { return String(Number(v.toPrecision(3))); }

function drawPathChart(path, interactive) {
  const W = 720, H = 420;
  const left = 70, right = 20, top = 52, bottom = 86;
  const x0 = left, x1 = W - right, y0 = top, y1 = H - bottom;
  const points = path.points;
  const box = $('path-chart');
  box.textContent = '';
  const chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', class: interactive ? 'interactive' : '',
    'aria-label': 'Validation and training error against λ' }, box);

  // x: log10 λ, larger λ to the right as on any log axis; padded so that end markers are not cut.
  const logs = points.map((p) => Math.log10(p.lambda));
  let [lx0, lx1] = [Math.min(...logs), Math.max(...logs)];
  const xPad = lx1 > lx0 ? 0.04 * (lx1 - lx0) : 0.5;
  [lx0, lx1] = [lx0 - xPad, lx1 + xPad];
  const px = (lambda) => x0 + (x1 - x0) * (Math.log10(lambda) - lx0) / (lx1 - lx0);

  // y: mean squared error; a log scale once the errors span more than a factor of 10 (the straight-line fit at λmax
  // is often far worse than the rest), with a floor so that a training error of ≈ 0 does not stretch it.
  const values = [];
  for (const p of points) {
    values.push(p.trainMse);
    if (p.validationMse) { values.push(p.validationMse.mean + p.validationMse.standardError, p.validationMse.mean); }
  }
  const hi = Math.max(...values.filter(Number.isFinite), 1e-300);
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  const logY = positive.length > 0 && hi / Math.min(...positive) > 10;
  let py, yTicks;
  if (logY) {
    const ly1 = Math.log10(hi) + 0.05;
    const ly0 = Math.max(Math.log10(Math.min(...positive)), Math.log10(hi) - 4) - 0.05;
    py = (v) => y1 - (y1 - y0) * (Math.log10(Math.max(v, Math.pow(10, ly0))) - ly0) / (ly1 - ly0);
    yTicks = logTicks(ly0, ly1).map((t) => Math.pow(10, t));
  } else {
    py = (v) => y1 - (y1 - y0) * Math.max(v, 0) / (hi * 1.05);
    yTicks = linearTicks(0, hi * 1.05, 5);
  }

  // Grid, axes and their labels.
  const grid = svg('g', { class: 'grid', stroke: '#e6e6e6' }, chart);
  const labels = svg('g', { fill: '#444', 'font-size': 12 }, chart);
  for (const t of yTicks) {
    svg('line', { x1: x0, x2: x1, y1: py(t), y2: py(t) }, grid);
    svg('text', { x: x0 - 6, y: py(t) + 4, 'text-anchor': 'end' }, labels, tickLabel(t));
  }
  for (const t of logTicks(lx0, lx1)) {
    const x = x0 + (x1 - x0) * (t - lx0) / (lx1 - lx0);
    svg('line', { x1: x, x2: x, y1: y0, y2: y1 }, grid);
    svg('text', { x, y: y1 + 16, 'text-anchor': 'middle' }, labels, tickLabel(Math.pow(10, t)));
  }
  svg('rect', { x: x0, y: y0, width: x1 - x0, height: y1 - y0, fill: 'none', stroke: '#999' }, chart);
  svg('text', { x: (x0 + x1) / 2, y: y1 + 36, 'text-anchor': 'middle' }, labels,
    'λ (log scale): larger λ to the right, a simpler function with fewer ' + (pathInputDim === 1 ? 'knots' : 'neurons'));
  svg('text', { x: 16, y: (y0 + y1) / 2, 'text-anchor': 'middle', transform: 'rotate(-90 16 ' + (y0 + y1) / 2 + ')' }, labels,
    (errorName(path) === 'MSE' ? 'mean squared error' : 'mean log loss') + (logY ? ' (log scale)' : ''));
  // Along the top: each point's knots (or active neurons), the complexity that λ buys.
  svg('text', { x: x0 - 6, y: y0 - 8, 'text-anchor': 'end' }, labels, pathInputDim === 1 ? 'knots' : 'neurons');
  points.forEach((p) => svg('text', { x: px(p.lambda), y: y0 - 8, 'text-anchor': 'middle', 'font-size': 11 }, labels,
    String(pathInputDim === 1 ? p.knotCount : p.activeNeurons)));

  // best and oneSe: vertical lines, and the one-SE threshold (best's mean + 1 SE) the oneSe point stays under.
  const best = path.best, oneSe = path.oneSe;
  if (best && points[best.index].validationMse) {
    const v = points[best.index].validationMse;
    svg('line', { x1: x0, x2: x1, y1: py(v.mean + v.standardError), y2: py(v.mean + v.standardError), stroke: '#2ca02c',
      'stroke-dasharray': '2 3' }, chart);
    svg('text', { x: x1 - 4, y: py(v.mean + v.standardError) - 4, 'text-anchor': 'end', fill: '#2ca02c', 'font-size': 11 },
      chart, 'best + 1 SE');
  }
  const marks = [];
  if (best) { marks.push([best, best.index === indexOf(oneSe) ? 'best = one SE' : 'best', '#555']); }
  if (oneSe && oneSe.index !== indexOf(best)) { marks.push([oneSe, 'one SE', '#2ca02c']); }
  for (const [choice, name, color] of marks) {
    const x = px(choice.lambda);
    svg('line', { x1: x, x2: x, y1: y0, y2: y1, stroke: color, 'stroke-dasharray': '6 4', class: 'choice-line' }, chart);
    svg('text', { x: x + 4, y: y0 + 14, fill: color, 'font-size': 12, 'font-weight': 600 }, chart, name);
  }

  // Training error: grey squares on a line.
  const train = svg('g', { fill: '#888', stroke: '#888' }, chart);
  svg('polyline', { points: points.map((p) => px(p.lambda) + ',' + py(p.trainMse)).join(' '), fill: 'none' }, train);
  points.forEach((p) => svg('rect', { x: px(p.lambda) - 3, y: py(p.trainMse) - 3, width: 6, height: 6 }, train));

  // Validation error: a line, ±1 SE bars, and on top one clickable marker per point.
  const validated = points.filter((p) => p.validationMse);
  svg('polyline', { points: validated.map((p) => px(p.lambda) + ',' + py(p.validationMse.mean)).join(' '), fill: 'none',
    stroke: '#1f77b4', 'stroke-width': 1.5 }, chart);
  const bars = svg('g', { stroke: '#1f77b4' }, chart);
  for (const p of validated) {
    const x = px(p.lambda), v = p.validationMse;
    const [a, b] = [py(v.mean - v.standardError), py(v.mean + v.standardError)];
    svg('line', { x1: x, x2: x, y1: a, y2: b }, bars);
    svg('line', { x1: x - 4, x2: x + 4, y1: a, y2: a }, bars);
    svg('line', { x1: x - 4, x2: x + 4, y1: b, y2: b }, bars);
  }
  const chosenIndex = interactive ? indexOf(path.chosen) : -1;
  points.forEach((p, i) => {
    // A point without a validation error (none is expected from this page's requests) still gets its marker, on the training error.
    const y = p.validationMse ? py(p.validationMse.mean) : py(p.trainMse);
    const marker = svg('circle', { cx: px(p.lambda), cy: y, r: i === chosenIndex ? 7 : 5,
      fill: i === chosenIndex ? '#d62728' : '#1f77b4', stroke: '#fff', 'stroke-width': 1.5,
      class: 'path-point' + (i === chosenIndex ? ' chosen' : ''), 'data-index': i, 'data-lambda': p.lambda, 'data-model-id': p.modelId },
    chart);
    const picked = pickedBy(path, i);
    svg('title', {}, marker, 'λ = ' + p.lambda.toPrecision(4) + (picked ? ' (' + picked + ')' : '') + '\n'
      + (p.validationMse ? 'validation ' + errorName(path) + ' ' + validationText(p.validationMse) + '\n' : '')
      + 'training ' + errorName(path) + ' ' + p.trainMse.toPrecision(3) + '\n' + complexity(p));
    if (interactive) {
      marker.setAttribute('tabindex', '0');
      marker.setAttribute('role', 'button');
      marker.addEventListener('click', () => showPathPoint(i));
      marker.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); showPathPoint(i); }
      });
    }
  });

  // Legend under the axis label.
  const legend = svg('g', { 'font-size': 12, fill: '#444' }, chart);
  const ly = H - 22;
  let lx = x0;
  const item = (draw, text, width) => { draw(lx, ly); svg('text', { x: lx + 12, y: ly + 4 }, legend, text); lx += width; };
  item((x, y) => svg('circle', { cx: x, cy: y, r: 5, fill: '#1f77b4' }, legend), 'validation ' + errorName(path) + ' (mean ± 1 SE over ' + validatedOn(path) + ')', 290);
  item((x, y) => svg('rect', { x: x - 3, y: y - 3, width: 6, height: 6, fill: '#888' }, legend), 'training ' + errorName(path), 120);
  if (interactive) {
    item((x, y) => svg('circle', { cx: x, cy: y, r: 6, fill: '#d62728' }, legend), 'chosen', 75);
    item((x, y) => svg('circle', { cx: x, cy: y, r: 6, fill: 'none', stroke: '#ff7f0e', 'stroke-width': 3 }, legend), 'model shown below', 150);
  }
}

$('fit-form').addEventListener('submit', submit);
$('csv-file').addEventListener('change', () => {
  document.querySelector('input[value=file]').checked = true;
  sourceChanged();
});
$('example').addEventListener('change', sourceChanged);
$('target').addEventListener('change', sourceChanged); // which column holds the labels
$('loss').addEventListener('change', lossChanged);
document.querySelectorAll('input[name=source]').forEach((radio) => radio.addEventListener('change', sourceChanged));
document.querySelectorAll('input[name=lambda-mode]').forEach((radio) => radio.addEventListener('change', lambdaModeChanged));
// Typing into a mode's own field means that mode, as choosing a file means "your CSV file".
for (const [field, mode] of [['lambda', 'value'], ['path-count', 'path'], ['path-folds', 'path']]) {
  $(field).addEventListener('focus', () => {
    document.querySelector('input[name=lambda-mode][value=' + mode + ']').checked = true;
    lambdaModeChanged();
  });
}
lambdaModeChanged();
