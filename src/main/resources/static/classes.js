// The page's view of a classification model (a logistic or cross-entropy loss, theory A2b) of one or two numeric
// inputs. In 2-D: the probability of the second class as a heat map over the plot box (with more than two classes:
// the most probable class's colour, paler where its probability is lower), the training points coloured by class and
// each neuron's line w · x = b. In 1-D: the probability curve over the labelled points (at 0 and 1 on the y axis) and
// each neuron's knot x = b / w. The probabilities come from one POST /v1/models/{id}/predict with the grid's rows,
// so the page shows exactly what the service predicts. Inline SVG, drawn with app.js's svg() and linearTicks() like
// the path chart; no library.
'use strict';

const CLASS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const HEAT_CELLS = 60;     // grid cells per axis of the 2-D heat map: 3600 rows in one predict call
const CURVE_POINTS = 241;  // grid points of the 1-D probability curve
const HEAT_STRENGTH = 0.6; // fill opacity of a cell whose class is certain: the points stay readable on it

// What the shown classification plot was drawn from: the model, the grid rows sent to predict and the probabilities
// it answered (N x C, in the model's class order). Read by PageInBrowserTest to compare with the service.
let classView = null;

// [r, g, b] (0-255) of class k: a fixed palette, then hues spread by the golden angle.
function classRgb(k) {
  if (k < CLASS_COLORS.length) {
    const hex = CLASS_COLORS[k];
    return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  const h = (k * 137.508) % 360, s = 0.6, l = 0.45; // HSL to RGB
  const a = s * Math.min(l, 1 - l);
  const f = (n) => { const t = (n + h / 30) % 12; return Math.round(255 * (l - a * Math.max(-1, Math.min(t - 3, 9 - t, 1)))); };
  return [f(0), f(8), f(4)];
}

function classColor(k) { return 'rgb(' + classRgb(k).join(',') + ')'; }

// Class k's colour at strength `alpha` over white, opaque: neighbouring heat-map cells may overlap without seams.
function paleClassColor(k, alpha) {
  return 'rgb(' + classRgb(k).map((c) => Math.round(255 - alpha * (255 - c))).join(',') + ')';
}

// Whether the page draws the classification view of model `m`: a classifier of one or two numeric input columns.
// Others (more inputs, categorical inputs, regression) keep the service's plot.svg.
function hasClassificationView(m) {
  return m.classes != null && (m.inputDim === 1 || m.inputDim === 2) && m.inputs.length === m.inputDim
    && m.inputs.every((c) => c.kind === 'numeric');
}

// The classes in output order, as a sentence: class k is output k (logistic: the one logit is the second class's).
function classesSentence(m) {
  const names = m.classes.map((c, k) => '"' + c + '" (class ' + k + ')').join(', ');
  return m.classes.length + ' classes, in the model\'s order: ' + names + '.';
}

// The training rows of dataset `datasetId` with their class index: [{x: [..], k}]. None when the dataset is gone (it
// may have been deleted since the fit; the model is still shown). Rows with an empty input cell are left out.
async function labelledPoints(m, datasetId) {
  if (!datasetId) { return []; }
  const r = await fetch('/v1/datasets/' + datasetId + '/data');
  if (!r.ok) { return []; }
  const data = await r.json();
  // Text labels are stored as their class index; integer labels as the integers themselves.
  const text = m.classes.some((c) => typeof c === 'string');
  const points = [];
  data.x.forEach((x, i) => {
    const label = data.y[i][0];
    const k = text ? label : m.classes.indexOf(label);
    if (x.every((v) => v != null) && k != null && k >= 0) { points.push({ x, k }); }
  });
  return points;
}

// [lo, hi] of input j over the points, padded by 8 % on each side (±1 around a single value). Without points (the
// dataset was deleted): the training mean ± 3 standard deviations when the model kept them (standardize), else [-1, 1].
function paddedRange(points, j, m) {
  if (points.length === 0) {
    const p = m.preprocessing;
    return p && p.mean ? [p.mean[j] - 3 * p.scale[j], p.mean[j] + 3 * p.scale[j]] : [-1, 1];
  }
  const values = points.map((p) => p.x[j]);
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  const pad = hi > lo ? 0.08 * (hi - lo) : 1;
  return [lo - pad, hi + pad];
}

async function gridProbabilities(modelId, rows) {
  const r = await fetch('/v1/models/' + modelId + '/predict', { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ x: rows }) });
  if (!r.ok) { throw new Error('Could not evaluate the model on the plot\'s grid. ' + await problemText(r)); }
  return (await r.json()).probabilities;
}

// The probability a cell or curve shows: the second class's with two classes, else the most probable class's.
function shownClass(p) {
  if (p.length === 2) { return { k: p[1] >= 0.5 ? 1 : 0, p: p[1] }; }
  let k = 0;
  p.forEach((q, i) => { if (q > p[k]) { k = i; } });
  return { k, p: p[k] };
}

// Fill opacity of a heat-map cell: 0 where the model cannot tell the classes apart (p = 1/C), HEAT_STRENGTH where sure.
function certainty(p) {
  const c = p.length;
  const top = Math.max(...p);
  return HEAT_STRENGTH * Math.max(0, (top - 1 / c) / (1 - 1 / c));
}

// Builds the classification plot of model `m` (an SVG element, not yet attached) and the data it was drawn from.
async function classificationPlot(m, datasetId) {
  const points = await labelledPoints(m, datasetId);
  return m.inputDim === 1 ? probabilityCurve(m, points) : probabilityMap(m, points);
}

function plotFrame(W, H, label) {
  return svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': label, class: 'class-plot' });
}

function axes(chart, box, xTicks, yTicks, px, py, xLabel, yLabel) {
  const { x0, x1, y0, y1 } = box;
  const labels = svg('g', { fill: '#444', 'font-size': 12 }, chart);
  for (const t of xTicks) {
    svg('line', { x1: px(t), x2: px(t), y1: y1, y2: y1 + 5, stroke: '#999' }, chart);
    svg('text', { x: px(t), y: y1 + 18, 'text-anchor': 'middle' }, labels, tickLabel(t));
  }
  for (const t of yTicks) {
    svg('line', { x1: x0 - 5, x2: x0, y1: py(t), y2: py(t), stroke: '#999' }, chart);
    svg('text', { x: x0 - 8, y: py(t) + 4, 'text-anchor': 'end' }, labels, tickLabel(t));
  }
  svg('rect', { x: x0, y: y0, width: x1 - x0, height: y1 - y0, fill: 'none', stroke: '#999' }, chart);
  svg('text', { x: (x0 + x1) / 2, y: y1 + 38, 'text-anchor': 'middle' }, labels, xLabel);
  svg('text', { x: 16, y: (y0 + y1) / 2, 'text-anchor': 'middle', transform: 'rotate(-90 16 ' + (y0 + y1) / 2 + ')' }, labels, yLabel);
}

function classLegend(chart, m, x, y) {
  const legend = svg('g', { 'font-size': 12, fill: '#444' }, chart);
  m.classes.forEach((c, k) => {
    svg('circle', { cx: x + 6, cy: y + 18 * k, r: 5, fill: classColor(k), stroke: '#222', 'stroke-width': 0.8 }, legend);
    svg('text', { x: x + 16, y: y + 18 * k + 4 }, legend, String(c));
  });
  return y + 18 * m.classes.length;
}

function dataPoint(chart, p, cx, cy) {
  const dot = svg('circle', { cx, cy, r: 4, fill: classColor(p.k), stroke: '#222', 'stroke-width': 0.8,
    class: 'data-point', 'data-class': p.k }, chart);
  svg('title', {}, dot, p.x.map((v) => Number(v.toPrecision(4))).join(', ') + ': class ' + p.k);
}

// 2-D: the heat map on a HEAT_CELLS x HEAT_CELLS grid of cell centres, the points, the neurons' lines.
async function probabilityMap(m, points) {
  const W = 720, H = 600;
  const box = { x0: 70, x1: 560, y0: 20, y1: 540 };
  const [a0, a1] = paddedRange(points, 0, m);
  const [b0, b1] = paddedRange(points, 1, m);
  const px = (v) => box.x0 + (box.x1 - box.x0) * (v - a0) / (a1 - a0);
  const py = (v) => box.y1 - (box.y1 - box.y0) * (v - b0) / (b1 - b0);
  const grid = [];
  for (let j = 0; j < HEAT_CELLS; j++) {
    for (let i = 0; i < HEAT_CELLS; i++) {
      grid.push([a0 + (i + 0.5) * (a1 - a0) / HEAT_CELLS, b0 + (j + 0.5) * (b1 - b0) / HEAT_CELLS]);
    }
  }
  const probabilities = await gridProbabilities(m.id, grid);
  const second = m.classes.length === 2;
  const chart = plotFrame(W, H, second ? 'Probability of class ' + m.classes[1] + ' as a heat map, with the data points and the neurons\' lines'
    : 'Most probable class as a heat map, with the data points and the neurons\' lines');

  const cellW = (box.x1 - box.x0) / HEAT_CELLS, cellH = (box.y1 - box.y0) / HEAT_CELLS;
  const heat = svg('g', { class: 'heat-map', 'shape-rendering': 'crispEdges' }, chart);
  grid.forEach((x, n) => {
    const shown = shownClass(probabilities[n]);
    // Slightly oversized cells: no hairline gaps between neighbours.
    svg('rect', { x: px(x[0]) - cellW / 2, y: py(x[1]) - cellH / 2, width: cellW + 0.5, height: cellH + 0.5,
      fill: paleClassColor(shown.k, certainty(probabilities[n])), class: 'heat-cell',
      'data-x1': x[0], 'data-x2': x[1], 'data-p': shown.p }, heat);
  });

  svg('clipPath', { id: 'class-plot-box' }, chart).appendChild(
    svg('rect', { x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 }));
  // Each neuron's line w · x = b (|w| = 1): through b w, along w's normal, long enough to cross the box; clipped to it.
  const lines = svg('g', { 'clip-path': 'url(#class-plot-box)', stroke: '#333', 'stroke-width': 1, 'stroke-opacity': 0.7 }, chart);
  const reach = 4 * (Math.abs(a0) + Math.abs(a1) + Math.abs(b0) + Math.abs(b1));
  for (const neuron of m.neurons) {
    const [w1, w2] = neuron.w;
    const [c1, c2] = [neuron.b * w1, neuron.b * w2];
    const r = reach + Math.abs(neuron.b);
    svg('line', { x1: px(c1 - r * w2), y1: py(c2 + r * w1), x2: px(c1 + r * w2), y2: py(c2 - r * w1), class: 'neuron-line',
      'data-b': neuron.b }, lines);
  }
  for (const p of points) { dataPoint(chart, p, px(p.x[0]), py(p.x[1])); }

  axes(chart, box, linearTicks(a0, a1, 6), linearTicks(b0, b1, 6), px, py, m.columns[0], m.columns[1]);
  let y = classLegend(chart, m, box.x1 + 20, box.y0 + 10) + 20;
  const legend = svg('g', { 'font-size': 12, fill: '#444' }, chart);
  svg('line', { x1: box.x1 + 20, x2: box.x1 + 40, y1: y, y2: y, stroke: '#333' }, legend);
  svg('text', { x: box.x1 + 46, y: y + 4 }, legend, 'neuron w · x = b');
  y += 28;
  if (second) {
    // The colour scale: P(second class) from 0 (first class's colour) through 0.5 (white) to 1.
    const steps = 10;
    for (let s = 0; s < steps; s++) {
      const p = 1 - (s + 0.5) / steps;
      svg('rect', { x: box.x1 + 20, y: y + 16 * s, width: 20, height: 16, fill: paleClassColor(p >= 0.5 ? 1 : 0,
        certainty([1 - p, p])), stroke: '#ddd' }, legend);
    }
    svg('text', { x: box.x1 + 46, y: y + 10 }, legend, 'P(' + m.classes[1] + ') = 1');
    svg('text', { x: box.x1 + 46, y: y + 8 * steps + 4 }, legend, '0.5');
    svg('text', { x: box.x1 + 46, y: y + 16 * steps }, legend, '0');
  } else {
    svg('text', { x: box.x1 + 20, y: y + 4 }, legend, 'colour: the most');
    svg('text', { x: box.x1 + 20, y: y + 20 }, legend, 'probable class, paler');
    svg('text', { x: box.x1 + 20, y: y + 36 }, legend, 'where less sure');
  }
  return { chart, view: { modelId: m.id, inputDim: 2, grid, probabilities, neurons: m.neurons.length, points: points.length } };
}

// 1-D: the probability of the second class (every class's, with more than two) along x, the labelled points at 0 and
// 1 (more than two classes: at 1 on their class's curve colour), the knots as dashed lines.
async function probabilityCurve(m, points) {
  const W = 720, H = 420;
  const box = { x0: 70, x1: 560, y0: 20, y1: 360 };
  const [a0, a1] = paddedRange(points, 0, m);
  const grid = [];
  for (let i = 0; i < CURVE_POINTS; i++) { grid.push([a0 + (a1 - a0) * i / (CURVE_POINTS - 1)]); }
  const probabilities = await gridProbabilities(m.id, grid);
  const two = m.classes.length === 2;
  const px = (v) => box.x0 + (box.x1 - box.x0) * (v - a0) / (a1 - a0);
  const py = (p) => box.y1 - (box.y1 - box.y0) * (0.04 + 0.92 * p); // 0 and 1 inside the box: the points stay whole
  const chart = plotFrame(W, H, 'Probability of ' + (two ? 'class ' + m.classes[1] : 'each class') + ' along ' + m.columns[0]
    + ', with the labelled points');

  svg('clipPath', { id: 'class-plot-box' }, chart).appendChild(
    svg('rect', { x: box.x0, y: box.y0, width: box.x1 - box.x0, height: box.y1 - box.y0 }));
  const knots = svg('g', { 'clip-path': 'url(#class-plot-box)', stroke: '#888', 'stroke-dasharray': '4 4' }, chart);
  for (const neuron of m.neurons) {
    const x = px(neuron.b / neuron.w[0]);
    svg('line', { x1: x, x2: x, y1: box.y0, y2: box.y1, class: 'neuron-line', 'data-b': neuron.b }, knots);
  }
  const curves = two ? [1] : m.classes.map((c, k) => k);
  for (const k of curves) {
    svg('polyline', { points: grid.map((x, n) => px(x[0]) + ',' + py(probabilities[n][k])).join(' '), fill: 'none',
      stroke: classColor(k), 'stroke-width': 2.5, class: 'probability-curve', 'data-class': k }, chart);
  }
  for (const p of points) { dataPoint(chart, p, px(p.x[0]), py(two ? p.k : 1)); }

  axes(chart, box, linearTicks(a0, a1, 6), [0, 0.25, 0.5, 0.75, 1], px, py, m.columns[0],
    two ? 'P(' + m.classes[1] + ')' : 'probability of each class');
  const y = classLegend(chart, m, box.x1 + 20, box.y0 + 10) + 20;
  const legend = svg('g', { 'font-size': 12, fill: '#444' }, chart);
  svg('line', { x1: box.x1 + 20, x2: box.x1 + 40, y1: y, y2: y, stroke: '#888', 'stroke-dasharray': '4 4' }, legend);
  svg('text', { x: box.x1 + 46, y: y + 4 }, legend, 'knot of a neuron');
  return { chart, view: { modelId: m.id, inputDim: 1, grid, probabilities, neurons: m.neurons.length, points: points.length } };
}
