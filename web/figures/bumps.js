// bumps.js — figure: a bump from a pair of steps, and bumps side by side (chapter 4). Pair i steps
// up at its first step point and down at its second; with output weights h and −h the weighted
// output is h between them and 0 elsewhere. Every step point and every height is the reader's, as
// in the book's figures of one and of two movable bumps; a new number of pairs lays the pairs out
// side by side over [0, 1] (a bar chart of bumps), to be moved from there. The core computes the
// [1, 2n, 1] network's weighted output; the network is drawn beside the plot. Not here: the goal
// function (by-hand.js).
import { el, plotCanvas, readout, slider } from './kit/controls.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { LARGE_W, bumpNetwork, intervals, outputs } from './kit/nets.js';
import { short, sub } from './kit/notation.js';
import { Plot } from './kit/plot.js';

const HEIGHT = { type: 'number', min: -2, max: 2, step: 0.05 };
const POINT = { type: 'number', min: 0, max: 1, step: 0.01 };
const MAX = 10;

export const schema = {
  n: { type: 'int', min: 1, max: MAX, step: 1, default: 1, label: 'Pairs of hidden neurons' },
  s: { ...POINT, type: 'list', length: [2, 2 * MAX], default: [0.4, 0.6], label: 'Step points s' },
  h: { ...HEIGHT, type: 'list', length: [1, MAX], default: [0.8], label: 'Heights h' },
};

/** The step points of n pairs before the reader moves them: one bump from 0.4 to 0.6 (the book's
 * first), or n bumps side by side over [0, 1]. */
const laidOut = (n) => (n === 1 ? [0.4, 0.6] : intervals(n).flat());

/** Two step points and one height per pair: missing ones laid out (or 0.5 tall), extras dropped;
 * a link that gives no step points lays them all out; heights are noted only where given (a
 * count set alone, by a lesson, keeps the heights there are). */
export function fix(state, notes, given) {
  if (given && !given.has('s')) state.s = laidOut(state.n);
  else if (state.s.length !== 2 * state.n) {
    notes.push(`s has ${state.s.length} step points for n = ${state.n} pairs; ${state.s.length < 2 * state.n ? 'the missing ones are laid out side by side' : 'the extra ones are left out'}`);
    const fresh = laidOut(state.n);
    state.s = fresh.map((v, i) => state.s[i] ?? v);
  }
  if (state.h.length !== state.n) {
    if (!given || given.has('h')) notes.push(`h has ${state.h.length} heights for n = ${state.n} pairs; ${state.h.length < state.n ? 'the missing ones are 0.5' : 'the extra ones are left out'}`);
    state.h = Array.from({ length: state.n }, (_, i) => state.h[i] ?? 0.5);
  }
}

const edgesOf = (st) => Array.from({ length: st.n }, (_, i) => [st.s[2 * i], st.s[2 * i + 1]]);
const listed = (values) => values.map(short).join(', ');

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The weighted output of pairs of hidden neurons');
  const said = readout();
  const picture = networkDiagram('Pairs of hidden neurons');
  let drawn = null, pairs = null;
  const plot = new Plot(canvas, { x: [0, 1], y: [-2.1, 2.1], xLabel: 'input x', yLabel: 'weighted output', draw: (p) => drawn && paint(p, drawn) });
  const count = slider(schema.n, state.n, (n) => set({ n, s: laidOut(n), h: Array.from({ length: n }, (_, i) => state.h[i] ?? 0.5) }));
  const list = el('div', { className: 'sliders-list' });
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, canvas, said]), el('div', { className: 'controls' }, [count.node, list]));

  const setAt = (name, k, v) => set({ [name]: state[name].map((x, j) => (j === k ? v : x)) });
  /** Each pair's two step points and height, made anew when the number of pairs changes. */
  function pairSliders(st) {
    if (pairs?.length !== st.n) {
      pairs = Array.from({ length: st.n }, (_, i) => ({
        up: slider(POINT, st.s[2 * i], (v) => setAt('s', 2 * i, v), { label: `Step s${sub(2 * i + 1)} (up)` }),
        down: slider(POINT, st.s[2 * i + 1], (v) => setAt('s', 2 * i + 1, v), { label: `Step s${sub(2 * i + 2)} (down)` }),
        h: slider({ ...HEIGHT, default: 0.5 }, st.h[i], (v) => setAt('h', i, v), { label: `Height h${st.n > 1 ? sub(i + 1) : ''}` }),
      }));
      list.replaceChildren(...pairs.map(({ up, down, h }, i) => el('fieldset', { className: 'control pair-controls' }, [el('legend', { textContent: `Pair ${i + 1}` }), up.node, down.node, h.node])));
    }
    pairs.forEach(({ up, down, h }, i) => { up.update(st.s[2 * i]); down.update(st.s[2 * i + 1]); h.update(st.h[i]); });
  }

  function paint(p, { xs, ys, edges }) {
    p.axes();
    for (const [a, b] of edges) { p.vline(a, { color: 'faint' }); p.vline(b, { color: 'faint' }); }
    p.band(xs, ys, null, { color: 'accent', alpha: 0.12 });
    p.line(xs, ys);
  }

  function network(st) {
    const hidden = st.s.map((s, k) => ({ label: `s=${short(s)}`, note: `b = ${short(-LARGE_W * s)}`, select: focusing(k % 2 ? pairs[k >> 1].down : pairs[k >> 1].up) }));
    const edges = st.s.flatMap((_, k) => {
      const h = k % 2 ? -st.h[k >> 1] : st.h[k >> 1];
      return [{ from: [0, 0], to: [1, k], label: k ? undefined : `w = ${LARGE_W}`, weight: LARGE_W },
        { from: [1, k], to: [2, 0], label: `${k % 2 ? '−' : ''}h${st.n > 1 ? sub((k >> 1) + 1) : ''} = ${short(h)}`, weight: h, select: focusing(pairs[k >> 1].h), at: 0.3 }];
    });
    picture.update({ layers: [{ title: 'input', neurons: [{ label: 'x' }] }, { title: 'hidden', neurons: hidden }, { title: 'output', neurons: [{ label: 'Σ', note: 'weighted output' }] }], edges },
      `input x to ${2 * st.n} hidden neurons of weight ${LARGE_W}, steps at ${listed(st.s)}; output weights h and −h for heights ${listed(st.h)}.`);
  }

  return {
    async render(st) {
      count.update(st.n);
      pairSliders(st);
      const edges = edgesOf(st), net = await bumpNetwork(edges, st.h, LARGE_W);
      const xs = plot.samples(), ys = outputs(net, xs);
      drawn = { xs, ys, edges };
      plot.redraw();
      network(st);
      said.textContent = edges.map(([a, b], i) => `${st.n > 1 ? `Bump ${i + 1}: ` : 'A bump '}of height ${st.h[i].toFixed(2)} from x = ${Math.min(a, b).toFixed(2)} to ${Math.max(a, b).toFixed(2)}${a > b ? ' (the down step first: the bump is upside down, −h)' : ''}.`).join(' ')
        + (st.n > 1 && edges.some(([a, b], i) => edges.some(([c, d], j) => j > i && Math.max(a, b) > Math.min(c, d) && Math.max(c, d) > Math.min(a, b))) ? ' Where bumps overlap, their heights add.' : '');
      canvas.setAttribute('aria-label', `Plot of the weighted output. ${said.textContent}`);
    },
    data: () => drawn && { xs: drawn.xs, ys: drawn.ys, edges: drawn.edges },
  };
}
