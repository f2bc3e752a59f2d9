// digits.js — the input of the convolutional figures: one of MNIST's test digits (the first 100,
// data/mnist/digits.png, 16 KB) or a digit the reader draws on a pad (the main page's pad and
// preprocessing: the same 28 x 28 image the shipped network reads). Its settings (which source,
// which digit) go in the figure's schema; a drawing does not travel in the URL. Not here: what a
// figure does with the pixels.
import { Dataset } from '../../lib/nndl.js';
import { createPad, paintDigit } from '../../shared/draw.js';
import { preprocess } from '../../shared/preprocess.js';
import { button, choice, el, slider } from './controls.js';
import { siteData } from './data.js';

export const digitSchema = {
  source: { type: 'choice', values: { digit: 'an MNIST test digit', drawn: 'your drawing' }, default: 'digit', label: 'The input' },
  digit: { type: 'int', min: 1, max: 100, step: 1, default: 1, label: 'Test digit number' },
};


/** The controls, the pad and the picture of the input; pixels(st) is the 784 values the network
 * reads (null: nothing drawn yet), label(st) MNIST's answer for a test digit. */
export async function digitInput(state, set) {
  const [png, labels] = await Promise.all([siteData('mnist/digits.png'), siteData('mnist/digits-labels.idx')]);
  const digits = await Dataset.fromPng(png, labels);
  const source = choice(digitSchema.source, state.source, (v) => set({ source: v }));
  const which = slider(digitSchema.digit, state.digit, (v) => set({ digit: v }));
  const pad = el('canvas', { width: 280, height: 280, className: 'pad' });
  pad.setAttribute('aria-label', 'Drawing pad: draw a digit with a finger, pen or mouse');
  let drawn = null;
  const drawing = createPad(pad, (ink) => {
    drawn = preprocess(ink, pad.width, pad.height);
    if (state.source === 'drawn') set({});
  });
  const padBox = el('div', { className: 'pad-box' }, [pad, button('Clear', () => drawing.clear(), { secondary: true })]);
  const seen = el('canvas', { width: 28, height: 28, className: 'seen' });
  seen.setAttribute('role', 'img');
  seen.setAttribute('aria-label', 'The 28 × 28 image the network reads');
  return {
    nodes: [el('div', { className: 'controls' }, [source.node, which.node]), padBox,
      el('figure', { className: 'seen-box' }, [seen, el('figcaption', { className: 'caption', textContent: 'What the network sees' })])],
    update(st) {
      source.update(st.source); which.update(st.digit);
      which.node.hidden = st.source !== 'digit';
      padBox.hidden = st.source !== 'drawn';
    },
    pixels(st) {
      const x = st.source === 'digit' ? Float32Array.from(digits.image(st.digit - 1), (v) => v / 255) : drawn;
      paintDigit(seen, x ?? new Float32Array(784));
      return x;
    },
    label: (st) => (st.source === 'digit' ? digits.labels[st.digit - 1] : null),
  };
}
