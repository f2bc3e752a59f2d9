// noise.js — figure: mini-batch noise (chapter 1). How far the gradient of a random mini-batch
// points from the gradient of the whole training set, as an angle, for mini-batches of 1 (online
// learning) to 1,000 examples, on network.py's [784, 30, 10] as initialised or after its first
// epoch: why stochastic gradient descent works (a mini-batch of 10 already points the right way
// on the whole), and what online learning costs (single examples scatter widely). Every gradient
// is the core's backpropagation (nndl_network_gradient) in a Worker, after downloading MNIST's
// training images (9.7 MB) with a progress bar. Not here: training curves (the main page).
import { el, plotCanvas, readout, slider, toggle } from './kit/controls.js';
import { mnistJob } from './kit/job.js';
import { COLORS, Plot } from './kit/plot.js';

const SIZES = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

export const schema = {
  samples: { type: 'int', min: 3, max: 50, step: 1, default: 12, label: 'Mini-batches of each size' },
  trained: { type: 'bool', default: false, label: 'After the first epoch of training (η = 3)' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 1, label: 'Seed' },
};

export async function mount(root, { state, set, wasm }) {
  const canvas = plotCanvas('The angle between mini-batch gradients and the whole set’s, by mini-batch size');
  const said = readout();
  const job = mnistJob(wasm, 'Run downloads MNIST’s training images (9.7 MB), then measures.', { run: () => start(), changed: () => show() });
  let results = [];
  const plot = new Plot(canvas, { x: [-0.2, 3.2], y: [0, 90], xLabel: 'mini-batch size', yLabel: 'angle to the full gradient (°)', aspect: 0.55, xTicks: [0, 1, 2, 3], draw: (p) => paint(p) });
  const controls = { samples: slider(schema.samples, state.samples, (v) => set({ samples: v })), trained: toggle(schema.trained, state.trained, (v) => set({ trained: v })), seed: slider(schema.seed, state.seed, (v) => set({ seed: v })) };
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [job.node, canvas, said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [job.button]), ...Object.values(controls).map((c) => c.node)]));

  function paint(p) {
    p.axes();
    const c = p.ctx;
    c.fillStyle = COLORS.panel; c.fillRect(p.left, p.bottom + 2, p.right - p.left, 14); // tick labels as sizes
    c.fillStyle = COLORS.muted; c.textAlign = 'center'; c.textBaseline = 'top';
    for (const k of [0, 1, 2, 3]) c.fillText(String(10 ** k), p.x(k), p.bottom + 4);
    for (const { size, angles } of results) angles.forEach((a) => p.point(Math.log10(size), a, { color: 'faint', radius: 2.5 }));
    const means = results.map(({ size, angles }) => [Math.log10(size), angles.reduce((s, a) => s + a, 0) / angles.length]);
    if (means.length) p.line(means.map((m) => m[0]), means.map((m) => m[1]), { color: 'accent' });
  }

  function start() {
    results = [];
    job.start({ type: 'noise', sizes: SIZES, samples: state.samples, trained: state.trained, seed: state.seed }, (data) => {
      if (data.type === 'angles') {
        results.push(data);
        job.progress(results.length, SIZES.length, `Measured mini-batches of ${data.size}`);
      }
      show();
    });
    show();
  }

  function show() {
    plot.redraw();
    const mean = (size) => { const r = results.find((x) => x.size === size); return r && r.angles.reduce((s, a) => s + a, 0) / r.angles.length; };
    if (!results.length) return;
    const one = mean(1), ten = mean(10), big = mean(results.at(-1).size);
    said.textContent = `Mean angle to the whole set’s gradient: ${one?.toFixed(1)}° for single examples (online learning), ${ten ? `${ten.toFixed(1)}° for mini-batches of 10, ` : ''}${big.toFixed(1)}° for ${results.at(-1).size}. `
      + 'A mini-batch’s gradient points roughly the right way, for a fraction of the work: that is why SGD works.';
    canvas.setAttribute('aria-label', `Angles by mini-batch size. ${said.textContent}`);
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      show();
    },
    data: () => ({ status: job.status, results }),
  };
}
