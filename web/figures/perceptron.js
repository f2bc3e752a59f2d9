// perceptron.js — figure: perceptron versus sigmoid neuron (chapter 1). Three inputs, their
// weights and a bias; sweep one of them and watch the perceptron's output jump between 0 and 1
// where w·x + b crosses 0, while the sigmoid neuron's output moves a little for a little change
// (the chapter's argument for sigmoid neurons). The book's rule: the perceptron outputs 0 if
// w·x + b ≤ 0 and 1 if w·x + b > 0 (0 at the threshold itself). The core computes w·x + b (a
// neuron of linear output) and σ(w·x + b); the rule reads the core's z. A sweep is one batch: as
// the swept parameter p runs, z = c·p + rest, a neuron of input p. The book's two examples are
// presets: the festival (weights 6, 2, 2, threshold 5) and NAND (weights −2, −2, bias 3).
import { button, choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { outputs, setLayer, shaped } from './kit/nets.js';
import { short, sub } from './kit/notation.js';
import { Plot } from './kit/plot.js';

const P = { type: 'number', min: -10, max: 10, step: 0.05 };
const NAMES = { w1: 'w₁', w2: 'w₂', w3: 'w₃', b: 'b' };

export const schema = {
  x: { type: 'list', min: 0, max: 1, length: [3, 3], default: [1, 0, 1], label: 'Inputs' },
  w: { ...P, type: 'list', length: [3, 3], default: [6, 2, 2], label: 'Weights' },
  b: { ...P, default: -5, label: 'Bias b = −threshold' },
  sweep: { type: 'choice', values: NAMES, default: 'w1', label: 'Sweep' },
};

/** The book's examples: the cheese festival (is the weather good, does a friend come, is it near
 * transit: weights 6, 2, 2, threshold 5) and the NAND gate of two inputs. */
export const PRESETS = {
  festival: { x: [1, 0, 1], w: [6, 2, 2], b: -5 },
  nand: { x: [1, 1, 0], w: [-2, -2, 0], b: 3 },
};

/** The perceptron's rule, on the core's weighted input z: 1 if z > 0, else 0 (the book's ≤). */
export const perceptron = (z) => (z > 0 ? 1 : 0);

/** z as a function of the swept parameter p: z = slope · p + rest (slope and rest: inputs). */
function line(st) {
  if (st.sweep === 'b') return { slope: 1, rest: st.w.reduce((s, w, i) => s + w * st.x[i], 0), value: st.b };
  const i = Number(st.sweep[1]) - 1;
  return { slope: st.x[i], rest: st.b + st.w.reduce((s, w, k) => (k === i ? s : s + w * st.x[k]), 0), value: st.w[i] };
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('Outputs of the perceptron and the sigmoid neuron as one parameter changes');
  const said = readout();
  const picture = networkDiagram('One neuron of three inputs');
  let drawn = null;
  const plot = new Plot(canvas, { x: [P.min, P.max], y: [-0.05, 1.05], xLabel: NAMES[state.sweep], yLabel: 'output', aspect: 0.55, draw: (p) => drawn && paint(p) });
  const xs = [0, 1, 2].map((i) => slider({ type: 'number', min: 0, max: 1, step: 0.05 }, state.x[i], (v) => set({ x: state.x.map((x, k) => (k === i ? v : x)) }), { label: `Input x${sub(i + 1)}` }));
  const ws = [0, 1, 2].map((i) => slider({ ...P, default: 0 }, state.w[i], (v) => set({ w: state.w.map((w, k) => (k === i ? v : w)) }), { label: `Weight w${sub(i + 1)}` }));
  const b = slider(schema.b, state.b, (v) => set({ b: v }));
  const sweep = choice(schema.sweep, state.sweep, (v) => set({ sweep: v }));
  const presets = el('div', { className: 'buttons' }, [
    button('The festival: 6, 2, 2, threshold 5', () => set(PRESETS.festival), { secondary: true }),
    button('NAND: −2, −2, bias 3', () => set(PRESETS.nand), { secondary: true }),
  ]);
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, canvas, said]), el('div', { className: 'controls' }, [presets, sweep.node, ...ws.map((c) => c.node), b.node, ...xs.map((c) => c.node)]));
  const weighted = await shaped([1, 1], { output: 'linear' }), neuron = await shaped([1, 1], { output: 'sigmoid' });

  function paint(p) {
    p.axes();
    p.line(drawn.ps, drawn.perceptron, { color: 'goal', width: 2.5 });
    p.line(drawn.ps, drawn.sigmoid);
    p.vline(drawn.value, { text: `${NAMES[drawn.sweep]} = ${drawn.value}` });
    p.legend([['perceptron', 'goal'], ['sigmoid neuron', 'accent']]);
  }

  return {
    async render(st) {
      xs.forEach((c, i) => c.update(st.x[i])); ws.forEach((c, i) => c.update(st.w[i])); b.update(st.b); sweep.update(st.sweep);
      const { slope, rest, value } = line(st), ps = plot.samples();
      setLayer(weighted, 1, [slope], [rest]);
      setLayer(neuron, 1, [slope], [rest]);
      const zs = outputs(weighted, [...ps, value]), sigmoid = outputs(neuron, [...ps, value]);
      const z = zs.at(-1), now = [perceptron(z), sigmoid.at(-1)];
      plot.xLabel = `${NAMES[st.sweep]} (the others fixed)`;
      drawn = { ps, sigmoid: sigmoid.slice(0, -1), perceptron: Array.from(zs.slice(0, -1), perceptron), value, sweep: st.sweep, now, z };
      plot.redraw();
      said.textContent = `w·x + b = ${short(z)}${z === 0 ? ' (exactly the threshold: the book’s rule gives 0)' : ''}: the perceptron outputs ${now[0]}, the sigmoid neuron ${now[1].toFixed(3)}. `
        + (slope === 0 ? `With its input 0, ${NAMES[st.sweep]} changes nothing.` : `The perceptron flips where ${NAMES[st.sweep]} = ${(-rest / slope).toFixed(2)}; near there a small change of ${NAMES[st.sweep]} changes the sigmoid neuron’s output a little.`);
      canvas.setAttribute('aria-label', `Outputs as ${NAMES[st.sweep]} runs from ${P.min} to ${P.max}. ${said.textContent}`);
      picture.update({
        layers: [{ title: 'inputs', neurons: st.x.map((x) => ({ label: `x=${short(x)}` })) }, { title: 'neuron', neurons: [{ label: `b=${short(st.b)}`, note: `output ${now[0]}`, select: focusing(b) }] }],
        edges: st.w.map((w, i) => ({ from: [0, i], to: [1, 0], weight: w, label: `w${sub(i + 1)} = ${short(w)}`, select: focusing(ws[i]) })),
      }, `inputs ${st.x.map(short).join(', ')} with weights ${st.w.map(short).join(', ')}, bias ${short(st.b)} (threshold ${short(-st.b)}).`);
    },
    data: () => drawn && { now: drawn.now, z: drawn.z, flip: drawn.ps[drawn.perceptron.findIndex((v) => v > 0.5)], pixel: drawn.ps[1] - drawn.ps[0] },
  };
}
