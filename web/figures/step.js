// step.js — figure: one neuron becomes a step (chapter 4). A sigmoid neuron of one input with
// weight w and bias b, its output σ(wx + b) computed by the core for every pixel column; as w
// grows the curve becomes a step at s = −b/w. The book's parametrisation by s alone fixes w
// large (1000) and sets b = −ws. Not here: pairs of steps (two-neurons.js, bumps.js).
import { choice, el, plotCanvas, readout, slider } from './kit/controls.js';
import { LARGE_W, outputs, setLayer, shaped } from './kit/nets.js';
import { Plot } from './kit/plot.js';
import { focusing, networkDiagram } from './kit/diagram.js';
import { short } from './kit/notation.js';

export const schema = {
  w: { type: 'number', min: -1000, max: 1000, step: 0.5, default: 8, label: 'Weight w' },
  b: { type: 'number', min: -1000, max: 1000, step: 0.5, default: -4, label: 'Bias b' },
  by: { type: 'choice', values: { wb: 'w and b', s: 'the step s alone (w = 1000)' }, default: 'wb', label: 'Set the neuron by' },
  s: { type: 'number', min: 0, max: 1, step: 0.01, default: 0.4, label: 'Step s' },
};

/** The weight and bias the settings give. */
const neuron = (st) => (st.by === 's' ? { w: LARGE_W, b: -LARGE_W * st.s } : { w: st.w, b: st.b });

export async function mount(root, { state, set }) {
  const canvas = plotCanvas('The output of one neuron');
  const said = readout();
  let drawn = null;
  const plot = new Plot(canvas, { x: [0, 1], y: [-0.05, 1.05], xLabel: 'input x', yLabel: 'output σ(wx + b)', draw: (p) => drawn && paint(p, drawn) });
  const controls = {
    by: choice(schema.by, state.by, (by) => set({ by })),
    w: slider(schema.w, state.w, (w) => set({ w })),
    b: slider(schema.b, state.b, (b) => set({ b })),
    s: slider(schema.s, state.s, (s) => set({ s })),
  };
  const picture = networkDiagram('One neuron of one input');
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, canvas, said]), el('div', { className: 'controls' }, Object.values(controls).map((c) => c.node)));
  const net = await shaped([1, 1], { output: 'sigmoid' });

  function paint(p, { xs, ys, s }) {
    p.axes();
    if (s !== null && s >= 0 && s <= 1) p.vline(s, { text: `s = −b/w = ${s.toFixed(3)}` });
    p.line(xs, ys);
  }

  return {
    async render(st) {
      const { w, b } = neuron(st);
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      controls.w.node.hidden = controls.b.node.hidden = st.by === 's';
      controls.s.node.hidden = st.by !== 's';
      setLayer(net, 1, [w], [b]);
      const xs = plot.samples(), ys = outputs(net, xs), s = w !== 0 ? -b / w : null;
      drawn = { xs, ys, s };
      plot.redraw();
      const byS = st.by === 's';
      picture.update({
        layers: [{ title: 'input', neurons: [{ label: 'x' }] }, { title: 'neuron', neurons: [{ label: byS ? `s=${short(st.s)}` : `b=${short(b)}`, note: byS ? `b = −ws = ${short(b)}` : `s = −b/w = ${s === null ? '–' : short(s)}`, select: focusing(byS ? controls.s : controls.b) }] }],
        edges: [{ from: [0, 0], to: [1, 0], label: `w = ${short(w)}`, weight: w, select: focusing(byS ? controls.s : controls.w) }],
      }, `input x, weight w = ${short(w)}, bias b = ${short(b)}, output σ(wx + b).`);
      const rise = w !== 0 ? (2 * Math.log(9)) / Math.abs(w) : Infinity; // from 0.1 to 0.9
      said.textContent = s === null ? 'With w = 0 the output is σ(b) everywhere: no step.'
        : `Step at s = −b/w = ${s.toFixed(3)}; the output goes from 0.1 to 0.9 over ${rise < 1e-3 ? 'less than 0.001' : rise.toFixed(3)} in x${Math.abs(w) >= 100 ? ': practically a step.' : '.'}`;
      canvas.setAttribute('aria-label', `Plot of σ(wx + b) for w = ${w}, b = ${b.toFixed(2)}: ${ys[0].toFixed(2)} at x = 0, ${ys.at(-1).toFixed(2)} at x = 1. ${said.textContent}`);
    },
    data: () => ({ ...drawn, pixel: (plot.xRange[1] - plot.xRange[0]) / (plot.right - plot.left), w: neuron(state).w, b: neuron(state).b }),
  };
}
