// descent.js — figure: gradient descent as a ball rolling into a valley (chapter 1). A cost
// C(v₁, v₂) of two variables drawn as a heat map with contours — a bowl, a long narrow valley, or
// two valleys with a saddle between — and the path of gradient descent, Δv = −η∇C, from a point
// the reader clicks (or sets by keyboard), each step drawn: it converges, oscillates across the
// valley, or diverges, as η says. The cost is a function of two numbers, not a network: this is
// the one figure computed in JavaScript. Not here: stochastic gradients (the main page).
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { Plot, sequential } from './kit/plot.js';
import { clampTo } from '../shared/url-state.js';

const SURFACES = {
  bowl: { label: 'a bowl, C = v₁² + v₂²', C: (a, b) => a * a + b * b, grad: (a, b) => [2 * a, 2 * b] },
  valley: { label: 'a narrow valley, C = v₁²/2 + 10v₂²', C: (a, b) => 0.5 * a * a + 10 * b * b, grad: (a, b) => [a, 20 * b] },
  saddle: { label: 'two valleys and a saddle, C = (v₁² − 1)² + v₂²', C: (a, b) => (a * a - 1) ** 2 + b * b, grad: (a, b) => [4 * a * (a * a - 1), 2 * b] },
};
const V = { type: 'number', min: -2, max: 2, step: 0.01 };
const SIDE = 160;

export const schema = {
  surface: { type: 'choice', values: Object.fromEntries(Object.entries(SURFACES).map(([k, s]) => [k, s.label])), default: 'valley', label: 'The cost' },
  eta: { type: 'number', min: 0.001, max: 1, step: 0.001, default: 0.04, label: 'Learning rate η' },
  v1: { ...V, default: -1.8, label: 'Start v₁' },
  v2: { ...V, default: 1.2, label: 'Start v₂' },
  steps: { type: 'int', min: 1, max: 200, step: 1, default: 40, label: 'Steps' },
};

/** The path from the start, and what it did: converged, oscillated, diverged or is on its way. */
export function descend(surface, eta, start, steps) {
  const path = [start];
  let turns = 0;
  for (let k = 0; k < steps; k++) {
    const [a, b] = path.at(-1), [ga, gb] = surface.grad(a, b), next = [a - eta * ga, b - eta * gb];
    if (!next.every(Number.isFinite) || Math.hypot(...next) > 1e6) return { path, verdict: 'diverged' };
    if (k > 0) {
      const [pa, pb] = path.at(-2);
      if ((a - pa) * (next[0] - a) + (b - pb) * (next[1] - b) < 0) turns++;
    }
    path.push(next);
  }
  const [a, b] = path.at(-1), far = Math.hypot(...path.at(-1)) > Math.hypot(...start) * 1.5 + 0.5;
  const swung = turns >= 4; // the path turned back on itself, step after step
  const verdict = Math.hypot(...surface.grad(a, b)) < 1e-3 ? (swung ? 'converged after oscillating' : 'converged')
    : far ? 'diverging' : swung ? 'oscillating' : 'on its way';
  return { path, verdict };
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The cost as a heat map and the path of gradient descent');
  canvas.classList.add('drag');
  canvas.style.cursor = 'crosshair';
  const said = readout();
  let drawn = null;
  const plot = new Plot(canvas, { x: [-2, 2], y: [-2, 2], xLabel: 'v₁', yLabel: 'v₂', aspect: 0.9, draw: (p) => drawn && paint(p) });
  const controls = Object.fromEntries(Object.entries(schema).map(([name, s]) => [name, (s.type === 'choice' ? choice : slider)(s, state[name], (v) => set({ [name]: v }))]));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [canvas, el('p', { className: 'caption', textContent: 'Click or tap the map to start from there.' }), said]),
    el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));
  canvas.addEventListener('pointerdown', (e) => {
    const box = canvas.getBoundingClientRect(), { x, y } = plot.invert(e.clientX - box.left, e.clientY - box.top);
    set({ v1: clampTo(V, x), v2: clampTo(V, y) });
  });

  function paint(p) {
    const s = SURFACES[drawn.surface], values = new Float32Array(SIDE * SIDE);
    for (let j = 0; j < SIDE; j++) for (let i = 0; i < SIDE; i++) values[j * SIDE + i] = Math.log1p(s.C(-2 + (4 * (i + 0.5)) / SIDE, -2 + (4 * (j + 0.5)) / SIDE));
    p.heat(values, SIDE, SIDE, sequential(0, Math.max(...values)));
    p.axes();
    const c = p.ctx;
    p.clipped(() => {
      c.strokeStyle = '#fff'; c.lineWidth = 2; c.beginPath();
      drawn.path.forEach(([a, b], k) => (k ? c.lineTo(p.x(a), p.y(b)) : c.moveTo(p.x(a), p.y(b))));
      c.stroke();
      // each step Δv = −η∇C as an arrow (those too short to see left as dots)
      for (let k = 1; k < drawn.path.length; k++) {
        const [x0, y0] = [p.x(drawn.path[k - 1][0]), p.y(drawn.path[k - 1][1])], [x1, y1] = [p.x(drawn.path[k][0]), p.y(drawn.path[k][1])];
        const length = Math.hypot(x1 - x0, y1 - y0), angle = Math.atan2(y1 - y0, x1 - x0);
        if (length < 8) continue;
        c.fillStyle = '#fff'; c.beginPath(); c.moveTo(x1, y1);
        for (const turn of [2.6, -2.6]) c.lineTo(x1 + 7 * Math.cos(angle + turn), y1 + 7 * Math.sin(angle + turn));
        c.fill();
      }
      drawn.path.forEach(([a, b], k) => p.point(a, b, { color: k ? '#fff' : 'goal', radius: k ? 2 : 5 }));
    });
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const { path, verdict } = descend(SURFACES[st.surface], st.eta, [st.v1, st.v2], st.steps);
      drawn = { path, verdict, surface: st.surface };
      plot.redraw();
      const [a, b] = path.at(-1), C = SURFACES[st.surface].C(a, b);
      said.textContent = `After ${path.length - 1} steps of Δv = −η∇C with η = ${st.eta}: ${verdict}${verdict === 'diverged' ? '' : `, at v = (${a.toFixed(3)}, ${b.toFixed(3)}) where C = ${C.toPrecision(3)}`}.`
        + (st.surface === 'valley' && verdict !== 'converged' && st.eta > 0.05 ? ' Across the valley the slope is 20 times steeper: η above 1/20 overshoots it, above 1/10 each step overshoots more.' : '');
      canvas.setAttribute('aria-label', `Heat map of ${SURFACES[st.surface].label} with the path from (${st.v1}, ${st.v2}). ${said.textContent}`);
    },
    data: () => drawn && { verdict: drawn.verdict, end: drawn.path.at(-1), steps: drawn.path.length - 1 },
  };
}
