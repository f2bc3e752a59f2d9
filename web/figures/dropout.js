// dropout.js — figure: dropout (chapter 3). First the book's picture: a small network [2, 6, 6, 2]
// learning which points lie inside a circle, stepped mini-batch by mini-batch, each time with a
// fresh random set of its hidden neurons deleted (drawn crossed out, their connections gone): the
// step changes the weights and biases of the kept neurons only. The masks and the steps are the
// core's (Network.step in train-worker.js, job 'steps': the core keeps each hidden neuron with
// probability 1 − p and draws a mask per example, as network3.py does, so a mini-batch here is one
// example). Then dropout at work on the overfitting figure's run ([784, 30, 10] on the first 1,000
// training images, η = 0.5, 400 epochs), with and without, trained by the core in a Worker
// (mnist-worker.js, job 'overfit'): the test accuracy, the training accuracy and the gap between
// them. Not here: L2 (overfitting.js, l1-l2.js).
import { networkDiagram } from './kit/diagram.js';
import { button, el, plotCanvas, readout, slider } from './kit/controls.js';
import { mnistJob } from './kit/job.js';
import { trainer } from './kit/nets.js';
import { Plot } from './kit/plot.js';
import { short, sub } from './kit/notation.js';

export const LAYERS = [2, 6, 6, 2];
export const STEPS = 200;
export const POINTS = 24;

export const schema = {
  step: { type: 'int', min: 1, max: STEPS, step: 1, default: 1, label: 'Mini-batch' },
  p: { type: 'number', min: 0.05, max: 0.9, step: 0.05, default: 0.5, label: 'Dropout probability p' },
  epochs: { type: 'int', min: 10, max: 1000, step: 10, default: 400, label: 'Epochs on MNIST' },
  eta: { type: 'number', min: 0.01, max: 3, step: 0.01, default: 0.5, label: 'Learning rate η on MNIST' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 1, label: 'Seed' },
};

/** The small network's examples: POINTS points of the unit square drawn from `seed` (a
 * multiply-with-carry generator: data, not the network's numbers), label 1 inside the circle of
 * radius 0.3 about the centre. */
export function examples(seed) {
  let a = (seed * 2654435761 + 1) >>> 0;
  const next = () => ((a = (Math.imul(a ^ (a >>> 15), 2246822519) + 0x9e3779b9) >>> 0) / 2 ** 32);
  const xs = [], labels = [];
  for (let i = 0; i < POINTS; i++) {
    const x = next(), y = next();
    xs.push(x, y);
    labels.push((x - 0.5) ** 2 + (y - 0.5) ** 2 < 0.09 ? 1 : 0);
  }
  return { xs, labels };
}

/** The parameters of the small network a step changed, by where they are: [{ layer, row, col }]
 * (col null for a bias), from the parameters before and after and where each layer's weights
 * (row by row) and biases start in them (the core's layout, from the Worker). */
export function changed(before, after, offsets, sizes = LAYERS) {
  const out = [];
  for (let l = 1; l < sizes.length; l++) {
    const { weights, biases } = offsets[l];
    for (let i = 0; i < sizes[l]; i++) {
      for (let j = 0; j < sizes[l - 1]; j++) if (before[weights + i * sizes[l - 1] + j] !== after[weights + i * sizes[l - 1] + j]) out.push({ layer: l, row: i, col: j });
      if (before[biases + i] !== after[biases + i]) out.push({ layer: l, row: i, col: null });
    }
  }
  return out;
}

const RUNS = [['no dropout', 'goal'], ['dropout', 'accent']];

export async function mount(root, { state, set, wasm, worker: thread }) {
  const worker = trainer(thread);
  const diagram = networkDiagram('The small network at this mini-batch');
  const stepSaid = readout();
  const canvas = plotCanvas('Test and training accuracy over the epochs, without and with dropout');
  const said = readout();
  const job = mnistJob(wasm, 'Run downloads the first 1,000 training images and the test set (1.8 MB) and trains [784, 30, 10] without and with dropout.', { run: () => start(), changed: () => showRun(), label: 'Run on MNIST' });
  let record = null, recordKey = '', points = [], running = { ...state };
  const plot = new Plot(canvas, { x: [0, state.epochs], y: [0.5, 1], xLabel: 'epoch', yLabel: 'accuracy', aspect: 0.55, draw: (p) => {
    p.xRange = [0, Math.max(10, running.epochs)];
    const values = points.flatMap((pt) => pt.runs.flatMap((r) => [r.accuracy, r.trainingAccuracy]));
    if (values.length) p.yRange = [Math.max(0, Math.min(...values) - 0.02), 1];
    p.axes();
    RUNS.forEach(([, color], k) => {
      p.line(points.map((pt) => pt.epoch), points.map((pt) => pt.runs[k].accuracy), { color });
      p.line(points.map((pt) => pt.epoch), points.map((pt) => pt.runs[k].trainingAccuracy), { color, dash: [5, 4], width: 1.5 });
    });
    p.legend([['test, no dropout', 'goal'], ['training, no dropout', 'goal', [5, 4]], [`test, dropout p = ${short(running.p)}`, 'accent'], [`training, dropout`, 'accent', [5, 4]]]);
  } });
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  const stepBy = (d) => button(d < 0 ? 'Previous mini-batch' : 'Next mini-batch', () => set({ step: Math.min(STEPS, Math.max(1, state.step + d)) }), { secondary: d < 0 });
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [diagram.node, stepSaid, el('h2', { textContent: 'Dropout on the overfitting run' }), job.node, canvas, said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [stepBy(-1), stepBy(1)]), controls.step.node, controls.p.node, controls.seed.node,
      el('div', { className: 'buttons' }, [job.button]), controls.epochs.node, controls.eta.node,
      el('p', { className: 'caption', textContent: 'As in the book: each mini-batch a fresh random set of hidden neurons is deleted (about half at p = 0.5) and only the rest learn. The core keeps each hidden neuron with probability 1 − p and draws the set anew for every example (network3.py’s way), so here a mini-batch is one example; it doubles what a kept neuron passes on during training instead of halving the weights afterwards (the same network in the end). Beyond the book: the book gives no numbers for dropout on this run; these are the core’s.' })]));

  async function showStep(st) {
    const key = `${st.p}:${st.seed}`;
    if (key !== recordKey) {
      const { xs, labels } = examples(st.seed);
      const reply = await worker.steps({ layers: LAYERS, cost: 'cross-entropy', seed: st.seed, xs, labels, hyper: { eta: 1, dropout: st.p }, steps: STEPS });
      if (!reply) return;
      record = { ...reply, xs, labels };
      recordKey = key;
    }
    const k = st.step - 1, masks = record.masks[k], before = record.params[k], after = record.params[k + 1];
    const i = k % POINTS, x = record.xs.slice(2 * i, 2 * i + 2);
    const kept = (l, j) => !masks[l] || masks[l][j] === 1;
    const w = (l, row, col) => after[record.offsets[l].weights + row * LAYERS[l - 1] + col];
    const layers = LAYERS.map((size, l) => ({
      title: l === 0 ? 'input' : l === LAYERS.length - 1 ? 'output' : `hidden ${l}`,
      neurons: Array.from({ length: size }, (_, j) => (l === 0 ? { label: short(x[j]), note: `x${sub(j + 1)}` }
        : l === LAYERS.length - 1 ? { label: j === record.labels[i] ? 'y = 1' : 'y = 0', note: j ? 'inside' : 'outside' } : { dropped: !kept(l, j) })),
    }));
    const edges = [];
    for (let l = 1; l < LAYERS.length; l++)
      for (let row = 0; row < LAYERS[l]; row++) for (let col = 0; col < LAYERS[l - 1]; col++)
        if (kept(l, row) && kept(l - 1, col)) edges.push({ from: [l - 1, col], to: [l, row], weight: w(l, row, col) });
    const dropped = [1, 2].map((l) => masks[l].map((m, j) => (m ? null : j + 1)).filter(Boolean));
    const moved = changed(before, after, record.offsets), ofDropped = moved.filter(({ layer, row, col }) => !kept(layer, row) || (col !== null && !kept(layer - 1, col)));
    diagram.update({ layers, edges }, `mini-batch ${st.step}: hidden neurons ${dropped.map((d, h) => `${d.join(', ') || 'none'} of hidden layer ${h + 1}`).join(' and ')} deleted.`);
    const keptShare = [1, 2].map((l) => record.masks.slice(0, st.step).flatMap((m) => m[l]).reduce((s, v) => s + v, 0) / (st.step * LAYERS[l]));
    stepSaid.textContent = `Mini-batch ${st.step} (the example x = (${short(x[0])}, ${short(x[1])}), ${record.labels[i] ? 'inside' : 'outside'} the circle): deleted ${dropped.map((d, h) => `${d.length ? `neurons ${d.join(', ')}` : 'no neuron'} of hidden layer ${h + 1}`).join(' and ')}. `
      + `The step changed ${moved.length} of ${before.length} weights and biases, ${ofDropped.length ? `${ofDropped.length} of them a deleted neuron’s` : 'none of them a deleted neuron’s'}. `
      + `Over ${st.step} mini-batch${st.step > 1 ? 'es' : ''} the hidden neurons were kept ${(100 * keptShare[0]).toFixed(0)}% and ${(100 * keptShare[1]).toFixed(0)}% of the time (1 − p = ${short(1 - st.p)}).`;
    return { dropped, moved: moved.length, ofDropped: ofDropped.length, keptShare };
  }

  function start() {
    running = { ...state };
    points = [];
    job.start({ type: 'overfit', epochs: state.epochs, eta: state.eta, runs: [{}, { dropout: state.p }], seed: state.seed }, (data) => {
      if (data.type === 'point') {
        points.push(data);
        job.epoch(data.epoch, running.epochs);
      }
      showRun();
    });
    showRun();
  }

  function showRun() {
    plot.redraw();
    if (!points.length) return;
    const last = points.at(-1), pct = (v) => `${(100 * v).toFixed(2)}%`;
    const line = (k) => `test accuracy ${pct(last.runs[k].accuracy)}, training accuracy ${pct(last.runs[k].trainingAccuracy)}, a gap of ${(100 * (last.runs[k].trainingAccuracy - last.runs[k].accuracy)).toFixed(2)} points`;
    said.textContent = `Epoch ${last.epoch}. Without dropout: ${line(0)}. With dropout p = ${short(running.p)}: ${line(1)}.`;
    canvas.setAttribute('aria-label', `Accuracy over ${last.epoch} epochs. ${said.textContent}`);
  }

  let stepShown = null;
  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      stepShown = (await showStep(st)) ?? stepShown;
      showRun();
    },
    data: () => ({ status: job.status, points, step: stepShown, record }),
  };
}
