// overfitting.js — figure: overfitting and regularisation (chapter 3). [784, 30, 10] with the
// cross-entropy cost trained on only the first 1,000 training images for many epochs (the book
// uses 400, η = 0.5, mini-batches of 10), in the book's four plots: the training cost keeps
// falling (the book shows epochs 200–399) while the test accuracy stops rising (the book's 82.27%,
// also 200–399), the cost on the test data is least near epoch 15 and then rises, and the
// accuracy on the training data reaches 100%. Beside each, the same with L2 regularisation
// (λ = 0.1), which goes on improving (the book's 87.1%); its costs include the λ term. The core trains both in a Worker (mnist-worker.js), after
// downloading only the 1,000 images and the test set, with a progress bar. Not here: the full
// training page (../index.html).
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { mnistJob } from './kit/job.js';
import { Plot } from './kit/plot.js';

export const schema = {
  epochs: { type: 'int', min: 10, max: 1000, step: 10, default: 400, label: 'Epochs' },
  eta: { type: 'number', min: 0.01, max: 3, step: 0.01, default: 0.5, label: 'Learning rate η' },
  lmbda: { type: 'number', min: 0, max: 10, step: 0.01, default: 0.1, label: 'λ of the regularised run' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 2, label: 'Seed' },
  view: { type: 'choice', values: { book: 'the book’s ranges', all: 'every epoch' }, default: 'book', label: 'Epochs shown' },
};

const RUNS = [['no regularisation', 'goal', [6, 4]], ['L2 regularisation', 'accent', []]];
const BOOK = [0.8227, 0.871]; // the book's accuracies on the test data, chapter 3

/** The book's four plots: what each shows of a run's point, its y label, and the epochs it spans
 * in the book's view ('late': the second half of the run, the book's 200–399 of 400). */
const PLOTS = [
  { key: 'cost', label: 'cost on the training data', span: 'late' },
  { key: 'accuracy', label: 'accuracy on the test data', span: 'late', book: true },
  { key: 'testCost', label: 'cost on the test data', span: 'all', least: true },
  { key: 'trainingAccuracy', label: 'accuracy on the training data', span: 'all', top: 1 },
];

export async function mount(root, { state, set, wasm, result }) {
  const canvases = PLOTS.map((q) => plotCanvas(`The ${q.label} over the epochs`));
  const said = readout();
  const job = mnistJob(wasm, 'Run downloads the first 1,000 training images and the test set (1.8 MB) and trains two networks.', { run: () => start(), changed: () => show() });
  let points = [];
  let running = { ...state };
  const draw = (p, q) => {
    const epochs = Math.max(10, (job.status === 'idle' ? state : running).epochs), from = Math.floor(epochs / 2);
    const late = q.span === 'late' && state.view === 'book' && points.at(-1)?.epoch >= from;
    p.xRange = late ? [from, epochs - 1] : [0, epochs];
    const shown = points.filter((pt) => pt.epoch >= p.xRange[0]), values = shown.flatMap((pt) => pt.runs.map((r) => r[q.key]));
    if (values.length) {
      const lo = Math.min(...values), hi = Math.max(...values, q.top ?? -Infinity), pad = 0.05 * (hi - lo || 1);
      p.yRange = q.key.includes('ccuracy') ? [Math.max(0, lo - pad), Math.min(1, hi + pad)] : [Math.max(0, lo - pad), hi + pad];
    }
    p.axes();
    if (q.book) BOOK.forEach((b, k) => p.line(p.xRange, [b, b], { color: RUNS[k][1], width: 1, dash: [2, 3], alpha: 0.7 }));
    RUNS.forEach(([, color, dash], k) => p.line(shown.map((pt) => pt.epoch), shown.map((pt) => pt.runs[k][q.key]), { color, dash }));
    if (q.least && shown.length > 1) { const at = leastAt(shown, 0); p.vline(at, { text: `least at epoch ${at}` }); }
    p.legend(RUNS.map(([name, color, dash]) => [name, color, dash]));
  };
  const plots = PLOTS.map((q, i) => new Plot(canvases[i], { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: q.label, aspect: 0.65, draw: (p) => draw(p, q) }));
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, (schema[name].type === 'choice' ? choice : slider)(schema[name], state[name], (v) => set({ [name]: v }))]));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [job.node, el('div', { className: 'pair' }, canvases), said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [job.button]), ...Object.values(controls).map((c) => c.node),
      el('p', { className: 'caption', textContent: 'As in the book: its four plots, its settings, and (dotted) its test accuracies, 82.27% and 87.1%. The L2 run’s costs include the λ term (λ/2n)Σw², as network2.py’s total_cost does. In the book’s view the training cost and the test accuracy show epochs 200–399 once the run gets there.' })]));

  function start() {
    running = { ...state };
    points = [];
    job.start({ type: 'overfit', epochs: state.epochs, eta: state.eta, lmbda: state.lmbda, seed: state.seed }, (data) => {
      if (data.type === 'point') {
        points.push(data);
        job.epoch(data.epoch, running.epochs);
      }
      show();
    });
    show();
  }

  function show() {
    plots.forEach((p) => p.redraw());
    if (!points.length) return;
    const last = points.at(-1), best = [0, 1].map((k) => Math.max(...points.map((q) => q.runs[k].accuracy))), pct = (v) => `${(100 * v).toFixed(2)}%`;
    if (job.status === 'done') result?.({ epochs: last.epoch, lmbda: running.lmbda, testAccuracy: last.runs.map((r) => r.accuracy), trainingAccuracy: last.runs.map((r) => r.trainingAccuracy) });
    said.textContent = `Epoch ${last.epoch}. Without regularisation: training cost ${last.runs[0].cost.toFixed(4)}, test accuracy ${pct(last.runs[0].accuracy)} (best ${pct(best[0])}), `
      + `test cost least at epoch ${leastAt(points, 0)}, training accuracy ${pct(last.runs[0].trainingAccuracy)}. With λ = ${running.lmbda}: test accuracy ${pct(last.runs[1].accuracy)} (best ${pct(best[1])}), `
      + `training accuracy ${pct(last.runs[1].trainingAccuracy)}.`;
    PLOTS.forEach((q, i) => canvases[i].setAttribute('aria-label', `The ${q.label} over ${last.epoch} epochs: ${RUNS.map(([name], k) => `${name} ${q.key.includes('ccuracy') ? pct(last.runs[k][q.key]) : last.runs[k][q.key].toFixed(4)}`).join(', ')}.`));
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      show();
    },
    data: () => ({ status: job.status, points, leastTestCost: points.length ? leastAt(points, 0) : null }),
  };
}

/** The epoch at which run k's cost on the test data is least. */
function leastAt(points, k) {
  return points.reduce((best, pt) => (pt.runs[k].testCost < best.runs[k].testCost ? pt : best)).epoch;
}
