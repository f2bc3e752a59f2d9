// bumps.js — figure: a bump from a pair of steps, and a bar chart of bumps (chapter 4). Pair i
// steps up at its left edge and down at its right edge; with output weights h and −h the
// weighted output is h between them and 0 elsewhere. One pair's edges are the reader's; with
// several, the pairs split [0, 1] into equal intervals, each with its own height. The core
// computes the [1, 2n, 1] network's weighted output. Not here: the goal function (by-hand.js).
import { el, plotCanvas, readout, slider } from './kit/controls.js';
import { LARGE_W, bumpNetwork, intervals, outputs } from './kit/nets.js';
import { COLORS, Plot } from './kit/plot.js';

const HEIGHT = { type: 'number', min: -2, max: 2, step: 0.05 };

export const schema = {
  n: { type: 'int', min: 1, max: 10, step: 1, default: 1, label: 'Pairs of hidden neurons' },
  s1: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.4, label: 'The pair’s first step s₁' },
  s2: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.6, label: 'The pair’s second step s₂' },
  h: { ...HEIGHT, type: 'list', length: [1, 10], default: [0.8], label: 'Heights h' },
};

/** One height per pair: heights missing from a link are 0.5, extra ones dropped (noted). */
export function fix(state, notes) {
  if (state.h.length === state.n) return;
  notes.push(`h has ${state.h.length} heights for n = ${state.n} pairs; ${state.h.length < state.n ? 'the missing ones are 0.5' : 'the extra ones are left out'}`);
  state.h = Array.from({ length: state.n }, (_, i) => state.h[i] ?? 0.5);
}

const edgesOf = (st) => (st.n === 1 ? [[st.s1, st.s2]] : intervals(st.n));

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The weighted output of pairs of hidden neurons');
  const said = readout();
  let drawn = null, heights = null;
  const plot = new Plot(canvas, { x: [0, 1], y: [-2.1, 2.1], xLabel: 'input x', yLabel: 'weighted output', draw: (p) => drawn && paint(p, drawn) });
  const count = slider(schema.n, state.n, (n) => set({ n, h: Array.from({ length: n }, (_, i) => state.h[i] ?? 0.5) }));
  const s1 = slider(schema.s1, state.s1, (v) => set({ s1: v })), s2 = slider(schema.s2, state.s2, (v) => set({ s2: v }));
  const list = el('div', { className: 'sliders-list' });
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [canvas, said]), el('div', { className: 'controls' }, [count.node, s1.node, s2.node, list]));

  /** One slider per bump, made anew when the number of bumps changes. */
  function heightSliders(st) {
    if (heights?.length === st.n) return heights.forEach((c, i) => c.update(st.h[i]));
    heights = st.h.map((h, i) => slider({ ...HEIGHT, default: 0.5 }, h, (v) => set({ h: state.h.map((x, j) => (j === i ? v : x)) }), { label: `Height h${st.n > 1 ? ` of bump ${i + 1}` : ''}` }));
    list.replaceChildren(...heights.map((c) => c.node));
  }

  function paint(p, { xs, ys, edges }) {
    p.axes();
    for (const [a, b] of edges) { p.vline(a, { color: COLORS.faint }); p.vline(b, { color: COLORS.faint }); }
    p.band(xs, ys, null, { color: COLORS.accent, alpha: 0.12 });
    p.line(xs, ys);
  }

  return {
    async render(st) {
      count.update(st.n); s1.update(st.s1); s2.update(st.s2);
      s1.node.hidden = s2.node.hidden = st.n !== 1;
      heightSliders(st);
      const edges = edgesOf(st), net = await bumpNetwork(edges, st.h, LARGE_W);
      const xs = plot.samples(), ys = outputs(net, xs);
      drawn = { xs, ys, edges };
      plot.redraw();
      said.textContent = st.n === 1
        ? `A bump of height ${st.h[0].toFixed(2)} from x = ${Math.min(st.s1, st.s2).toFixed(2)} to ${Math.max(st.s1, st.s2).toFixed(2)}${st.s1 > st.s2 ? ' (s₁ after s₂: the bump is upside down, −h)' : ''}.`
        : `${st.n} bumps of heights ${st.h.map((h) => h.toFixed(2)).join(', ')}, side by side: a bar chart made by ${2 * st.n} hidden neurons.`;
      canvas.setAttribute('aria-label', `Plot of the weighted output. ${said.textContent}`);
    },
    data: () => drawn && { xs: drawn.xs, ys: drawn.ys, edges: drawn.edges },
  };
}
