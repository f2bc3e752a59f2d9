// mnist-worker.js — the training thread of the figures that need MNIST: it downloads only the
// sets its job needs (with progress), then either trains chapter 3's overfitting runs — [784,30,10]
// on the first 1,000 training images, without and with L2, the training cost and test accuracy
// as it goes, in slices so that Pause is answered at once — or measures chapter 1's mini-batch
// noise: the angle between the gradient of random mini-batches and that of the whole training
// set, from the core's backpropagation (nndl_network_gradient). Not here: drawing (the figures).
//
// In:  init {wasm}; overfit {epochs, eta, lmbda, seed}; noise {sizes, samples, trained, seed};
//      pause; resume
// Out: ready; loading {loaded, total, stage}; point {epoch, runs: [{cost, accuracy}]};
//      angles {size, angles: [degrees]}; paused; done; error {message}
import { loadCore } from '../core.js';
import { loadSets } from '../mnist.js';
import { Network } from '../nndl.js';

const BASE = new URL('../data/', import.meta.url);
const SLICE_MS = 15;
let core, job = null;

const progress = (loaded, total, stage) => postMessage({ type: 'loading', loaded, total, stage });
const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Evaluations at these epochs: each of the first 20, then every 4th (10,000 test images each). */
const measured = (epoch, last) => epoch <= 20 || epoch % 4 === 0 || epoch === last;

async function overfit({ epochs, eta, lmbda, seed }) {
  const [training, test] = await loadSets(BASE, core, ['mnist/train-1000', 'mnist/test'], progress);
  const runs = await Promise.all([0, lmbda].map(async (l) => ({
    lmbda: l, net: await Network.create([784, 30, 10], { cost: 'cross-entropy', seed }),
  })));
  const mine = job = { running: true, epoch: 0 };
  const point = () => postMessage({ type: 'point', epoch: mine.epoch, runs: runs.map((r) => ({ cost: r.net.totalCost(training, { lmbda: r.lmbda }), accuracy: r.net.evaluate(test) / test.count })) });
  point();
  try {
    while (mine.epoch < epochs) {
      if (!mine.running) { await new Promise((resolve) => { mine.wake = resolve; }); continue; }
      const start = performance.now();
      while (performance.now() - start < SLICE_MS && mine.epoch < epochs) {
        for (const r of runs) r.net.trainEpoch(training, { mini_batch_size: 10, eta, lmbda: r.lmbda });
        mine.epoch++;
        if (measured(mine.epoch, epochs)) point();
      }
      await yieldToMessages();
      if (job !== mine) return;
    }
    postMessage({ type: 'done' });
  } finally {
    for (const r of runs) r.net.free();
    training.free();
    test.free();
  }
}

/** A generator of indices from a seed (mulberry32): which examples each mini-batch takes. */
function picker(seed, n) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

async function noise({ sizes, samples, trained, seed }) {
  const [all] = await loadSets(BASE, core, ['mnist/train'], progress);
  const training = all.slice(0, 50000);
  all.free();
  const net = await Network.create([784, 30, 10], { seed });
  const mine = job = { running: true };
  try {
    if (trained) net.trainEpoch(training, { mini_batch_size: 10, eta: 3 }); // network.py's first epoch
    const whole = net.gradient(training, training.count).nabla;
    const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    const wholeNorm = norm(whole), pick = picker(seed, training.count);
    for (const size of sizes) {
      const angles = [];
      for (let s = 0; s < samples; s++) {
        const g = net.gradient(training, Array.from({ length: size }, pick)).nabla;
        const cos = g.reduce((sum, x, i) => sum + x * whole[i], 0) / (norm(g) * wholeNorm || 1);
        angles.push((Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI);
      }
      postMessage({ type: 'angles', size, angles });
      await yieldToMessages();
      if (job !== mine) return;
    }
    postMessage({ type: 'done' });
  } finally {
    net.free();
    training.free();
  }
}

onmessage = async ({ data: message }) => {
  try {
    switch (message.type) {
      case 'init': core = await loadCore({ wasm: message.wasm }); postMessage({ type: 'ready' }); break;
      case 'overfit': await overfit(message); break;
      case 'noise': await noise(message); break;
      case 'pause': if (job) job.running = false; postMessage({ type: 'paused' }); break;
      case 'resume': if (job && !job.running) { job.running = true; job.wake?.(); } break;
      default: throw new Error(`unknown message ${message.type}`);
    }
  } catch (e) {
    postMessage({ type: 'error', message: e.message });
  }
};
