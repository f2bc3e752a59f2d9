// train-worker.js — the training thread of the figures that replay a short training run (the
// learning slowdown, the unstable gradient): it trains each network it is given by the core's
// one training loop, epoch by epoch, on a data set of values and targets, and records after every
// epoch the outputs at probe inputs, the cost and each layer's speed of learning. Runs are short
// (milliseconds); the figure animates the record. Not here: live training (learn-worker.js).
//
// In:  init {wasm}; run {id, nets: [{layers, input, cost, init, params}], xs, ys, inputSize,
//      targetSize, hyper, epochs, probe}   params: the starting weights in the core's layout
// Out: ready; record {id, runs: [{outputs: [epoch][probe], costs: [epoch], speeds: [epoch][layer]}]};
//      error {id, message}
import { Dataset, Network, loadCore } from '../nndl.js';

async function run({ id, nets, xs, ys, inputSize = 1, targetSize = 1, hyper, epochs, probe }) {
  const data = await Dataset.fromArrays(xs, ys, { inputSize, targetSize });
  const runs = [];
  try {
    for (const spec of nets) {
      const net = await Network.create(spec.layers, { input: spec.input, cost: spec.cost, init: spec.init });
      try {
        if (spec.params) net.params.set(spec.params);
        const record = { outputs: [Array.from(net.feedforward(probe))], costs: [net.totalCost(data)], speeds: [] };
        for (let e = 0; e < epochs; e++) {
          net.trainEpoch(data, hyper);
          record.outputs.push(Array.from(net.feedforward(probe)));
          record.costs.push(net.totalCost(data));
          record.speeds.push(net.learningSpeeds().speeds);
        }
        runs.push(record);
      } finally {
        net.free();
      }
    }
  } finally {
    data.free();
  }
  postMessage({ type: 'record', id, runs });
}

onmessage = async ({ data: message }) => {
  try {
    if (message.type === 'init') {
      await loadCore({ wasm: message.wasm });
      postMessage({ type: 'ready' });
    } else if (message.type === 'run') {
      await run(message);
    }
  } catch (e) {
    postMessage({ type: 'error', id: message.id, message: e.message });
  }
};
