// The page at /: upload data, submit a fit, follow it over Server-Sent Events, show the result.
// Plain browser JavaScript talking to the same /v1 API as every other client; no build step.
'use strict';

const $ = (id) => document.getElementById(id);

// One sentence per diagnostic, in the order shown (docs/diagnostics.md has the longer version).
const EXPLAIN = [
  ['objective', 'The number the fit minimizes: data fit + penalty. Compare it only between fits of the same data and λ.'],
  ['dataFit', 'Half the sum of squared errors on the training rows (a sum, not a mean).'],
  ['penalty', 'λ times the regularizer the fit was trained with.'],
  ['pathNorm', 'Σ ‖v‖‖w‖ over the neurons; in one input it is the total absolute change of slope of the spline.'],
  ['activeNeurons', 'Neurons that contribute; the sparser, the simpler the function.'],
  ['representerBound', 'N − (d + 1): theory guarantees an optimal network with at most this many neurons.'],
  ['knotCount', 'Breakpoints of the spline (one input only): few knots, at or between data points.'],
  ['balanceError', 'How far each neuron is from ‖v‖ = ‖w‖, which holds at every weight-decay minimizer (≈ 0 after finishing).'],
  ['certificate.gap', 'Objective minus a lower bound on the best objective any network can reach: ≈ 0 proves the global optimum.'],
  ['certificate.exact', 'Whether the lower bound is rigorous (exact dual pricing) or estimated by sampling directions.'],
  ['trainMse', 'Mean squared error on the training rows.'],
  ['validationMse', 'The same on held-out rows (only when a validation fraction was asked for).'],
  ['solver', 'The solver that ran (auto resolved).'],
  ['iterations', 'Solver iterations.'],
  ['stopReason', 'Why the solver stopped: CONVERGED, MAX_ITERATIONS, CANCELLED or DIVERGED.'],
  ['runtimeMs', 'Milliseconds to solve, finish (polish, prune, merge) and diagnose.'],
];

let events = null;
const trace = [];   // [iteration, objective] seen while the fit runs
const gaps = [];    // [iteration, duality gap] seen while the fit runs (the convex solver reports one every outer round)

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

async function submit(event) {
  event.preventDefault();
  show($('error'), false);
  show($('result'), false);
  if (events) { events.close(); }
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

    const request = {
      datasetId: dataset.id,
      architecture: { hiddenLayers: [parseInt($('width').value, 10)] },
      regularization: { type: $('penalty').value, lambda: parseFloat($('lambda').value) },
      solver: { type: $('solver').value, maxIter: parseInt($('max-iter').value, 10) },
    };
    const sub = await fetch('/v1/fits', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(request) });
    if (!sub.ok) { return fail('The fit was not accepted. ' + await problemText(sub)); }
    const fit = await sub.json();
    $('status').textContent = 'Fit ' + fit.id + ' on ' + dataset.rows + ' rows × ' + dataset.inputDim + ' inputs';
    follow(fit);
  } catch (e) {
    fail(e.message);
  }
}

function follow(fit) {
  trace.length = 0;
  gaps.length = 0;
  drawTraces();
  $('gap-text').textContent = '';
  $('gap-text').dataset.seen = '0';
  show($('progress-section'), true);
  progress(fit);
  events = new EventSource('/v1/fits/' + fit.id + '/events');
  events.addEventListener('progress', (e) => progress(JSON.parse(e.data)));
  events.addEventListener('state', (e) => {
    events.close();
    finished(JSON.parse(e.data));
  });
  events.onerror = () => {
    // The stream ends after the final event; anything else: fall back to one poll.
    if (events.readyState === EventSource.CLOSED) { return; }
    events.close();
    fetch('/v1/fits/' + fit.id).then((r) => r.json()).then((f) => (f.state === 'QUEUED' || f.state === 'RUNNING') ? follow(f) : finished(f));
  };
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
  const model = fit.modelId;
  $('status').textContent = 'Fit ' + fit.id + ' succeeded.';
  const r = await fetch('/v1/models/' + model + '/diagnostics');
  if (!r.ok) { return fail('Could not read the diagnostics. ' + await problemText(r)); }
  const d = await r.json();
  const m = await (await fetch('/v1/models/' + model)).json();
  $('model-plot').src = '/v1/models/' + model + '/plot.svg';
  $('loss-plot').src = '/v1/fits/' + fit.id + '/loss.svg';
  $('plot-caption').textContent = m.inputDim === 1
    ? 'Data (dots), the fitted spline (line) and its ' + d.knotCount + ' knots (squares, dashed lines).'
    : m.inputDim === 2
      ? 'The fitted function as a heat map with the training inputs; red lines are the neurons\' hyperplanes w · x = b.'
      : 'Predicted against observed on the training rows: points on the diagonal are fitted exactly.';
  const body = $('diagnostics').querySelector('tbody');
  body.textContent = '';
  for (const [key, sentence] of EXPLAIN) {
    const value = key.split('.').reduce((o, k) => (o == null ? o : o[k]), d);
    if (value === undefined || (value === null && key !== 'certificate.gap') || (key === 'knotCount' && m.inputDim !== 1)) { continue; }
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
  show($('result'), true);
}

function certificateSentence(d) {
  const c = d.certificate;
  if (c == null) {
    return 'No optimality certificate: it needs a penalty with λ > 0.';
  }
  const relative = c.gap / Math.max(Math.abs(d.objective), 1e-300);
  const bound = c.exact ? 'a rigorous lower bound' : 'a lower bound estimated by sampling directions';
  return 'Final certificate: duality gap ' + c.gap.toPrecision(3) + ' (' + relative.toPrecision(2) + ' of the objective) against '
    + bound + (relative <= 1e-6 ? ': the fit is the global optimum to within that gap.' : ': the fit may still be improved by that much at most.');
}

function format(v) {
  if (v === null) { return '—'; }
  if (typeof v === 'number' && !Number.isInteger(v)) { return v.toPrecision(6); }
  return String(v);
}

$('fit-form').addEventListener('submit', submit);
$('csv-file').addEventListener('change', () => { document.querySelector('input[value=file]').checked = true; });
