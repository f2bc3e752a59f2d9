// nand-adder.js — figure: perceptrons compute anything (chapter 1). The book's adder of two bits
// x₁ and x₂ made of NAND perceptrons — each with weights −2, −2 and bias 3 — drawn as the book
// draws it: the first gate takes x₁ and x₂, the next two each take one input and the first gate's
// output, the fourth gives the bitwise sum x₁ ⊕ x₂, and the carry x₁x₂ is the first gate's output
// through one perceptron whose two inputs, both from it, make a single connection of weight −4.
// The reader toggles x₁ and x₂ (buttons, keys, a tap on an input) and sees every perceptron's
// weighted input and output; below, the table of all four inputs. The core computes every z (a
// neuron of linear output with the gate's weights); the perceptron's rule (1 if z > 0) reads it.
// Not here: one perceptron against a sigmoid neuron (perceptron.js).
import { el, readout } from './kit/controls.js';
import { networkDiagram } from './kit/diagram.js';
import { outputs, setLayer, shaped } from './kit/nets.js';
import { short, sub } from './kit/notation.js';

/** The book's NAND perceptron: weights −2 and −2, bias 3. */
export const NAND = { w: [-2, -2], b: 3 };

export const schema = {
  x: { type: 'list', min: 0, max: 1, step: 1, length: [2, 2], default: [1, 1], label: 'Input bits x₁, x₂' },
};

/** The circuit: each gate's two inputs by name (x1, x2 or an earlier gate), in the order computed. */
const GATES = [
  { name: 'g1', inputs: ['x1', 'x2'] },
  { name: 'g2', inputs: ['x1', 'g1'] },
  { name: 'g3', inputs: ['x2', 'g1'] },
  { name: 'sum', inputs: ['g2', 'g3'] },
  { name: 'carry', inputs: ['g1', 'g1'] }, // the book's one connection of weight −4
];

/** Every perceptron's weighted input z (the core's) and output (the rule on z) for inputs x. */
export async function run(x) {
  const gate = await shaped([2, 1], { output: 'linear' });
  setLayer(gate, 1, NAND.w, [NAND.b]);
  const value = { x1: x[0], x2: x[1] }, z = {};
  for (const { name, inputs } of GATES) {
    z[name] = outputs(gate, inputs.map((i) => value[i]))[0];
    value[name] = z[name] > 0 ? 1 : 0;
  }
  return { value, z };
}

export async function mount(root, { state, set }) {
  const picture = networkDiagram('The adder of NAND perceptrons');
  const said = readout();
  const flip = (k) => set({ x: state.x.map((v, i) => (i === k ? 1 - v : v)) });
  const toggles = [0, 1].map((k) => {
    const b = el('button', { type: 'button', className: 'bit' });
    b.addEventListener('click', () => flip(k));
    return b;
  });
  const table = el('table', { className: 'run-table truth' });
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [picture.node, said, table]),
    el('div', { className: 'controls' }, [el('div', { className: 'buttons' }, toggles),
      el('p', { className: 'caption', textContent: 'Each perceptron has weights −2, −2 and bias 3: it outputs 0 only when both its inputs are 1 (z = −1), else 1 (z = 1 or 3). The carry’s two inputs both come from the first gate: one connection of weight −4.' })]));

  // the four rows of the table, each computed by the core once: the circuit never changes
  const rows = [];
  for (const x of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
    const { value } = await run(x);
    rows.push({ x, sum: value.sum, carry: value.carry });
  }

  /** The table, the current input's row marked. */
  function truthTable(current) {
    const head = el('tr', {}, ['x₁', 'x₂', 'carry', 'sum', 'x₁ + x₂'].map((t) => el('th', { scope: 'col', textContent: t })));
    table.replaceChildren(el('caption', { textContent: 'All four inputs, by the same perceptrons' }), el('thead', {}, head),
      el('tbody', {}, rows.map((r) => {
        const tr = el('tr', {}, [...r.x, r.carry, r.sum].map((v) => el('td', { textContent: String(v) })).concat(el('td', { textContent: `${2 * r.carry + r.sum} (binary ${r.carry}${r.sum})` })));
        if (r.x[0] === current[0] && r.x[1] === current[1]) tr.className = 'current';
        return tr;
      })));
  }

  let last = null;
  return {
    async render(st) {
      const { value, z } = await run(st.x);
      toggles.forEach((b, k) => {
        b.textContent = `x${sub(k + 1)} = ${st.x[k]}`; // its name; pressed means 1
        b.setAttribute('aria-pressed', String(st.x[k] === 1));
      });
      const neuron = (name, title) => ({ label: String(value[name]), note: `${title} z = ${short(z[name])}`, fill: value[name] ? 'var(--neuron-on)' : undefined });
      const input = (k) => ({ label: String(st.x[k]), note: `x${sub(k + 1)}`, fill: st.x[k] ? 'var(--neuron-on)' : undefined, select: () => flip(k) });
      picture.update({
        layers: [{ title: 'inputs', neurons: [input(0), input(1)] }, { title: 'NAND', neurons: [neuron('g1', '')] },
          { title: 'NAND', neurons: [neuron('g2', ''), neuron('g3', '')] }, { title: 'outputs', neurons: [neuron('sum', 'sum'), neuron('carry', 'carry')] }],
        // every connection weighs −2 (the caption says so) but the carry's, −4
        edges: [[[0, 0], [1, 0]], [[0, 1], [1, 0]], [[0, 0], [2, 0]], [[1, 0], [2, 0]], [[0, 1], [2, 1]], [[1, 0], [2, 1]], [[2, 0], [3, 0]], [[2, 1], [3, 0]]]
          .map(([from, to]) => ({ from, to, weight: -2 })).concat({ from: [1, 0], to: [3, 1], weight: -4, label: '−4', at: 0.75 }),
      }, `inputs x₁ = ${st.x[0]} and x₂ = ${st.x[1]}; the first NAND gives ${value.g1}, the next two ${value.g2} and ${value.g3}; the sum bit is ${value.sum}, the carry bit ${value.carry}.`);
      said.textContent = `${st.x[0]} + ${st.x[1]} = ${2 * value.carry + value.sum}: sum bit x₁ ⊕ x₂ = ${value.sum}, carry bit x₁x₂ = ${value.carry} (binary ${value.carry}${value.sum}).`;
      truthTable(st.x);
      last = { value, z, rows };
    },
    data: () => last,
  };
}
