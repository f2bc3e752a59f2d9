// convolution.js — figure: a convolution step by step (chapter 6). A 5 x 5 local receptive field
// slides over a digit (MNIST's or the reader's); at each position the weighted sum of the 25
// pixels under it, with the shared weights and bias, fills one value of the 24 x 24 feature map
// (after ReLU, as in the shipped network), position after position as Play runs or the position
// slider moves; then 2 x 2 max-pooling of that map, the same way. The weights and bias are the
// reader's (presets: an edge detector, a blur, or a filter of the shipped network's first layer).
// The core computes the map and the pooled map: a conv1x5x5:relu-pool2 network (its trace gives z,
// a and the pooled values). Not here: every layer of the shipped network (layers.js).
import { Network } from '../lib/nndl.js';
import { button, el, readout, slider } from './kit/controls.js';
import { digitInput, digitSchema, siteData } from './kit/digits.js';
import { setLayer } from './kit/nets.js';
import { clampTo } from '../shared/url-state.js';

const K = 5, SIDE = 28, MAP = SIDE - K + 1, POOL = MAP / 2;
const W = { type: 'number', min: -3, max: 3, step: 0.01 };
const RAMP = [-1, -0.5, 0, 0.5, 1];
/** Presets: each weight w(i, j) of row i and column j, and the bias. */
const PRESETS = {
  'vertical edges': { w: (i, j) => RAMP[j], b: 0 },
  'horizontal edges': { w: (i) => RAMP[i], b: 0 },
  blur: { w: () => 1 / (K * K), b: 0 },
};
const preset = ({ w }) => Array.from({ length: K * K }, (_, n) => w(Math.floor(n / K), n % K));

export const schema = {
  ...digitSchema,
  w: { ...W, type: 'list', length: [K * K, K * K], default: preset(PRESETS['vertical edges']), label: 'Shared weights' },
  b: { ...W, default: 0, label: 'Shared bias b' },
  at: { type: 'int', min: 0, max: MAP * MAP, step: 1, default: MAP * MAP, label: 'Positions done' },
};

/** Paints values (rows x cols) into a canvas, 0 black and `top` white; positions at or after
 * `done` (row-major) left dark blue, not yet computed. */
function paint(canvas, values, rows, cols, top, done = rows * cols) {
  const ctx = canvas.getContext('2d'), image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    const v = Math.round(255 * Math.min(1, Math.max(0, values[i] / (top || 1))));
    image.data.set(i < done ? [v, v, v, 255] : [20, 30, 60, 255], 4 * i);
  }
  ctx.putImageData(image, 0, 0);
}

export async function mount(root, { state, set }) {
  const input = await digitInput(state, set);
  // (the core's networks end in a fully connected layer: one neuron here, never looked at)
  const conv = await Network.create('conv1x5x5:relu-pool2-fc1:linear', { input: [SIDE, SIDE] });
  const source = el('canvas', { width: SIDE * 10, height: SIDE * 10, className: 'big' });
  const mapCanvas = el('canvas', { width: MAP, height: MAP, className: 'feature' });
  const poolCanvas = el('canvas', { width: POOL, height: POOL, className: 'feature' });
  for (const [c, text] of [[source, 'The input with the receptive field'], [mapCanvas, 'The feature map'], [poolCanvas, 'The pooled map']]) { c.setAttribute('role', 'img'); c.setAttribute('aria-label', text); }
  const sum = el('p', { className: 'equation' });
  const said = readout();
  const position = slider(schema.at, state.at, (at) => set({ at }), { label: 'Positions done (of 576)' });
  let playing = 0;
  const play = button('Play', () => {
    const token = ++playing, start = performance.now(), from = state.at >= MAP * MAP ? 0 : state.at;
    const frame = (now) => {
      if (token !== playing) return;
      const at = Math.min(MAP * MAP, from + Math.max(0, Math.round((now - start) / 8))); // 8 ms a position
      set({ at });
      if (at < MAP * MAP) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const weightBoxes = Array.from({ length: K * K }, (_, i) => {
    const box = el('input', { type: 'number', min: W.min, max: W.max, step: W.step, className: 'exact' });
    box.setAttribute('aria-label', `Weight at row ${Math.floor(i / K) + 1}, column ${(i % K) + 1} of the receptive field`);
    box.addEventListener('change', () => box.value !== '' && Number.isFinite(Number(box.value)) && set({ w: state.w.map((w, j) => (j === i ? clampTo(W, Number(box.value)) : w)) }));
    return box;
  });
  const bias = slider(schema.b, state.b, (b) => set({ b }));
  let shipped = null;
  const presetButtons = el('div', { className: 'buttons' }, [
    ...Object.keys(PRESETS).map((name) => button(name[0].toUpperCase() + name.slice(1), () => set({ w: preset(PRESETS[name]), b: PRESETS[name].b }), { secondary: true })),
    button('A filter of the shipped network', async () => {
      shipped ??= await siteData('pretrained.nndl').then((bytes) => Network.load(bytes));
      const f = shipped.filters(1), k = (f.maps + Math.floor(Math.random() * f.maps)) % f.maps;
      set({ w: Array.from(f.weights.subarray(k * K * K, (k + 1) * K * K), (v) => clampTo(W, v)), b: clampTo(W, f.biases[k]) });
    }, { secondary: true }),
  ]);
  root.append(
    el('div', { className: 'layers-input' }, [...input.nodes]),
    el('div', { className: 'conv-row' }, [
      el('figure', { className: 'plot-wrap' }, [source, el('figcaption', { className: 'caption', textContent: 'The input and the 5 × 5 receptive field' })]),
      el('figure', { className: 'plot-wrap' }, [mapCanvas, el('figcaption', { className: 'caption', textContent: 'The feature map, 24 × 24 (ReLU)' })]),
      el('figure', { className: 'plot-wrap' }, [poolCanvas, el('figcaption', { className: 'caption', textContent: 'Max-pooled, 12 × 12' })]),
    ]),
    el('div', { className: 'buttons' }, [play]), position.node, sum, said,
    el('fieldset', { className: 'control kernel' }, [el('legend', { textContent: 'Shared weights (5 × 5)' }), ...weightBoxes]), bias.node, presetButtons,
  );
  let last = null;

  return {
    async render(st) {
      input.update(st);
      position.update(st.at);
      bias.update(st.b);
      weightBoxes.forEach((box, i) => { if (document.activeElement !== box) box.value = st.w[i]; });
      const x = input.pixels(st);
      if (!x) { said.textContent = 'Draw a digit on the pad.'; last = null; return; }
      setLayer(conv, 1, st.w, [st.b]);
      const t = conv.trace(x), z = t.z[1], a = t.a[1], pooled = t.a[2];
      const top = Math.max(...a, 1e-6);
      paint(mapCanvas, a, MAP, MAP, top, st.at);
      // a pooled value is shown once the four positions of its block are done: the blocks finish
      // in their own row-major order, so the done ones are a prefix too
      const blocksDone = Array.from({ length: POOL * POOL }, (_, i) => (2 * Math.floor(i / POOL) + 1) * MAP + 2 * (i % POOL) + 1 < st.at).filter(Boolean).length;
      paint(poolCanvas, pooled, POOL, POOL, top, blocksDone);
      // the input, with the field of the current position (the last one done)
      const ctx = source.getContext('2d'), at = Math.max(0, Math.min(MAP * MAP - 1, st.at - 1)), r = Math.floor(at / MAP), c = at % MAP;
      paint(source, x, SIDE, SIDE, 1);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(source, 0, 0, SIDE, SIDE, 0, 0, source.width, source.height);
      ctx.strokeStyle = '#f7b500'; ctx.lineWidth = 3;
      ctx.strokeRect(c * 10 + 1.5, r * 10 + 1.5, K * 10 - 3, K * 10 - 3);
      const terms = [];
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) { const v = x[(r + i) * SIDE + c + j]; if (v) terms.push(`${st.w[i * K + j]}·${v.toFixed(2)}`); }
      sum.textContent = `Position (${r + 1}, ${c + 1}): z = b + Σ wᵢⱼ a(${r + 1}+i, ${c + 1}+j) = ${st.b}${terms.length ? ` + ${terms.slice(0, 8).join(' + ')}${terms.length > 8 ? ` + … (${terms.length} pixels with ink)` : ''}` : ' (no ink under the field)'} = ${z[at].toFixed(3)}; after ReLU ${a[at].toFixed(3)}.`;
      said.textContent = `${st.at} of ${MAP * MAP} positions done. The same 25 weights and bias at every position: one feature map finds one feature wherever it is.`;
      mapCanvas.setAttribute('aria-label', `The feature map: ${a.filter((v) => v > 0).length} of 576 positions active, the largest ${top.toFixed(2)}.`);
      last = { z: Array.from(z), a: Array.from(a), pooled: Array.from(pooled), x: Array.from(x), at: st.at };
    },
    data: () => last,
  };
}
