// reads-digits.js — figure: the network that reads digits (chapter 1). The book's [784, 30, 10]
// network — sigmoid neurons, quadratic cost, trained by network.py's SGD (30 epochs, mini-batches
// of 10, η = 3.0), shipped as data/chapter1-784-30-10.nndl (94.72% of the test set) — with a digit
// flowing through it: the input's 784 activations as the image, the 30 hidden activations, the 10
// outputs and the answer (the brightest output). Beside them each hidden neuron's 784 weights as
// a 28 × 28 image, blue where a dark pixel there raises its weighted input and red where it lowers
// it: what a hidden neuron "looks for", as the book asks. The input is one of MNIST's test digits
// or the reader's drawing. The core computes every activation (one trace). Not here: a
// convolutional network (layers.js), training (the main page).
import { Network } from '../lib/nndl.js';
import { el, readout, slider } from './kit/controls.js';
import { siteData } from './kit/data.js';
import { digitInput, digitSchema } from './kit/digits.js';
import { activationCells } from './kit/maps.js';
import { sub } from './kit/notation.js';
import { diverging } from './kit/plot.js';

export const MODEL = 'chapter1-784-30-10.nndl';
const HIDDEN = 30;

export const schema = {
  ...digitSchema,
  neuron: { type: 'int', min: 1, max: HIDDEN, step: 1, default: 1, label: 'Hidden neuron shown' },
};

/** Paints 28 × 28 weights into a canvas on a blue (positive) to red (negative) scale. */
function paintWeights(canvas, weights, limit) {
  const ctx = canvas.getContext('2d'), image = ctx.createImageData(28, 28), color = diverging(limit);
  for (let i = 0; i < 784; i++) image.data.set([...color(-weights[i]), 255], 4 * i); // diverging: red for > 0; flipped so blue is a raise
  ctx.putImageData(image, 0, 0);
}

export async function mount(root, { state, set }) {
  const [input, net] = await Promise.all([digitInput(state, set), siteData(MODEL).then((bytes) => Network.load(bytes))]);
  const weightsOf = (j) => net.params.subarray(net.weightsOffset(1) + 784 * j, net.weightsOffset(1) + 784 * (j + 1));
  const limit = Math.max(...Array.from({ length: HIDDEN }, (_, j) => Math.max(...weightsOf(j).map(Math.abs)))) / 2;
  const tiles = Array.from({ length: HIDDEN }, (_, j) => {
    const c = el('canvas', { width: 28, height: 28, className: 'tile' });
    paintWeights(c, weightsOf(j), limit);
    const b = el('button', { type: 'button', className: 'tile-button' }, [c]);
    b.setAttribute('aria-label', `Show the weights of hidden neuron ${j + 1}`);
    b.addEventListener('click', () => set({ neuron: j + 1 }));
    return b;
  });
  const big = el('canvas', { width: 28, height: 28, className: 'seen big-weights' });
  big.setAttribute('role', 'img');
  const hiddenRow = el('div', { className: 'cells hidden-cells' }), outputRow = el('div', { className: 'cells output-cells' });
  const which = slider(schema.neuron, state.neuron, (v) => set({ neuron: v }));
  const said = readout(), about = el('p', { className: 'caption' });
  root.append(el('div', { className: 'layers-input' }, [...input.nodes]),
    el('h3', { textContent: 'Layer 2: the 30 hidden neurons (darker: a larger activation; pick one)' }), hiddenRow,
    el('h3', { textContent: 'Layer 3: the 10 outputs' }), outputRow, said,
    el('div', { className: 'weights-view' }, [el('figure', { className: 'seen-box' }, [big, about]), el('div', {}, [which.node, el('div', { className: 'tiles' }, tiles)])]),
    el('p', { className: 'caption', textContent: 'Weights: blue where ink raises the neuron’s weighted input, red where it lowers it, white near 0 (the same scale for all 30).' }));
  let last = null;

  return {
    async render(st) {
      input.update(st);
      which.update(st.neuron);
      const j = st.neuron - 1;
      paintWeights(big, weightsOf(j), limit);
      tiles.forEach((t, k) => t.classList.toggle('picked', k === j));
      const x = input.pixels(st);
      if (!x) { said.textContent = 'Draw a digit on the pad.'; hiddenRow.replaceChildren(); outputRow.replaceChildren(); last = null; return; }
      const t = net.trace(x), hidden = Array.from(t.a[1]), out = Array.from(t.a[2]);
      const answer = out.indexOf(Math.max(...out)), label = input.label(st);
      hiddenRow.replaceChildren(...activationCells(hidden, hidden.map((_, k) => String(k + 1)), j, { onPick: (k) => set({ neuron: k + 1 }), name: 'hidden neuron' }));
      outputRow.replaceChildren(...activationCells(out, out.map((_, d) => String(d)), answer));
      said.textContent = `The network reads ${answer} (output ${answer}: ${out[answer].toFixed(3)})${label === null ? '' : `; MNIST says ${label}${label === answer ? '' : ' — a miss'}`}.`;
      const bias = net.params[net.biasesOffset(1) + j];
      about.textContent = `Hidden neuron ${st.neuron}: its 784 weights, bias b${sub(st.neuron)} = ${bias.toFixed(2)}; on this input z = ${t.z[1][j].toFixed(2)}, a = σ(z) = ${hidden[j].toFixed(3)}.`;
      big.setAttribute('aria-label', `The weights of hidden neuron ${st.neuron} as a 28 × 28 image. ${about.textContent}`);
      last = { hidden, out, answer, label, neuron: st.neuron, z: t.z[1][j], bias };
    },
    data: () => last,
  };
}
