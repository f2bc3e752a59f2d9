// @ts-check
// mnist-worker.js — the training thread of the figures that need MNIST: it downloads only the
// sets its job needs (with progress), then runs one of these jobs, each an epoch (or a measure) a
// step of the one Worker loop's job so that Pause is answered within a slice:
// - overfit: chapter 3's runs of [784,30,10] on the first 1,000 training images, several networks
//   side by side from the same start (without and with L2, L1 or dropout), the book's four
//   measures as they go, and (if asked) every weight of each network for the histograms;
// - speeds: chapter 5's speed of learning of each hidden layer, for deeper and deeper networks
//   trained by batch gradient descent (generate_gradient.py's settings), and each hidden neuron's
//   δ = ∂C/∂b at the start;
// - tune: chapter 3's choice of η on the book's training set: runs of different η, early stopping
//   and a halving schedule (the core's schedules), the training cost and validation accuracy;
// - noise: chapter 1's mini-batch noise, the angle between the gradient of random mini-batches
//   (drawn by the core's generator) and that of the whole training set (nndl_network_gradient).
// Not here: drawing (the figures).
import { loadSets } from '../../lib/mnist.js';
import { Network, Schedule, loadCore, tuneKernels } from '../../lib/nndl.js';
import { serve } from '../../lib/worker-loop.js';

/**
 * In (besides the loop's init, pause and resume), each job with `data?: string`, the data folder:
 * @typedef {{ lmbda?: number, l1?: number, dropout?: number }} Regularised  one network's settings
 * @typedef {{ type: 'overfit', epochs: number, eta: number, lmbda?: number, runs?: Regularised[], weights?: boolean, seed: number }} Overfit
 *   runs: the networks (default: without, and with L2 of λ = lmbda); weights: send each network's
 *   weights as it goes (and measure only at the end)
 * @typedef {{ type: 'speeds', depths: number[], epochs: number, eta: number, lmbda: number, seed: number }} Speeds
 * @typedef {{ type: 'tune', runs: { eta: number, schedule: string }[], patience: number, epochs: number, upto: number, training: number, lmbda: number, seed: number }} Tune
 *   epochs: of the runs without a schedule; upto: the most a run with one may take
 * @typedef {{ type: 'noise', sizes: number[], samples: number, trained: boolean, seed: number }} Noise
 * Out (besides ready, paused, error):
 * @typedef {{ type: 'loading', loaded: number, total: number, stage: string }} Loading
 * @typedef {{ type: 'point', epoch: number, runs: { cost: number, accuracy: number, testCost: number, trainingAccuracy: number }[] }} Point
 *   cost: on the training images, accuracy: on the test set (the book's first two plots); both
 *   costs include the run's λ term, as network2.py's total_cost does
 * @typedef {{ type: 'weights', epoch: number, weights: Float32Array[] }} Weights  every weight (w² then w³) of each run
 * @typedef {{ type: 'initial', deltas: number[][][] }} Initial  per depth, per hidden layer, each neuron's δ averaged over the images
 * @typedef {{ type: 'speeds', epoch: number, speeds: number[][] }} SpeedsOut  per depth, each hidden layer's ‖δ‖ before the epoch's step
 * @typedef {{ type: 'tuned', run: number, epoch: number, cost: number, accuracy: number, eta: number, action: string }} Tuned
 *   after an epoch of one run: the training cost (with the λ term), the validation accuracy, the
 *   η it trained with, and what its schedule said (continue, halved, stop)
 * @typedef {{ type: 'angles', size: number, angles: number[] }} Angles  degrees, one per mini-batch
 * @typedef {{ type: 'done' }} Done
 */

/** The site's data/ folder: beside the figures, or the one each job names (`data`: a lesson's,
 * when the figures come from the package; kit/data.js). */
const BESIDE = new URL('../../data/', import.meta.url);
let folder = BESIDE;

const progress = (/** @type {number} */ loaded, /** @type {number} */ total, /** @type {string} */ stage) => loop.post({ type: 'loading', loaded, total, stage });
// the core's kernels tuned to this engine while the bytes come (the same bits, sooner)
const sets = async (/** @type {string[]} */ names) => (await Promise.all([loadSets(folder, await loadCore(), names, progress), tuneKernels()]))[0];

/** Runs `step` as the loop's job (see worker-loop.js), by the context of the message that asked
 * for it; when it ends, or fails (said as an error of `action`), done is said and `free` frees
 * what it used. */
function runJob(/** @type {import('../../lib/worker-loop.js').Context} */ context, /** @type {string} */ action, /** @type {() => boolean} */ step, /** @type {() => void} */ free) {
  context.run({
    step,
    ended() {
      loop.post({ type: 'done' });
      free();
    },
    failed(/** @type {any} */ e) {
      loop.post({ type: 'error', action, message: e.message, code: e.code ?? null });
      free();
    },
  });
}

/** Evaluations at these epochs: each of the first 20, then every 4th (10,000 test images each). */
const measured = (/** @type {number} */ epoch, /** @type {number} */ last) => epoch <= 20 || epoch % 4 === 0 || epoch === last;

async function overfit(/** @type {Overfit} */ { epochs, eta, lmbda = 0, runs: asked, weights, seed }, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  const [training, test] = await sets(['mnist/train-1000', 'mnist/test']);
  const runs = await Promise.all((asked ?? [{}, { lmbda }]).map(async (r) => ({
    hyper: { lmbda: r.lmbda ?? 0, l1: r.l1 ?? 0, dropout: r.dropout ?? 0 },
    net: await Network.create([784, 30, 10], { cost: 'cross-entropy', seed }), // the same start for every run
  })));
  const free = () => {
    for (const r of runs) r.net.free();
    training.free();
    test.free();
  };
  let epoch = 0;
  const point = () => loop.post({ type: 'point', epoch, runs: runs.map(({ net, hyper: { lmbda, l1 } }) => {
    const onTraining = net.measure(training, { lmbda, l1 }), onTest = net.measure(test, { lmbda, l1 }); // one pass each
    return { cost: onTraining.cost, accuracy: onTest.correct / test.count, testCost: onTest.cost, trainingAccuracy: onTraining.correct / training.count };
  }) });
  const sendWeights = () => {
    const all = runs.map((r) => allWeights(r.net));
    loop.post({ type: 'weights', epoch, weights: all }, all.map((w) => w.buffer));
  };
  if (weights) sendWeights(); else point();
  runJob(context, 'overfit', () => { // an epoch of every network a step
    for (const r of runs) r.net.trainEpoch(training, { mini_batch_size: 10, eta, ...r.hyper });
    epoch++;
    if (weights ? epoch === epochs : measured(epoch, epochs)) point();
    if (weights && (epoch % WEIGHTS_EVERY === 0 || epoch === epochs)) sendWeights();
    return epoch < epochs;
  }, free);
}

/** With weights asked for, they come every WEIGHTS_EVERY epochs, the four measures only at the end. */
const WEIGHTS_EVERY = 5;

/** Every weight of a network (w² then w³ ..., no biases), a copy. */
function allWeights(/** @type {Network} */ net) {
  const p = net.params, parts = [];
  for (let l = 1; l < net.sizes.length; l++) parts.push(p.subarray(net.weightsOffset(l), net.biasesOffset(l)));
  const out = new Float32Array(parts.reduce((n, q) => n + q.length, 0));
  parts.reduce((at, q) => (out.set(q, at), at + q.length), 0);
  return out;
}

/** Chapter 5 (generate_gradient.py): [784, 30 × depth, 10] for each depth, trained on the first
 * 1,000 images by batch gradient descent (one mini-batch of all 1,000 an epoch); before each
 * epoch's step the core records each layer's ‖δ‖ (nndl_network_learning_speeds). */
async function speeds(/** @type {Speeds} */ { depths, epochs, eta, lmbda, seed }, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  const [training] = await sets(['mnist/train-1000']);
  const n = training.count;
  const nets = await Promise.all(depths.map((d) => Network.create([784, ...Array(d).fill(30), 10], { cost: 'cross-entropy', init: 'scaled', seed })));
  const free = () => {
    for (const net of nets) net.free();
    training.free();
  };
  loop.post({ type: 'initial', deltas: nets.map((net) => {
    const nabla = net.gradient(training, n).nabla; // summed over the images
    return net.sizes.slice(1, -1).map((size, h) => Array.from(nabla.subarray(net.biasesOffset(h + 1), net.biasesOffset(h + 1) + size), (v) => v / n));
  }) });
  let epoch = 0;
  runJob(context, 'speeds', () => { // an epoch of every network a step
    const said = nets.map((net) => {
      net.trainEpoch(training, { mini_batch_size: n, eta, lmbda });
      return net.learningSpeeds().speeds.slice(1, -1);
    });
    loop.post({ type: 'speeds', epoch, speeds: said });
    return ++epoch < epochs;
  }, free);
}

/** Chapter 3's choice of η (multiple_eta.py: [784, 30, 10], cross-entropy, λ = 5, mini-batches
 * of 10, on the first `training` of the 50,000 training images; the validation set is images
 * 50,000 to 59,999): each run a schedule of the core's (none, early-stop, halve), one epoch of one
 * run a step, the runs in turn so that their curves grow together. */
async function tune(/** @type {Tune} */ { runs: asked, patience, epochs, upto, training: count, lmbda, seed }, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  const [all] = await sets(['mnist/train']);
  const training = all.slice(0, count), validation = all.slice(50000, 10000);
  all.free();
  const runs = await Promise.all(asked.map(async ({ eta, schedule }) => ({
    net: await Network.create([784, 30, 10], { cost: 'cross-entropy', init: 'scaled', seed }),
    schedule: await Schedule.create(schedule, { patience, eta }), epoch: 0, over: false, last: schedule === 'none' ? epochs : upto,
  })));
  const free = () => {
    for (const r of runs) { r.net.free(); r.schedule.free(); }
    training.free();
    validation.free();
  };
  let turn = 0;
  runJob(context, 'tune', () => {
    const k = turn++ % runs.length, r = runs[k];
    if (r.over) return runs.some((q) => !q.over);
    const eta = r.schedule.eta;
    r.net.trainEpoch(training, { mini_batch_size: 10, eta, lmbda });
    const accuracy = r.net.evaluate(validation) / validation.count;
    const action = r.schedule.update(accuracy);
    r.epoch++;
    r.over = action === 'stop' || r.epoch >= r.last;
    loop.post({ type: 'tuned', run: k, epoch: r.epoch, cost: r.net.totalCost(training, { lmbda }), accuracy, eta, action });
    return runs.some((q) => !q.over);
  }, free);
}

async function noise(/** @type {Noise} */ { sizes, samples, trained, seed }, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  const [all] = await sets(['mnist/train']);
  const training = all.slice(0, 50000);
  all.free();
  const net = await Network.create([784, 30, 10], { seed });
  const free = () => {
    net.free();
    training.free();
  };
  if (trained) net.trainEpoch(training, { mini_batch_size: 10, eta: 3 }); // network.py's first epoch
  const whole = net.gradient(training, training.count).nabla;
  const norm = (/** @type {Float32Array} */ v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const wholeNorm = norm(whole);
  let next = 0, drawn = 0;
  runJob(context, 'noise', () => { // the mini-batches of one size a step
    const size = sizes[next++], angles = [];
    for (let s = 0; s < samples; s++) {
      const g = net.gradient(training, training.sample(size, seed * 1_000_003 + ++drawn)).nabla;
      const cos = g.reduce((sum, x, i) => sum + x * whole[i], 0) / (norm(g) * wholeNorm || 1);
      angles.push((Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI);
    }
    loop.post({ type: 'angles', size, angles });
    return next < sizes.length;
  }, free);
}

/** A job, told first where the data are. @param {(message: any, context: any) => Promise<void>} job */
const fromFolder = (job) => (/** @type {{ data?: string }} */ message, /** @type {any} */ context) => {
  folder = message.data ? new URL(message.data) : BESIDE;
  return job(message, context);
};
const loop = serve({ overfit: fromFolder(overfit), speeds: fromFolder(speeds), tune: fromFolder(tune), noise: fromFolder(noise) });
