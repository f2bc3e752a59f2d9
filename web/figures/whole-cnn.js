// whole-cnn.js — figure: the whole convolutional network (chapter 6), as the book first draws it:
// 28 × 28 inputs, three 5 × 5 feature maps (24 × 24, sigmoid), 2 × 2 max-pooling (12 × 12) and 10
// softmax outputs — shipped as data/chapter6-conv3.nndl (97.77% of the test set) — with the
// parameter counts the book compares: a feature map's 25 shared weights and a bias, 20 maps 520,
// against 23,550 for a fully connected first layer of 30 neurons (each count the core's, of the
// networks it makes). And the shift test: move the digit 1 to 3 pixels and the feature maps move
// with it (exactly, away from the border), the pooled maps by about half as many cells, and the
// answer stays. The core computes every map and output
// (a trace of the shifted and of the unshifted input). Not here: one convolution step by step
// (convolution.js), the shipped two-layer CNN (layers.js).
import { Network } from '../lib/nndl.js';
import { el, readout, slider } from './kit/controls.js';
import { siteData } from './kit/data.js';
import { digitInput, digitSchema } from './kit/digits.js';
import { activationCells, paintFilter, paintMap } from './kit/maps.js';

export const MODEL = 'chapter6-conv3.nndl';
const K = 5, SIDE = 28, MAP = 24, POOL = 12, MAPS = 3;
const SHIFT = { type: 'int', min: -3, max: 3, step: 1 };
/** 23550 as the book writes it, 23,550 (no Intl: a browser's locale may be one it refuses). */
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const schema = {
  ...digitSchema,
  dx: { ...SHIFT, default: 0, label: 'Shift right by (pixels)' },
  dy: { ...SHIFT, default: 0, label: 'Shift down by (pixels)' },
};

/** The image moved by dx, dy pixels (what moves out is lost, what comes in is blank). */
export function shifted(x, dx, dy) {
  const out = new Float32Array(SIDE * SIDE);
  for (let r = 0; r < SIDE; r++)
    for (let c = 0; c < SIDE; c++) {
      const from = [r - dy, c - dx];
      if (from[0] >= 0 && from[0] < SIDE && from[1] >= 0 && from[1] < SIDE) out[r * SIDE + c] = x[from[0] * SIDE + from[1]];
    }
  return out;
}

/** Parameters of layer l of a network the core makes from `layers` (its count, not ours). */
async function layerParams(layers, l) {
  const net = await Network.create(layers, { input: [SIDE, SIDE] });
  try {
    const next = l + 1 < net.sizes.length ? net.weightsOffset(l + 1) : net.numParams;
    return next - net.weightsOffset(l);
  } finally {
    net.free();
  }
}

/** The largest difference between maps a (of the shifted input) and b moved by dx, dy, where
 * both are defined: 0 means the map moved with the digit. */
function movedBy(a, b, side, dx, dy) {
  let worst = 0;
  for (let r = Math.max(0, dy); r < side + Math.min(0, dy); r++)
    for (let c = Math.max(0, dx); c < side + Math.min(0, dx); c++) worst = Math.max(worst, Math.abs(a[r * side + c] - b[(r - dy) * side + c - dx]));
  return worst;
}

export async function mount(root, { state, set }) {
  const [input, net, counts] = await Promise.all([digitInput(state, set), siteData(MODEL).then((bytes) => Network.load(bytes)),
    Promise.all([layerParams('conv3x5x5-pool2-fc10', 1), layerParams('conv20x5x5-pool2-fc10', 1), layerParams('fc30-fc10', 1)])]);
  const canvas = (className, side, label) => { const c = el('canvas', { width: side, height: side, className }); c.setAttribute('role', 'img'); c.setAttribute('aria-label', label); return c; };
  const seen = canvas('feature', SIDE, 'The shifted input, 28 × 28');
  const maps = Array.from({ length: MAPS }, (_, m) => canvas('feature', MAP, `Feature map ${m + 1}`));
  const pools = Array.from({ length: MAPS }, (_, m) => canvas('feature', POOL, `Pooled map ${m + 1}`));
  const filters = Array.from({ length: MAPS }, (_, m) => canvas('filter', K, `The 5 × 5 filter of map ${m + 1}, learned: darker is a larger weight`));
  const f = net.filters(1);
  filters.forEach((c, m) => paintFilter(c, f.weights.subarray(m * K * K, (m + 1) * K * K), K));
  const outputs = el('div', { className: 'cells output-cells' });
  const shifts = { dx: slider(schema.dx, state.dx, (v) => set({ dx: v })), dy: slider(schema.dy, state.dy, (v) => set({ dy: v })) };
  const said = readout();
  const [ours, book, full] = counts;
  const countsText = el('p', { className: 'caption', textContent: `Parameters of the first layer, counted by the core: these 3 maps ${grouped(ours)} (25 shared weights and a bias each); the book’s 20 maps ${grouped(book)}; a fully connected first layer of 30 neurons ${grouped(full)} — ${Math.round(full / book)} times as many.` });
  root.append(el('div', { className: 'layers-input' }, [...input.nodes, el('div', { className: 'controls' }, [shifts.dx.node, shifts.dy.node])]),
    el('div', { className: 'conv-row' }, [
      el('figure', { className: 'plot-wrap' }, [seen, el('figcaption', { className: 'caption', textContent: 'Input layer: 28 × 28 (shifted)' })]),
      el('div', { className: 'maps-column' }, maps.map((c, m) => el('figure', { className: 'map-row' }, [filters[m], c, pools[m], el('figcaption', { className: 'caption', textContent: `Map ${m + 1}: its filter, the feature map (24 × 24, σ), max-pooled (12 × 12)` })]))),
    ]),
    el('h3', { textContent: 'The 10 outputs (softmax)' }), outputs, said, countsText);
  let last = null;

  return {
    async render(st) {
      input.update(st);
      shifts.dx.update(st.dx); shifts.dy.update(st.dy);
      const x = input.pixels(st);
      if (!x) { said.textContent = 'Draw a digit on the pad.'; last = null; return; }
      const moved = shifted(x, st.dx, st.dy), t = net.trace(moved), still = st.dx || st.dy ? net.trace(x) : t;
      paintMap(seen, moved, SIDE, SIDE, 1);
      const size = MAP * MAP, psize = POOL * POOL;
      for (let m = 0; m < MAPS; m++) {
        paintMap(maps[m], t.a[1].subarray(m * size, (m + 1) * size), MAP, MAP, 1);
        paintMap(pools[m], t.a[2].subarray(m * psize, (m + 1) * psize), POOL, POOL, 1);
      }
      const out = Array.from(t.a[3]), answer = out.indexOf(Math.max(...out));
      const before = Array.from(still.a[3]), was = before.indexOf(Math.max(...before));
      outputs.replaceChildren(...activationCells(out, out.map((_, d) => String(d)), answer));
      const mapsMoved = Math.max(...[0, 1, 2].map((m) => movedBy(t.a[1].subarray(m * size, (m + 1) * size), still.a[1].subarray(m * size, (m + 1) * size), MAP, st.dx, st.dy)));
      const mean = (a, b) => a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0) / a.length;
      const mapChange = mean(t.a[1], still.a[1]), poolChange = mean(t.a[2], still.a[2]);
      said.textContent = st.dx || st.dy
        ? `Shifted by (${st.dx}, ${st.dy}): each feature map is the unshifted one moved with the digit (largest difference ${mapsMoved.toFixed(4)} away from the border); `
          + `point by point the maps change by ${mapChange.toFixed(3)} on average, the pooled maps by ${poolChange.toFixed(3)}. The network reads ${answer}${answer === was ? ', as before the shift' : ` (${was} before the shift)`}.`
        : `The network reads ${answer} (${(100 * out[answer]).toFixed(1)}%)${input.label(st) === null ? '' : `; MNIST says ${input.label(st)}`}. Shift the digit to see what moves.`;
      last = { answer, was, mapsMoved, mapChange, poolChange, counts };
    },
    data: () => last,
  };
}
