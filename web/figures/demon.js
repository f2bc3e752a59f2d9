// demon.js — figure: the demon and the paths (chapter 2). The book's demon sits at neuron j of
// layer l and adds Δz to its weighted input: the cost changes by about δˡⱼ Δz, δˡⱼ = ∂C/∂zˡⱼ being
// what backpropagation computes. Here a [2, 3, 2] network of sigmoid neurons and one example, the
// reader picks the neuron and Δz: the core computes the cost without and with the demon (adding
// Δz to the weighted input is adding it to the neuron's bias) and δ by backpropagation; a plot
// shows ΔC against Δz beside the tangent δΔz. Then the book's big picture: ∂C/∂w for a weight the
// reader picks, as the sum over every path from it to the cost of the product of the rates along
// it — σ′(z)·a for the weight's own neuron, σ′(z)·w for each step on, ∂C/∂a at the end — each rate
// from the core's trace, the sum against backpropagation's. Not here: the steps of
// backpropagation itself (backprop.js).
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { networkDiagram } from './kit/diagram.js';
import { setLayer, shaped } from './kit/nets.js';
import { short, sub, sup } from './kit/notation.js';
import { Plot } from './kit/plot.js';

const SIZES = [2, 3, 2];
// the book's layers: 1 (input), 2 (hidden), 3 (output); the core's are 0, 1, 2
const NEURONS = Object.fromEntries([[2, 3], [3, 2]].flatMap(([l, n]) => Array.from({ length: n }, (_, j) => [`${l}.${j + 1}`, `neuron ${j + 1} of layer ${l}`])));
const WEIGHTS = Object.fromEntries([[2, 3, 2], [3, 2, 3]].flatMap(([l, n, m]) => Array.from({ length: n * m }, (_, i) => {
  const j = Math.floor(i / m) + 1, k = (i % m) + 1;
  return [`${l}.${j}.${k}`, `w${sup(l)}${sub(j)}${sub(k)}`];
})));

export const schema = {
  x: { type: 'list', min: -2, max: 2, length: [2, 2], default: [1, 0.5], label: 'Input x' },
  y: { type: 'list', min: 0, max: 1, length: [2, 2], default: [1, 0], label: 'Target y' },
  p: { type: 'list', min: -5, max: 5, length: [17, 17], default: [0.5, -1.2, 1.5, 0.8, -0.7, 1.1, 0.2, -0.4, 0.3, 1.2, -0.9, 0.6, -1.1, 0.7, 1.3, -0.2, 0.4], label: 'Weights and biases' },
  at: { type: 'choice', values: NEURONS, default: '2.2', label: 'The demon sits at' },
  dz: { type: 'number', min: -2, max: 2, step: 0.01, default: 0.5, label: 'Δz, added to its weighted input' },
  w: { type: 'choice', values: WEIGHTS, default: '2.1.1', label: 'Paths from the weight' },
};

const DZ = Array.from({ length: 41 }, (_, i) => -2 + i / 10);

export async function mount(root, { state, set }) {
  const net = await shaped(SIZES, { hidden: 'sigmoid', output: 'sigmoid' });
  const picture = networkDiagram('The network with the demon');
  const canvas = plotCanvas('The change of the cost against Δz');
  const said = readout(), paths = el('ol', { className: 'equations' }), sum = el('p', { className: 'equation' });
  let drawn = null;
  const plot = new Plot(canvas, { x: [-2, 2], y: [-0.2, 0.2], xLabel: 'Δz', yLabel: 'ΔC', aspect: 0.5, draw: (p) => drawn && paint(p) });
  const at = choice(schema.at, state.at, (v) => set({ at: v })), dz = slider(schema.dz, state.dz, (v) => set({ dz: v }));
  const weight = choice(schema.w, state.w, (v) => set({ w: v }));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, said, canvas, el('h2', { className: 'step-title', textContent: 'The paths from a weight to the cost' }), paths, sum]),
    el('div', { className: 'controls' }, [at.node, dz.node, weight.node]));

  const load = (p) => { setLayer(net, 1, p.slice(0, 6), p.slice(6, 9)); setLayer(net, 2, p.slice(9, 15), p.slice(15, 17)); };
  /** The core's cost with Δz added to neuron j of (core) layer l: its bias moved by Δz. */
  const costWith = (st, l, j, d) => {
    const p = [...st.p];
    p[l === 1 ? 6 + j : 15 + j] += d;
    load(p);
    return net.trace(st.x, st.y).cost;
  };

  function paint(p) {
    const all = [...drawn.curve, ...DZ.map((d) => drawn.delta * d)];
    p.yRange = [Math.min(...all) - 0.01, Math.max(...all) + 0.01];
    p.axes();
    p.line(DZ, DZ.map((d) => drawn.delta * d), { color: 'goal', dash: [5, 3] });
    p.line(DZ, drawn.curve);
    p.point(drawn.dz, drawn.change, { color: 'accent' });
    p.legend([['ΔC, the core’s cost with the demon less without', 'accent'], ['δΔz, backpropagation’s estimate', 'goal', [5, 3]]]);
  }

  /** The paths from weight w^l_jk (book's l) to the cost, each a list of [rate name, value]. */
  function pathsOf(st, t, l, j, k) {
    const a = (L, n) => (L === 1 ? st.x[n] : t.a[L - 1][n]), wOut = (m, n) => st.p[9 + m * 3 + n];
    const dCda = (m) => t.delta[2][m] / t.prime[2][m]; // BP1 divided back out (σ′ > 0 here)
    const first = [`σ′(z${sup(l)}${sub(j + 1)})·a${sup(l - 1)}${sub(k + 1)}`, t.prime[l - 1][j] * a(l - 1, k)];
    if (l === 3) return [[first, [`∂C/∂a³${sub(j + 1)}`, dCda(j)]]];
    return [0, 1].map((m) => [first, [`σ′(z³${sub(m + 1)})·w³${sub(m + 1)}${sub(j + 1)}`, t.prime[2][m] * wOut(m, j)], [`∂C/∂a³${sub(m + 1)}`, dCda(m)]]);
  }

  return {
    async render(st) {
      at.update(st.at); dz.update(st.dz); weight.update(st.w);
      const [bl, bj] = st.at.split('.').map(Number), l = bl - 1, j = bj - 1;
      load(st.p);
      const t = net.trace(st.x, st.y), delta = t.delta[l][j], base = t.cost;
      const curve = DZ.map((d) => costWith(st, l, j, d) - base), change = costWith(st, l, j, st.dz) - base;
      load(st.p);
      drawn = { delta, change, dz: st.dz, curve };
      plot.redraw();
      said.textContent = `The demon adds Δz = ${st.dz} to z${sup(bl)}${sub(bj)}: the cost changes by ΔC = ${change.toExponential(3)}; backpropagation’s δ${sup(bl)}${sub(bj)} = ∂C/∂z${sup(bl)}${sub(bj)} = ${delta.toExponential(3)} predicts δΔz = ${(delta * st.dz).toExponential(3)}`
        + `${Math.abs(st.dz) <= 0.1 ? ' — close, as Δz is small.' : ' — the smaller Δz, the closer (the dashed line is the curve’s tangent).'}`;
      // the paths of the weight picked
      const [wl, wj, wk] = st.w.split('.').map(Number), list = pathsOf(st, t, wl, wj - 1, wk - 1);
      const products = list.map((path) => path.reduce((s, [, v]) => s * v, 1)), total = products.reduce((s, v) => s + v, 0);
      const index = (wl === 2 ? 0 : 9) + (wj - 1) * (wl === 2 ? 2 : 3) + (wk - 1), backprop = t.nabla[index];
      paths.replaceChildren(...list.map((path, i) => el('li', { textContent: `${path.map(([name, v]) => `${name} = ${short(v)}`).join(' × ')} → ${products[i].toExponential(3)}` })));
      sum.textContent = `∂C/∂${WEIGHTS[st.w]} = the sum over ${list.length === 1 ? 'its one path' : `its ${list.length} paths`} = ${total.toExponential(4)}; backpropagation: ${backprop.toExponential(4)}.`;
      drawn.paths = { products, total, backprop };
      const neurons = (L, n) => Array.from({ length: n }, (_, q) => ({ label: L === 1 ? `x=${short(st.x[q])}` : short(t.a[L - 1][q]), highlight: L === bl && q === j, note: L === bl && q === j ? `δ = ${short(delta)}` : undefined }));
      const edges = [];
      for (let q = 0; q < 3; q++) for (let r = 0; r < 2; r++) edges.push({ from: [0, r], to: [1, q], weight: st.p[q * 2 + r], label: wl === 2 && q === wj - 1 && r === wk - 1 ? WEIGHTS[st.w] : undefined });
      for (let m = 0; m < 2; m++) for (let q = 0; q < 3; q++) edges.push({ from: [1, q], to: [2, m], weight: st.p[9 + m * 3 + q], label: wl === 3 && m === wj - 1 && q === wk - 1 ? WEIGHTS[st.w] : undefined, at: 0.6 });
      picture.update({ layers: [{ title: 'layer 1', neurons: neurons(1, 2) }, { title: 'layer 2', neurons: neurons(2, 3) }, { title: 'layer 3', neurons: neurons(3, 2) }], edges },
        `a [2, 3, 2] network, the demon at neuron ${bj} of layer ${bl}, the weight ${WEIGHTS[st.w]} marked.`);
    },
    data: () => drawn && { delta: drawn.delta, change: drawn.change, curve: drawn.curve, paths: drawn.paths },
  };
}
