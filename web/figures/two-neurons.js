// two-neurons.js — figure: two hidden neurons and the weighted output (chapter 4). Two sigmoid
// neurons with large input weights (1000) step at s1 and s2; the output neuron is linear with
// weights w1 and w2 and no bias, so the core's output is the weighted output w1 a1 + w2 a2.
// Not here: a single neuron (step.js), bumps (bumps.js).
import { el, plotCanvas, readout, slider } from './kit/controls.js';
import { LARGE_W, outputs, setLayer, shaped } from './kit/nets.js';
import { Plot } from './kit/plot.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { short } from './kit/notation.js';

export const schema = {
  s1: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.4, label: 'Step of the top neuron s₁' },
  w1: { type: 'number', min: -3, max: 3, step: 0.05, default: 0.6, label: 'Its output weight w₁' },
  s2: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.6, label: 'Step of the bottom neuron s₂' },
  w2: { type: 'number', min: -3, max: 3, step: 0.05, default: 0.5, label: 'Its output weight w₂' },
};

/** A y range that holds 0, each weight and their sum, in whole units so it rarely moves. */
function yRange({ w1, w2 }) {
  const values = [0, w1, w2, w1 + w2];
  return [Math.floor(Math.min(...values)) - 0.2, Math.max(1, Math.ceil(Math.max(...values))) + 0.2];
}

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The weighted output of two hidden neurons');
  const said = readout();
  let drawn = null;
  const plot = new Plot(canvas, { x: [0, 1], y: yRange(state), xLabel: 'input x', yLabel: 'weighted output w₁a₁ + w₂a₂', draw: (p) => drawn && paint(p, drawn) });
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  const picture = networkDiagram('Two hidden neurons and the output');
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, canvas, said]), el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));
  const net = await shaped([1, 2, 1], { output: 'linear' });

  function paint(p, { xs, ys, st }) {
    p.axes();
    p.vline(st.s1, { text: 's₁' });
    p.vline(st.s2, { text: 's₂', color: 'second' });
    p.line(xs, ys);
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      setLayer(net, 1, [LARGE_W, LARGE_W], [-LARGE_W * st.s1, -LARGE_W * st.s2]);
      setLayer(net, 2, [st.w1, st.w2], [0]);
      plot.yRange = yRange(st);
      const xs = plot.samples(), ys = outputs(net, xs);
      drawn = { xs, ys, st: { ...st } };
      plot.redraw();
      picture.update({
        layers: [{ title: 'input', neurons: [{ label: 'x' }] },
          { title: 'hidden', neurons: [1, 2].map((i) => ({ label: `s=${short(st[`s${i}`])}`, note: `b = ${short(-LARGE_W * st[`s${i}`])}`, select: focusing(controls[`s${i}`]) })) },
          { title: 'output', neurons: [{ label: 'Σ', note: 'w₁a₁ + w₂a₂' }] }],
        edges: [0, 1].flatMap((j) => [{ from: [0, 0], to: [1, j], label: j ? undefined : `w = ${LARGE_W}`, weight: LARGE_W },
          { from: [1, j], to: [2, 0], label: `w${'₁₂'[j]} = ${short(st[`w${j + 1}`])}`, weight: st[`w${j + 1}`], select: focusing(controls[`w${j + 1}`]) }]),
      }, `input x to two hidden neurons of input weight ${LARGE_W}, steps at s₁ = ${short(st.s1)} and s₂ = ${short(st.s2)}, output weights w₁ = ${short(st.w1)} and w₂ = ${short(st.w2)}.`);
      const [first, second] = st.s1 <= st.s2 ? [['s₁', st.s1, st.w1], ['s₂', st.s2, st.w2]] : [['s₂', st.s2, st.w2], ['s₁', st.s1, st.w1]];
      said.textContent = `0 before x = ${first[1].toFixed(2)}, then ${first[2].toFixed(2)} (the step at ${first[0]} times its weight), `
        + `then ${(st.w1 + st.w2).toFixed(2)} after x = ${second[1].toFixed(2)} (both weights).`;
      canvas.setAttribute('aria-label', `Plot of the weighted output: ${said.textContent}`);
    },
    data: () => drawn && { xs: drawn.xs, ys: drawn.ys },
  };
}
