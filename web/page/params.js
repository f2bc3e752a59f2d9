// params.js — the page's settings as a schema on the one URL-state engine (shared/url-state.js,
// the figures' too): the book's presets, each setting's check, the view's panels, and the link
// that reproduces a run (values equal to the preset's left out). What a value may be is the
// core's to say: the layer string, the names of the choices and the ranges of the
// hyper-parameters are checked by the WebAssembly core (the `core` argument, from loadCore()),
// and a note gives the core's own reason. Settings are spelt as the core spells them
// (mini_batch_size, lmbda); the older batch and lambda still read. Plain data and functions, no
// DOM: the same module runs in Node's tests.
import { HYPER_ALIASES, hyperError, sizesError, specOf } from '../lib/nndl.js';
import { parseState, queryOf, stateEntries } from '../shared/url-state.js';
import { VIEW_SCHEMA, fixView, panelsOf } from './panels.js';


/** Everything a run is made of, with network.py's values; presets override some of them. A cost
 * or init of 'auto' is the CLI's rule, applied by the core: what the network given implies. */
const BASE = {
  sizes: [784, 30, 10], layers: '', cost: 'auto', hidden: 'sigmoid', init: 'auto',
  eta: 3.0, mini_batch_size: 10, epochs: 30, seed: 2,
  lmbda: 0, l1: 0, mu: 0, dropout: 0, expand: 0, rotate: 0, shift: 0, shear: 0, elastic: 0, schedule: 'none', patience: 10,
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
    sizes: [784, 100, 10], cost: 'cross-entropy', eta: 0.5, lmbda: 5.0, reference: 0.9792, referenceLabel: 'book: 97.92%',
  },
  'ch3-init': {
    label: 'Chapter 3: N(0, 1/n) weights, λ = 5, η = 0.1',
    cost: 'cross-entropy', init: 'scaled', eta: 0.1, lmbda: 5.0, reference: 0.9648, referenceLabel: 'book: about 96.5%',
  },
  'ch3-momentum': {
    label: 'Chapter 3: momentum μ = 0.5, L2, halving schedule',
    sizes: [784, 100, 10], cost: 'cross-entropy', init: 'scaled', eta: 0.5, lmbda: 5.0, mu: 0.5, schedule: 'halve', patience: 5,
    epochs: 60, reference: null,
  },
  'ch5-sigmoid': {
    label: 'Chapter 5: [784,30,30,30,30,10] sigmoid (vanishing gradient)',
    sizes: [784, 30, 30, 30, 30, 10], cost: 'cross-entropy', init: 'scaled', eta: 0.1, lmbda: 5.0,
    reference: 0.9653, referenceLabel: 'book: 96.53%',
  },
  'ch5-large': {
    label: 'Chapter 5: the same with N(0,1) weights',
    sizes: [784, 30, 30, 30, 30, 10], cost: 'cross-entropy', init: 'large', eta: 0.1, lmbda: 5.0, reference: null,
  },
  'ch5-relu': {
    label: 'Chapter 5: the same with ReLU',
    sizes: [784, 30, 30, 30, 30, 10], cost: 'log-likelihood', hidden: 'relu', init: 'scaled', eta: 0.03, lmbda: 1.0, reference: null,
  },
  // Chapter 6 (network3.py): log-likelihood cost, mini-batches of 10. network3.py's lmbda = 0.1
  // is lmbda = 1.0 here (its L2 term is per mini-batch's share of the data, ours network2's).
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
    eta: 0.03, lmbda: 1.0, epochs: 60, reference: 0.9923, referenceLabel: 'book: 99.23%',
  },
  'ch6-expanded': {
    label: 'Chapter 6: … with expanded data',
    layers: 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10', cost: 'log-likelihood', hidden: 'relu', init: 'scaled',
    eta: 0.03, lmbda: 1.0, epochs: 60, expand: 1, reference: 0.9937, referenceLabel: 'book: 99.37%',
  },
  'ch6-dropout': {
    label: 'Chapter 6: two fc1000 layers, dropout 0.5, expanded data',
    layers: 'conv20x5x5-pool2-conv40x5x5-pool2-fc1000-fc1000-softmax10', cost: 'log-likelihood', hidden: 'relu',
    init: 'scaled', eta: 0.03, dropout: 0.5, epochs: 40, expand: 1, reference: 0.996, referenceLabel: 'book: 99.60%',
  },
};
for (const preset of Object.values(PRESETS)) for (const [k, v] of Object.entries(BASE)) preset[k] ??= v;

export const DEFAULT_PRESET = 'ch1';
const number = (text) => (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN);

/** An Error whose message is said as it is: the core's own reason. */
const said = (message) => Object.assign(new Error(message), { said: true });

const range = (lo, hi) => (text) => {
  const v = number(text);
  if (!Number.isInteger(v) || v < lo || v > hi) throw new Error(`a whole number from ${lo} to ${hi}`);
  return v;
};

/** The options of the settings that are choices: the core's names, and 'auto' for the cost and
 * the initial weights (the CLI's rule, applied by the core: what the network implies). */
export function choices(name, core) {
  const names = { cost: core.names.cost, hidden: core.names.hidden, init: core.names.init, schedule: core.names.schedule }[name];
  return [...(name === 'cost' || name === 'init' ? ['auto'] : []), ...names.filter(Boolean)];
}

const choice = (name) => (text, core) => {
  const options = choices(name, core);
  if (!options.includes(text)) throw new Error(`one of ${options.join(', ')}`);
  return text;
};

/** A hyper-parameter: a number the core accepts for it (nndl_hyper_set gives the reason). */
const hyper = (name) => (text, core) => {
  const v = number(text);
  if (!Number.isFinite(v)) throw new Error('a number');
  const error = hyperError(core, name, v);
  if (error) throw said(error);
  return v;
};

/** What each setting of a run may be: the value, or an Error saying what is allowed. */
const CHECKS = {
  sizes(text, core) {
    const sizes = text.split(',').map((s) => number(s.trim()));
    if (!sizes.every(Number.isInteger)) throw new Error('whole numbers of neurons, like 784,30,10');
    if (sizes[0] !== 784 || sizes.at(-1) !== 10) throw new Error('784 inputs first and 10 outputs last (MNIST)');
    const error = sizesError(core, sizes);
    if (error) throw said(error);
    return sizes;
  },
  layers(text, core) {
    if (text === '') return '';
    const spec = specOf(core, text); // throws the core's reason, said as it is
    if (spec.sizes[0] !== 784 || spec.sizes.at(-1) !== 10) throw new Error('a network for MNIST: 10 outputs last');
    return text;
  },
  cost: choice('cost'),
  hidden: choice('hidden'),
  init: choice('init'),
  eta: hyper('eta'),
  mini_batch_size: hyper('mini_batch_size'),
  epochs: range(1, 1000),
  seed(text) {
    const seed = number(text);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new Error('a whole number from 0');
    return seed;
  },
  lmbda: hyper('lmbda'),
  l1: hyper('l1'),
  mu: hyper('mu'),
  dropout: hyper('dropout'),
  expand: range(0, 1),
  rotate: hyper('rotate'),
  shift: hyper('shift'),
  shear: hyper('shear'),
  elastic: hyper('elastic'),
  schedule: choice('schedule'),
  patience: range(1, 100),
};

export const SETTINGS = Object.keys(CHECKS);

export function formatSetting(name, value) {
  return name === 'sizes' ? value.join(',') : String(value);
}

/** The page's schema for a loaded core: each setting of a run (checked by CHECKS, with the core's
 * reasons), then the view's: the curves' axes, embedding and the panels shown. */
export function pageSchema(core) {
  const settings = Object.fromEntries(SETTINGS.map((name) => [name, {
    default: PRESETS[DEFAULT_PRESET][name],
    check: (text) => {
      const { value, error } = checkSetting(name, text, core);
      if (error) throw said(error);
      return value;
    },
    format: (value) => formatSetting(name, value),
  }]));
  return {
    ...settings,
    axes: { type: 'choice', values: ['zoom', 'full'], default: 'zoom' },
    ...VIEW_SCHEMA,
  };
}

const PRESET_SCHEMA = { preset: { type: 'choice', values: Object.keys(PRESETS), default: DEFAULT_PRESET } };

/** Checks one setting typed by a user with the core's rules; returns { value } or { error }:
 * the core's reason as it gives it, or what the page allows. */
export function checkSetting(name, text, core) {
  try {
    return { value: CHECKS[name](String(text).trim(), core) };
  } catch (e) {
    return { error: e.name === 'NndlError' || e.said ? e.message : `${name} must be ${e.message}` };
  }
}

/** The defaults of every setting under a preset, and of the view's (the panels: an embed's or
 * the full page's). */
const baseOf = (preset, embed = false) => ({ ...presetConfig(preset), axes: 'zoom', embed: false, panels: panelsOf(embed) });

/**
 * Reads the page's state from a query string with the core's checks. Returns { preset, config,
 * embed, panels, notes, axes }: config holds every setting; axes is 'zoom' (the curves' axes
 * follow the data) or 'full'; notes lists every value that was malformed, why, and what was used
 * instead. Parameters of no setting are left alone (another page's may share the link).
 */
export function parseParams(search, core) {
  const { state: { preset }, notes } = parseState(PRESET_SCHEMA, search, { unknown: 'ignore' });
  const parsed = parseState(pageSchema(core), search, {
    base: baseOf(preset), aliases: HYPER_ALIASES, unknown: 'ignore', reserved: ['preset'], fix: fixView,
  });
  const { axes, embed, panels, ...config } = parsed.state;
  return { preset, config, embed, panels, notes: [...notes, ...parsed.notes], axes };
}

/** The settings of a preset, as a fresh object. */
export function presetConfig(name) {
  const config = {};
  for (const key of SETTINGS) config[key] = key === 'sizes' ? [...PRESETS[name].sizes] : PRESETS[name][key];
  return config;
}

/** The query string that reproduces a state; values equal to the preset's are left out. */
export function toSearch({ preset, config, embed, panels, axes = 'zoom' }) {
  const entries = [
    ...stateEntries(PRESET_SCHEMA, { preset }),
    ...stateEntries(pageSchema(null), { ...config, axes, embed, panels }, baseOf(preset, embed)),
  ];
  return queryOf(entries);
}
