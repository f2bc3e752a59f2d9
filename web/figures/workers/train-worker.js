// @ts-check
// train-worker.js — the training thread of the figures that replay a short training run (the
// learning slowdown): it trains each network it is given by the core's one training loop, epoch
// by epoch, on a data set of values and targets, and records after every epoch the outputs at
// probe inputs, the cost and each layer's speed of learning; or steps a small network through
// mini-batches of one example with dropout, recording each step's masks and parameters (chapter
// 3's dropout). Runs are short (milliseconds), so a run is one message's answer, not a sliced
// job; the figure animates the record. Served by the
// one Worker loop (lib/worker-loop.js: init, errors). Not here: live training (learn-worker.js).
import { Dataset, Network } from '../../lib/nndl.js';
import { serve } from '../../lib/worker-loop.js';

/**
 * In (besides the loop's init): run, a request (its reply carries its id).
 * @typedef {{ layers: string, input?: [number, number], cost?: string, init?: string, params?: number[], hyper?: Record<string, number> }} NetSpec
 *   params: the starting weights in the core's layout; hyper: this network's own settings over the run's
 * @typedef {{ type: 'run', id?: number, nets: NetSpec[], xs: number[], ys: number[], inputSize?: number, targetSize?: number,
 *   hyper: Record<string, number>, epochs: number, probe: number[] }} Run
 * Out: the record of each network, epoch by epoch (outputs at the probe inputs, the cost, the
 * layers' speeds of learning).
 * @typedef {{ outputs: number[][], costs: number[], speeds: number[][], params?: number[][] }} NetRecord
 *   params: every weight and bias after each epoch, for a network of at most KEEP_PARAMS of them
 * @typedef {{ type: 'record', runs: NetRecord[] }} RecordReply
 * In: steps, a request: `steps` steps of SGD by hand (Network.step), step k on example k mod n of
 * xs (n examples of layers[0] values) and labels, from N(0, 1/n_in) weights drawn with `seed`.
 * @typedef {{ type: 'steps', id?: number, layers: number[], cost?: string, seed: number, xs: number[], labels: number[], hyper: Record<string, number>, steps: number }} Steps
 * Out: each step's dropout masks (per layer, null where none), its cost, and the parameters
 * before the first step and after each, and where each layer's weights and biases start in them.
 * @typedef {{ type: 'stepped', masks: (number[] | null)[][], costs: number[], params: number[][], offsets: { weights: number, biases: number }[] }} SteppedReply
 */

const KEEP_PARAMS = 64; // a figure reads the parameters of a small network (the slowdown's w and b)

/** @param {Run} message @returns {Promise<RecordReply>} */
async function run({ nets, xs, ys, inputSize = 1, targetSize = 1, hyper, epochs, probe }) {
  const data = await Dataset.fromArrays(xs, ys, { inputSize, targetSize });
  /** @type {NetRecord[]} */
  const runs = [];
  try {
    for (const spec of nets) {
      const net = await Network.create(spec.layers, { input: spec.input, cost: spec.cost, init: spec.init });
      try {
        if (spec.params) net.params.set(spec.params);
        const keep = net.numParams <= KEEP_PARAMS;
        /** @type {NetRecord} */
        const record = { outputs: [Array.from(net.feedforward(probe))], costs: [net.totalCost(data)], speeds: [], ...(keep ? { params: [Array.from(net.params)] } : {}) };
        for (let e = 0; e < epochs; e++) {
          net.trainEpoch(data, { ...hyper, ...spec.hyper });
          record.outputs.push(Array.from(net.feedforward(probe)));
          record.costs.push(net.totalCost(data));
          record.speeds.push(net.learningSpeeds().speeds);
          if (keep) record.params?.push(Array.from(net.params));
        }
        runs.push(record);
      } finally {
        net.free();
      }
    }
  } finally {
    data.free();
  }
  return { type: 'record', runs };
}

/** @param {Steps} message @returns {Promise<SteppedReply>} */
async function steps({ layers, cost, seed, xs, labels, hyper, steps: count }) {
  const net = await Network.create(layers, { cost, init: 'scaled', seed });
  try {
    const n0 = layers[0], n = labels.length, params = [Array.from(net.params)], masks = [], costs = [];
    for (let k = 0; k < count; k++) {
      const i = k % n, { cost: c, masks: drawn } = net.step(xs.slice(i * n0, (i + 1) * n0), [labels[i]], hyper, n);
      masks.push(drawn.map((m) => m && Array.from(m)));
      costs.push(c);
      params.push(Array.from(net.params));
    }
    const offsets = layers.map((_, l) => (l ? { weights: net.weightsOffset(l), biases: net.biasesOffset(l) } : { weights: 0, biases: 0 }));
    return { type: 'stepped', masks, costs, params, offsets };
  } finally {
    net.free();
  }
}

serve({ run, steps });
