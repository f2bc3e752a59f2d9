// convolution.js — figure: a convolution step by step (chapter 6), as the book draws it. A 5 × 5
// local receptive field slides over a digit (MNIST's or the reader's); at each position the
// weighted sum of the 25 pixels under it, with a map's shared weights and bias, gives one value of
// that map: σ(b + Σ wₗ,ₘ a_{j+l, k+m}), the book's eq. 125 (ReLU on offer, as chapter 6's best
// networks use). Three feature maps, each with its own 5 × 5 filter, drawn as the book draws them
// (darker = larger weight), fill position after position as Play runs (Pause stops it) or the
// position slider steps by keyboard; then 2 × 2 max-pooling of each map. The weights and biases are
// the reader's (presets: edge detectors, a blur, or three filters of the shipped network's first
// layer). The core computes the maps and the pooled maps: a conv3x5x5-pool2 network (its trace
// gives z, a and the pooled values). Not here: every layer of the shipped network (layers.js).
import { Network } from '../lib/nndl.js';
import { button, choice, el, focused, readout, reducedMotion, slider } from './kit/controls.js';
import { siteData } from './kit/data.js';
import { digitInput, digitSchema } from './kit/digits.js';
import { paintFilter, paintMap } from './kit/maps.js';
import { setLayer } from './kit/nets.js';
import { clampTo } from '../shared/url-state.js';

const K = 5, SIDE = 28, MAP = SIDE - K + 1, POOL = MAP / 2, MAPS = 3;
const W = { type: 'number', min: -3, max: 3, step: 0.01 };
const RAMP = [-1, -0.5, 0, 0.5, 1];
/** Presets: each weight w(i, j) of row i and column j, and the bias. */
const PRESETS = {
  'vertical edges': { w: (i, j) => RAMP[j], b: 0 },
  'horizontal edges': { w: (i) => RAMP[i], b: 0 },
  blur: { w: () => 1 / (K * K), b: 0 },
};
const preset = ({ w }) => Array.from({ length: K * K }, (_, n) => w(Math.floor(n / K), n % K));
/** The three maps' filters as the figure opens: vertical edges, horizontal edges, a blur. */
const START = Object.values(PRESETS);

export const schema = {
  ...digitSchema,
  activation: { type: 'choice', values: { sigmoid: 'σ, the book’s eq. 125', relu: 'ReLU' }, default: 'sigmoid', label: 'Activation' },
  w: { ...W, type: 'list', length: [K * K, MAPS * K * K], default: START.flatMap(preset), label: 'Shared weights, map after map' },
  b: { ...W, type: 'list', length: [1, MAPS], default: START.map((p) => p.b), label: 'Shared biases b' },
  map: { type: 'int', min: 1, max: MAPS, step: 1, default: 1, label: 'Feature map edited' },
  at: { type: 'int', min: 0, max: MAP * MAP, step: 1, default: MAP * MAP, label: 'Positions done' },
};

/** Three filters and three biases: a link with fewer (a single map's, as links had before the
 * figure drew three) keeps them as map 1's and the others start as the figure does. */
export function fix(state, notes) {
  const all = schema.w.default, biases = schema.b.default;
  if (state.w.length % (K * K) || state.w.length < MAPS * K * K) {
    if (state.w.length % (K * K)) notes.push(`w has ${state.w.length} weights, not 25 for each of 3 maps; the missing ones are the starting filters'`);
    state.w = all.map((v, i) => state.w[i] ?? v);
  }
  if (state.b.length < MAPS) state.b = biases.map((v, i) => state.b[i] ?? v);
}

export async function mount(root, { state, set }) {
  const input = await digitInput(state, set);
  // (the core's networks end in a fully connected layer: one neuron here, never looked at)
  const nets = {}; // one per activation, made when first asked for
  const convOf = async (activation) => (nets[activation] ??= await Network.create(`conv${MAPS}x5x5:${activation}-pool2-fc1:linear`, { input: [SIDE, SIDE] }));
  const source = el('canvas', { width: SIDE * 10, height: SIDE * 10, className: 'big' });
  const image = (className, width, label) => { const c = el('canvas', { width, height: width, className }); c.setAttribute('role', 'img'); c.setAttribute('aria-label', label); return c; };
  source.setAttribute('role', 'img'); source.setAttribute('aria-label', 'The input with the receptive field');
  const mapCanvases = Array.from({ length: MAPS }, (_, m) => image('feature', MAP, `Feature map ${m + 1}`));
  const poolCanvases = Array.from({ length: MAPS }, (_, m) => image('feature', POOL, `Pooled map ${m + 1}`));
  const filterCanvases = Array.from({ length: MAPS }, (_, m) => image('filter', K, `The 5 × 5 filter of map ${m + 1}: darker is a larger weight`));
  const activation = choice(schema.activation, state.activation, (v) => set({ activation: v }));
  const editing = choice({ ...schema.map, values: { 1: 'map 1', 2: 'map 2', 3: 'map 3' } }, String(state.map), (v) => set({ map: Number(v) }), { label: 'Weights shown below: of feature map' });
  const sum = el('p', { className: 'equation' });
  const said = readout();
  const position = slider(schema.at, state.at, (at) => { pause(); set({ at }); }, { label: 'Positions done (of 576; arrow keys step one)' });
  let playing = 0, timer = 0;
  const pause = () => { playing++; cancelAnimationFrame(timer); timer = 0; play.textContent = 'Play'; };
  const play = button('Play', () => {
    if (timer) return pause();
    if (reducedMotion()) return void set({ at: MAP * MAP }); // less motion asked for: where Play ends, at once
    const token = ++playing, start = performance.now(), from = state.at >= MAP * MAP ? 0 : state.at;
    play.textContent = 'Pause';
    const frame = (now) => {
      if (token !== playing) return;
      const at = Math.min(MAP * MAP, from + Math.max(0, Math.round((now - start) / 8))); // 8 ms a position
      set({ at });
      if (at < MAP * MAP) timer = requestAnimationFrame(frame);
      else pause();
    };
    timer = requestAnimationFrame(frame);
  });
  const weightBoxes = Array.from({ length: K * K }, (_, i) => {
    const box = el('input', { type: 'number', min: W.min, max: W.max, step: W.step, className: 'exact' });
    box.setAttribute('aria-label', `Weight at row ${Math.floor(i / K) + 1}, column ${(i % K) + 1} of the receptive field`);
    box.addEventListener('change', () => box.value !== '' && Number.isFinite(Number(box.value)) && set({ w: state.w.map((w, j) => (j === (state.map - 1) * K * K + i ? clampTo(W, Number(box.value)) : w)) }));
    return box;
  });
  const bias = slider({ ...W, default: 0 }, state.b[state.map - 1], (v) => set({ b: state.b.map((b, m) => (m === state.map - 1 ? v : b)) }), { label: 'Its shared bias b' });
  /** Sets the filter and bias of the map being edited. */
  const setMap = (w, b) => set({ w: state.w.map((v, i) => (Math.floor(i / (K * K)) === state.map - 1 ? w[i % (K * K)] : v)), b: state.b.map((v, m) => (m === state.map - 1 ? b : v)) });
  let shipped = null;
  const presetButtons = el('div', { className: 'buttons' }, [
    ...Object.keys(PRESETS).map((name) => button(name[0].toUpperCase() + name.slice(1), () => setMap(preset(PRESETS[name]), PRESETS[name].b), { secondary: true })),
    button('Three filters the shipped network learned', async () => {
      shipped ??= await siteData('pretrained.nndl').then((bytes) => Network.load(bytes));
      const f = shipped.filters(1), first = Math.floor(Math.random() * f.maps), picks = [0, 1, 2].map((k) => (first + k * 7) % f.maps);
      set({ w: picks.flatMap((k) => Array.from(f.weights.subarray(k * K * K, (k + 1) * K * K), (v) => clampTo(W, v))), b: picks.map((k) => clampTo(W, f.biases[k])) });
    }, { secondary: true }),
  ]);
  root.append(
    el('div', { className: 'layers-input' }, [...input.nodes]),
    el('div', { className: 'conv-row' }, [
      el('figure', { className: 'plot-wrap' }, [source, el('figcaption', { className: 'caption', textContent: 'The input, 28 × 28, and the 5 × 5 receptive field' })]),
      el('div', { className: 'maps-column' }, mapCanvases.map((c, m) => el('figure', { className: 'map-row' }, [filterCanvases[m], c, poolCanvases[m], el('figcaption', { className: 'caption', textContent: `Map ${m + 1}: its filter, the feature map (24 × 24), max-pooled (12 × 12)` })]))),
    ]),
    el('div', { className: 'buttons' }, [play]), position.node, sum, said, activation.node, editing.node,
    el('fieldset', { className: 'control kernel' }, [el('legend', { textContent: 'Shared weights (5 × 5) of the map edited' }), ...weightBoxes]), bias.node, presetButtons,
  );
  let last = null;

  return {
    async render(st) {
      input.update(st);
      position.update(st.at);
      activation.update(st.activation);
      editing.update(String(st.map));
      const m0 = (st.map - 1) * K * K;
      bias.update(st.b[st.map - 1]);
      weightBoxes.forEach((box, i) => { if (!focused(box)) box.value = st.w[m0 + i]; });
      filterCanvases.forEach((c, m) => { paintFilter(c, st.w.slice(m * K * K, (m + 1) * K * K), K); c.classList.toggle('edited', m === st.map - 1); });
      const x = input.pixels(st);
      if (!x) { said.textContent = 'Draw a digit on the pad.'; last = null; return; }
      const conv = await convOf(st.activation);
      setLayer(conv, 1, st.w, st.b);
      const t = conv.trace(x), size = MAP * MAP, psize = POOL * POOL;
      const maps = Array.from({ length: MAPS }, (_, m) => ({ z: t.z[1].subarray(m * size, (m + 1) * size), a: t.a[1].subarray(m * size, (m + 1) * size), pooled: t.a[2].subarray(m * psize, (m + 1) * psize) }));
      // σ's maps lie in (0, 1): painted on that scale; ReLU's on the largest value of the three
      const top = st.activation === 'sigmoid' ? 1 : Math.max(...t.a[1], 1e-6);
      // a pooled value is shown once the four positions of its block are done: the blocks finish
      // in their own row-major order, so the done ones are a prefix too
      const blocksDone = Array.from({ length: psize }, (_, i) => (2 * Math.floor(i / POOL) + 1) * MAP + 2 * (i % POOL) + 1 < st.at).filter(Boolean).length;
      maps.forEach(({ a, pooled }, m) => {
        paintMap(mapCanvases[m], a, MAP, MAP, top, st.at);
        paintMap(poolCanvases[m], pooled, POOL, POOL, top, blocksDone);
        mapCanvases[m].setAttribute('aria-label', `Feature map ${m + 1}: ${a.filter((v) => v > 0.5 * top).length} of 576 positions above half the largest value.`);
      });
      // the input, with the field of the current position (the last one done)
      const ctx = source.getContext('2d'), at = Math.max(0, Math.min(size - 1, st.at - 1)), r = Math.floor(at / MAP), c = at % MAP;
      paintMap(source, x, SIDE, SIDE, 1);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(source, 0, 0, SIDE, SIDE, 0, 0, source.width, source.height);
      ctx.strokeStyle = '#f7b500'; ctx.lineWidth = 3;
      ctx.strokeRect(c * 10 + 1.5, r * 10 + 1.5, K * 10 - 3, K * 10 - 3);
      const terms = [], f = st.activation === 'sigmoid' ? 'σ' : 'ReLU', shown = maps[st.map - 1];
      for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) { const v = x[(r + i) * SIDE + c + j]; if (v) terms.push(`${st.w[m0 + i * K + j]}·${v.toFixed(2)}`); }
      sum.textContent = `Map ${st.map}, position (${r + 1}, ${c + 1}): z = b + Σ wₗ,ₘ a(${r + 1}+l, ${c + 1}+m) = ${st.b[st.map - 1]}${terms.length ? ` + ${terms.slice(0, 8).join(' + ')}${terms.length > 8 ? ` + … (${terms.length} pixels with ink)` : ''}` : ' (no ink under the field)'} = ${shown.z[at].toFixed(3)}; ${f}(z) = ${shown.a[at].toFixed(3)}.`;
      said.textContent = `${st.at} of ${size} positions done. Each map uses the same 25 weights and bias at every position: it finds one feature wherever it is; three maps, three features.`;
      last = { z: Array.from(maps[0].z), a: Array.from(maps[0].a), pooled: Array.from(maps[0].pooled), maps: maps.map((q) => ({ z: Array.from(q.z), a: Array.from(q.a), pooled: Array.from(q.pooled) })), x: Array.from(x), at: st.at, activation: st.activation };
    },
    data: () => last,
  };
}
