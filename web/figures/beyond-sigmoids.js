// beyond-sigmoids.js — figure: beyond sigmoids, and fixing the steps (chapter 4). The bumps of
// by-hand.js approximate f directly (a linear output neuron) with another activation s(z): tanh
// steps just as well (its step is 2 tall, so the output weights halve); ReLU does not, since
// relu(w(x − s)) keeps rising — a ramp, not a step — and the bumps run away. ReLU's own universal
// construction is a sum of hinges: f(0) + Σ c_k relu(x − x_k), the line through f's values at
// the knots. With a finite weight w each step has a window of failure around it; the book's fix
// adds two approximations of f/2, the second shifted by half a bump, so that no x lies in a
// window of both. The core computes every network's output. Not here: σ∘ outputs (by-hand.js).
import { choice, el, plotCanvas, readout, slider, toggle } from './kit/controls.js';
import { averageDeviation, bumpLayers, goal, hiddenChoices, intervals, outputs, setLayer, shaped, stepHeight } from './kit/nets.js';
import { COLORS, Plot } from './kit/plot.js';

const GRID = Array.from({ length: 1001 }, (_, i) => i / 1000);

export const schema = {
  activation: { type: 'choice', values: await hiddenChoices(), default: 'sigmoid', label: 'Hidden neurons s(z)' },
  build: { type: 'choice', values: { bumps: 'bumps from pairs of steps', hinges: 'a sum of hinges (ReLU)' }, default: 'bumps', label: 'Construction' },
  n: { type: 'int', min: 2, max: 40, step: 1, default: 10, label: 'Bumps or pieces n' },
  w: { type: 'number', min: 5, max: 1000, step: 5, default: 100, label: 'Weight w of each step' },
  fix: { type: 'bool', default: false, label: 'Fix the windows: two half-height approximations, shifted by half a bump' },
};

/** Hinges are ReLU's construction: choosing them chooses ReLU (noted when a link said otherwise). */
export function fix(state, notes) {
  if (state.build === 'hinges' && state.activation !== 'relu') {
    notes.push(`hinges are made of ReLU neurons; activation=${state.activation} gives way to relu`);
    state.activation = 'relu';
  }
}

/** The bumps of f at their midpoints (clamped into [0, 1]), scaled by `share`. */
const heightsOf = (edges, share) => edges.map(([a, c]) => share * goal(Math.min(1, Math.max(0, (a + c) / 2))));

/** Layers of the bump construction for f, fixed or not: [1, 2k, 1] with a linear output. */
async function bumpConstruction(st) {
  const plain = intervals(st.n), step = await stepHeight(st.activation);
  if (!st.fix) return bumpLayers(plain, heightsOf(plain, 1), st.w, step);
  const shifted = Array.from({ length: st.n + 1 }, (_, i) => [(i - 0.5) / st.n, (i + 0.5) / st.n]);
  const edges = [...plain, ...shifted];
  return bumpLayers(edges, [...heightsOf(plain, 0.5), ...heightsOf(shifted, 0.5)], st.w, step);
}

/** ReLU's hinges: knots at k/n, output bias f(0), output weights the changes of slope. */
function hingeConstruction(st) {
  const n = st.n, slopes = Array.from({ length: n }, (_, k) => (goal((k + 1) / n) - goal(k / n)) * n);
  return {
    sizes: [1, n, 1], w1: new Float32Array(n).fill(1), b1: Float32Array.from({ length: n }, (_, k) => -k / n),
    w2: Float32Array.from(slopes, (m, k) => m - (k ? slopes[k - 1] : 0)), b2: goal(0),
  };
}

function explain(st, deviation, worst, step) {
  const d = deviation.toFixed(3), name = st.activation;
  if (st.build === 'hinges') return `${st.n} ReLU neurons, each a hinge relu(x − k/n) with a change of slope as its output weight: the output is the straight line through f at the knots, within ${d} of f on average. More pieces, closer: universal without any step.`;
  if (step === null) return `${name}(w(x − s)) keeps rising as x grows — a ramp, not a step — so pairs of them do not make bumps and the sum runs away (average deviation ${d}).${st.activation === 'relu' ? ' Try a sum of hinges instead.' : ''}`;
  const rise = (2 * Math.log(9)) / st.w / step; // from 10% to 90% of a sigmoid-like step
  return `${step !== 1 ? `${name} steps by ${step.toFixed(0)}, so each pair’s output weights are ±h/${step.toFixed(0)}; otherwise the same construction. ` : ''}`
    + `Each step takes ${rise.toFixed(3)} in x to rise from 10% to 90%: near the ${st.n - 1} inner steps the output is in a window of failure. `
    + `Average deviation ${d}, worst ${worst.toFixed(3)}${st.fix ? ': with the two shifted half-approximations added, no x is in a window of both, and the worst error halves' : '; the fix adds two half-height approximations shifted by half a bump'}.`;
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The network’s output against f');
  const said = readout();
  let drawn = null;
  const plot = new Plot(canvas, { x: [0, 1], y: [-0.2, 1.2], xLabel: 'input x', yLabel: 'output', draw: (p) => drawn && paint(p) });
  const controls = Object.fromEntries(Object.entries(schema).map(([name, s]) => {
    const make = s.type === 'choice' ? choice : s.type === 'bool' ? toggle : slider;
    return [name, make(s, state[name], (v) => set(name === 'build' && v === 'hinges' ? { build: v, activation: 'relu' } : name === 'activation' && v !== 'relu' ? { activation: v, build: 'bumps' } : { [name]: v }))];
  }));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [canvas, said]), el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));

  function paint(p) {
    p.axes();
    p.band(GRID, drawn.out, GRID.map(goal), { color: COLORS.goal, alpha: 0.15 });
    p.line(GRID, GRID.map(goal), { color: COLORS.goal, dash: [6, 4] });
    p.line(GRID, drawn.out);
    p.legend([['f, the goal', COLORS.goal, [6, 4]], [`output of ${drawn.label}`, COLORS.accent]]);
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const hinges = st.build === 'hinges';
      controls.w.node.hidden = controls.fix.node.hidden = hinges;
      const layers = hinges ? hingeConstruction(st) : await bumpConstruction(st), step = await stepHeight(st.activation);
      const net = await shaped(layers.sizes, { hidden: st.activation, output: 'linear' });
      setLayer(net, 1, layers.w1, layers.b1);
      setLayer(net, 2, layers.w2, [layers.b2 ?? 0]);
      const out = outputs(net, GRID), deviation = averageDeviation(GRID, out, goal);
      const worst = GRID.reduce((m, x, i) => Math.max(m, Math.abs(out[i] - goal(x))), 0);
      drawn = { out, deviation, worst, label: `${layers.sizes[1]} ${schema.activation.values[st.activation]} neurons` };
      plot.redraw();
      said.textContent = explain(st, deviation, worst, step);
      canvas.setAttribute('aria-label', `The output of ${drawn.label} against f. ${said.textContent}`);
    },
    data: () => drawn && { out: drawn.out, deviation: drawn.deviation, worst: drawn.worst },
  };
}
