// slowdown.js — figure: the learning slowdown (chapter 3). The book's single sigmoid neuron, input
// 1 and target 0, trained by gradient descent from a chosen start (w = 0.6, b = 0.9 learns at
// once; w = 2, b = 2 starts saturated) with the quadratic cost and with the cross-entropy cost side
// by side: the output over the epochs, each cost on its own axis (the cross-entropy starts near 4,
// the quadratic near 0.5: on one axis the quadratic's plateau, the lesson, would be a line at the
// bottom), and w, b, a and the cost of each as the record replays — Run plays it, Pause stops it,
// and the epoch slider steps it by keyboard. The core trains both in a Worker
// (workers/train-worker.js); with the quadratic cost ∂C/∂w = (a − y)σ′(z)x is tiny while the neuron
// is saturated, with the cross-entropy σ′ cancels. Each cost has its own η: the book used 0.15
// for the quadratic and 0.005 for the cross-entropy (a preset); by default both are 0.15, so that
// the two compare step for step (beyond the book, and said so). Not here: softmax (softmax.js).
import { button, el, plotCanvas, readout, reducedMotion, slider } from './kit/controls.js';
import { trainer } from './kit/nets.js';
import { short } from './kit/notation.js';
import { Plot } from './kit/plot.js';

export const schema = {
  w: { type: 'number', min: -5, max: 5, step: 0.1, default: 2, label: 'Starting weight w' },
  b: { type: 'number', min: -5, max: 5, step: 0.1, default: 2, label: 'Starting bias b' },
  eta: { type: 'number', min: 0.001, max: 2, step: 0.001, default: 0.15, label: 'Learning rate η, quadratic cost' },
  etaCE: { type: 'number', min: 0.001, max: 2, step: 0.001, default: 0.15, label: 'Learning rate η, cross-entropy cost' },
  epochs: { type: 'int', min: 10, max: 1000, step: 10, default: 300, label: 'Epochs' },
};

/** A link that sets only eta (as links did before each cost had its own) sets both. */
export function fix(state, notes, given) {
  if (given?.has('eta') && !given.has('etaCE')) state.etaCE = state.eta;
}

/** The book's runs: its η for each cost (0.15 and 0.005) from each of its two starts. */
export const BOOK = { eta: 0.15, etaCE: 0.005, epochs: 300 };

const COSTS = [['quadratic', 'goal', [6, 4]], ['cross-entropy', 'accent', []]];
const PLAY_MS = 2500;

export async function mount(root, { state, set, worker: thread }) {
  const outCanvas = plotCanvas('The neuron’s output over the epochs');
  const costCanvases = COSTS.map(([name]) => plotCanvas(`The ${name} cost over the epochs`));
  const said = readout();
  const worker = trainer(thread);
  let record = null, shown = 0, playing = 0;
  const lines = (p, pick, which = [0, 1]) => {
    p.xRange = [0, record ? record[0].costs.length - 1 : state.epochs];
    p.axes();
    if (!record) return;
    for (const k of which) {
      const values = pick(record[k]).slice(0, shown + 1);
      p.line(values.map((_, e) => e), values, { color: COSTS[k][1], dash: COSTS[k][2] });
    }
  };
  const outPlot = new Plot(outCanvas, { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: 'output a', aspect: 0.45, draw: (p) => {
    lines(p, (r) => r.outputs.map((o) => o[0]));
    p.legend(COSTS.map(([name, color, dash]) => [`${name} cost`, color, dash]));
  } });
  const costPlots = costCanvases.map((canvas, k) => new Plot(canvas, { x: [0, state.epochs], y: [0, 1], xLabel: 'epoch', yLabel: `${COSTS[k][0]} cost`, aspect: 0.6, draw: (p) => {
    if (record) p.yRange = [0, Math.max(...record[k].costs) * 1.05 || 1];
    lines(p, (r) => r.costs, [k]);
  } }));
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  const runButton = button('Run', () => (playing && timer ? pause() : play()));
  const EPOCH = { type: 'int', min: 0, max: state.epochs, step: 1 }; // its max follows the epochs
  const epoch = slider(EPOCH, 0, (e) => { pause(); show(e); }, { label: 'Epoch shown (arrow keys step it)' });
  const starts = el('div', { className: 'buttons' }, [
    button('Start at w = 0.6, b = 0.9', () => set({ w: 0.6, b: 0.9 }), { secondary: true }),
    button('Start at w = 2, b = 2', () => set({ w: 2, b: 2 }), { secondary: true }),
    button('The book’s η: 0.15 and 0.005', () => set(BOOK), { secondary: true }),
  ]);
  const table = el('table', { className: 'run-table' });
  const note = el('p', { className: 'caption' });
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [outCanvas, el('div', { className: 'pair' }, costCanvases), table, said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [runButton]), starts, ...Object.values(controls).map((c) => c.node), note, epoch.node]));

  /** w, b, the output and the cost of each run at the epoch shown. */
  function readouts() {
    const head = el('tr', {}, ['', 'w', 'b', 'output a', 'cost'].map((t) => el('th', { textContent: t, scope: 'col' })));
    const rows = record.map((r, k) => {
      const [w, b] = r.params?.[shown] ?? [NaN, NaN];
      return el('tr', {}, [el('th', { textContent: COSTS[k][0], scope: 'row' }), ...[w, b, r.outputs[shown][0], r.costs[shown]].map((v) => el('td', { textContent: v.toFixed(3) }))]);
    });
    table.replaceChildren(el('caption', { textContent: `Epoch ${shown} of ${record[0].costs.length - 1}` }), el('thead', {}, head), el('tbody', {}, rows));
  }

  function describe() {
    const [q, ce] = record.map((r) => r.outputs.map((o) => o[0]));
    const when = (outs, below) => outs.findIndex((a) => a < below);
    said.textContent = `Epoch ${shown}: output ${q[shown].toFixed(3)} with the quadratic cost, ${ce[shown].toFixed(3)} with the cross-entropy. `
      + `The quadratic cost brings it below 0.5 at epoch ${when(q, 0.5) < 0 ? `– (not within ${q.length - 1})` : when(q, 0.5)}, the cross-entropy at epoch ${when(ce, 0.5) < 0 ? '–' : when(ce, 0.5)}.`;
    outCanvas.setAttribute('aria-label', `The output over ${q.length - 1} epochs. ${said.textContent}`);
    record.forEach((r, k) => costCanvases[k].setAttribute('aria-label', `The ${COSTS[k][0]} cost over the epochs: from ${r.costs[0].toFixed(3)} to ${r.costs.at(-1).toFixed(3)}.`));
  }
  const show = (e) => {
    shown = Math.max(0, Math.min(record ? record[0].costs.length - 1 : 0, e));
    epoch.update(shown);
    if (!record) return;
    outPlot.redraw(); costPlots.forEach((p) => p.redraw());
    readouts(); describe();
  };

  let timer = 0;
  /** Replays the record from the epoch shown (from 0 at the end) over PLAY_MS for the whole run,
   * at once for a reader who asks for less motion. */
  function play() {
    if (!record) return;
    const last = record[0].costs.length - 1, from = shown >= last ? 0 : shown, start = performance.now(), token = ++playing;
    const still = reducedMotion();
    runButton.textContent = 'Pause';
    const frame = (now) => {
      if (token !== playing) return;
      show(still ? last : Math.min(last, from + Math.max(0, Math.round(((now - start) / PLAY_MS) * last)))); // a frame's time may precede start
      if (shown < last) timer = requestAnimationFrame(frame);
      else pause();
    };
    timer = requestAnimationFrame(frame);
  }
  function pause() {
    playing++;
    cancelAnimationFrame(timer);
    timer = 0;
    runButton.textContent = 'Run';
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const book = st.eta === BOOK.eta && st.etaCE === BOOK.etaCE;
      note.textContent = book ? 'As in the book: η = 0.15 for the quadratic cost and 0.005 for the cross-entropy. The book says the choice does not matter here: what matters is the shape of the curves — the cross-entropy learns fastest when it is most wrong.'
        : st.eta === st.etaCE ? `Beyond the book: the same η = ${short(st.eta)} for both costs, so that they compare step for step (the book used 0.15 and 0.005; its preset is above).`
          : `η = ${short(st.eta)} for the quadratic cost and ${short(st.etaCE)} for the cross-entropy.`;
      const runs = await worker.run({
        nets: COSTS.map(([cost], k) => ({ layers: 'fc1', input: [1, 1], cost, params: [st.w, st.b], hyper: { eta: k ? st.etaCE : st.eta } })),
        xs: [1], ys: [0], hyper: { mini_batch_size: 1, eta: st.eta }, epochs: st.epochs, probe: [1],
      });
      if (!runs) return; // a newer setting's run is on its way
      pause();
      record = runs;
      EPOCH.max = st.epochs;
      for (const input of epoch.node.querySelectorAll('input')) input.max = st.epochs;
      show(0);
    },
    data: () => record && { quadratic: record[0].outputs.map((o) => o[0]), crossEntropy: record[1].outputs.map((o) => o[0]), costs: record.map((r) => r.costs), params: record.map((r) => r.params[shown]), shown, playing: Boolean(timer) },
  };
}
