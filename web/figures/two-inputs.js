// two-inputs.js — figure: many input variables (chapter 4). First the book's single neuron of two
// inputs, σ(w₁x + w₂y + b): with w₂ = 0 and w₁ large, a step along x at −b/w₁. With weight 1000 on
// x and none on y a neuron steps along x; a pair makes a bump in x, another a bump in y. Weighted
// by h and summed they make a cross (h on each band, 2h where they meet); an output neuron
// σ(weighted output + b) with b ≈ −3h/2 (the reader finds it) keeps only the meeting square: a
// tower (with m inputs the bias is (−m + ½)h). Many towers, one per cell of a
// grid, each weighted by the goal at its centre, approximate a function of two variables: a
// [2, 2(n+1), n², 1] network. The core computes every heat map's values. Not here: one input
// (bumps.js, by-hand.js).
import { choice, el, plotCanvas, readout, slider, toggle } from './kit/controls.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { LARGE_W, outputs, setLayer, shaped } from './kit/nets.js';
import { short } from './kit/notation.js';
import { Plot, sequential } from './kit/plot.js';

const SIDE = 120; // heat map cells per side (a multiple of 2..6, 8, 10, 12: towers fill whole cells)
const POINTS = (() => { // cell centres, row 0 at y = 0
  const p = new Float32Array(2 * SIDE * SIDE);
  for (let j = 0; j < SIDE; j++) for (let i = 0; i < SIDE; i++) p.set([(i + 0.5) / SIDE, (j + 0.5) / SIDE], 2 * (j * SIDE + i));
  return p;
})();

/** The function the towers approximate (a smooth hill and a dip). */
export const goal2 = (x, y) => 0.5 + 0.35 * Math.sin(Math.PI * 1.5 * x) * Math.cos(Math.PI * 1.2 * (y - 0.3));

export const schema = {
  mode: { type: 'choice', values: { neuron: 'one neuron of two inputs', tower: 'one tower', towers: 'many towers' }, default: 'tower', label: 'Show' },
  wx: { type: 'number', min: -1000, max: 1000, step: 0.5, default: 1000, label: 'Weight w₁ on x' },
  wy: { type: 'number', min: -1000, max: 1000, step: 0.5, default: 0, label: 'Weight w₂ on y' },
  bias: { type: 'number', min: -1000, max: 1000, step: 0.5, default: -500, label: 'Bias b of the neuron' },
  x1: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.3, label: 'Bump in x from' },
  x2: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.6, label: 'to' },
  y1: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.4, label: 'Bump in y from' },
  y2: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.7, label: 'to' },
  h: { type: 'number', min: 0, max: 30, step: 0.5, default: 10, label: 'Weight h on the bumps' },
  threshold: { type: 'bool', default: true, label: 'Output neuron σ(weighted output + b)' },
  b: { type: 'number', min: -45, max: 15, step: 0.5, default: -15, label: 'Its bias b (find the tower: the book’s b ≈ −3h/2)' },
  n: { type: 'int', min: 2, max: 12, step: 1, default: 6, label: 'Towers per side' },
};

/** The network of towers: steps along x at xs, along y at ys, tower (i, j) over [xs[i], xs[i+1]]
 * x [ys[j], ys[j+1]] for each pair given, weighted by heights[k] into a linear output. */
async function towers(xEdges, yEdges, cells, heights, h, threshold, bias = -1.5 * h) {
  const nx = xEdges.length, ny = yEdges.length, hidden = nx + ny;
  const w1 = new Float32Array(2 * hidden), b1 = new Float32Array(hidden);
  xEdges.forEach((s, k) => { w1[2 * k] = LARGE_W; b1[k] = -LARGE_W * s; });
  yEdges.forEach((s, k) => { w1[2 * (nx + k) + 1] = LARGE_W; b1[nx + k] = -LARGE_W * s; });
  if (!threshold) { // no tower layer: the weighted output of the bumps, a cross
    const [[i, j]] = cells, w2 = new Float32Array(hidden);
    w2[i] = h; w2[i + 1] = -h; w2[nx + j] = h; w2[nx + j + 1] = -h;
    const net = await shaped([2, hidden, 1], { output: 'linear' });
    setLayer(net, 1, w1, b1);
    setLayer(net, 2, w2, [0]);
    return net;
  }
  const w2 = new Float32Array(cells.length * hidden), b2 = new Float32Array(cells.length).fill(bias);
  cells.forEach(([i, j], c) => {
    w2[c * hidden + i] = h; w2[c * hidden + i + 1] = -h; w2[c * hidden + nx + j] = h; w2[c * hidden + nx + j + 1] = -h;
  });
  const net = await shaped([2, hidden, cells.length, 1], { output: 'linear' });
  setLayer(net, 1, w1, b1);
  setLayer(net, 2, w2, b2);
  setLayer(net, 3, heights, [0]);
  return net;
}

function neuronSummary(st) {
  const edge = st.wx !== 0 && st.wy === 0 ? `a step along x at s = −b/w₁ = ${short(-st.bias / st.wx)}` : st.wy !== 0 && st.wx === 0 ? `a step along y at s = −b/w₂ = ${short(-st.bias / st.wy)}` : st.wx === 0 && st.wy === 0 ? 'flat: σ(b) everywhere' : 'a step along the line w₁x + w₂y + b = 0 (set one weight to 0 for the book’s step in x or in y)';
  return `σ(w₁x + w₂y + b) with w₁ = ${short(st.wx)}, w₂ = ${short(st.wy)}, b = ${short(st.bias)}: ${edge}${Math.max(Math.abs(st.wx), Math.abs(st.wy)) < 100 && (st.wx || st.wy) ? ', a soft one (a large weight sharpens it)' : ''}.`;
}

function towerSummary(st, inside, band, outside) {
  const good = inside > 0.9 && band < 0.1 && outside < 0.1;
  return `Output ${inside.toFixed(2)} over the square, ${band.toFixed(2)} on a band of the cross, ${outside.toFixed(2)} outside: ${good ? 'a tower' : inside < 0.5 ? 'b is too low: the square is cut off too' : 'b is too high: the bands leak through'}. `
    + `The book’s choice is b ≈ −3h/2 = ${short(-1.5 * st.h)} (between −2h and −h); with m inputs the same trick takes b = (−m + ½)h.`;
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('Heat map of the network’s output over x and y');
  const goalCanvas = plotCanvas('Heat map of the goal function');
  const said = readout();
  let drawn = null;
  const paintHeat = (values, lo, hi) => (p) => { if (!drawn) return; p.axes(); p.heat(values(), SIDE, SIDE, sequential(lo(), hi())); p.axes(); };
  const plot = new Plot(canvas, { x: [0, 1], y: [0, 1], xLabel: 'x', yLabel: 'y', aspect: 0.85, draw: paintHeat(() => drawn.values, () => drawn.lo, () => drawn.hi) });
  const goalPlot = new Plot(goalCanvas, { x: [0, 1], y: [0, 1], xLabel: 'x', yLabel: 'y', aspect: 0.85, draw: paintHeat(() => drawn.goal, () => 0, () => 1) });
  const goalWrap = el('figure', { className: 'plot-wrap' }, [goalCanvas, el('figcaption', { className: 'caption', textContent: 'The goal: 0.5 + 0.35 sin(1.5πx) cos(1.2π(y − 0.3))' })]);
  const controls = Object.fromEntries(Object.entries(schema).map(([name, s]) => {
    const make = s.type === 'choice' ? choice : s.type === 'bool' ? toggle : slider;
    return [name, make(s, state[name], (v) => set({ [name]: v }))];
  }));
  const legend = el('figcaption', { className: 'caption' });
  const picture = networkDiagram('The network');
  root.classList.add('side');
  const outputWrap = el('figure', { className: 'plot-wrap' }, [canvas, legend]);
  root.append(el('div', { className: 'plots' }, [picture.node, el('div', { className: 'pair' }, [outputWrap, goalWrap]), said]),
    el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));
  /** The network of the chosen construction, drawn beside the maps. */
  function network(st) {
    const input = { title: 'input', neurons: [{ label: 'x' }, { label: 'y' }] };
    if (st.mode === 'neuron') {
      return picture.update({ layers: [input, { title: 'neuron', neurons: [{ label: `b=${short(st.bias)}`, select: focusing(controls.bias) }] }],
        edges: [{ from: [0, 0], to: [1, 0], label: `w₁ = ${short(st.wx)}`, weight: st.wx, select: focusing(controls.wx) }, { from: [0, 1], to: [1, 0], label: `w₂ = ${short(st.wy)}`, weight: st.wy, select: focusing(controls.wy) }] },
      `inputs x and y with weights ${short(st.wx)} and ${short(st.wy)}, bias ${short(st.bias)}.`);
    }
    if (st.mode === 'towers') {
      const steps = 2 * (st.n + 1);
      return picture.update({ layers: [input, { title: `steps (${steps})`, neurons: steps }, { title: `towers (${st.n * st.n})`, neurons: st.n * st.n }, { title: 'output', neurons: [{ label: 'Σ' }] }] },
        `[2, ${steps}, ${st.n * st.n}, 1]: step neurons along x and y, a tower neuron of bias −3h/2 per cell, output weights the goal at each cell's centre.`);
    }
    const points = [st.x1, st.x2, st.y1, st.y2], names = ['x1', 'x2', 'y1', 'y2'];
    const hidden = points.map((s, k) => ({ label: `${k < 2 ? 's' : 't'}=${short(s)}`, note: k < 2 ? 'steps in x' : 'steps in y', select: focusing(controls[names[k]]) }));
    const edges = points.flatMap((_, k) => [{ from: [0, k < 2 ? 0 : 1], to: [1, k], weight: LARGE_W, label: k ? undefined : `w = ${LARGE_W}` },
      { from: [1, k], to: [2, 0], weight: k % 2 ? -st.h : st.h, label: `${k % 2 ? '−' : ''}h`, at: 0.3, select: focusing(controls.h) }]);
    picture.update({ layers: [input, { title: 'hidden', neurons: hidden }, { title: 'output', neurons: [{ label: st.threshold ? 'σ' : 'Σ', note: st.threshold ? `b = ${short(st.b)}` : 'weighted output', select: st.threshold ? focusing(controls.b) : undefined }] }], edges },
    `steps in x at ${st.x1} and ${st.x2}, in y at ${st.y1} and ${st.y2}, output weights h = ${st.h} and −h${st.threshold ? `, output σ with bias ${short(st.b)}` : ', the weighted output'}.`);
  }

  const goalValues = Float32Array.from({ length: SIDE * SIDE }, (_, k) => goal2(POINTS[2 * k], POINTS[2 * k + 1]));

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const one = st.mode === 'tower', single = st.mode === 'neuron';
      for (const name of ['x1', 'x2', 'y1', 'y2', 'threshold']) controls[name].node.hidden = !one;
      for (const name of ['wx', 'wy', 'bias']) controls[name].node.hidden = !single;
      controls.b.node.hidden = !one || !st.threshold;
      controls.h.node.hidden = single;
      controls.n.node.hidden = st.mode !== 'towers';
      goalWrap.hidden = st.mode !== 'towers';
      let net, lo = 0, hi = 1, summary;
      if (single) {
        net = await shaped([2, 1], { output: 'sigmoid' });
        setLayer(net, 1, [st.wx, st.wy], [st.bias]);
      } else if (one) {
        net = await towers([st.x1, st.x2], [st.y1, st.y2], [[0, 0]], [1], st.h, st.threshold, st.b);
        if (!st.threshold) { lo = 0; hi = Math.max(1, 2 * st.h); }
      } else {
        const edges = Array.from({ length: st.n + 1 }, (_, k) => k / st.n), cells = [], heights = [];
        for (let j = 0; j < st.n; j++) for (let i = 0; i < st.n; i++) { cells.push([i, j]); heights.push(goal2((i + 0.5) / st.n, (j + 0.5) / st.n)); }
        net = await towers(edges, edges, cells, heights, st.h, true);
      }
      const values = outputs(net, POINTS);
      let deviation = 0;
      for (let k = 0; k < values.length; k++) deviation += Math.abs(values[k] - goalValues[k]) / values.length;
      drawn = { values, goal: goalValues, lo, hi, deviation };
      plot.redraw();
      if (!one) goalPlot.redraw();
      legend.textContent = `Colour: the network’s output, from ${lo} (dark purple) to ${hi} (yellow).`;
      const at = (x, y) => values[Math.min(SIDE - 1, Math.floor(y * SIDE)) * SIDE + Math.min(SIDE - 1, Math.floor(x * SIDE))];
      if (single) summary = neuronSummary(st);
      else if (one && st.threshold) summary = towerSummary(st, at((st.x1 + st.x2) / 2, (st.y1 + st.y2) / 2), at((st.x1 + st.x2) / 2, st.y2 < 0.9 ? (st.y2 + 1) / 2 : st.y1 / 2), at(st.x2 < 0.9 ? (st.x2 + 1) / 2 : st.x1 / 2, st.y2 < 0.9 ? (st.y2 + 1) / 2 : st.y1 / 2));
      else if (one) summary = `Without the threshold the weighted output is a cross: h = ${st.h} on each band, 2h = ${2 * st.h} where they meet.`;
      else summary = `${st.n * st.n} towers (${2 * (st.n + 1)} step neurons, ${st.n * st.n} tower neurons) approximate the goal with an average deviation of ${deviation.toFixed(3)}${st.h < 5 ? '; raise h to sharpen the towers' : ''}.`;
      said.textContent = summary;
      network(st);
      canvas.setAttribute('aria-label', `Heat map of the network’s output. ${summary}`);
    },
    data: () => drawn && { values: drawn.values, side: SIDE, deviation: drawn.deviation },
  };
}
