// unstable.js — figure: the unstable gradient (chapter 5). The book's chain of four sigmoid
// neurons (neuron j has weight wⱼ and bias bⱼ), input x and target y, drawn beside the plot;
// ∂C/∂b₁ = σ′(z₁) · w₂σ′(z₂) · w₃σ′(z₃) · w₄σ′(z₄) · ∂C/∂a₄ (the book's eq. 122) shown term by term,
// and each neuron's speed of learning |∂C/∂bⱼ| = |δⱼ|, all from one pass of the core's
// backpropagation (nndl_network_trace: z, a, δ and σ′(z) of every neuron, by the core's rule; the
// cost's ∂C/∂a₄ is BP1's δ₄ / σ′(z₄)). Presets: N(0, 1) weights drawn by the core (the gradient
// vanishes: each |w σ′(z)| < 1/4 mostly), and w = 100 with biases that keep z = 0, σ′(z) = 1/4 (it
// explodes: a factor 25 per layer). Not here: a deep network learning MNIST (the main page).
import { button, el, plotCanvas, readout, slider } from './kit/controls.js';
import { Network } from '../lib/nndl.js';
import { setLayer, shaped } from './kit/nets.js';
import { COLORS, Plot } from './kit/plot.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { short, sub } from './kit/notation.js';

const L = 4, SIZES = [1, 1, 1, 1, 1];
const W = { type: 'number', min: -100, max: 100, step: 0.1 }, B = { type: 'number', min: -400, max: 400, step: 0.1 };

export const schema = {
  w: { ...W, type: 'list', length: [L, L], default: [0.8, -1.2, 0.6, 1.5], label: 'Weights' },
  b: { ...B, type: 'list', length: [L, L], default: [0.3, -0.5, 0.9, -0.2], label: 'Biases' },
  x: { type: 'number', min: -1, max: 1, step: 0.05, default: 1, label: 'Input x' },
  y: { type: 'number', min: 0, max: 1, step: 0.05, default: 0, label: 'Target y' },
};

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('Each layer’s speed of learning');
  const terms = el('p', { className: 'equation' });
  const said = readout();
  let drawn = null, seed = 1;
  const picture = networkDiagram('The chain of four neurons');
  const plot = new Plot(canvas, { x: [0.5, L + 0.5], y: [-8, 2], xLabel: 'neuron j (the book’s numbering; the input x comes before neuron 1)', yLabel: 'log₁₀ |∂C/∂b|', aspect: 0.45, xTicks: [1, 2, 3, 4], draw: (p) => drawn && paint(p) });
  const weights = state.w.map((_, l) => slider({ ...W, default: 1 }, state.w[l], (v) => set({ w: state.w.map((w, k) => (k === l ? v : w)) }), { label: `w${sub(l + 1)}` }));
  const biases = state.b.map((_, l) => slider({ ...B, default: 0 }, state.b[l], (v) => set({ b: state.b.map((b, k) => (k === l ? v : b)) }), { label: `b${sub(l + 1)}` }));
  const x = slider(schema.x, state.x, (v) => set({ x: v })), y = slider(schema.y, state.y, (v) => set({ y: v }));
  const presets = el('div', { className: 'buttons' }, [
    button('Vanishing: N(0, 1) weights', () => vanishing(), { secondary: true }),
    button('Exploding: w = 100, z = 0', () => exploding(), { secondary: true }),
  ]);
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, terms, canvas, said]),
    el('div', { className: 'controls' }, [presets, x.node, y.node, ...weights.flatMap((c, l) => [c.node, biases[l].node])]));
  const net = await shaped(SIZES, { output: 'sigmoid' });

  /** The book's vanishing case: weights and biases drawn by the core, N(0, 1) (a new seed each time). */
  async function vanishing() {
    const drawnNet = await Network.create(SIZES, { init: 'large', seed: seed++ });
    const p = drawnNet.params, round = (v) => Math.round(v * 100) / 100;
    set({ w: [1, 2, 3, 4].map((l) => round(p[drawnNet.weightsOffset(l)])), b: [1, 2, 3, 4].map((l) => round(p[drawnNet.biasesOffset(l)])) });
    drawnNet.free();
  }
  /** The exploding case: w = 100 and each bias −100 a_{l−1}, so every z = 0 and σ′(z) = 1/4. */
  function exploding() {
    const b = [-100 * state.x];
    for (let l = 1; l < L; l++) b.push(-100 * 0.5); // a = σ(0) = 1/2 feeds the next neuron
    set({ w: [100, 100, 100, 100], b });
  }

  function paint(p) {
    const logs = drawn.speeds.map((s) => Math.log10(Math.max(s, 1e-30)));
    p.yRange = [Math.floor(Math.min(...logs, -1)) - 0.5, Math.ceil(Math.max(...logs, 0)) + 0.5];
    p.axes();
    const c = p.ctx, width = (p.x(1) - p.x(0)) * 0.5;
    logs.forEach((v, l) => {
      c.fillStyle = COLORS.accent;
      const top = Math.min(p.y(v), p.y(p.yRange[0])), bottom = p.y(p.yRange[0]);
      c.fillRect(p.x(l + 1) - width / 2, top, width, bottom - top);
      c.fillStyle = COLORS.ink; c.textAlign = 'center'; c.textBaseline = 'bottom';
      c.fillText(drawn.speeds[l].toExponential(1), p.x(l + 1), top - 2);
    });
  }

  return {
    async render(st) {
      weights.forEach((c, l) => c.update(st.w[l]));
      biases.forEach((c, l) => c.update(st.b[l]));
      x.update(st.x); y.update(st.y);
      for (let l = 1; l <= L; l++) setLayer(net, l, [st.w[l - 1]], [st.b[l - 1]]);
      const t = net.trace([st.x], [st.y]);
      const j4 = [1, 2, 3, 4], fprime = j4.map((l) => t.prime[l][0]), delta = j4.map((l) => t.delta[l][0]);
      // BP1 divided back out; where σ′(z₄) is 0 in floats the cost's own derivative a₄ − y is written
      const dCda = fprime[3] !== 0 ? delta[3] / fprime[3] : t.a[4][0] - st.y;
      const speeds = delta.map(Math.abs), factors = [1, 2, 3].map((j) => st.w[j] * fprime[j]); // wⱼσ′(zⱼ), j = 2, 3, 4
      const product = fprime[0] * factors[0] * factors[1] * factors[2] * dCda;
      drawn = { speeds, product, grad: delta[0], factors };
      plot.redraw();
      const g = (v) => v.toPrecision(3);
      terms.textContent = `∂C/∂b₁ = σ′(z₁) · w₂σ′(z₂) · w₃σ′(z₃) · w₄σ′(z₄) · ∂C/∂a₄ = ${g(fprime[0])} · ${factors.map(g).join(' · ')} · ${g(dCda)} = ${g(delta[0])} (backpropagation’s δ₁)`;
      const ratio = speeds[0] / speeds[3];
      said.textContent = `Neuron 1 learns ${ratio < 1 ? `${(1 / ratio).toPrecision(3)} times slower` : `${ratio.toPrecision(3)} times faster`} than neuron 4: |∂C/∂b₁| = ${g(speeds[0])}, |∂C/∂b₄| = ${g(speeds[3])}. `
        + `The terms wⱼσ′(zⱼ): ${factors.map((f, k) => `w${sub(k + 2)}σ′(z${sub(k + 2)}) = ${g(f)}`).join(', ')}${factors.every((f) => Math.abs(f) < 1) ? ': all below 1 in size, so the gradient shrinks going back' : factors.every((f) => Math.abs(f) > 1) ? ': all above 1 in size, so the gradient grows going back' : ''}.`;
      picture.update({
        layers: [{ title: 'input', neurons: [{ label: `x=${short(st.x)}` }] },
          ...j4.map((l, k) => ({ title: `neuron ${l}`, neurons: [{ label: `b=${short(st.b[k])}`, note: `σ′(z${sub(l)}) = ${g(fprime[k])}`, select: focusing(biases[k]) }] }))],
        edges: j4.map((l, k) => ({ from: [k, 0], to: [k + 1, 0], label: `w${sub(l)} = ${short(st.w[k])}`, weight: st.w[k], select: focusing(weights[k]) })),
      }, `x → neuron 1 → neuron 2 → neuron 3 → neuron 4 → C, weights ${st.w.map(short).join(', ')}, biases ${st.b.map(short).join(', ')}.`);
      canvas.setAttribute('aria-label', `Bars of |∂C/∂b| for layers 1 to 4: ${speeds.map(g).join(', ')}. ${said.textContent}`);
    },
    data: () => drawn,
  };
}
