// softmax.js — figure: softmax (chapter 3). Four weighted inputs z1..z4 on sliders and the
// output activations a_j = e^{z_j} / Σ_k e^{z_k}, live: raising one z raises its a and lowers
// every other (they always sum to 1), and the log-likelihood cost −ln a_y of the chosen target.
// The core computes them: a softmax layer fed z through identity weights (nndl_network_trace,
// which gives its cost too). Not here: the cross-entropy (slowdown.js).
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { setLayer, shaped } from './kit/nets.js';
import { sub } from './kit/notation.js';
import { COLORS, Plot } from './kit/plot.js';

const N = 4;
const Z = { type: 'number', min: -5, max: 5, step: 0.1 };

export const schema = {
  z: { ...Z, type: 'list', length: [N, N], default: [2.5, -1, 3.2, 0.5], label: 'Weighted inputs z' },
  y: { type: 'choice', values: { 1: 'a₁', 2: 'a₂', 3: 'a₃', 4: 'a₄' }, default: '3', label: 'The right answer (for the cost)' },
};

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The output activations');
  const said = readout();
  let drawn = null, previous = null;
  const plot = new Plot(canvas, { x: [0.5, N + 0.5], y: [0, 1], xLabel: 'output neuron j', yLabel: 'aⱼ', aspect: 0.5, xTicks: [1, 2, 3, 4], draw: (p) => drawn && paint(p) });
  const sliders = Array.from({ length: N }, (_, j) => slider(Z, state.z[j], (v) => set({ z: state.z.map((z, k) => (k === j ? v : z)) }), { label: `z${sub(j + 1)}` }));
  const target = choice(schema.y, state.y, (y) => set({ y }));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [canvas, said]), el('div', { className: 'controls' }, [...sliders.map((c) => c.node), target.node]));
  const net = await shaped([N, N], { output: 'softmax', cost: 'log-likelihood' });
  const identity = new Float32Array(N * N).map((_, i) => (i % (N + 1) === 0 ? 1 : 0));
  setLayer(net, 1, identity, new Float32Array(N));

  function paint(p) {
    p.axes();
    const c = p.ctx, width = (p.x(1) - p.x(0)) * 0.6;
    drawn.a.forEach((a, j) => {
      c.fillStyle = String(j + 1) === drawn.y ? COLORS.accent : COLORS.pale;
      c.fillRect(p.x(j + 1) - width / 2, p.y(a), width, p.y(0) - p.y(a));
      c.fillStyle = COLORS.ink; c.textAlign = 'center'; c.textBaseline = 'bottom';
      c.fillText(a.toFixed(3), p.x(j + 1), p.y(a) - 3);
      if (drawn.change) {
        const d = drawn.change[j];
        c.fillStyle = d > 0 ? COLORS.second : COLORS.goal;
        c.fillText(`${d > 0 ? '+' : ''}${d.toFixed(3)}`, p.x(j + 1), p.y(0) - 4);
      }
    });
  }

  return {
    async render(st) {
      sliders.forEach((c, j) => c.update(st.z[j]));
      target.update(st.y);
      const t = net.trace(st.z, Array.from({ length: N }, (_, j) => (String(j + 1) === st.y ? 1 : 0)));
      const a = Array.from(t.a[1]), sum = a.reduce((s, v) => s + v, 0);
      drawn = { a, y: st.y, sum, cost: t.cost, change: previous && previous.length === N ? a.map((v, j) => v - previous[j]) : null };
      previous = a;
      plot.redraw();
      said.textContent = `a = (${a.map((v) => v.toFixed(3)).join(', ')}), summing to ${sum.toFixed(6)}; the log-likelihood cost −ln a${sub(st.y)} = ${t.cost.toFixed(3)}.`
        + `${drawn.change ? ' The change each output made with the last move is under its bar.' : ''}`;
      canvas.setAttribute('aria-label', `Bars of the output activations. ${said.textContent}`);
    },
    data: () => drawn && { a: drawn.a, sum: drawn.sum, cost: drawn.cost },
  };
}
