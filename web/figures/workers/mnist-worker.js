// @ts-check
// mnist-worker.js — the training thread of the figures that need MNIST: it downloads only the
// sets its job needs (with progress), then either trains chapter 3's overfitting runs — [784,30,10]
// on the first 1,000 training images, without and with L2, the book's four measures as it goes
// (the cost and accuracy on the training images and on the test set), an epoch a step of the one Worker loop's job so that Pause is answered within a
// slice — or measures chapter 1's mini-batch noise: the angle between the gradient of random
// mini-batches (drawn by the core's generator) and that of the whole training set, from the
// core's backpropagation (nndl_network_gradient). Not here: drawing (the figures).
import { loadSets } from '../../lib/mnist.js';
import { Network, loadCore } from '../../lib/nndl.js';
import { serve } from '../../lib/worker-loop.js';

/**
 * In (besides the loop's init, pause and resume):
 * @typedef {{ type: 'overfit', epochs: number, eta: number, lmbda: number, seed: number }} Overfit
 * @typedef {{ type: 'noise', sizes: number[], samples: number, trained: boolean, seed: number }} Noise
 * Out (besides ready, paused, error):
 * @typedef {{ type: 'loading', loaded: number, total: number, stage: string }} Loading
 * @typedef {{ type: 'point', epoch: number, runs: { cost: number, accuracy: number, testCost: number, trainingAccuracy: number }[] }} Point
 *   cost: on the training images, accuracy: on the test set (the book's first two plots); both
 *   costs include the run's λ term, as network2.py's total_cost does
 * @typedef {{ type: 'angles', size: number, angles: number[] }} Angles  degrees, one per mini-batch
 * @typedef {{ type: 'done' }} Done
 */

const BASE = new URL('../../data/', import.meta.url);

const progress = (/** @type {number} */ loaded, /** @type {number} */ total, /** @type {string} */ stage) => loop.post({ type: 'loading', loaded, total, stage });
const sets = async (/** @type {string[]} */ names) => loadSets(BASE, await loadCore(), names, progress);

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

async function overfit(/** @type {Overfit} */ { epochs, eta, lmbda, seed }, /** @type {import('../../lib/worker-loop.js').Context} */ context) {
  const [training, test] = await sets(['mnist/train-1000', 'mnist/test']);
  const runs = await Promise.all([0, lmbda].map(async (l) => ({
    lmbda: l, net: await Network.create([784, 30, 10], { cost: 'cross-entropy', seed }),
  })));
  const free = () => {
    for (const r of runs) r.net.free();
    training.free();
    test.free();
  };
  let epoch = 0;
  const point = () => loop.post({ type: 'point', epoch, runs: runs.map((r) => ({
    cost: r.net.totalCost(training, { lmbda: r.lmbda }), accuracy: r.net.evaluate(test) / test.count,
    testCost: r.net.totalCost(test, { lmbda: r.lmbda }), trainingAccuracy: r.net.evaluate(training) / training.count,
  })) });
  point();
  runJob(context, 'overfit', () => { // an epoch of both networks a step
    for (const r of runs) r.net.trainEpoch(training, { mini_batch_size: 10, eta, lmbda: r.lmbda });
    epoch++;
    if (measured(epoch, epochs)) point();
    return epoch < epochs;
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

const loop = serve({ overfit, noise });
