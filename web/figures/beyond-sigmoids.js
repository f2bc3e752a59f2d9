// beyond-sigmoids.js — figure: beyond sigmoids, and fixing the steps (chapter 4). The bumps of
// by-hand.js approximate f directly (a linear output neuron) with another activation s(z), one
// neuron and one pair of them shown beside the sum: tanh steps just as well (its step is 2 tall, so
// the output weights halve). A pair of linear neurons weighted +h and −h gives the constant
// h·w·(s₂ − s₁) — a network of linear neurons is linear in x — and a pair of ReLU neurons gives a
// clipped ramp, a step of height h·w·(s₂ − s₁): pairs side by side add up their steps instead of
// making bumps. ReLU's own universal construction here is a sum of hinges: f(0) + Σ c_k relu(x − x_k),
// the line through f's values at the knots. With a finite weight w each step has a window of failure around it; the book's fix
// adds two approximations of f/2, the second shifted by half a bump, so that no x lies in a
// window of both. The core computes every network's output. Not here: σ∘ outputs (by-hand.js).
import { choice, el, plotCanvas, readout, slider, toggle } from './kit/controls.js';
import { averageDeviation, bumpLayers, goal, hiddenChoices, intervals, outputs, setLayer, shaped, stepHeight } from './kit/nets.js';
import { Plot } from './kit/plot.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { short } from './kit/notation.js';

const GRID = Array.from({ length: 1001 }, (_, i) => i / 1000);
const FINE = Array.from({ length: 2001 }, (_, i) => i / 2000);

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

/** One hidden neuron s(w(x − s₁)) and one pair of them weighted +h and −h, asked of the core:
 * s₁ = 0 and s₂ = 1/n, the construction's first pair, and h its height. */
async function onePair(st, step) {
  const [s1, s2] = [0.25, 0.25 + 1 / st.n], h = goal(0.5 / st.n) / (step ?? 1);
  const neuron = await shaped([1, 1], { output: st.activation });
  setLayer(neuron, 1, [st.w], [-st.w * s1]);
  const xs = FINE, a = outputs(neuron, xs);
  const pair = await shaped([1, 2, 1], { hidden: st.activation, output: 'linear' });
  setLayer(pair, 1, [st.w, st.w], [-st.w * s1, -st.w * s2]);
  setLayer(pair, 2, [h, -h], [0]);
  const out = outputs(pair, xs);
  return { s1, s2, h, w: st.w, xs, a: Array.from(a), out: Array.from(out), rise: riseWidth(xs, a) };
}

/** How far x runs while the neuron's output goes from 10% to 90% of the way from its value at
 * x = 0 to its value at x = 1, read off the core's outputs (null if it never gets there). */
function riseWidth(xs, a) {
  const lo = a[0], hi = a.at(-1), at = (k) => xs.findIndex((_, i) => (a[i] - lo) / (hi - lo) >= k);
  return hi === lo ? null : xs[at(0.9)] - xs[at(0.1)];
}

function explain(st, deviation, worst, step, pair) {
  const d = deviation.toFixed(3), name = schema.activation.values[st.activation];
  const constant = short(pair.h * pair.w * (pair.s2 - pair.s1));
  if (st.build === 'hinges') return `${st.n} ReLU neurons, each a hinge relu(x − k/n) with a change of slope as its output weight: the output is the straight line through f at the knots, within ${d} of f on average. More pieces, closer: universal without any step.`;
  if (st.activation === 'linear') return `A linear neuron's output w(x − s) is a straight line, not a step. A pair weighted +h and −h gives h·w(x − s₁) − h·w(x − s₂) = h·w·(s₂ − s₁) = ${constant} for every x: a constant. `
    + `So the ${st.n} pairs add up to a constant too (${short(pair.total)}, average deviation ${d}): a network of linear neurons computes a linear function of x, whatever its weights — no bumps, no universality.`;
  if (step === null) return `relu(w(x − s)) is 0 before s and then a ramp of slope w. A pair weighted +h and −h is a clipped ramp: 0 before s₁, rising between s₁ and s₂, then the constant h·w·(s₂ − s₁) = ${constant} — a step, not a bump. `
    + `Side by side, the ${st.n} pairs’ steps add up, so the output climbs with x (average deviation ${d}). ReLU networks are universal all the same: two such steps make a bump, or, simpler, take a sum of hinges.`;
  return `${step !== 1 ? `${name} steps by ${step.toFixed(0)}, so each pair’s output weights are ±h/${step.toFixed(0)}; otherwise the same construction. ` : ''}`
    + `With w = ${st.w} a step takes ${pair.rise === null ? '–' : pair.rise.toFixed(3)} in x to rise from 10% to 90%: near the ${st.n - 1} inner steps the output is in a window of failure. `
    + `Average deviation ${d}, worst ${worst.toFixed(3)}${st.fix ? ': with the two shifted half-approximations added, no x is in a window of both, and the worst error halves' : '; the fix adds two half-height approximations shifted by half a bump'}.`;
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The network’s output against f');
  const oneCanvas = plotCanvas('One hidden neuron and one pair');
  const said = readout();
  const picture = networkDiagram('The network');
  let drawn = null;
  const plot = new Plot(canvas, { x: [0, 1], y: [-0.2, 1.2], xLabel: 'input x', yLabel: 'output', draw: (p) => drawn && paint(p) });
  const onePlot = new Plot(oneCanvas, { x: [0, 1], y: [-0.2, 1.2], xLabel: 'input x', yLabel: 'output', aspect: 0.4, draw: (p) => drawn && paintPair(p) });
  const controls = Object.fromEntries(Object.entries(schema).map(([name, s]) => {
    const make = s.type === 'choice' ? choice : s.type === 'bool' ? toggle : slider;
    return [name, make(s, state[name], (v) => set(name === 'build' && v === 'hinges' ? { build: v, activation: 'relu' } : name === 'activation' && v !== 'relu' ? { activation: v, build: 'bumps' } : { [name]: v }))];
  }));
  root.classList.add('side');
  const pairCaption = el('p', { className: 'caption' });
  root.append(el('div', { className: 'plots' }, [picture.node, canvas, said, oneCanvas, pairCaption]), el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));

  /** The y range that holds f and the output, so that an output far from f stays in sight. */
  const fit = (values, lo = -0.2, hi = 1.2) => {
    let min = lo, max = hi;
    for (const v of values) { if (v < min) min = v; if (v > max) max = v; }
    return [min, max === min ? min + 1 : max + 0.05 * (max - min)];
  };
  function paintPair(p) {
    const { pair } = drawn;
    p.yRange = fit(pair.out, -0.1, 1.1); // a neuron that keeps rising runs off the top: the pair is the point
    p.axes();
    p.vline(pair.s1, { text: 's₁' });
    p.vline(pair.s2, { text: 's₂' });
    p.line(pair.xs, pair.a, { color: 'faint', dash: [5, 3] });
    p.line(pair.xs, pair.out, { color: 'second' });
    p.legend([[`one neuron ${drawn.name}(w(x − s₁))`, 'faint', [5, 3]], ['one pair, weights +h and −h', 'second']]);
  }
  function paint(p) {
    p.yRange = fit(drawn.out);
    p.axes();
    p.band(GRID, drawn.out, GRID.map(goal), { color: 'goal', alpha: 0.15 });
    p.line(GRID, GRID.map(goal), { color: 'goal', dash: [6, 4] });
    p.line(GRID, drawn.out);
    p.legend([['f, the goal', 'goal', [6, 4]], [`output of ${drawn.label}`, 'accent']]);
  }

  function diagram(st, layers) {
    const k = layers.sizes[1], hinges = st.build === 'hinges', name = schema.activation.values[st.activation];
    const hidden = Array.from({ length: k }, (_, j) => ({ label: hinges ? `k=${j}` : `b=${short(layers.b1[j])}`, select: hinges ? undefined : focusing(controls.w) }));
    const edges = hidden.flatMap((_, j) => [{ from: [0, 0], to: [1, j], weight: layers.w1[j], label: j ? undefined : `w = ${short(layers.w1[0])}` },
      { from: [1, j], to: [2, 0], weight: layers.w2[j], label: j < 2 || j === k - 1 ? short(layers.w2[j]) : undefined, at: 0.3 }]);
    picture.update({ layers: [{ title: 'input', neurons: [{ label: 'x' }] }, { title: `${name} (${k})`, neurons: hidden }, { title: 'output', neurons: [{ label: 'Σ', note: `linear, b = ${short(layers.b2 ?? 0)}` }] }], edges },
      `[1, ${k}, 1]: ${k} ${name} neurons${hinges ? ' relu(x − k/n)' : ` of weight ${st.w}`}, a linear output neuron.`);
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
      const pair = { ...(await onePair(st, step)), total: out[0] };
      const name = schema.activation.values[st.activation];
      drawn = { out, deviation, worst, pair, name, label: `${layers.sizes[1]} ${name} neurons` };
      plot.redraw();
      onePlot.redraw();
      said.textContent = explain(st, deviation, worst, step, pair);
      pairCaption.textContent = `Below, as the book shows s(z) for a neuron: one ${name} neuron with w = ${st.w} and b = −w·s₁ = ${short(-st.w * pair.s1)} (s₁ = ${pair.s1}), and a pair of them stepping at s₁ and s₂ = ${short(pair.s2)} with output weights +h and −h, h = ${short(pair.h)}: `
        + `from ${short(pair.out[0])} at x = 0 to ${short(pair.out.at(-1))} at x = 1.`;
      oneCanvas.setAttribute('aria-label', pairCaption.textContent);
      diagram(st, layers);
      canvas.setAttribute('aria-label', `The output of ${drawn.label} against f. ${said.textContent}`);
    },
    data: () => drawn && { out: drawn.out, deviation: drawn.deviation, worst: drawn.worst, yRange: plot.yRange,
      pair: { s1: drawn.pair.s1, s2: drawn.pair.s2, h: drawn.pair.h, w: drawn.pair.w, at0: drawn.pair.out[0], at1: drawn.pair.out.at(-1), rise: drawn.pair.rise } },
  };
}
