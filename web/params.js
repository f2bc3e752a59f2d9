// params.js — the page's settings and their home in the URL: the book's presets, parsing of
// query parameters with validation (a malformed value falls back to its default and leaves a
// note saying so), and writing the settings back so that a link reproduces a run.
// Plain data and functions, no DOM: the same module runs in Node's tests.

export const PANELS = ['controls', 'curves', 'speeds', 'filters', 'draw', 'gallery'];

/** Everything a run is made of, with network.py's values; presets override some of them. A cost
 * or init of 'auto' is the CLI's rule, applied by the core: what the network given implies. */
const BASE = {
  sizes: [784, 30, 10], layers: '', cost: 'auto', hidden: 'sigmoid', init: 'auto',
  eta: 3.0, batch: 10, epochs: 30, seed: 2,
  lambda: 0, l1: 0, mu: 0, dropout: 0, expand: 0, rotate: 0, shift: 0, schedule: 'none', patience: 10,
};

/** The book's experiments. `reference` is the accuracy the book reports. */
export const PRESETS = {
  ch1: {
    label: 'Chapter 1: [784,30,10], η = 3.0',
    reference: 0.9542, referenceLabel: 'book: 95.42%',
  },
  'ch1-100': {
    label: 'Chapter 1: [784,100,10], η = 3.0',
    sizes: [784, 100, 10], reference: 0.9659, referenceLabel: 'book: 96.59%',
  },
  eta100: {
    label: 'Chapter 1: η = 100 (fails)',
    eta: 100.0, reference: 0.1009, referenceLabel: 'book: 10.09%, stuck',
  },
  eta0001: {
    label: 'Chapter 1: η = 0.001 (crawls)',
    sizes: [784, 100, 10], eta: 0.001, reference: 0.2142, referenceLabel: 'book: 21.42% after 30 epochs',
  },
  'ch3-ce': {
    label: 'Chapter 3: cross-entropy, [784,30,10], η = 0.5',
    cost: 'cross-entropy', eta: 0.5, reference: 0.9549, referenceLabel: 'book: 95.49%',
  },
  'ch3-l2': {
    label: 'Chapter 3: L2 λ = 5, [784,100,10], η = 0.5',
    sizes: [784, 100, 10], cost: 'cross-entropy', eta: 0.5, lambda: 5.0, reference: 0.9792, referenceLabel: 'book: 97.92%',
  },
  'ch3-init': {
    label: 'Chapter 3: N(0, 1/n) weights, λ = 5, η = 0.1',
    cost: 'cross-entropy', init: 'scaled', eta: 0.1, lambda: 5.0, reference: 0.9648, referenceLabel: 'book: about 96.5%',
  },
  'ch3-momentum': {
    label: 'Chapter 3: momentum μ = 0.5, L2, halving schedule',
    sizes: [784, 100, 10], cost: 'cross-entropy', init: 'scaled', eta: 0.5, lambda: 5.0, mu: 0.5, schedule: 'halve', patience: 5,
    epochs: 60, reference: null,
  },
  'ch5-sigmoid': {
    label: 'Chapter 5: [784,30,30,30,30,10] sigmoid (vanishing gradient)',
    sizes: [784, 30, 30, 30, 30, 10], cost: 'cross-entropy', init: 'scaled', eta: 0.1, lambda: 5.0,
    reference: 0.9653, referenceLabel: 'book: 96.53%',
  },
  'ch5-large': {
    label: 'Chapter 5: the same with N(0,1) weights',
    sizes: [784, 30, 30, 30, 30, 10], cost: 'cross-entropy', init: 'large', eta: 0.1, lambda: 5.0, reference: null,
  },
  'ch5-relu': {
    label: 'Chapter 5: the same with ReLU',
    sizes: [784, 30, 30, 30, 30, 10], cost: 'log-likelihood', hidden: 'relu', init: 'scaled', eta: 0.03, lambda: 1.0, reference: null,
  },
  // Chapter 6 (network3.py): log-likelihood cost, mini-batches of 10. network3.py's lmbda = 0.1
  // is lambda = 1.0 here (its L2 term is per mini-batch's share of the data, ours network2's).
  'ch6-conv': {
    label: 'Chapter 6: one conv-pool layer, fc100, sigmoid, η = 0.1',
    layers: 'conv20x5x5-pool2-fc100-softmax10', cost: 'log-likelihood', init: 'scaled', eta: 0.1, epochs: 60,
    reference: 0.9878, referenceLabel: 'book: 98.78%',
  },
  'ch6-two': {
    label: 'Chapter 6: two conv-pool layers, sigmoid, η = 0.1',
    layers: 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10', cost: 'log-likelihood', init: 'scaled', eta: 0.1, epochs: 60,
    reference: 0.9906, referenceLabel: 'book: 99.06%',
  },
  'ch6-relu': {
    label: 'Chapter 6: two conv-pool layers, ReLU, η = 0.03, λ = 0.1',
    layers: 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10', cost: 'log-likelihood', hidden: 'relu', init: 'scaled',
    eta: 0.03, lambda: 1.0, epochs: 60, reference: 0.9923, referenceLabel: 'book: 99.23%',
  },
  'ch6-expanded': {
    label: 'Chapter 6: … with expanded data',
    layers: 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10', cost: 'log-likelihood', hidden: 'relu', init: 'scaled',
    eta: 0.03, lambda: 1.0, epochs: 60, expand: 1, reference: 0.9937, referenceLabel: 'book: 99.37%',
  },
  'ch6-dropout': {
    label: 'Chapter 6: two fc1000 layers, dropout 0.5, expanded data',
    layers: 'conv20x5x5-pool2-conv40x5x5-pool2-fc1000-fc1000-softmax10', cost: 'log-likelihood', hidden: 'relu',
    init: 'scaled', eta: 0.03, dropout: 0.5, epochs: 40, expand: 1, reference: 0.996, referenceLabel: 'book: 99.60%',
  },
};
for (const preset of Object.values(PRESETS)) for (const [k, v] of Object.entries(BASE)) preset[k] ??= v;

const LAYER = /^(?:conv(\d+)x(\d+)(?:x(\d+))?|pool(\d+)(?:x(\d+))?|fc(\d+)|(sigmoid|tanh|relu|softmax)(\d+))(?::(sigmoid|tanh|relu))?$/;
const MAX_MAPS = 100; // feature maps per convolutional layer, and
const MAX_FIELD = 28; // receptive fields and pooling blocks: enough for any MNIST network

/**
 * The shapes of a layer string's layers (the grammar of nndl_spec_parse in nndl.h) for input
 * images of rows x cols: [{ kind, maps, rows, cols, size, activation }], or throws an Error
 * saying what is wrong. The core checks again; this lets the page refuse a bad link at once.
 */
export function layerShapes(text, rows = 28, cols = 28) {
  const tokens = text.split('-');
  if (tokens.length > MAX_HIDDEN_LAYERS + 6) throw new Error(`at most ${MAX_HIDDEN_LAYERS + 6} layers`);
  let shape = { kind: 'input', maps: 1, rows, cols };
  const shapes = [];
  tokens.forEach((token, i) => {
    const m = LAYER.exec(token);
    const where = `layer ${i + 1} (${JSON.stringify(token.slice(0, 20))})`;
    if (!m) throw new Error(`layers like conv20x5x5-pool2-fc100-softmax10; ${where} is not convFxRxC, poolP, fcN or softmaxN`);
    const [, maps, fr, fc, pr, pc, n, named, namedSize, activation] = m;
    if ((pr || named) && activation) throw new Error(`${where} cannot name an activation`);
    if (maps || pr) {
      if (shape.kind === 'full') throw new Error(`${where}: convolutional and pooling layers come before fully connected ones`);
      const r = Number(fr ?? pr), c = Number(fc ?? pc ?? fr ?? pr);
      if (!(r >= 1 && c >= 1 && r <= Math.min(shape.rows, MAX_FIELD) && c <= Math.min(shape.cols, MAX_FIELD)))
        throw new Error(`${where}: its ${r} x ${c} block does not fit its input of ${shape.rows} x ${shape.cols}`);
      if (maps && !(Number(maps) >= 1 && Number(maps) <= MAX_MAPS)) throw new Error(`${where}: 1 to ${MAX_MAPS} feature maps`);
      shape = maps
        ? { kind: 'conv', maps: Number(maps), rows: shape.rows - r + 1, cols: shape.cols - c + 1, fieldRows: r, fieldCols: c, activation }
        : { kind: 'pool', maps: shape.maps, rows: Math.floor(shape.rows / r), cols: Math.floor(shape.cols / c), fieldRows: r, fieldCols: c };
    } else {
      const size = Number(n ?? namedSize);
      if (!(size >= 1 && size <= MAX_HIDDEN)) throw new Error(`${where}: 1 to ${MAX_HIDDEN} neurons`);
      if (named === 'softmax' && i !== tokens.length - 1) throw new Error(`${where}: softmax is for the output layer only`);
      shape = { kind: 'full', maps: size, rows: 1, cols: 1, activation: named ?? activation };
    }
    shape.size = shape.maps * shape.rows * shape.cols;
    shapes.push(shape);
  });
  const last = shapes.at(-1);
  if (last.kind !== 'full' || last.size !== 10) throw new Error('a fully connected output layer of 10 neurons last (softmax10, fc10)');
  return shapes;
}

export const DEFAULT_PRESET = 'ch1';
const MAX_HIDDEN = 2000; // neurons per hidden layer: beyond it a browser tab only crawls
const MAX_HIDDEN_LAYERS = 8;

const number = (text) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN);

const choice = (name, options) => (text) => {
  if (!options.includes(text)) throw new Error(`one of ${options.join(', ')}`);
  return text;
};
const range = (lo, hi, integer = false) => (text) => {
  const v = number(text);
  if (!Number.isFinite(v) || v < lo || v > hi || (integer && !Number.isInteger(v)))
    throw new Error(`a ${integer ? 'whole ' : ''}number from ${lo} to ${hi}`);
  return v;
};

/** Each checker returns the value, or throws an Error whose message says what is allowed. */
const CHECKS = {
  sizes(text) {
    const sizes = text.split(',').map((s) => number(s.trim()));
    if (sizes.length < 2 || sizes.length > MAX_HIDDEN_LAYERS + 2) throw new Error(`2 to ${MAX_HIDDEN_LAYERS + 2} layers`);
    if (sizes[0] !== 784 || sizes.at(-1) !== 10) throw new Error('784 inputs first and 10 outputs last');
    if (!sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_HIDDEN))
      throw new Error(`whole numbers of neurons from 1 to ${MAX_HIDDEN}`);
    return sizes;
  },
  layers(text) {
    if (text === '') return '';
    layerShapes(text);
    return text;
  },
  // 'auto': what the CLI does without --cost, decided by the core (quadratic for layer sizes,
  // what the output layer goes with for a layer string: log-likelihood for softmax10)
  cost: choice('cost', ['auto', 'quadratic', 'cross-entropy', 'log-likelihood']),
  hidden: choice('hidden', ['sigmoid', 'tanh', 'relu']),
  // 'auto' likewise: N(0, 1) weights for layer sizes (network.py), N(0, 1/n_in) for a layer string
  init: choice('init', ['auto', 'large', 'scaled']),
  eta(text) {
    const eta = number(text);
    if (!(eta > 0) || !Number.isFinite(eta) || eta > 3e38) throw new Error('a number above 0');
    return eta;
  },
  batch: range(1, 10000, true),
  epochs: range(1, 1000, true),
  seed(text) {
    const seed = number(text);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('a whole number from 0');
    return seed;
  },
  lambda: range(0, 1e6),
  l1: range(0, 1e6),
  mu: range(0, 0.999),
  dropout: range(0, 0.95),
  expand: range(0, 1, true),
  rotate: range(0, 45),
  shift: range(0, 4),
  schedule: choice('schedule', ['none', 'early-stop', 'halve']),
  patience: range(1, 100, true),
};

export const SETTINGS = Object.keys(CHECKS);

/** Checks one setting typed by a user; returns { value } or { error }. */
export function checkSetting(name, text) {
  try {
    return { value: CHECKS[name](String(text).trim()) };
  } catch (e) {
    return { error: `${name} must be ${e.message}` };
  }
}

/** A short, safe rendering of a user's text for a note (never markup: callers use textContent). */
const quote = (text) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Reads the page's state from a query string. Returns { preset, config, embed, panels, notes }:
 * config = { sizes, eta, batch, epochs, seed }; notes lists every value that was malformed and
 * what was used instead.
 */
export function parseParams(search) {
  const params = new URLSearchParams(search);
  const notes = [];
  let preset = params.get('preset') ?? DEFAULT_PRESET;
  if (!Object.hasOwn(PRESETS, preset)) {
    notes.push(`preset ${quote(preset)} is not one of ${Object.keys(PRESETS).join(', ')}; using ${DEFAULT_PRESET}`);
    preset = DEFAULT_PRESET;
  }
  const config = presetConfig(preset);
  for (const name of SETTINGS) {
    if (!params.has(name)) continue;
    const { value, error } = checkSetting(name, params.get(name));
    if (error) notes.push(`${error}, not ${quote(params.get(name))}; using ${formatSetting(name, config[name])}`);
    else config[name] = value;
  }
  const embed = params.get('embed') === '1';
  if (params.has('embed') && !['0', '1'].includes(params.get('embed')))
    notes.push(`embed must be 0 or 1, not ${quote(params.get('embed'))}`);
  let panels = [...PANELS];
  if (params.has('panels')) {
    const asked = params.get('panels').split(',').map((p) => p.trim()).filter(Boolean);
    const unknown = asked.filter((p) => !PANELS.includes(p));
    if (unknown.length) notes.push(`unknown panels ${unknown.map(quote).join(', ')}; panels are ${PANELS.join(', ')}`);
    const known = asked.filter((p) => PANELS.includes(p));
    if (known.length) panels = known;
  } else if (embed) {
    panels = ['curves', 'draw'];
  }
  return { preset, config, embed, panels, notes };
}

/** The settings of a preset, as a fresh object. */
export function presetConfig(name) {
  const config = {};
  for (const key of SETTINGS) config[key] = key === 'sizes' ? [...PRESETS[name].sizes] : PRESETS[name][key];
  return config;
}

export function formatSetting(name, value) {
  return name === 'sizes' ? value.join(',') : String(value);
}

/** The query string that reproduces a state; values equal to the preset's are left out. */
export function toSearch({ preset, config, embed, panels }) {
  const params = new URLSearchParams();
  if (preset !== DEFAULT_PRESET) params.set('preset', preset);
  const base = PRESETS[preset];
  for (const name of SETTINGS)
    if (formatSetting(name, config[name]) !== formatSetting(name, base[name])) params.set(name, formatSetting(name, config[name]));
  if (embed) params.set('embed', '1');
  if (embed || panels.length !== PANELS.length) params.set('panels', panels.join(','));
  const text = params.toString().replaceAll('%2C', ',');
  return text ? `?${text}` : '';
}
