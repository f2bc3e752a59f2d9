// overfitting.js — figure: overfitting and regularisation (chapter 3). [784, 30, 10] with the
// cross-entropy cost trained on only the first 1,000 training images for many epochs (the book
// uses 400, η = 0.5, mini-batches of 10): the training cost keeps falling while the test accuracy
// stops rising (the book's 82%); beside it the same with L2 regularisation (λ = 0.1), which goes
// on improving (the book's 87%). The core trains both in a Worker (mnist-worker.js), after
// downloading only the 1,000 images and the test set, with a progress bar. Not here: the full
// training page (../index.html).
import { button, el, plotCanvas, readout, slider } from './kit/controls.js';
import { mnistJob } from './kit/job.js';
import { COLORS, Plot } from './kit/plot.js';

export const schema = {
  epochs: { type: 'int', min: 10, max: 1000, step: 10, default: 400, label: 'Epochs' },
  eta: { type: 'number', min: 0.01, max: 3, step: 0.01, default: 0.5, label: 'Learning rate η' },
  lmbda: { type: 'number', min: 0, max: 10, step: 0.01, default: 0.1, label: 'λ of the regularised run' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 2, label: 'Seed' },
};

const RUNS = [['no regularisation', COLORS.goal, [6, 4]], ['L2 regularisation', COLORS.accent, []]];
const BOOK = [0.8227, 0.871]; // the book's accuracies on the test data, chapter 3

export async function mount(root, { state, set, wasm }) {
  const costCanvas = plotCanvas('The cost on the 1,000 training images over the epochs');
  const accuracyCanvas = plotCanvas('The accuracy on the test set over the epochs');
  const said = readout();
  const job = mnistJob(wasm, 'Run downloads the first 1,000 training images and the test set (1.8 MB) and trains two networks.');
  let points = [], status = 'idle';
  const draw = (p, pick, label) => {
    p.xRange = [0, Math.max(10, (status === 'idle' ? state : running).epochs)];
    if (label === 'cost' && points.length) p.yRange = [0, Math.max(...points.flatMap((q) => q.runs.map((r) => r.cost))) * 1.05];
    if (label === 'accuracy' && points.length) p.yRange = [Math.min(0.7, ...points.slice(3).flatMap((q) => q.runs.map((r) => r.accuracy))), 0.95];
    p.axes();
    if (label === 'accuracy') BOOK.forEach((b, k) => p.line(p.xRange, [b, b], { color: RUNS[k][1], width: 1, dash: [2, 3], alpha: 0.7 }));
    RUNS.forEach(([, color, dash], k) => p.line(points.map((q) => q.epoch), points.map((q) => pick(q.runs[k])), { color, dash }));
    p.legend(RUNS.map(([name, color, dash]) => [name, color, dash]));
  };
  let running = { ...state };
  const costPlot = new Plot(costCanvas, { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: 'training cost', aspect: 0.45, draw: (p) => draw(p, (r) => r.cost, 'cost') });
  const accPlot = new Plot(accuracyCanvas, { x: [0, state.epochs], y: [0.7, 0.95], xLabel: 'epoch', yLabel: 'test accuracy', aspect: 0.45, draw: (p) => draw(p, (r) => r.accuracy, 'accuracy') });
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  const runButton = button('Run', () => (status === 'training' ? send('pause') : status === 'paused' ? send('resume') : start()));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [job.node, accuracyCanvas, costCanvas, said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [runButton]), ...Object.values(controls).map((c) => c.node),
      el('p', { className: 'caption', textContent: 'Dotted: the book’s test accuracies, 82.27% and 87.1%.' })]));

  const send = (type) => {
    job.send(type);
    status = type === 'pause' ? 'paused' : 'training';
    show();
  };
  function start() {
    running = { ...state };
    points = [];
    status = 'training';
    job.start({ type: 'overfit', epochs: state.epochs, eta: state.eta, lmbda: state.lmbda, seed: state.seed }, (data) => {
      if (data.type === 'point') {
        points.push(data);
        job.progress(data.epoch, running.epochs, `Training: epoch ${data.epoch} of ${running.epochs}`);
      } else if (data.type === 'done' || data.type === 'error') {
        status = data.type === 'done' ? 'done' : 'idle';
      }
      show();
    });
    show();
  }

  function show() {
    runButton.textContent = status === 'training' ? 'Pause' : status === 'paused' ? 'Resume' : status === 'done' ? 'Run again' : 'Run';
    costPlot.redraw(); accPlot.redraw();
    if (!points.length) return;
    const last = points.at(-1), best = [0, 1].map((k) => Math.max(...points.map((q) => q.runs[k].accuracy)));
    said.textContent = `Epoch ${last.epoch}: training cost ${last.runs[0].cost.toFixed(4)} and test accuracy ${(100 * last.runs[0].accuracy).toFixed(2)}% (best ${(100 * best[0]).toFixed(2)}%) without regularisation; `
      + `${last.runs[1].cost.toFixed(4)} and ${(100 * last.runs[1].accuracy).toFixed(2)}% (best ${(100 * best[1]).toFixed(2)}%) with λ = ${running.lmbda}.`;
    accuracyCanvas.setAttribute('aria-label', `Test accuracy over ${last.epoch} epochs. ${said.textContent}`);
    costCanvas.setAttribute('aria-label', `Training cost over ${last.epoch} epochs: from ${points[0].runs[0].cost.toFixed(3)} to ${last.runs[0].cost.toFixed(4)} without regularisation.`);
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      show();
    },
    data: () => ({ status, points }),
  };
}
