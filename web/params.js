// params.js — the page's settings and their home in the URL: the book's presets, parsing of
// query parameters with validation (a malformed value falls back to its default and leaves a
// note saying so), and writing the settings back so that a link reproduces a run.
// Plain data and functions, no DOM: the same module runs in Node's tests.

export const PANELS = ['controls', 'curves', 'draw', 'gallery'];

/** The book's chapter 1 experiments. `reference` is the test accuracy the book reports. */
export const PRESETS = {
  ch1: {
    label: 'Chapter 1: [784,30,10], η = 3.0',
    sizes: [784, 30, 10], eta: 3.0, batch: 10, epochs: 30, seed: 2,
    reference: 0.9542, referenceLabel: 'book: 95.42%',
  },
  'ch1-100': {
    label: 'Chapter 1: [784,100,10], η = 3.0',
    sizes: [784, 100, 10], eta: 3.0, batch: 10, epochs: 30, seed: 2,
    reference: 0.9659, referenceLabel: 'book: 96.59%',
  },
  eta100: {
    label: 'Too large: η = 100 (fails)',
    sizes: [784, 30, 10], eta: 100.0, batch: 10, epochs: 30, seed: 2,
    reference: 0.1009, referenceLabel: 'book: 10.09%, stuck',
  },
  eta0001: {
    label: 'Too small: η = 0.001 (crawls)',
    sizes: [784, 100, 10], eta: 0.001, batch: 10, epochs: 30, seed: 2,
    reference: 0.2142, referenceLabel: 'book: 21.42% after 30 epochs',
  },
};

export const DEFAULT_PRESET = 'ch1';
const MAX_HIDDEN = 2000; // neurons per hidden layer: beyond it a browser tab only crawls
const MAX_HIDDEN_LAYERS = 8;

const number = (text) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN);

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
  eta(text) {
    const eta = number(text);
    if (!(eta > 0) || !Number.isFinite(eta) || eta > 3e38) throw new Error('a number above 0');
    return eta;
  },
  batch(text) {
    const batch = number(text);
    if (!Number.isInteger(batch) || batch < 1 || batch > 10000) throw new Error('a whole number from 1 to 10000');
    return batch;
  },
  epochs(text) {
    const epochs = number(text);
    if (!Number.isInteger(epochs) || epochs < 1 || epochs > 1000) throw new Error('a whole number from 1 to 1000');
    return epochs;
  },
  seed(text) {
    const seed = number(text);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('a whole number from 0');
    return seed;
  },
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
  const base = PRESETS[preset];
  const config = { sizes: [...base.sizes], eta: base.eta, batch: base.batch, epochs: base.epochs, seed: base.seed };
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
