// nets.js — the networks of chapter 4's figures, made in the WebAssembly core with weights the
// figure sets by hand: a step is a neuron of large weight w and bias -w s (its step at s), a
// bump is a pair of steps whose output weights are h and -h, and the output neuron sums them.
// This module builds those networks (kept per shape, so that dragging a slider rewrites weights
// instead of making networks) and asks the core for their outputs. Every number a network gives
// here comes from the core; this file only decides weights. Not here: plotting, settings.
import { Network, loadCore } from '../../lib/nndl.js';

/** The weight that makes a sigmoid neuron a step (chapter 4's w = 1000): its step at s = -b/w. */
export const LARGE_W = 1000;

const cache = new Map();

/** How the figures show the core's names of activations (the names themselves are the core's). */
const LABELS = { relu: 'ReLU' };
/** A choice setting's values for the core's hidden activations: { name: label }. */
export async function hiddenChoices() {
  const { names } = await loadCore();
  return Object.fromEntries(names.hidden.filter(Boolean).map((n) => [n, LABELS[n] ?? n]));
}

const KEPT = 16; // networks kept for reuse; the least recently used beyond them are freed

/** A network of these sizes, activations (output 'linear' for a weighted output) and cost, made once
 * per shape and reused while it is among the KEPT most recently used: its weights are whatever
 * the last caller set. A figure uses a network at once after asking for it. */
export async function shaped(sizes, { hidden = 'sigmoid', output = 'linear', cost = 'quadratic' } = {}) {
  const key = `${sizes}|${hidden}|${output}|${cost}`;
  const made = cache.get(key) ?? Network.create(sizes, { hidden, output, cost, seed: 1 });
  cache.delete(key);
  cache.set(key, made); // now the most recently used
  for (const [old, net] of cache) {
    if (cache.size <= KEPT) break;
    cache.delete(old);
    net.then((n) => n.free(), () => {});
  }
  return made;
}

/** Sets layer l's weights (row-major, n_l x n_{l-1}) and biases. */
export function setLayer(net, l, weights, biases) {
  const p = net.params; // a fresh view: the core's memory may have grown
  p.set(weights, net.weightsOffset(l));
  p.set(biases, net.biasesOffset(l));
}

/** The network's outputs for inputs (a flat array of examples), from the core. */
export const outputs = (net, inputs) => net.feedforward(inputs);

/** How tall a neuron's step is, asked of the core: its activation far below and far above the
 * step (z = −40, 40): sigmoid 0 to 1, tanh −1 to 1 (so a pair's output weights are h/2 and −h/2).
 * An activation still rising past z = 40 (ReLU, linear) has no top: no step (null). */
const heights = new Map();
export function stepHeight(activation) {
  if (!heights.has(activation)) heights.set(activation, shaped([1, 1], { output: activation }).then((net) => {
    setLayer(net, 1, [1], [0]);
    const [low, high, higher] = outputs(net, [-40, 40, 80]);
    return Math.abs(higher - high) < 1e-3 ? high - low : null;
  }));
  return heights.get(activation);
}

/**
 * The hidden layer of steps and the output weights of bumps, for one input: bump i rises at
 * edges[i][0] and falls at edges[i][1], of height heights[i], every step of weight w and of height
 * `step` (stepHeight; null: weights h and −h as they are). Returns { sizes, w1, b1, w2 } for a
 * [1, 2k, 1] network.
 */
export function bumpLayers(edges, heights, w, step = 1) {
  const k = edges.length, scale = 1 / (step ?? 1);
  const w1 = new Float32Array(2 * k), b1 = new Float32Array(2 * k), w2 = new Float32Array(2 * k);
  edges.forEach(([s1, s2], i) => {
    w1[2 * i] = w; b1[2 * i] = -w * s1;
    w1[2 * i + 1] = w; b1[2 * i + 1] = -w * s2;
    w2[2 * i] = heights[i] * scale; w2[2 * i + 1] = -heights[i] * scale;
  });
  return { sizes: [1, 2 * k, 1], w1, b1, w2 };
}

/** The network of bumps: a [1, 2k, 1] network with `output` neurons (linear: the weighted
 * output; sigmoid: σ of it plus outputBias), set and ready. */
export async function bumpNetwork(edges, heights, w, { hidden = 'sigmoid', output = 'linear', outputBias = 0 } = {}) {
  const { sizes, w1, b1, w2 } = bumpLayers(edges, heights, w, await stepHeight(hidden));
  const net = await shaped(sizes, { hidden, output });
  setLayer(net, 1, w1, b1);
  setLayer(net, 2, w2, [outputBias]);
  return net;
}

/** n equal intervals of [0, 1], as [start, end] pairs (shifted by `offset` of an interval). */
export function intervals(n, offset = 0) {
  return Array.from({ length: n }, (_, i) => [(i + offset) / n, (i + 1 + offset) / n]);
}

/** The book's goal function of chapter 4. */
export const goal = (x) => 0.2 + 0.4 * x * x + 0.3 * x * Math.sin(15 * x) + 0.05 * Math.cos(50 * x);
/** σ⁻¹, the inverse of the sigmoid: the weighted output whose σ is y. */
export const logit = (y) => Math.log(y / (1 - y));

/** The book's average deviation: the mean of |f(x) - output(x)| over the samples. */
export function averageDeviation(xs, out, f) {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += Math.abs(f(xs[i]) - out[i]);
  return sum / xs.length;
}

/** A figure's training thread (workers/train-worker.js, started by start.js with the page's
 * compiled core), through its client: run(job) resolves to the record of the job's training
 * runs, steps(job) to the record of steps by hand (the reply), the latest job winning (an
 * earlier one still in flight resolves to null). */
export function trainer(worker) {
  const latest = async (type, job) => {
    const reply = worker.request(type, job), id = worker.lastId, answer = await reply;
    return id === worker.lastId ? answer : null;
  };
  return {
    run: async (job) => (await latest('run', job))?.runs ?? null,
    steps: (job) => latest('steps', job),
  };
}
