// perceptron.js — figure: perceptron versus sigmoid neuron (chapter 1). Three inputs, their
// weights and a bias; sweep one of them and watch the perceptron's output jump between 0 and 1
// where w·x + b crosses 0, while the sigmoid neuron's output moves a little for a little change
// (the chapter's argument for sigmoid neurons). Both are the core's sigmoid neuron: the perceptron
// is it with w and b multiplied by 10⁴ (σ(10⁴ z) is the step, as the book says in the limit). A
// sweep is one batch: as the swept parameter p runs, z = c·p + rest, a neuron of input p.
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { outputs, setLayer, shaped } from './kit/nets.js';
import { COLORS, Plot } from './kit/plot.js';

const STEEP = 1e4;
const P = { type: 'number', min: -3, max: 3, step: 0.05 };
const NAMES = { w1: 'w₁', w2: 'w₂', w3: 'w₃', b: 'b' };

export const schema = {
  x: { type: 'list', min: 0, max: 1, length: [3, 3], default: [1, 0, 1], label: 'Inputs' },
  w: { ...P, type: 'list', length: [3, 3], default: [0.6, -0.8, 0.7], label: 'Weights' },
  b: { ...P, default: -1, label: 'Bias b' },
  sweep: { type: 'choice', values: NAMES, default: 'w1', label: 'Sweep' },
};

/** z as a function of the swept parameter p: z = slope · p + rest. */
function line(st) {
  if (st.sweep === 'b') return { slope: 1, rest: st.w.reduce((s, w, i) => s + w * st.x[i], 0), value: st.b };
  const i = Number(st.sweep[1]) - 1;
  return { slope: st.x[i], rest: st.b + st.w.reduce((s, w, k) => (k === i ? s : s + w * st.x[k]), 0), value: st.w[i] };
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('Outputs of the perceptron and the sigmoid neuron as one parameter changes');
  const said = readout();
  let drawn = null;
  const plot = new Plot(canvas, { x: [P.min, P.max], y: [-0.05, 1.05], xLabel: NAMES[state.sweep], yLabel: 'output', aspect: 0.55, draw: (p) => drawn && paint(p) });
  const xs = [0, 1, 2].map((i) => slider({ type: 'number', min: 0, max: 1, step: 0.05 }, state.x[i], (v) => set({ x: state.x.map((x, k) => (k === i ? v : x)) }), { label: `Input x${'₁₂₃'[i]}` }));
  const ws = [0, 1, 2].map((i) => slider({ ...P, default: 0 }, state.w[i], (v) => set({ w: state.w.map((w, k) => (k === i ? v : w)) }), { label: `Weight w${'₁₂₃'[i]}` }));
  const b = slider(schema.b, state.b, (v) => set({ b: v }));
  const sweep = choice(schema.sweep, state.sweep, (v) => set({ sweep: v }));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [canvas, said]), el('div', { className: 'controls' }, [sweep.node, ...ws.map((c) => c.node), b.node, ...xs.map((c) => c.node)]));
  const neuron = await shaped([1, 1], { output: 'sigmoid' });

  function paint(p) {
    p.axes();
    p.line(drawn.ps, drawn.perceptron, { color: COLORS.goal, width: 2.5 });
    p.line(drawn.ps, drawn.sigmoid);
    p.vline(drawn.value, { text: `${NAMES[drawn.sweep]} = ${drawn.value}` });
    p.legend([['perceptron', COLORS.goal], ['sigmoid neuron', COLORS.accent]]);
  }

  return {
    async render(st) {
      xs.forEach((c, i) => c.update(st.x[i])); ws.forEach((c, i) => c.update(st.w[i])); b.update(st.b); sweep.update(st.sweep);
      const { slope, rest, value } = line(st), ps = plot.samples();
      setLayer(neuron, 1, [slope], [rest]);
      const sigmoid = outputs(neuron, [...ps, value]);
      setLayer(neuron, 1, [STEEP * slope], [STEEP * rest]);
      const perceptron = outputs(neuron, [...ps, value]);
      plot.xLabel = `${NAMES[st.sweep]} (the others fixed)`;
      drawn = { ps, sigmoid: sigmoid.slice(0, -1), perceptron: perceptron.slice(0, -1), value, sweep: st.sweep, now: [perceptron.at(-1), sigmoid.at(-1)] };
      plot.redraw();
      const z = slope * value + rest;
      said.textContent = `w·x + b = ${z.toFixed(2)}: the perceptron outputs ${Math.round(drawn.now[0])}, the sigmoid neuron ${drawn.now[1].toFixed(3)}. `
        + (slope === 0 ? `With its input 0, ${NAMES[st.sweep]} changes nothing.` : `The perceptron flips where ${NAMES[st.sweep]} = ${(-rest / slope).toFixed(2)}; near there a small change of ${NAMES[st.sweep]} changes the sigmoid neuron’s output a little.`);
      canvas.setAttribute('aria-label', `Outputs as ${NAMES[st.sweep]} runs from ${P.min} to ${P.max}. ${said.textContent}`);
    },
    data: () => drawn && { now: drawn.now, flip: drawn.ps[drawn.perceptron.findIndex((v) => v > 0.5)] },
  };
}
