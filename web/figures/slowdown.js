// slowdown.js — figure: the learning slowdown (chapter 3). The book's single sigmoid neuron, input
// 1 and target 0, trained by gradient descent from a chosen start (w = 0.6, b = 0.9 learns at
// once; w = 2, b = 2 starts saturated) with the quadratic cost and with the cross-entropy cost side
// by side: the output and the cost over the epochs, replayed by the Run button. The core trains
// both in a Worker (workers/train-worker.js); with the quadratic cost ∂C/∂w = (a − y)σ′(z)x is tiny while
// the neuron is saturated, with the cross-entropy σ′ cancels. Not here: softmax (softmax.js).
import { button, el, plotCanvas, readout, slider } from './kit/controls.js';
import { trainer } from './kit/nets.js';
import { COLORS, Plot } from './kit/plot.js';

export const schema = {
  w: { type: 'number', min: -5, max: 5, step: 0.1, default: 2, label: 'Starting weight w' },
  b: { type: 'number', min: -5, max: 5, step: 0.1, default: 2, label: 'Starting bias b' },
  eta: { type: 'number', min: 0.005, max: 2, step: 0.005, default: 0.15, label: 'Learning rate η' },
  epochs: { type: 'int', min: 10, max: 1000, step: 10, default: 300, label: 'Epochs' },
};

const COSTS = [['quadratic', COLORS.goal, [6, 4]], ['cross-entropy', COLORS.accent, []]];
const PLAY_MS = 2500;

export async function mount(root, { state, set, worker: thread }) {
  const outCanvas = plotCanvas('The neuron’s output over the epochs');
  const costCanvas = plotCanvas('The cost over the epochs');
  const said = readout();
  const worker = trainer(thread);
  let record = null, shown = 0, playing = 0;
  const draw = (p, pick, label) => {
    p.xRange = [0, record ? record[0].costs.length - 1 : state.epochs];
    if (label === 'cost') p.yRange = [0, record ? Math.max(...record.flatMap((r) => r.costs)) * 1.05 : 1];
    p.axes();
    if (!record) return;
    record.forEach((r, k) => {
      const values = pick(r).slice(0, shown + 1);
      p.line(values.map((_, e) => e), values, { color: COSTS[k][1], dash: COSTS[k][2] });
    });
    p.legend(COSTS.map(([name, color, dash]) => [`${name} cost`, color, dash]));
  };
  const outPlot = new Plot(outCanvas, { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: 'output a', aspect: 0.5, draw: (p) => draw(p, (r) => r.outputs.map((o) => o[0]), 'output') });
  const costPlot = new Plot(costCanvas, { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: 'cost', aspect: 0.45, draw: (p) => draw(p, (r) => r.costs, 'cost') });
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  const runButton = button('Run', () => play());
  const starts = el('div', { className: 'buttons' }, [
    button('Start at w = 0.6, b = 0.9', () => set({ w: 0.6, b: 0.9 }), { secondary: true }),
    button('Start at w = 2, b = 2', () => set({ w: 2, b: 2 }), { secondary: true }),
  ]);
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [outCanvas, costCanvas, said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [runButton]), starts, ...Object.values(controls).map((c) => c.node)]));

  function describe() {
    if (!record) return;
    const [q, ce] = record.map((r) => r.outputs.map((o) => o[0]));
    const when = (outs, below) => outs.findIndex((a) => a < below);
    said.textContent = `Epoch ${shown}: output ${q[shown].toFixed(3)} with the quadratic cost, ${ce[shown].toFixed(3)} with the cross-entropy. `
      + `The quadratic cost brings it below 0.5 at epoch ${when(q, 0.5) < 0 ? `– (not within ${q.length - 1})` : when(q, 0.5)}, the cross-entropy at epoch ${when(ce, 0.5) < 0 ? '–' : when(ce, 0.5)}.`;
    outCanvas.setAttribute('aria-label', `The output over ${q.length - 1} epochs. ${said.textContent}`);
    costCanvas.setAttribute('aria-label', `The cost over the epochs: quadratic from ${record[0].costs[0].toFixed(3)} to ${record[0].costs.at(-1).toFixed(3)}, cross-entropy from ${record[1].costs[0].toFixed(3)} to ${record[1].costs.at(-1).toFixed(3)}.`);
  }
  const paint = () => { outPlot.redraw(); costPlot.redraw(); describe(); };

  /** Replays the record from epoch 0 over PLAY_MS (at once for a reader who asks for less motion). */
  function play() {
    if (!record) return;
    const start = performance.now(), last = record[0].costs.length - 1, token = ++playing;
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    const frame = (now) => {
      if (token !== playing) return;
      shown = still ? last : Math.min(last, Math.max(0, Math.round(((now - start) / PLAY_MS) * last))); // a frame's time may precede start
      paint();
      if (shown < last) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const runs = await worker.run({
        nets: COSTS.map(([cost]) => ({ layers: 'fc1', input: [1, 1], cost, params: [st.w, st.b] })),
        xs: [1], ys: [0], hyper: { mini_batch_size: 1, eta: st.eta }, epochs: st.epochs, probe: [1],
      });
      if (!runs) return; // a newer setting's run is on its way
      playing++;
      record = runs;
      shown = 0;
      paint();
    },
    data: () => record && { quadratic: record[0].outputs.map((o) => o[0]), crossEntropy: record[1].outputs.map((o) => o[0]), costs: record.map((r) => r.costs), shown },
  };
}
