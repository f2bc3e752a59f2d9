// @ts-check
// teach.js — "teach it", the Worker's side (chapter 1's online learning): when the pad misreads
// a drawing, the reader names the right digit and the network in use takes a few steps of the
// core's SGD on that drawing mixed with MNIST images (the first 1,000 training images, loaded
// on the first correction: 160 KB), so that it learns the drawing without forgetting the rest;
// it stops as soon as it reads the drawing right. The corrected drawings are kept in the browser
// (IndexedDB, beside the kept runs) for the reader to download as IDX files or forget. Not here:
// which network learns (the Worker keeps the shipped one untouched) or any page.
import { Dataset } from '../../lib/nndl.js';
import { deleteRun, getRun, putRun } from './runs.js';

// Measured on corrections that contradict MNIST (test 1s taught as 7s, 4s as 9s): with the
// drawing 3 of 20 examples and eta 0.03 one round learns it but costs up to 6 points of test
// accuracy; 1 of 20 at eta 0.01 takes 3-8 rounds and costs 0.1-0.9.
const COPIES = 1;   // the drawing's share of each round: 1 of 20 examples
const MIX = 19;     // MNIST examples beside it, so that the network does not forget
const ROUNDS = 30;  // at most: each round is two mini-batches of 10
const KEY = 'drawings', KEEP = 1000;
let sample = null, rounds = 0; // rounds so far: the seed of the next round's MNIST examples

const oneHot = (label) => Array.from({ length: 10 }, (_, d) => (d === label ? 1 : 0));

/** Teaches `net` that pixels (784 values in 0..1) are `label`; resolves to the rounds it took. */
export async function teach(net, pixels, label, { base, core, eta }) {
  if (!sample) { // the MNIST loader and images only once a reader corrects a drawing
    const { loadSets } = await import('../../lib/mnist.js');
    sample = (await loadSets(base, core, ['mnist/train-1000'], () => {}))[0];
  }
  for (let round = 1; round <= ROUNDS; round++) {
    const xs = [], ys = [];
    for (let c = 0; c < COPIES; c++) xs.push(...pixels), ys.push(...oneHot(label));
    // MIX examples drawn by the core's generator, seeded by the count of rounds: the same
    // corrections give the same network every time
    for (const i of sample.sample(MIX, ++rounds)) {
      xs.push(...Array.from(sample.image(i), (v) => v / 255));
      ys.push(...oneHot(sample.labels[i]));
    }
    const set = await Dataset.fromArrays(xs, ys, { inputSize: 784, targetSize: 10, shape: [28, 28] });
    try {
      net.trainEpoch(set, { mini_batch_size: 10, eta });
    } finally {
      set.free();
    }
    if (net.predict(pixels).digit === label) return round;
  }
  return ROUNDS;
}

/** Keeps a corrected drawing (as bytes 0..255, MNIST's form); resolves to how many are kept. */
export async function keepDrawing(pixels, label) {
  const record = (await getRun(KEY)) ?? { key: KEY, items: [] };
  record.items.push({ pixels: Uint8Array.from(pixels, (v) => Math.round(255 * v)), label });
  if (record.items.length > KEEP) record.items.splice(0, record.items.length - KEEP);
  await putRun(record);
  return record.items.length;
}

export const keptDrawings = async () => (await getRun(KEY))?.items ?? [];
export const forgetDrawings = () => deleteRun(KEY);
