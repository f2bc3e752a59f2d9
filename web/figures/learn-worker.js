// learn-worker.js — the training thread of the learn-f figure: a [1, N, 1] network trained by
// the core's one training loop (mini-batch SGD with momentum) on samples of a function, in slices
// of SLICE_MS so that Pause is answered within a slice, posting what the figure draws about ten
// times a second: the output on a grid, each hidden neuron's contribution w_j a_j(x) to it (the
// outputs of a companion [1, N, N] network whose output layer keeps the terms apart: the core
// computes them too), the cost of every epoch and the average deviation from the target.
//
// In:  init {wasm}            the core compiled by the page (a WebAssembly.Module)
//      start {config, xs, ys, grid, target}   config: n, hidden, output, eta, mu, batch, epochs,
//                              seed;
//                              xs, ys: the training samples; target: the function on the grid
//      pause, resume, reset
// Out: ready, snapshot {epoch, costs [[epoch, cost]...] since the last, outputs, contributions,
//      bias, deviation, seconds}, paused, done, error {message}
import { Dataset, Network, loadCore } from '../nndl.js';

const SLICE_MS = 15;
const SNAPSHOT_MS = 100;

let run = null; // { net, parts, data, hyper, config, grid, target, epoch, cost, costs, running, seconds }

function free() {
  if (!run) return;
  run.running = false;
  for (const x of [run.net, run.parts, run.data]) x?.free();
  run = null;
}

/** The companion network's weights: the same hidden layer, and an output layer that is the
 * diagonal of the output weights, so that output j is w_j a_j(x). */
function copyToParts({ net, parts, config }) {
  const n = config.n, p = net.params, q = parts.params;
  q.set(p.subarray(net.weightsOffset(1), net.weightsOffset(1) + n), parts.weightsOffset(1));
  q.set(p.subarray(net.biasesOffset(1), net.biasesOffset(1) + n), parts.biasesOffset(1));
  const w2 = p.subarray(net.weightsOffset(2), net.weightsOffset(2) + n), diagonal = new Float32Array(n * n);
  for (let j = 0; j < n; j++) diagonal[j * n + j] = w2[j];
  q.set(diagonal, parts.weightsOffset(2));
  q.set(new Float32Array(n), parts.biasesOffset(2));
}

function snapshot() {
  const { net, parts, grid, target } = run;
  copyToParts(run);
  const outputs = net.feedforward(grid), contributions = parts.feedforward(grid);
  let deviation = 0;
  for (let i = 0; i < grid.length; i++) deviation += Math.abs(outputs[i] - target[i]) / grid.length;
  const bias = net.params[net.biasesOffset(2)];
  postMessage({ type: 'snapshot', epoch: run.epoch, costs: run.costs.splice(0), outputs, contributions, bias, deviation, seconds: run.seconds },
    [outputs.buffer, contributions.buffer]);
}

async function train() {
  const r = run;
  let last = 0;
  while (r.running && r.epoch < r.config.epochs) {
    const start = performance.now();
    while (performance.now() - start < SLICE_MS && r.epoch < r.config.epochs) {
      const p = r.net.train(r.data, r.hyper, 50);
      r.cost += p.cost;
      if (p.epochDone) {
        r.epoch = p.epoch;
        r.costs.push([r.epoch, r.cost / r.data.count]);
        r.cost = 0;
      }
    }
    r.seconds += (performance.now() - start) / 1000;
    if (performance.now() - last > SNAPSHOT_MS) { snapshot(); last = performance.now(); }
    await new Promise((resolve) => setTimeout(resolve, 0)); // let pause and reset in
    if (run !== r) return;
  }
  if (run !== r) return;
  snapshot();
  postMessage({ type: r.epoch >= r.config.epochs ? 'done' : 'paused' });
}

async function start({ config, xs, ys, grid, target }) {
  free();
  // network.py's N(0, 1) weights: with one input, larger first weights than N(0, 1/n_in) give
  // the output layer, and SGD finds f's wiggles in a third of the epochs (measured over seeds)
  const layers = `fc${config.n}:${config.hidden}-fc1:${config.output}`;
  const net = await Network.create(layers, { input: [1, 1], seed: config.seed, init: 'large' });
  const parts = await Network.create(`fc${config.n}:${config.hidden}-fc${config.n}:linear`, { input: [1, 1] });
  const data = await Dataset.fromArrays(xs, ys);
  run = {
    net, parts, data, config, grid: Float32Array.from(grid), target: Float32Array.from(target),
    hyper: { mini_batch_size: config.batch, eta: config.eta, mu: config.mu }, epoch: 0, cost: 0, costs: [], running: true, seconds: 0,
  };
  snapshot();
  train();
}

onmessage = async ({ data: message }) => {
  try {
    switch (message.type) {
      case 'init': await loadCore({ wasm: message.wasm }); postMessage({ type: 'ready' }); break;
      case 'start': await start(message); break;
      case 'pause': if (run) run.running = false; break;
      case 'resume': if (run && !run.running) { run.running = true; train(); } break;
      case 'reset': free(); break;
      default: throw new Error(`unknown message ${message.type}`);
    }
  } catch (e) {
    free();
    postMessage({ type: 'error', message: e.message });
  }
};
