// layer-speeds.js — figure: the speed of learning, layer by layer, on MNIST (chapter 5). The
// chapter's evidence for the vanishing gradient: in [784, 30, 30, 10] at the start, each hidden
// neuron's δ = ∂C/∂b (averaged over the first 1,000 training images) drawn as a bar beside it, the
// second hidden layer's bars several times longer than the first's; then the speed of learning
// ‖δˡ‖ of each hidden layer over 500 epochs for two, three and four hidden layers (the book's three
// plots, log scale), with the book's numbers beside ours. The core trains the three networks in a
// Worker (mnist-worker.js, job 'speeds') by generate_gradient.py's settings: network2's defaults
// (cross-entropy, N(0, 1/n_in) weights), batch gradient descent on the 1,000 images, η = 0.1,
// λ = 5. Not here: the chain of single neurons (unstable.js), the formula's window (stable-window.js).
import { networkDiagram } from './kit/diagram.js';
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { mnistJob } from './kit/job.js';
import { Plot, power, powerTicks } from './kit/plot.js';
import { sup } from './kit/notation.js';

export const schema = {
  depth: { type: 'choice', values: { 2: 'two hidden layers', 3: 'three', 4: 'four' }, default: '2', label: 'The network drawn' },
  epochs: { type: 'int', min: 10, max: 1000, step: 10, default: 500, label: 'Epochs' },
  eta: { type: 'number', min: 0.01, max: 1, step: 0.01, default: 0.1, label: 'Learning rate η' },
  lmbda: { type: 'number', min: 0, max: 10, step: 0.1, default: 5, label: 'Regularisation λ' },
  seed: { type: 'int', min: 0, max: 999999, step: 1, default: 1, label: 'Seed' },
};

const DEPTHS = [2, 3, 4];
/** The book's ‖δˡ‖ of each hidden layer at the start (chapter 5). */
export const BOOK = { 2: ['0.07', '0.31'], 3: ['0.012', '0.060', '0.283'], 4: ['0.003', '0.017', '0.070', '0.285'] };
const LINE = ['accent', 'orange', 'goal', 'second'];
const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const fmt = (v) => (v >= 0.01 ? v.toFixed(3) : v.toPrecision(2));

export async function mount(root, { state, set, wasm }) {
  const diagram = networkDiagram('The network at the start, a bar of |δ| beside each hidden neuron');
  const table = el('table', { className: 'run-table' });
  const canvases = DEPTHS.map((d) => plotCanvas(`The speed of learning of each hidden layer over the epochs, ${d} hidden layers`));
  const said = readout();
  const job = mnistJob(wasm, 'Run downloads the first 1,000 training images (0.16 MB), measures the networks at the start, then trains them.', { run: () => start(), changed: () => show() });
  let initial = null, curves = DEPTHS.map(() => []), running = { ...state };
  const plots = DEPTHS.map((d, k) => new Plot(canvases[k], { x: [0, state.epochs], y: [-4, 0], xLabel: 'epochs of training', yLabel: `‖δ‖, ${d} hidden layers`, aspect: 0.6,
    yTicks: powerTicks, yFormat: power, draw: (p) => paint(p, k) }));
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, (schema[name].type === 'choice' ? choice : slider)(schema[name], state[name], (v) => set({ [name]: v }))]));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [job.node, diagram.node, table, el('div', { className: 'pair' }, canvases), said]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, [job.button]), ...Object.values(controls).map((c) => c.node),
      el('p', { className: 'caption', textContent: 'As in the book (generate_gradient.py): network2’s defaults, the first 1,000 training images, batch gradient descent (the whole 1,000 a step), η = 0.1, λ = 5, 500 epochs. The bars are six of each layer’s 30 neurons, as the book draws them; ‖δˡ‖ is over all 30, and δ¹ is the first hidden layer’s, as chapter 5 numbers them. Our networks start from other random weights than the book’s, so the numbers differ a little; the pattern is the book’s.' })]));

  function paint(p, k) {
    const points = curves[k];
    const all = points.flat().filter((v) => v > 0).map(Math.log10);
    p.xRange = [0, Math.max(10, running.epochs)];
    if (all.length) p.yRange = [Math.floor(Math.min(...all)), Math.ceil(Math.max(...all))];
    p.axes();
    for (let h = 0; h < DEPTHS[k]; h++) p.line(points.map((_, e) => e), points.map((s) => Math.log10(Math.max(1e-12, s[h]))), { color: LINE[h] });
    p.legend(Array.from({ length: DEPTHS[k] }, (_, h) => [`hidden layer ${h + 1}`, LINE[h]]));
  }

  /** The picture of the network drawn: [784, 30 × depth, 10], bars of |δ| at the start; drawn
   * again only when the depth shown or the start changes, not at each epoch's speeds. */
  let drawn = null;
  function drawNetwork() {
    const d = Number(state.depth), k = DEPTHS.indexOf(d), deltas = initial?.[k];
    if (drawn && drawn.d === d && drawn.deltas === deltas) return;
    drawn = { d, deltas };
    const longest = deltas ? Math.max(...deltas.flat().map(Math.abs)) : 1;
    const hidden = Array.from({ length: d }, (_, h) => ({
      title: `hidden ${h + 1}`, neurons: Array.from({ length: 30 }, (_, j) => (deltas ? { bar: Math.abs(deltas[h][j]) / longest } : {})),
    }));
    diagram.update({ layers: [{ title: 'input', neurons: 784 }, ...hidden, { title: 'output', neurons: 10 }] },
      deltas ? `[784, ${Array(d).fill(30).join(', ')}, 10]. ${deltas.map((layer, h) => `Hidden layer ${h + 1}: ‖δ‖ = ${fmt(norm(layer))}`).join('; ')}.`
        : `[784, ${Array(d).fill(30).join(', ')}, 10], before Run measures it.`);
    const book = BOOK[d];
    table.replaceChildren(el('caption', { textContent: `‖δˡ‖ at the start, ${d} hidden layers` }),
      el('tr', {}, [el('th', { textContent: 'hidden layer' }), el('th', { textContent: 'this run' }), el('th', { textContent: 'the book' })]),
      ...book.map((b, h) => el('tr', {}, [el('th', { scope: 'row', textContent: `${h + 1} (‖δ${sup(h + 1)}‖)` }),
        el('td', { textContent: deltas ? fmt(norm(deltas[h])) : '—' }), el('td', { textContent: b })])));
  }

  function start() {
    running = { ...state };
    initial = null;
    curves = DEPTHS.map(() => []);
    job.start({ type: 'speeds', depths: DEPTHS, epochs: state.epochs, eta: state.eta, lmbda: state.lmbda, seed: state.seed }, (data) => {
      if (data.type === 'initial') initial = data.deltas;
      else if (data.type === 'speeds') {
        data.speeds.forEach((s, k) => curves[k].push(s));
        job.epoch(data.epoch + 1, running.epochs);
      }
      show();
    });
    show();
  }

  function show() {
    drawNetwork();
    plots.forEach((p) => p.redraw());
    if (!initial) return;
    const start = DEPTHS.map((d, k) => `${d} hidden layers: ${initial[k].map((l, h) => `‖δ${sup(h + 1)}‖ = ${fmt(norm(l))}`).join(', ')} (the book: ${BOOK[d].join(', ')})`);
    const last = curves[2].at(-1), ratio = last && last[3] / last[0];
    said.textContent = `At the start: ${start.join('; ')}. `
      + (last ? `After ${curves[2].length} epochs, with four hidden layers the first learns ${ratio.toFixed(0)} times slower than the last (the book: about 100 times).` : '');
    DEPTHS.forEach((d, k) => canvases[k].setAttribute('aria-label', `Speed of learning, ${d} hidden layers, over ${curves[k].length} epochs: ${curves[k].length ? curves[k].at(-1).map((v, h) => `layer ${h + 1} ${fmt(v)}`).join(', ') : 'not run yet'}.`));
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      show();
    },
    data: () => ({ status: job.status, initial, curves }),
  };
}
