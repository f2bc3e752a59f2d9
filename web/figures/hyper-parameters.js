// hyper-parameters.js — figure: choosing the learning rate, and when to stop (chapter 3). The
// book's plot of the training cost over 30 epochs for η = 0.025 (too small: slow), 0.25 (about
// right) and 2.5 (too large: it oscillates), from multiple_eta.py's settings ([784, 30, 10],
// cross-entropy, N(0, 1/n_in) weights, λ = 5, mini-batches of 10, the 50,000 training images);
// beside them, from the middle η, early stopping by the book's no-improvement-in-ten on the
// validation accuracy, and the book's halving schedule (η halved at each no-improvement-in-ten,
// stop at η₀/128), both the core's schedules. All five runs on one chart of the training cost and
// one of the validation accuracy. The core trains them in a Worker (mnist-worker.js, job 'tune')
// after downloading the training images with a progress bar. Not here: the main page's training.
import { el, plotCanvas, readout, slider } from './kit/controls.js';
import { mnistJob } from './kit/job.js';
import { Plot } from './kit/plot.js';

export const schema = {
  epochs: { type: 'int', min: 2, max: 100, step: 1, default: 30, label: 'Epochs of the three η runs' },
  upto: { type: 'int', min: 2, max: 300, step: 1, default: 60, label: 'Epochs the schedules may run, at most' },
  eta: { type: 'number', min: 0.01, max: 1, step: 0.01, default: 0.25, label: 'η of the schedules' },
  patience: { type: 'int', min: 1, max: 30, step: 1, default: 10, label: 'No improvement in n epochs: n' },
  training: { type: 'int', min: 1000, max: 50000, step: 1000, default: 50000, label: 'Training images' },
  lmbda: { type: 'number', min: 0, max: 10, step: 0.1, default: 5, label: 'Regularisation λ' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 1, label: 'Seed' },
};

/** The runs: the book's three η, then the two schedules from the schedules' η. */
const ETAS = [0.025, 0.25, 2.5];
const RUNS = [
  ...ETAS.map((eta, k) => ({ name: `η = ${eta}`, eta, schedule: 'none', color: ['blue', 'orange', 'goal'][k], dash: [] })),
  { name: 'early stopping', schedule: 'early-stop', color: 'second', dash: [6, 3] },
  { name: 'halving η', schedule: 'halve', color: 'purple', dash: [2, 3] },
];
const pct = (v) => `${(100 * v).toFixed(2)}%`;

export async function mount(root, { state, set, wasm }) {
  const canvases = [plotCanvas('The training cost over the epochs, each run'), plotCanvas('The validation accuracy over the epochs, each run')];
  const said = readout();
  const job = mnistJob(wasm, 'Run downloads MNIST’s training images (9.7 MB) and trains five networks.', { run: () => start(), changed: () => show() });
  let records = RUNS.map(() => []), running = { ...state };
  const span = () => Math.max(running.epochs, ...records.slice(3).map((r) => r.length), 2);
  const chart = (key) => (p) => {
    const values = records.flat().map((r) => r[key]).filter(Number.isFinite);
    p.xRange = [0, span()];
    if (values.length) {
      const lo = Math.min(...values), hi = Math.max(...values), pad = 0.05 * (hi - lo || 1);
      p.yRange = key === 'accuracy' ? [Math.max(0, lo - pad), Math.min(1, hi + pad)] : [Math.max(0, lo - pad), hi + pad];
    }
    p.axes();
    records.forEach((r, k) => {
      p.line(r.map((e) => e.epoch), r.map((e) => e[key]), { color: RUNS[k].color, dash: RUNS[k].dash });
      if (k < 3) r.forEach((e) => p.point(e.epoch, e[key], { color: RUNS[k].color, radius: 2.5 })); // the book's "o-"
      for (const e of r) if (e.action === 'halved' || e.action === 'stop') p.point(e.epoch, e[key], { color: RUNS[k].color, radius: 6, ring: true });
    });
  };
  const plots = [new Plot(canvases[0], { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: 'cost on the training data', aspect: 0.5, draw: chart('cost') }),
    new Plot(canvases[1], { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: 'validation accuracy', aspect: 0.5, draw: chart('accuracy') })];
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  root.classList.add('side');
  const legend = el('ul', { className: 'legend' }, RUNS.map((r) => el('li', {}, [el('span', { className: 'swatch', style: `border-top: 3px ${r.dash.length ? 'dashed' : 'solid'} var(--${r.color})` }), r.name])));
  root.append(el('div', { className: 'plots' }, [job.node, legend, ...canvases, said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [job.button]), ...Object.values(controls).map((c) => c.node),
      el('p', { className: 'caption', textContent: 'As in the book: multiple_eta.py’s networks and settings for the three η (its plot: the cost on the training data, λ term included); early stopping by its no-improvement-in-ten on the validation accuracy (images 50,000 to 59,999); its halving schedule, stopping at η₀/128. Rings mark where a schedule halved η or stopped. Beyond the book: the schedules on the same chart, from the same start as the η = 0.25 run (so the three curves coincide until a schedule acts).' })]));

  function start() {
    running = { ...state };
    records = RUNS.map(() => []);
    const runs = RUNS.map((r) => ({ eta: r.eta ?? state.eta, schedule: r.schedule }));
    job.start({ type: 'tune', runs, patience: state.patience, epochs: state.epochs, upto: state.upto, training: state.training, lmbda: state.lmbda, seed: state.seed }, (data) => {
      if (data.type === 'tuned') {
        records[data.run].push(data);
        const done = records.reduce((n, r) => n + r.length, 0);
        job.progress(done, 3 * running.epochs + 2 * running.upto, `Training: ${RUNS[data.run].name}, epoch ${data.epoch}`);
      }
      show();
    });
    show();
  }

  /** What a run came to: its last cost, its best validation accuracy and when. */
  function summary(k) {
    const r = records[k];
    if (!r.length) return `${RUNS[k].name}: not started`;
    const best = r.reduce((a, b) => (b.accuracy > a.accuracy ? b : a));
    const halved = r.filter((e) => e.action === 'halved').map((e) => e.epoch), stop = r.find((e) => e.action === 'stop');
    return `${RUNS[k].name}: cost ${r.at(-1).cost.toFixed(3)} after ${r.length} epochs, best validation accuracy ${pct(best.accuracy)} at epoch ${best.epoch}`
      + (halved.length ? `, η halved after epochs ${halved.join(', ')}` : '') + (stop ? `, stopped after epoch ${stop.epoch}` : '');
  }

  function show() {
    plots.forEach((p) => p.redraw());
    if (!records.some((r) => r.length)) return;
    said.textContent = `${RUNS.map((_, k) => summary(k)).join('. ')}.`;
    canvases.forEach((c, i) => c.setAttribute('aria-label', `The ${i ? 'validation accuracy' : 'training cost'} of each run: ${RUNS.map((r, k) => `${r.name} ${records[k].length ? (i ? pct(records[k].at(-1).accuracy) : records[k].at(-1).cost.toFixed(3)) : 'not started'}`).join(', ')}.`));
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      show();
    },
    data: () => ({ status: job.status, records }),
  };
}
