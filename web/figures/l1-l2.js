// l1-l2.js — figure: L2 against L1 at work on the weights (chapter 3). [784, 30, 10] trained by
// the core as the overfitting figure trains it (the first 1,000 training images, cross-entropy,
// η = 0.5, mini-batches of 10, N(0, 1) weights), from the same start with no regularisation and
// with L2 or L1 of each λ; the histogram of its 23,820 weights at the λ chosen. The book's argument
// made visible: L2's step w → (1 − ηλ/n)w shrinks every weight in proportion to its size, so the
// histogram narrows as a whole; L1's step w → w − (ηλ/n) sgn(w) takes the same amount from every
// weight, so the weights that matter little (those of the always-blank border pixels first) are
// driven to zero while a few important ones stay large. With the book's rule a weight at zero is
// pushed by ±ηλ/n each step, so L1 holds it within that of zero, not at exactly zero (the figure
// counts |w| < 0.01). The core trains in a Worker (mnist-worker.js, job 'overfit' with several
// runs). Not here: the accuracies over the epochs (overfitting.js).
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { mnistJob } from './kit/job.js';
import { COLORS, Plot, power, powerTicks } from './kit/plot.js';

export const LAMBDAS = ['0.5', '1', '2', '5'];
export const NEAR_ZERO = 0.01;
const BINS = 81;
const FLOOR = -0.3; // the log scale's floor: a bin of one weight is a bar of 0.3 decades

export const schema = {
  lmbda: { type: 'choice', values: Object.fromEntries(LAMBDAS.map((l) => [l, `λ = ${l}`])), default: '1', label: 'The λ shown' },
  epochs: { type: 'int', min: 5, max: 400, step: 5, default: 60, label: 'Epochs' },
  eta: { type: 'number', min: 0.01, max: 3, step: 0.01, default: 0.5, label: 'Learning rate η' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 2, label: 'Seed' },
};

/** The runs the Worker trains: none, then L2 and L1 of each λ. */
const RUNS = [{}, ...LAMBDAS.flatMap((l) => [{ lmbda: Number(l) }, { l1: Number(l) }])];
const runOf = (kind, lmbda) => (kind === 'none' ? 0 : 1 + 2 * LAMBDAS.indexOf(lmbda) + (kind === 'l1' ? 1 : 0));

/** What a histogram tells: the root mean square, the share near zero, the largest |w|. */
export function weightStats(w) {
  let sq = 0, near = 0, largest = 0;
  for (const v of w) {
    sq += v * v;
    if (Math.abs(v) < NEAR_ZERO) near++;
    largest = Math.max(largest, Math.abs(v));
  }
  return { rms: Math.sqrt(sq / w.length), nearZero: near / w.length, largest };
}

function histogram(w, limit) {
  const counts = new Array(BINS).fill(0), width = (2 * limit) / BINS;
  for (const v of w) counts[Math.min(BINS - 1, Math.max(0, Math.floor((v + limit) / width)))]++;
  return counts;
}

export async function mount(root, { state, set, wasm }) {
  const canvases = [plotCanvas('Histogram of the weights with L2 regularisation'), plotCanvas('Histogram of the weights with L1 regularisation')];
  const table = el('table', { className: 'run-table' });
  const said = readout();
  const job = mnistJob(wasm, 'Run downloads the first 1,000 training images and the test set (1.8 MB) and trains nine networks: none, and L2 and L1 of each λ.', { run: () => start(), changed: () => show() });
  let weights = null, stats = null, weightsEpoch = 0, points = [], running = { ...state };
  const limit = () => Math.max(1, ...(stats ?? []).map((s) => s.largest)); // one scale for every histogram
  const paint = (kind) => (p) => {
    const lim = limit();
    p.xRange = [-lim, lim];
    p.yRange = [FLOOR, 5];
    p.axes();
    if (!weights) return;
    const width = (2 * lim) / BINS, at = (i) => -lim + (i + 0.5) * width;
    const shown = histogram(weights[runOf(kind, state.lmbda)], lim), none = histogram(weights[0], lim);
    p.clipped((c) => {
      c.fillStyle = kind === 'l1' ? COLORS.goal : COLORS.accent;
      shown.forEach((n, i) => { if (n) c.fillRect(p.x(at(i) - width / 2), p.y(Math.log10(n)), Math.max(1, p.x(width) - p.x(0) - 1), p.bottom - p.y(Math.log10(n))); });
    });
    const xs = none.flatMap((_, i) => [at(i) - width / 2, at(i) + width / 2]), ys = none.flatMap((n) => [n ? Math.log10(n) : FLOOR, n ? Math.log10(n) : FLOOR]);
    p.line(xs, ys, { color: 'ink', width: 1, dash: [3, 2] });
    p.legend([[`${kind === 'l1' ? 'L1' : 'L2'}, λ = ${state.lmbda}`, kind === 'l1' ? 'goal' : 'accent'], ['no regularisation', 'ink', [3, 2]]]);
  };
  const plots = ['l2', 'l1'].map((kind, i) => new Plot(canvases[i], { x: [-1, 1], y: [FLOOR, 5], xLabel: 'weight w', yLabel: 'number of weights', aspect: 0.65,
    yTicks: powerTicks, yFormat: (k) => (k ? power(k) : '1'), draw: paint(kind) }));
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, (schema[name].type === 'choice' ? choice : slider)(schema[name], state[name], (v) => set({ [name]: v }))]));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [job.node, el('div', { className: 'pair' }, canvases), table, said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [job.button]), ...Object.values(controls).map((c) => c.node),
      el('p', { className: 'caption', textContent: 'Beyond the book: the book argues what L2 and L1 do to the weights; here the core trains the overfitting figure’s network with each and counts. The histograms are of all 23,820 weights, on a log scale; the dashed outline is the network trained without regularisation. With the book’s L1 rule a weight at zero is pushed by ±ηλ/n every step, so “near zero” is |w| < 0.01.' })]));

  function start() {
    running = { ...state };
    weights = null;
    stats = null;
    points = [];
    job.start({ type: 'overfit', epochs: state.epochs, eta: state.eta, runs: RUNS, weights: true, seed: state.seed }, (data) => {
      if (data.type === 'weights') {
        weights = data.weights;
        stats = weights.map(weightStats);
        weightsEpoch = data.epoch;
        job.epoch(data.epoch, running.epochs);
      } else if (data.type === 'point') points.push(data);
      show();
    });
    show();
  }

  function show() {
    plots.forEach((p) => p.redraw());
    if (!weights) return;
    const rows = [['none', 'no regularisation'], ['l2', `L2, λ = ${state.lmbda}`], ['l1', `L1, λ = ${state.lmbda}`]].map(([kind, name]) => {
      const k = runOf(kind, state.lmbda), accuracy = points.at(-1)?.runs[k].accuracy;
      return { name, ...stats[k], accuracy };
    });
    const pct = (v) => `${(100 * v).toFixed(1)}%`;
    table.replaceChildren(el('caption', { textContent: `The weights after ${weightsEpoch} epochs` }),
      el('tr', {}, ['', 'rms of w', '|w| < 0.01', 'largest |w|', 'test accuracy'].map((t) => el('th', { textContent: t }))),
      ...rows.map((r) => el('tr', {}, [el('th', { scope: 'row', textContent: r.name }), el('td', { textContent: r.rms.toFixed(3) }), el('td', { textContent: pct(r.nearZero) }),
        el('td', { textContent: r.largest.toFixed(2) }), el('td', { textContent: r.accuracy === undefined ? '—' : pct(r.accuracy) })])));
    const [none, l2, l1] = rows;
    said.textContent = `After ${weightsEpoch} epochs at λ = ${state.lmbda}: L2 shrinks the weights’ spread from ${none.rms.toFixed(3)} to ${l2.rms.toFixed(3)} and the largest from ${none.largest.toFixed(2)} to ${l2.largest.toFixed(2)}; `
      + `L1 puts ${pct(l1.nearZero)} of the weights within 0.01 of zero (L2: ${pct(l2.nearZero)}) and keeps the largest at ${l1.largest.toFixed(2)}.`;
    canvases.forEach((c, i) => c.setAttribute('aria-label', `Histogram of the weights with ${i ? 'L1' : 'L2'} regularisation, λ = ${state.lmbda}: spread ${rows[i + 1].rms.toFixed(3)}, ${pct(rows[i + 1].nearZero)} near zero, largest ${rows[i + 1].largest.toFixed(2)}.`));
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      show();
    },
    data: () => ({ status: job.status, weightsEpoch, points, stats }),
  };
}
