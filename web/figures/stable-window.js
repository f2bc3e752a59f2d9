// stable-window.js — figure: the window of stable gradients (chapter 5's problem). A term of the
// unstable gradient is w σ′(z) with z = wa + b: σ′ is at most 1/4 (at z = 0), so |w σ′(wa + b)| ≥ 1
// needs |w| ≥ 4, and then holds only for inputs a in a window around −b/w whose width the book
// asks the reader to bound: (2/|w|) ln(|w|(1 + √(1 − 4/|w|))/2 − 1). The upper plot is σ′(z) with
// its maximum; the lower one |w σ′(wa + b)| against a, the window (≥ 1: the gradient does not
// shrink there) shaded, the vanishing regime (< 1) elsewhere. The core computes σ and σ′ (a
// sigmoid neuron's outputs, and f′ by the rule backpropagation uses); the book's width formula is
// drawn beside what the core's numbers give. Not here: the chain of neurons (unstable.js).
import { el, plotCanvas, readout, slider } from './kit/controls.js';
import { outputs, setLayer, shaped } from './kit/nets.js';
import { short } from './kit/notation.js';
import { Plot } from './kit/plot.js';

export const schema = {
  w: { type: 'number', min: -30, max: 30, step: 0.1, default: 6, label: 'Weight w' },
  b: { type: 'number', min: -30, max: 30, step: 0.1, default: -3, label: 'Bias b' },
};

const Z = Array.from({ length: 801 }, (_, i) => -8 + i / 50);
const A = Array.from({ length: 2001 }, (_, i) => -2 + i / 500); // inputs a from −2 to 2

/** The book's bound on the window's width for |w| ≥ 4 (its chapter 5 problem), else null. */
export const bookWidth = (w) => {
  const m = Math.abs(w);
  return m < 4 ? null : (2 / m) * Math.log((m * (1 + Math.sqrt(1 - 4 / m))) / 2 - 1);
};

export async function mount(root, { state, set }) {
  const upper = plotCanvas('σ′(z) with its maximum 1/4');
  const lower = plotCanvas('|w σ′(wa + b)| against the input a');
  const said = readout();
  let drawn = null;
  const primePlot = new Plot(upper, { x: [-8, 8], y: [0, 0.3], xLabel: 'z', yLabel: 'σ′(z)', aspect: 0.35, draw: (p) => drawn && paintPrime(p) });
  const termPlot = new Plot(lower, { x: [-2, 2], y: [0, 2], xLabel: 'input a', yLabel: '|w σ′(wa + b)|', aspect: 0.5, draw: (p) => drawn && paintTerm(p) });
  const controls = Object.fromEntries(Object.keys(schema).map((name) => [name, slider(schema[name], state[name], (v) => set({ [name]: v }))]));
  root.classList.add('side');
  root.append(el('div', { className: 'plots' }, [upper, lower, said]), el('div', { className: 'controls' }, [...Object.values(controls).map((c) => c.node),
    el('p', { className: 'caption', textContent: 'Shaded: the inputs a where |w σ′(wa + b)| ≥ 1 — the window where this term does not shrink the gradient. Elsewhere the term is below 1: going back through many layers the gradient vanishes. Try |w| below 4 (no window at all), then a large |w| (a narrow window).' })]));
  const neuron = await shaped([1, 1], { output: 'sigmoid' });

  /** σ(w·input + b) and σ′ of it for every input, from the core. */
  function sigmoidAndPrime(w, b, inputs) {
    setLayer(neuron, 1, [w], [b]);
    const a = outputs(neuron, inputs);
    return neuron.activationPrime(1, a);
  }

  const primeZ = sigmoidAndPrime(1, 0, Z); // σ′(z) itself: the same for every setting

  function paintPrime(p) {
    p.axes();
    p.line(Z, drawn.primeZ);
    p.line([-8, 8], [0.25, 0.25], { color: 'goal', dash: [5, 3], width: 1 });
    p.point(0, drawn.primeZ[400], { color: 'goal' });
    p.legend([['σ′(z)', 'accent'], [`its maximum, σ′(0) = ${short(drawn.primeZ[400])}`, 'goal', [5, 3]]]);
  }
  function paintTerm(p) {
    p.yRange = [0, Math.max(1.5, 1.1 * Math.max(...drawn.term))];
    p.axes();
    if (drawn.window) p.band([drawn.window[0], drawn.window[1]], [p.yRange[1], p.yRange[1]], null, { color: 'second', alpha: 0.15 });
    p.line([-2, 2], [1, 1], { color: 'goal', dash: [5, 3], width: 1 });
    p.line(A, drawn.term);
    p.legend([['|w σ′(wa + b)|', 'accent'], ['1: below it the gradient shrinks', 'goal', [5, 3]]]);
  }

  return {
    async render(st) {
      for (const [name, c] of Object.entries(controls)) c.update(st[name]);
      const prime = sigmoidAndPrime(st.w, st.b, A);
      const term = Array.from(prime, (v) => Math.abs(st.w) * v);
      const inside = A.filter((_, i) => term[i] >= 1);
      // the window as the core's numbers give it: the inputs sampled where the term is ≥ 1, each
      // standing for its sample's width (0.002), if it lies within the inputs shown
      const window = inside.length ? [inside[0], inside.at(-1)] : null;
      const width = inside.length * (A[1] - A[0]), book = bookWidth(st.w), peak = Math.abs(st.w) * 0.25;
      drawn = { primeZ, term, window, width };
      primePlot.redraw();
      termPlot.redraw();
      said.textContent = Math.abs(st.w) < 4
        ? `|w| = ${short(Math.abs(st.w))} < 4: the term is at most |w|/4 = ${short(peak)} < 1 for every input — no window; the gradient vanishes going back.`
        : `|w| = ${short(Math.abs(st.w))}: the term reaches |w|/4 = ${short(peak)} at a = −b/w = ${short(-st.b / st.w)}, and is ≥ 1 for a in a window of width ${width.toFixed(3)}`
          + `${window && (window[0] <= A[0] || window[1] >= A.at(-1)) ? ' (within the inputs shown)' : ''}; the book’s formula gives ${book.toFixed(3)}. Outside it the term is below 1.`;
      lower.setAttribute('aria-label', `The term |w σ′(wa + b)| against a. ${said.textContent}`);
    },
    data: () => drawn && { width: drawn.width, window: drawn.window, book: bookWidth(state.w), maxPrime: drawn.primeZ[400], peak: Math.max(...drawn.term) },
  };
}
