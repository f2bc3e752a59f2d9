// backprop.js — figure: backpropagation step by step (chapter 2). A [2, 3, 2] network of sigmoid
// neurons and one training example: the forward pass layer by layer (z and a of every neuron),
// the cost, then the backward pass (BP1 for the output layer, BP2 going back, BP3 and BP4 for the
// gradients), each step highlighting the neurons it touches and showing its equation with the
// numbers filled in. Every number is the core's (nndl_network_trace: the same pass as training,
// on one example); the reader edits the input, the target and any weight or bias. Beside it, the
// check: ∂C/∂p of the selected parameter by backpropagation and by the central difference
// (C(p + ε) − C(p − ε)) / 2ε of the core's costs. Not here: training (the main page).
import { announced, button, el, focused, readout, slider } from './kit/controls.js';
import { setLayer, shaped } from './kit/nets.js';
import { svg } from './kit/diagram.js';
import { sub, sup } from './kit/notation.js';
import { clampTo } from '../shared/url-state.js';

const SIZES = [2, 3, 2];
const PARAM = { type: 'number', min: -5, max: 5, step: 0.01 };
const EPSILON = 0.03; // with the float step it makes, 4 significant digits of float32 costs
// the core counts layers from 0 (the input) and the book from 1: layer l of the core is the
// book's l + 1, so a¹ = x, the hidden layer's weights are w² and the output's w³, as in the book
const SUP = [1, 2, 3].map(sup);
const f4 = (v) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(3));
const sig = (v) => Number(v).toPrecision(4);

/** The parameters in the core's layout: w² (3 x 2), b², w³ (2 x 3), b³ in the book's names. */
const PARAMS = [];
for (let l = 1; l < SIZES.length; l++) {
  for (let j = 0; j < SIZES[l]; j++) for (let k = 0; k < SIZES[l - 1]; k++) PARAMS.push({ kind: 'w', l, j, k, name: `w${SUP[l]}${sub(j + 1)}${sub(k + 1)}` });
  for (let j = 0; j < SIZES[l]; j++) PARAMS.push({ kind: 'b', l, j, name: `b${SUP[l]}${sub(j + 1)}` });
}

const STEPS = [
  { title: 'The input: a¹ = x', touches: [0] },
  { title: 'Forward, layer 2: z² = w²a¹ + b², a² = σ(z²)', touches: [0, 1] },
  { title: 'Forward, layer 3: z³ = w³a² + b³, a³ = σ(z³)', touches: [1, 2] },
  { title: 'The cost: C = ½‖y − a³‖²', touches: [2] },
  { title: 'BP1, the output error: δ³ = (a³ − y) ⊙ σ′(z³)', touches: [2] },
  { title: 'BP2, the error going back: δ² = ((w³)ᵀδ³) ⊙ σ′(z²)', touches: [1, 2] },
  { title: 'BP3, the biases: ∂C/∂bˡⱼ = δˡⱼ', touches: [1, 2] },
  { title: 'BP4, the weights: ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ', touches: [0, 1, 2] },
];

export const schema = {
  x: { type: 'list', min: -2, max: 2, length: [2, 2], default: [1, 0.5], label: 'Input x' },
  y: { type: 'list', min: 0, max: 1, length: [2, 2], default: [1, 0], label: 'Target y' },
  p: { ...PARAM, type: 'list', length: [PARAMS.length, PARAMS.length], default: [0.5, -1.2, 1.5, 0.8, -0.7, 1.1, 0.2, -0.4, 0.3, 1.2, -0.9, 0.6, -1.1, 0.7, 1.3, -0.2, 0.4], label: 'Weights and biases' },
  step: { type: 'int', min: 1, max: STEPS.length, step: 1, default: 1, label: 'Step' },
  sel: { type: 'int', min: 0, max: PARAMS.length - 1, step: 1, default: 9, label: 'Parameter checked' },
};

/** The equation lines of a step, numbers filled in from the trace t. */
function equations(step, st, t) {
  const a0 = st.x, [w1, b1, w2, b2] = [st.p.slice(0, 6), st.p.slice(6, 9), st.p.slice(9, 15), st.p.slice(15)];
  const row = (w, n, j) => w.slice(j * n, (j + 1) * n);
  const sum = (w, a, b) => `${w.map((wk, k) => `(${wk})(${f4(a[k])})`).join(' + ')} + (${b})`;
  const d = (l, j) => f4(t.delta[l][j]);
  switch (step) {
    case 0: return a0.map((v, k) => `a¹${sub(k + 1)} = x${sub(k + 1)} = ${v}`);
    case 1: return [0, 1, 2].map((j) => `z²${sub(j + 1)} = ${sum(row(w1, 2, j), a0, b1[j])} = ${f4(t.z[1][j])};  a²${sub(j + 1)} = σ(${f4(t.z[1][j])}) = ${f4(t.a[1][j])}`);
    case 2: return [0, 1].map((j) => `z³${sub(j + 1)} = ${sum(row(w2, 3, j), t.a[1], b2[j])} = ${f4(t.z[2][j])};  a³${sub(j + 1)} = σ(${f4(t.z[2][j])}) = ${f4(t.a[2][j])}`);
    case 3: return [`C = ½[(${st.y[0]} − ${f4(t.a[2][0])})² + (${st.y[1]} − ${f4(t.a[2][1])})²] = ${f4(t.cost)}`];
    case 4: return [0, 1].map((j) => `δ³${sub(j + 1)} = (${f4(t.a[2][j])} − ${st.y[j]}) · σ′(${f4(t.z[2][j])}) = ${d(2, j)}`);
    case 5: return [0, 1, 2].map((k) => `δ²${sub(k + 1)} = ((${w2[k]})(${d(2, 0)}) + (${w2[3 + k]})(${d(2, 1)})) · σ′(${f4(t.z[1][k])}) = ${d(1, k)}`);
    case 6: return PARAMS.flatMap((q, i) => (q.kind === 'b' ? [`∂C/∂${q.name} = δ${SUP[q.l]}${sub(q.j + 1)} = ${f4(t.nabla[i])}`] : []));
    default: return PARAMS.flatMap((q, i) => (q.kind === 'w' ? [`∂C/∂${q.name} = a${SUP[q.l - 1]}${sub(q.k + 1)} δ${SUP[q.l]}${sub(q.j + 1)} = ${f4(q.l === 1 ? st.x[q.k] : t.a[1][q.k])} · ${d(q.l, q.j)} = ${f4(t.nabla[i])}`] : []));
  }
}

const at = (l, j) => [60 + l * 150, 40 + (j + 0.5) * (240 / SIZES[l]) - 20 * (SIZES[l] === 2 ? -0.6 : 0)];

/** The network drawn for a step: edges by weight, neurons with their values so far. */
function diagram(st, t, selected) {
  const step = st.step - 1, root = svg('svg', { viewBox: '0 0 420 290', class: 'network', role: 'img' });
  const touched = new Set(STEPS[step].touches);
  for (let l = 1; l < SIZES.length; l++)
    for (let j = 0; j < SIZES[l]; j++)
      for (let k = 0; k < SIZES[l - 1]; k++) {
        const i = PARAMS.findIndex((q) => q.kind === 'w' && q.l === l && q.j === j && q.k === k), w = st.p[i];
        const [x1, y1] = at(l - 1, k), [x2, y2] = at(l, j);
        root.append(svg('line', { x1: x1 + 22, y1, x2: x2 - 22, y2, stroke: i === selected ? 'var(--focus)' : w >= 0 ? 'var(--blue)' : 'var(--red)',
          'stroke-width': i === selected ? 5 : 1 + Math.min(4, Math.abs(w) * 1.5), opacity: touched.has(l) && touched.has(l - 1) ? 0.9 : 0.3,
          'data-param': i, 'pointer-events': 'stroke' }));
      }
  for (let l = 0; l < SIZES.length; l++)
    for (let j = 0; j < SIZES[l]; j++) {
      const [cx, cy] = at(l, j), on = touched.has(l);
      const shown = l === 0 ? st.x[j] : step >= l ? t.a[l][j] : null;
      const error = l === 2 ? step >= 4 : l === 1 ? step >= 5 : false;
      const bias = l ? PARAMS.findIndex((q) => q.kind === 'b' && q.l === l && q.j === j) : -1;
      root.append(svg('circle', { cx, cy, r: 22, fill: on ? 'var(--row-mark)' : 'var(--panel)', stroke: bias === selected ? 'var(--focus)' : on ? 'var(--highlight)' : 'var(--muted)', 'stroke-width': on || bias === selected ? 3 : 1.5,
        ...(bias >= 0 ? { 'data-param': bias } : {}) }));
      root.append(svg('text', { x: cx, y: cy + 4, 'text-anchor': 'middle', 'font-size': 12, 'pointer-events': 'none' }, shown === null ? '?' : f4(shown)));
      if (error) root.append(svg('text', { x: cx, y: cy + 38, 'text-anchor': 'middle', 'font-size': 11, fill: 'var(--bad)' }, `δ ${f4(t.delta[l][j])}`));
    }
  ['layer 1: input a¹ = x', 'layer 2: hidden a²', 'layer 3: output a³'].forEach((text, l) => root.append(svg('text', { x: at(l, 0)[0], y: 14, 'text-anchor': 'middle', 'font-size': 12, fill: 'var(--muted)' }, text)));
  return root;
}

export async function mount(root, { state, set }) {
  const picture = el('div', { className: 'diagram' });
  // a click on a connection or a neuron selects its weight or bias: its box takes the focus
  picture.addEventListener('click', (e) => {
    const i = Number(e.target.closest?.('[data-param]')?.getAttribute('data-param') ?? NaN);
    if (Number.isInteger(i)) boxes[i].lastChild.focus();
  });
  const stepTitle = announced(el('h2', { className: 'step-title' }));
  const lines = el('ol', { className: 'equations' });
  const check = readout();
  const stepper = slider(schema.step, state.step, (step) => set({ step }), { label: 'Step', describe: (v) => `${v} of ${STEPS.length}: ${STEPS[v - 1].title}` });
  const prev = button('← Back', () => set({ step: Math.max(1, state.step - 1) }), { secondary: true });
  const next = button('Next step →', () => set({ step: Math.min(STEPS.length, state.step + 1) }));
  const inputs = [0, 1].map((k) => slider({ type: 'number', min: -2, max: 2, step: 0.05 }, state.x[k], (v) => set({ x: state.x.map((x, i) => (i === k ? v : x)) }), { label: `Input x${sub(k + 1)}` }));
  const targets = [0, 1].map((k) => slider({ type: 'number', min: 0, max: 1, step: 0.05 }, state.y[k], (v) => set({ y: state.y.map((y, i) => (i === k ? v : y)) }), { label: `Target y${sub(k + 1)}` }));
  const boxes = PARAMS.map((q, i) => {
    const box = el('input', { type: 'number', min: PARAM.min, max: PARAM.max, step: PARAM.step, value: state.p[i], className: 'exact' });
    box.setAttribute('aria-label', `${q.name}, ${q.kind === 'w' ? `the weight from neuron ${q.k + 1} of layer ${q.l} to neuron ${q.j + 1} of layer ${q.l + 1}` : `the bias of neuron ${q.j + 1} of layer ${q.l + 1}`}`);
    box.addEventListener('focus', () => state.sel !== i && set({ sel: i }));
    box.addEventListener('change', () => Number.isFinite(Number(box.value)) && box.value !== '' && set({ p: state.p.map((p, j) => (j === i ? clampTo(PARAM, Number(box.value)) : p)) }));
    return el('label', { className: 'param' }, [el('span', { textContent: q.name }), box]);
  });
  const groups = [[0, 6, 'w²'], [6, 9, 'b²'], [9, 15, 'w³'], [15, 17, 'b³']].map(([a, b, name]) => el('fieldset', { className: 'control params' }, [el('legend', { textContent: name }), ...boxes.slice(a, b)]));
  root.classList.add('side');
  root.append(
    el('div', { className: 'plots' }, [picture, el('div', { className: 'buttons' }, [prev, next]), stepper.node, stepTitle, lines, check]),
    el('div', { className: 'controls' }, [...inputs.map((c) => c.node), ...targets.map((c) => c.node), el('p', { className: 'caption', textContent: 'Weights and biases (focus one to check its gradient):' }), ...groups]),
  );
  const net = await shaped(SIZES, { hidden: 'sigmoid', output: 'sigmoid' });
  let last = null;

  /** The core's cost of the example with parameter i set to v. */
  const costWith = (st, i, v) => {
    const p = Float32Array.from(st.p);
    p[i] = v;
    net.params.set(p, 0);
    return net.trace(st.x, st.y).cost;
  };

  return {
    async render(st) {
      setLayer(net, 1, st.p.slice(0, 6), st.p.slice(6, 9));
      setLayer(net, 2, st.p.slice(9, 15), st.p.slice(15, 17));
      const t = net.trace(st.x, st.y);
      stepper.update(st.step);
      inputs.forEach((c, k) => c.update(st.x[k]));
      targets.forEach((c, k) => c.update(st.y[k]));
      boxes.forEach((b, i) => { if (!focused(b.lastChild)) b.lastChild.value = st.p[i]; b.classList.toggle('selected', i === st.sel); });
      prev.disabled = st.step === 1;
      next.disabled = st.step === STEPS.length;
      picture.replaceChildren(diagram(st, t, st.sel));
      const step = STEPS[st.step - 1];
      picture.firstChild.setAttribute('aria-label', `The network at step ${st.step}: ${step.title}. Output activations ${st.step >= 3 ? Array.from(t.a[2], f4).join(' and ') : 'not computed yet'}.`);
      stepTitle.textContent = `Step ${st.step} of ${STEPS.length}. ${step.title}`;
      lines.replaceChildren(...equations(st.step - 1, st, t).map((text) => el('li', { textContent: text })));
      // the check: backprop's ∂C/∂p against the core's central difference, with the float step
      const i = st.sel, p = Math.fround(st.p[i]), up = Math.fround(p + EPSILON), down = Math.fround(p - EPSILON);
      const fd = (costWith(st, i, up) - costWith(st, i, down)) / (up - down);
      net.params.set(Float32Array.from(st.p), 0);
      last = { trace: t, backprop: t.nabla[i], fd };
      check.replaceChildren('Check for ', el('strong', { textContent: PARAMS[i].name }), `: ∂C/∂${PARAMS[i].name} by backpropagation ${sig(t.nabla[i])}, by the central difference (C(p + ε) − C(p − ε))/2ε with ε = ${EPSILON}: ${sig(fd)}.`);
    },
    data: () => last && { backprop: last.backprop, fd: last.fd, nabla: Array.from(last.trace.nabla), cost: last.trace.cost, params: PARAMS.length },
  };
}
