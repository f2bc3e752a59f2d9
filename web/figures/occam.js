// occam.js — figure: why regularisation helps, the book's Occam example (chapter 3). Ten points
// that lie near the line y = 2x; a 9th-order polynomial passes exactly through all ten, the
// straight line y = ax (fitted by least squares) only near them. A new point, further along:
// which model predicts it? The reader moves the new point's x and the noise of the ten (their
// offsets are fixed, scaled by it) and can drag any point. No network here: both models are
// plain algebra (the polynomial by Lagrange's formula), computed in JavaScript — the lesson is the
// book's question of which explanation to trust before the networks that regularisation shapes.
// Not here: regularisation at work on a network (overfitting.js).
import { el, focused, plotCanvas, readout, slider } from './kit/controls.js';
import { short } from './kit/notation.js';
import { Plot } from './kit/plot.js';
import { clampTo } from '../shared/url-state.js';

const N = 10;
export const XS = Array.from({ length: N }, (_, i) => 0.5 * (i + 1)); // 0.5 .. 5
/** The fixed offsets of the ten points from the line, scaled by the noise setting. */
const OFFSETS = [0.6, -0.8, 0.3, 0.9, -0.5, -0.2, 0.7, -0.9, 0.4, -0.3];
const Y = { type: 'number', min: -2, max: 14, step: 0.01 };

export const schema = {
  noise: { type: 'number', min: 0, max: 2, step: 0.05, default: 0.5, label: 'Noise of the ten points' },
  xnew: { type: 'number', min: 0, max: 6, step: 0.05, default: 5.5, label: 'x of the new point' },
  y: { ...Y, type: 'list', length: [0, N], default: [], label: 'Points moved by hand (y of each; empty: the line plus noise)' },
};

/** The ten points' y: the reader's where given, else 2x plus the scaled offset. */
export const pointsOf = (st) => XS.map((x, i) => (st.y.length === N ? st.y[i] : 2 * x + st.noise * OFFSETS[i]));

/** The polynomial of degree 9 through the ten points, at x (Lagrange's formula). */
export function polynomial(ys, x) {
  let sum = 0;
  for (let i = 0; i < N; i++) {
    let term = ys[i];
    for (let j = 0; j < N; j++) if (j !== i) term *= (x - XS[j]) / (XS[i] - XS[j]);
    sum += term;
  }
  return sum;
}

/** The least-squares slope a of y = ax through the points. */
export const slope = (ys) => XS.reduce((s, x, i) => s + x * ys[i], 0) / XS.reduce((s, x) => s + x * x, 0);

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('Ten points, a straight line and a 9th-order polynomial through them');
  canvas.classList.add('drag');
  canvas.addEventListener('focus', () => plot.redraw());
  canvas.addEventListener('blur', () => plot.redraw());
  const said = readout();
  let drawn = null, dragging = -1;
  const plot = new Plot(canvas, { x: [0, 6], y: [-2, 14], xLabel: 'x', yLabel: 'y', aspect: 0.6, draw: (p) => drawn && paint(p) });
  const controls = { noise: slider(schema.noise, state.noise, (v) => set({ noise: v, y: [] })), xnew: slider(schema.xnew, state.xnew, (v) => set({ xnew: v })) };
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [canvas, said]), el('div', { className: 'controls' }, [...Object.values(controls).map((c) => c.node),
    el('p', { className: 'caption', textContent: 'Drag a point up or down (a finger or the mouse), or focus the plot and use the arrow keys (Left/Right choose a point, Up/Down move it); the noise slider puts them back on the line plus noise. The book’s point: the simpler explanation, the line, is the better bet for a new point.' })]));

  const at = (event) => { const box = canvas.getBoundingClientRect(); return plot.invert(event.clientX - box.left, event.clientY - box.top); };
  canvas.addEventListener('pointerdown', (e) => {
    const { x } = at(e), i = XS.reduce((best, v, k) => (Math.abs(v - x) < Math.abs(XS[best] - x) ? k : best), 0);
    if (Math.abs(XS[i] - x) > 0.25) return;
    dragging = i;
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (dragging < 0 || !canvas.hasPointerCapture(e.pointerId)) return;
    const ys = pointsOf(state);
    ys[dragging] = clampTo(Y, at(e).y);
    set({ y: ys.map((v) => Math.round(v * 100) / 100) });
  });
  canvas.addEventListener('pointerup', () => { dragging = -1; });
  // by keyboard: the plot takes the focus; Left/Right choose a point, Up/Down move it by 0.1
  let cursor = 0;
  canvas.tabIndex = 0;
  canvas.addEventListener('keydown', (e) => {
    const move = { ArrowUp: 0.1, ArrowDown: -0.1 }[e.key], step = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
    if (move === undefined && step === undefined) return;
    e.preventDefault();
    if (step !== undefined) { cursor = Math.max(0, Math.min(N - 1, cursor + step)); return void set({}); }
    const ys = pointsOf(state);
    ys[cursor] = clampTo(Y, ys[cursor] + move);
    set({ y: ys.map((v) => Math.round(v * 100) / 100) });
  });

  function paint(p) {
    p.axes();
    const xs = plot.samples();
    p.line(xs, xs.map((x) => polynomial(drawn.ys, x)), { color: 'goal' });
    p.line(xs, xs.map((x) => drawn.a * x), { color: 'accent', dash: [6, 4] });
    drawn.ys.forEach((y, i) => p.point(XS[i], y, { color: 'ink', radius: 4 }));
    if (focused(canvas)) p.point(XS[cursor], drawn.ys[cursor], { color: 'ink', radius: 8, ring: true });
    p.vline(drawn.xnew, { text: `new x = ${short(drawn.xnew)}` });
    p.point(drawn.xnew, drawn.line, { color: 'accent', ring: true });
    p.legend([['9th-order polynomial through all ten', 'goal'], [`the line y = ${short(drawn.a)}x`, 'accent', [6, 4]]]);
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const ys = pointsOf(st), a = slope(ys), poly = polynomial(ys, st.xnew), line = a * st.xnew;
      const misses = ys.map((y, i) => Math.abs(polynomial(ys, XS[i]) - y));
      drawn = { ys, a, xnew: st.xnew, poly, line, misses };
      plot.redraw();
      said.textContent = `At x = ${short(st.xnew)} the line predicts ${short(line)}, the polynomial ${short(poly)}${Math.abs(poly) > 14 || poly < -2 ? ' (off the plot)' : ''}. `
        + `The polynomial meets all ten points exactly; the line misses them by ${short(ys.reduce((s, y, i) => s + Math.abs(y - a * XS[i]), 0) / N)} on average — and is the better bet${st.xnew > 5 || st.xnew < 0.5 ? ' beyond them' : ''}.`;
      canvas.setAttribute('aria-label', said.textContent);
    },
    data: () => drawn,
  };
}
