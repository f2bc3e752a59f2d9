// two-inputs.js — figure: many input variables (chapter 4). With inputs x and y, a neuron with
// weight 1000 on x and none on y steps along x; a pair makes a bump in x, another a bump in y.
// Weighted by h and summed they make a cross (h on each band, 2h where they meet); an output
// neuron with bias −3h/2 keeps only the meeting square: a tower. Many towers, one per cell of a
// grid, each weighted by the goal at its centre, approximate a function of two variables: a
// [2, 2(n+1), n², 1] network. The core computes every heat map's values. Not here: one input
// (bumps.js, by-hand.js).
import { choice, el, plotCanvas, readout, slider, toggle } from './kit/controls.js';
import { LARGE_W, outputs, setLayer, shaped } from './kit/nets.js';
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
  mode: { type: 'choice', values: { tower: 'one tower', towers: 'many towers' }, default: 'tower', label: 'Show' },
  x1: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.3, label: 'Bump in x from' },
  x2: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.6, label: 'to' },
  y1: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.4, label: 'Bump in y from' },
  y2: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.7, label: 'to' },
  h: { type: 'number', min: 0, max: 30, step: 0.5, default: 10, label: 'Weight h on the bumps' },
  threshold: { type: 'bool', default: true, label: 'Threshold: output σ(weighted output − 3h/2)' },
  n: { type: 'int', min: 2, max: 12, step: 1, default: 6, label: 'Towers per side' },
};

/** The network of towers: steps along x at xs, along y at ys, tower (i, j) over [xs[i], xs[i+1]]
 * x [ys[j], ys[j+1]] for each pair given, weighted by heights[k] into a linear output. */
async function towers(xEdges, yEdges, cells, heights, h, threshold) {
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
  const w2 = new Float32Array(cells.length * hidden), b2 = new Float32Array(cells.length).fill(-1.5 * h);
  cells.forEach(([i, j], c) => {
    w2[c * hidden + i] = h; w2[c * hidden + i + 1] = -h; w2[c * hidden + nx + j] = h; w2[c * hidden + nx + j + 1] = -h;
  });
  const net = await shaped([2, hidden, cells.length, 1], { output: 'linear' });
  setLayer(net, 1, w1, b1);
  setLayer(net, 2, w2, b2);
  setLayer(net, 3, heights, [0]);
  return net;
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
  root.classList.add('side');
  const outputWrap = el('figure', { className: 'plot-wrap' }, [canvas, legend]);
  root.append(el('div', { className: 'plots' }, [el('div', { className: 'pair' }, [outputWrap, goalWrap]), said]),
    el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));
  const goalValues = Float32Array.from({ length: SIDE * SIDE }, (_, k) => goal2(POINTS[2 * k], POINTS[2 * k + 1]));

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const one = st.mode === 'tower';
      for (const name of ['x1', 'x2', 'y1', 'y2', 'threshold']) controls[name].node.hidden = !one;
      controls.n.node.hidden = one;
      goalWrap.hidden = one;
      let net, lo = 0, hi = 1, summary;
      if (one) {
        net = await towers([st.x1, st.x2], [st.y1, st.y2], [[0, 0]], [1], st.h, st.threshold);
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
      if (one && st.threshold) summary = `A tower of height about ${values[Math.floor(((st.y1 + st.y2) / 2) * SIDE) * SIDE + Math.floor(((st.x1 + st.x2) / 2) * SIDE)]?.toFixed(2) ?? '–'} over [${st.x1}, ${st.x2}] × [${st.y1}, ${st.y2}], 0 elsewhere${st.h < 5 ? ': with a small h the tower leaks into the bands of the cross' : ''}.`;
      else if (one) summary = `Without the threshold the weighted output is a cross: h = ${st.h} on each band, 2h = ${2 * st.h} where they meet.`;
      else summary = `${st.n * st.n} towers (${2 * (st.n + 1)} step neurons, ${st.n * st.n} tower neurons) approximate the goal with an average deviation of ${deviation.toFixed(3)}${st.h < 5 ? '; raise h to sharpen the towers' : ''}.`;
      said.textContent = summary;
      canvas.setAttribute('aria-label', `Heat map of the network’s output. ${summary}`);
    },
    data: () => drawn && { values: drawn.values, side: SIDE, deviation: drawn.deviation },
  };
}
