// @ts-check
// learn-worker.js — the training thread of the learn-f figure: a [1, N, 1] network trained by
// the core's one training loop (mini-batch SGD with momentum) on samples of a function, as a job
// of the one Worker loop (lib/worker-loop.js: slices, Pause answered after the slice in flight),
// posting what the figure draws about ten times a second: the output on a grid, each hidden
// neuron's contribution w_j a_j(x) to it (the outputs of a companion [1, N, N] network whose
// output layer keeps the terms apart: the core computes them too), the cost of every epoch and
// the average deviation from the target. Not here: short replays (train-worker.js).
import { Dataset, Network } from '../../lib/nndl.js';
import { serve } from '../../lib/worker-loop.js';

/**
 * In (besides the loop's init, pause and resume): start a run, or reset (forget it).
 * @typedef {{ n: number, hidden: string, output: string, eta: number, mu: number, batch: number, epochs: number, seed: number }} Config
 * @typedef {{ type: 'start', config: Config, xs: number[], ys: number[], grid: number[], target: number[] }} Start
 *   xs, ys: the training samples; target: the function on the grid
 * @typedef {{ type: 'reset' }} Reset
 * Out (besides ready, paused, error): snapshots, and done once the epochs are trained. A
 * snapshot follows the last slice before a pause too, so that the figure shows where it stopped.
 * @typedef {{ type: 'snapshot', epoch: number, costs: [number, number][], outputs: Float32Array, contributions: Float32Array,
 *   bias: number, deviation: number, seconds: number, w: Float32Array, b: Float32Array, out: Float32Array }} Snapshot
 *   w, b: each hidden neuron's input weight and bias; out: its output weight (the network drawn)
 * @typedef {{ type: 'done' }} Done
 */

const SNAPSHOT_MS = 100;

/** @type {any} */
let run = null; // { net, parts, data, hyper, config, grid, target, epoch, cost, costs, seconds, shown }

function free() {
  loop.stop();
  if (!run) return;
  for (const x of [run.net, run.parts, run.data]) x?.free();
  run = null;
}

/** The companion network's weights: the same hidden layer, and an output layer that is the
 * diagonal of the output weights, so that output j is w_j a_j(x). */
function copyToParts(/** @type {any} */ { net, parts, config }) {
  const n = config.n, p = net.params, q = parts.params;
  q.set(p.subarray(net.weightsOffset(1), net.weightsOffset(1) + n), parts.weightsOffset(1));
  q.set(p.subarray(net.biasesOffset(1), net.biasesOffset(1) + n), parts.biasesOffset(1));
  const w2 = p.subarray(net.weightsOffset(2), net.weightsOffset(2) + n), diagonal = new Float32Array(n * n);
  for (let j = 0; j < n; j++) diagonal[j * n + j] = w2[j];
  q.set(diagonal, parts.weightsOffset(2));
  q.set(new Float32Array(n), parts.biasesOffset(2));
}

function snapshot(/** @type {any} */ r) {
  const { net, parts, grid, target } = r;
  copyToParts(r);
  const outputs = net.feedforward(grid), contributions = parts.feedforward(grid);
  let deviation = 0;
  for (let i = 0; i < grid.length; i++) deviation += Math.abs(outputs[i] - target[i]) / grid.length;
  const p = net.params, n = r.config.n, bias = p[net.biasesOffset(2)];
  const w = p.slice(net.weightsOffset(1), net.weightsOffset(1) + n), b = p.slice(net.biasesOffset(1), net.biasesOffset(1) + n);
  const out = p.slice(net.weightsOffset(2), net.weightsOffset(2) + n);
  r.shown = performance.now();
  loop.post({ type: 'snapshot', epoch: r.epoch, costs: r.costs.splice(0), outputs, contributions, bias, deviation, seconds: r.seconds, w, b, out },
    [outputs.buffer, contributions.buffer, w.buffer, b.buffer, out.buffer]);
}

/** Training as the loop's job: 50 mini-batches a step; a snapshot every SNAPSHOT_MS. */
function job(/** @type {any} */ r) {
  return {
    step() {
      const started = performance.now();
      const p = r.net.train(r.data, r.hyper, 50);
      r.cost += p.cost;
      if (p.epochDone) {
        r.epoch = p.epoch;
        r.costs.push([r.epoch, r.cost / r.data.count]);
        r.cost = 0;
      }
      r.seconds += (performance.now() - started) / 1000;
      return r.epoch < r.config.epochs;
    },
    afterSlice() {
      if (performance.now() - r.shown > SNAPSHOT_MS) snapshot(r);
    },
    paused: () => snapshot(r),
    ended() {
      snapshot(r);
      loop.post({ type: 'done' });
    },
  };
}

async function start(/** @type {Start} */ { config, xs, ys, grid, target }, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  free();
  // network.py's N(0, 1) weights: with one input, larger first weights than N(0, 1/n_in) give
  // the output layer, and SGD finds f's wiggles in a third of the epochs (measured over seeds)
  const layers = `fc${config.n}:${config.hidden}-fc1:${config.output}`;
  const net = await Network.create(layers, { input: [1, 1], seed: config.seed, init: 'large' });
  const parts = await Network.create(`fc${config.n}:${config.hidden}-fc${config.n}:linear`, { input: [1, 1] });
  const data = await Dataset.fromArrays(xs, ys);
  run = {
    net, parts, data, config, grid: Float32Array.from(grid), target: Float32Array.from(target),
    hyper: { mini_batch_size: config.batch, eta: config.eta, mu: config.mu }, epoch: 0, cost: 0, costs: [], seconds: 0, shown: 0,
  };
  snapshot(run);
  context.run(job(run));
}

const loop = serve({ start, reset: free });
