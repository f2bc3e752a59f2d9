// by-hand.js — figure: approximate a function by hand (chapter 4). The network's output is
// σ(weighted output + b): n bumps of the reader's heights, the output bias b, all computed by the
// core on a fixed grid of 1001 points. To make σ(·) follow the book's goal f, the weighted output
// must follow σ⁻¹∘f − b, drawn dashed on the upper plot, where the reader drags each bump's height
// (a finger or a mouse anywhere over its interval, or a handle by keyboard). The average deviation
// |f − output| is live, against the book's target; "show a solution" sets every height to
// σ⁻¹(f(midpoint)) − b. Not here: the construction itself (bumps.js, nets.js).
import { button, el, plotCanvas, readout, slider } from './kit/controls.js';
import { LARGE_W, averageDeviation, bumpNetwork, goal, intervals, logit, outputs } from './kit/nets.js';
import { COLORS, Plot } from './kit/plot.js';
import { clampTo } from '../shared/url-state.js';

const HEIGHT = { type: 'number', min: -3, max: 3, step: 0.01 };
export const TARGET = 0.4; // the book's: an average deviation below 0.40 with five pairs
const GRID = Array.from({ length: 1001 }, (_, i) => i / 1000);

export const schema = {
  n: { type: 'int', min: 1, max: 50, step: 1, default: 5, label: 'Bumps (pairs of hidden neurons)' },
  h: { ...HEIGHT, type: 'list', length: [1, 50], default: [2, 2, -1, 2, -2], label: 'Heights' }, // far off: 0.53
  b: { type: 'number', min: -3, max: 3, step: 0.01, default: 0, label: 'Output bias b' },
};

export function fix(state, notes) {
  if (state.h.length === state.n) return;
  notes.push(`h has ${state.h.length} heights for n = ${state.n} bumps; ${state.h.length < state.n ? 'the missing ones are 0' : 'the extra ones are left out'}`);
  state.h = Array.from({ length: state.n }, (_, i) => state.h[i] ?? 0);
}

/** The book's solution: each bump at σ⁻¹ of f at its midpoint, less the output bias. */
export const solution = (n, b) => intervals(n).map(([a, c]) => clampTo(HEIGHT, logit(goal((a + c) / 2)) - b));

export async function mount(root, { state, set }) {
  const upper = plotCanvas('The weighted output from the hidden layer');
  const lower = plotCanvas('The network’s output');
  upper.classList.add('drag');
  const said = readout();
  let drawn = null, handles = [];
  const top = new Plot(upper, { x: [0, 1], y: [-3, 3], yLabel: 'weighted output', aspect: 0.5, draw: (p) => drawn && paintUpper(p) });
  const bottom = new Plot(lower, { x: [0, 1], y: [0, 1], xLabel: 'input x', yLabel: 'output', aspect: 0.45, draw: (p) => drawn && paintLower(p) });
  const wrap = el('div', { className: 'plot-wrap' }, [upper]);
  const count = slider(schema.n, state.n, (n) => set({ n, h: Array.from({ length: n }, (_, i) => state.h[i] ?? 0) }));
  const bias = slider(schema.b, state.b, (b) => set({ b }));
  const buttons = el('div', { className: 'buttons' }, [
    button('Show a solution', () => set({ h: solution(state.n, state.b) })),
    button('Flatten', () => set({ h: state.h.map(() => 0) }), { secondary: true }),
  ]);
  const hint = el('p', { className: 'caption', textContent: 'Drag over the upper plot to set the bumps’ heights, or tab to a handle and use the arrow keys (Page Up/Down for big steps).' });
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [wrap, lower, said]), el('div', { className: 'controls' }, [count.node, bias.node, buttons, hint]));

  // dragging paints heights: the bump under the pointer takes the pointer's height, and the bumps
  // a fast stroke passed over between two events take the heights of the line between them
  let stroke = null;
  const heightAt = (event) => {
    const box = upper.getBoundingClientRect(), { x, y } = top.invert(event.clientX - box.left, event.clientY - box.top);
    return { i: Math.min(state.n - 1, Math.max(0, Math.floor(x * state.n))), h: clampTo(HEIGHT, y) };
  };
  const paint = (event) => {
    const { i, h } = heightAt(event), [i0, h0] = stroke ?? [i, h], heights = [...state.h];
    for (let j = Math.min(i, i0); j <= Math.max(i, i0); j++) heights[j] = i === i0 ? h : clampTo(HEIGHT, h0 + ((h - h0) * (j - i0)) / (i - i0));
    stroke = [i, h];
    if (heights.some((v, j) => v !== state.h[j])) set({ h: heights });
  };
  upper.addEventListener('pointerdown', (e) => { upper.setPointerCapture(e.pointerId); stroke = null; paint(e); });
  upper.addEventListener('pointermove', (e) => upper.hasPointerCapture(e.pointerId) && paint(e));

  /** ARIA sliders over the bumps' tops, for the keyboard (and a finger that finds them). */
  function placeHandles(st, edges) {
    if (handles.length !== st.n) {
      handles.forEach((hd) => hd.remove());
      handles = edges.map(([a, c], i) => {
        const hd = el('div', { className: 'handle', tabIndex: 0 });
        hd.setAttribute('role', 'slider');
        hd.setAttribute('aria-label', `Height of bump ${i + 1}, x from ${a.toFixed(2)} to ${c.toFixed(2)}`);
        hd.setAttribute('aria-valuemin', HEIGHT.min);
        hd.setAttribute('aria-valuemax', HEIGHT.max);
        hd.addEventListener('keydown', (e) => {
          const step = { ArrowUp: 0.05, ArrowRight: 0.05, ArrowDown: -0.05, ArrowLeft: -0.05, PageUp: 0.5, PageDown: -0.5 }[e.key];
          const value = e.key === 'Home' ? HEIGHT.min : e.key === 'End' ? HEIGHT.max : step !== undefined ? state.h[i] + step : null;
          if (value === null) return;
          e.preventDefault();
          set({ h: state.h.map((v, j) => (j === i ? clampTo(HEIGHT, value) : v)) });
        });
        hd.addEventListener('pointerdown', (e) => { e.stopPropagation(); hd.setPointerCapture(e.pointerId); stroke = null; });
        hd.addEventListener('pointermove', (e) => hd.hasPointerCapture(e.pointerId) && paint(e));
        wrap.append(hd);
        return hd;
      });
    }
    handles.forEach((hd, i) => {
      const [a, c] = edges[i];
      hd.style.left = `${top.x((a + c) / 2)}px`;
      hd.style.top = `${top.y(Math.max(top.yRange[0], Math.min(top.yRange[1], st.h[i])))}px`;
      hd.setAttribute('aria-valuenow', st.h[i]);
      hd.setAttribute('aria-valuetext', st.h[i].toFixed(2));
    });
  }

  function paintUpper(p) {
    p.axes();
    p.line(GRID, GRID.map((x) => logit(goal(x)) - drawn.b), { color: COLORS.goal, dash: [6, 4] });
    p.line(GRID, drawn.weighted);
    p.legend([['σ⁻¹∘f − b, the goal', COLORS.goal, [6, 4]], ['weighted output', COLORS.accent]]);
  }
  function paintLower(p) {
    p.axes();
    p.band(GRID, drawn.out, GRID.map(goal), { color: COLORS.goal, alpha: 0.12 });
    p.line(GRID, GRID.map(goal), { color: COLORS.goal, dash: [6, 4] });
    p.line(GRID, drawn.out);
    p.legend([['f, the goal', COLORS.goal, [6, 4]], ['output σ(weighted output + b)', COLORS.accent]]);
  }

  return {
    async render(st) {
      count.update(st.n); bias.update(st.b);
      const edges = intervals(st.n);
      const weighted = outputs(await bumpNetwork(edges, st.h, LARGE_W), GRID);
      const out = outputs(await bumpNetwork(edges, st.h, LARGE_W, { output: 'sigmoid', outputBias: st.b }), GRID);
      const deviation = averageDeviation(GRID, out, goal);
      drawn = { weighted, out, b: st.b, deviation };
      top.redraw();
      bottom.redraw();
      placeHandles(st, edges);
      const good = deviation < TARGET;
      said.replaceChildren('Average deviation ', el('strong', { className: good ? 'good' : 'bad', textContent: deviation.toFixed(3) }),
        good ? ` — below the book’s target of ${TARGET.toFixed(2)}.${st.n < 20 ? ' Now try it finer: more bumps.' : ''}` : ` — the book’s target: below ${TARGET.toFixed(2)}.`);
      lower.setAttribute('aria-label', `The network’s output against f: average deviation ${deviation.toFixed(3)}.`);
      upper.setAttribute('aria-label', `Weighted output of ${st.n} bumps of heights ${st.h.map((h) => h.toFixed(2)).join(', ')}, against σ⁻¹∘f − b.`);
    },
    data: () => drawn && { deviation: drawn.deviation, out: drawn.out },
  };
}
