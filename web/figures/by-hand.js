// by-hand.js — figure: approximate a function by hand (chapter 4's challenge, as the book sets
// it). The network is [1, 2n, 1]: every hidden neuron a step (w = 1000, b = −1000 s), pair i
// stepping at i/n and (i + 1)/n with output weights +hᵢ and −hᵢ, and a sigmoid output neuron of
// bias b (0, the book's). Its output is σ(Σⱼ wⱼaⱼ + b), so the weighted output Σⱼ wⱼaⱼ must follow
// σ⁻¹∘f − b; the book's score is the average deviation between the two, |σ⁻¹∘f − b − Σⱼ wⱼaⱼ| on
// 1001 points, and the challenge is done at 0.40 or below. The reader drags the heights on the
// upper plot, edits them as numbers, or resets them to random ones (a seed kept in the link, drawn
// by the core's generator). The core computes every output; the network is drawn beside the
// plots. Not here: the construction itself (bumps.js, nets.js).
import { button, el, focused, plotCanvas, readout, slider } from './kit/controls.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { LARGE_W, bumpNetwork, goal, intervals, logit, outputs } from './kit/nets.js';
import { short, sub } from './kit/notation.js';
import { Plot } from './kit/plot.js';
import { Network } from '../lib/nndl.js';
import { clampTo } from '../shared/url-state.js';

const HEIGHT = { type: 'number', min: -3, max: 3, step: 0.01 };
export const TARGET = 0.4; // the book's: "0.40 or below" with five pairs
export const GRID = Array.from({ length: 1001 }, (_, i) => i / 1000);

export const schema = {
  n: { type: 'int', min: 1, max: 50, step: 1, default: 5, label: 'Bumps (pairs of hidden neurons)' },
  // the core's draw for seed 1 (see reset): the figure opens as a Reset would leave it
  h: { ...HEIGHT, type: 'list', length: [1, 50], default: [-0.79, -0.66, -0.18, 1.08, 0.15], label: 'Heights' },
  seed: { type: 'int', min: 1, max: 999999, step: 1, default: 1, label: 'Seed of the last Reset' },
  b: { type: 'number', min: -3, max: 3, step: 0.01, default: 0, label: 'Output bias b (the book’s is 0)' },
};

/** One height per bump: missing ones 0, extras dropped; noted only where the heights were given. */
export function fix(state, notes, given) {
  if (state.h.length === state.n) return;
  if (!given || given.has('h')) notes.push(`h has ${state.h.length} heights for n = ${state.n} bumps; ${state.h.length < state.n ? 'the missing ones are 0' : 'the extra ones are left out'}`);
  state.h = Array.from({ length: state.n }, (_, i) => state.h[i] ?? 0);
}

/** What Σⱼ wⱼaⱼ should be at x: σ⁻¹(f(x)) − b. */
const aim = (x, b) => logit(goal(x)) - b;

/** The book's measure: the average of |σ⁻¹∘f − b − weighted output| over GRID. */
export function deviation(weighted, b) {
  let sum = 0;
  for (let i = 0; i < GRID.length; i++) sum += Math.abs(aim(GRID[i], b) - weighted[i]);
  return sum / GRID.length;
}

/** The best heights there are: on each interval the median of σ⁻¹∘f − b, the constant whose
 * average distance to it is least (the book's measure, one bump at a time). */
export function solution(n, b) {
  return intervals(n).map(([lo, hi]) => {
    const values = GRID.filter((x) => x >= lo && (x < hi || hi === 1)).map((x) => aim(x, b)).sort((p, q) => p - q);
    return clampTo(HEIGHT, Math.round(values[values.length >> 1] * 100) / 100);
  });
}

/** Random heights, as the book's Reset: N(0, 1) numbers from the core's generator for this seed
 * (the weights of a [1, n] network it makes), to two decimals. */
export async function randomHeights(n, seed) {
  const net = await Network.create([1, n], { init: 'large', seed });
  try {
    const p = net.params, at = net.weightsOffset(1);
    return Array.from({ length: n }, (_, i) => clampTo(HEIGHT, Math.round(p[at + i] * 100) / 100));
  } finally {
    net.free();
  }
}

export async function mount(root, { state, set, result }) {
  const upper = plotCanvas('The weighted output from the hidden layer');
  const lower = plotCanvas('The network’s output');
  upper.classList.add('drag');
  const said = readout();
  const picture = networkDiagram('The network of bumps');
  let drawn = null, handles = [], boxes = [];
  const top = new Plot(upper, { x: [0, 1], y: [-3, 3], yLabel: 'Σⱼ wⱼaⱼ', aspect: 0.5, draw: (p) => drawn && paintUpper(p) });
  const bottom = new Plot(lower, { x: [0, 1], y: [0, 1], xLabel: 'input x', yLabel: 'output', aspect: 0.4, draw: (p) => drawn && paintLower(p) });
  const wrap = el('div', { className: 'plot-wrap' }, [upper]);
  const count = slider(schema.n, state.n, (n) => set({ n, h: Array.from({ length: n }, (_, i) => state.h[i] ?? 0) }));
  const bias = slider(schema.b, state.b, (b) => set({ b }));
  const heights = el('fieldset', { className: 'control params heights' });
  const buttons = el('div', { className: 'buttons' }, [
    button('Reset', async () => {
      const seed = 1 + Math.floor(Math.random() * 999999);
      set({ seed, h: await randomHeights(state.n, seed) });
    }, { secondary: true }),
    button('Show a solution', () => set({ h: solution(state.n, state.b) })),
    button('Flatten', () => set({ h: state.h.map(() => 0) }), { secondary: true }),
  ]);
  const recap = el('p', { className: 'caption' });
  const hint = el('p', { className: 'caption', textContent: 'Drag over the upper plot to set the heights, type them in the boxes, or tab to a handle on the plot and use the arrow keys (Page Up/Down for big steps). After a Reset, try the book’s second round: edit the numbers only.' });
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, wrap, lower, said]), el('div', { className: 'controls' }, [buttons, heights, count.node, bias.node, recap, hint]));

  // dragging paints heights: the bump under the pointer takes the pointer's height, and the bumps
  // a fast stroke passed over between two events take the heights of the line between them
  let stroke = null;
  const heightAt = (event) => {
    const box = upper.getBoundingClientRect(), { x, y } = top.invert(event.clientX - box.left, event.clientY - box.top);
    return { i: Math.min(state.n - 1, Math.max(0, Math.floor(x * state.n))), h: clampTo(HEIGHT, y) };
  };
  const paint = (event) => {
    const { i, h } = heightAt(event), [i0, h0] = stroke ?? [i, h], next = [...state.h];
    for (let j = Math.min(i, i0); j <= Math.max(i, i0); j++) next[j] = i === i0 ? h : clampTo(HEIGHT, h0 + ((h - h0) * (j - i0)) / (i - i0));
    stroke = [i, h];
    if (next.some((v, j) => v !== state.h[j])) set({ h: next });
  };
  upper.addEventListener('pointerdown', (e) => { upper.setPointerCapture(e.pointerId); stroke = null; paint(e); });
  upper.addEventListener('pointermove', (e) => upper.hasPointerCapture(e.pointerId) && paint(e));
  const setHeight = (i, v) => set({ h: state.h.map((x, j) => (j === i ? clampTo(HEIGHT, v) : x)) });

  /** The heights as numbers, one box each (the book's "h values on the left"). */
  function heightBoxes(st) {
    if (boxes.length !== st.n) {
      boxes = st.h.map((_, i) => {
        const box = el('input', { type: 'number', min: HEIGHT.min, max: HEIGHT.max, step: HEIGHT.step, className: 'exact' });
        box.setAttribute('aria-label', `h${sub(i + 1)}, the height of bump ${i + 1}`);
        box.addEventListener('change', () => box.value.trim() !== '' && Number.isFinite(Number(box.value)) && setHeight(i, Number(box.value)));
        return box;
      });
      heights.replaceChildren(el('legend', { textContent: 'Heights h₁ … hₙ' }), ...boxes.map((box, i) => el('label', { className: 'param' }, [el('span', { textContent: `h${sub(i + 1)}` }), box])));
    }
    boxes.forEach((box, i) => { if (!focused(box)) box.value = st.h[i]; });
  }

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
          setHeight(i, value);
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

  function network(st, edges) {
    const hidden = edges.flat().map((s) => ({ label: `s=${short(s)}`, note: `b = ${short(-LARGE_W * s)}` }));
    const links = hidden.flatMap((_, k) => {
      const i = k >> 1, h = k % 2 ? -st.h[i] : st.h[i];
      return [{ from: [0, 0], to: [1, k], label: k ? undefined : `w = ${LARGE_W}`, weight: LARGE_W },
        { from: [1, k], to: [2, 0], label: `${k % 2 ? '−' : '+'}h${sub(i + 1)} = ${short(h)}`, weight: h, at: 0.3, select: () => boxes[i]?.focus() }];
    });
    picture.update({ layers: [{ title: 'input', neurons: [{ label: 'x' }] }, { title: `hidden (${2 * st.n})`, neurons: hidden },
      { title: 'output', neurons: [{ label: 'σ', note: `b = ${short(st.b)}`, select: focusing(bias) }] }], edges: links },
    `${2 * st.n} hidden neurons, each w = ${LARGE_W} and b = −${LARGE_W}s, in pairs with output weights +h and −h; the output neuron σ with bias ${short(st.b)}.`);
    recap.textContent = `The network, as the book recaps it: each hidden neuron has w = ${LARGE_W} and b = −${LARGE_W}·s (s its step point, at i/n and (i + 1)/n for bump i); the output weights of a pair are +hᵢ and −hᵢ; the output neuron’s bias is b = ${short(st.b)}${st.b === 0 ? ' (the book’s)' : ' (the book’s is 0: beyond the book)'}.`;
  }

  function paintUpper(p) {
    p.axes();
    p.band(GRID, drawn.weighted, GRID.map((x) => aim(x, drawn.b)), { color: 'goal', alpha: 0.12 });
    p.line(GRID, GRID.map((x) => aim(x, drawn.b)), { color: 'goal', dash: [6, 4] });
    p.line(GRID, drawn.weighted);
    p.legend([[drawn.b === 0 ? 'σ⁻¹∘f, the goal' : 'σ⁻¹∘f − b, the goal', 'goal', [6, 4]], ['weighted output Σⱼ wⱼaⱼ', 'accent']]);
  }
  function paintLower(p) {
    p.axes();
    p.line(GRID, GRID.map(goal), { color: 'goal', dash: [6, 4] });
    p.line(GRID, drawn.out);
    p.legend([['f', 'goal', [6, 4]], ['output σ(Σⱼ wⱼaⱼ + b)', 'accent']]);
  }

  return {
    async render(st) {
      count.update(st.n); bias.update(st.b);
      const edges = intervals(st.n);
      const weighted = outputs(await bumpNetwork(edges, st.h, LARGE_W), GRID);
      const out = outputs(await bumpNetwork(edges, st.h, LARGE_W, { output: 'sigmoid', outputBias: st.b }), GRID);
      const score = deviation(weighted, st.b);
      drawn = { weighted, out, b: st.b, deviation: score };
      top.redraw();
      bottom.redraw();
      placeHandles(st, edges);
      heightBoxes(st);
      network(st, edges);
      const good = score <= TARGET;
      result?.({ deviation: score, met: good, n: st.n }); // the challenge, for a lesson that records it
      said.replaceChildren('Average deviation ', el('strong', { className: good ? 'good' : 'bad', textContent: score.toFixed(2) }),
        good ? ` — the book’s challenge is met (0.40 or below).${st.n < 20 ? ' Now try it finer: more bumps.' : ''}` : ` — the book’s challenge: 0.40 or below.`);
      lower.setAttribute('aria-label', `The network’s output σ(Σⱼ wⱼaⱼ + b) against f.`);
      upper.setAttribute('aria-label', `Weighted output of ${st.n} bumps of heights ${st.h.map((h) => h.toFixed(2)).join(', ')}, against σ⁻¹∘f${st.b ? ' − b' : ''}: average deviation ${score.toFixed(3)}.`);
    },
    data: () => drawn && { deviation: drawn.deviation, weighted: drawn.weighted, out: drawn.out },
  };
}
