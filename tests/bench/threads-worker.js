// threads-worker.js — the speed-up over one thread in a Web Worker (Chromium or Firefox) of a cross-origin
// isolated page (bench.mjs serves it so), where the page trains: the core on shared memory
// (nndl-mt.wasm) with its helper Workers, the runs of runs.mjs at 1, 2 and every core, the counts
// alternating round after round; the page starts its helpers. Posts { threads, fc, cnn, forward } (seconds: a row per round, a
// column per count) as bench_native.c --threads prints them; asserts nothing.
import { Dataset, Network, loadCore } from '../../web/lib/nndl.js';
import { helpersFromPage, useThreads } from '../../web/lib/threads.js';
import { CNN, CNN_IMAGES } from './runs.mjs';

async function bytes(url) {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

const seconds = (fn) => {
  const start = performance.now();
  fn();
  return (performance.now() - start) / 1000;
};

// its helper Workers are started by the page, as the page's training Worker's are (threads.js)
const helpers = helpersFromPage((message, transfer) => self.postMessage(message, transfer));

self.onmessage = async ({ data }) => {
  if (data.type === 'helper') return void helpers.answer(data);
  const { base, rounds } = data;
  const core = await loadCore({ wasm: `${base}web/lib/nndl-mt.wasm` });
  const all = await Dataset.fromPng(await bytes(`${base}data/mnist/train.png`), await bytes(`${base}data/mnist/train-labels.idx`));
  const training = all.slice(0, 50000), validation = all.slice(50000, 10000), part = training.slice(0, CNN_IMAGES);
  all.free();
  const cores = navigator.hardwareConcurrency || 1, counts = [...new Set([1, 2, cores])];
  const fc = await Network.create([784, 30, 10], { seed: 1 }), cnn = await Network.create(CNN, { hidden: 'relu', seed: 1 });
  const result = { threads: counts, cores, shared: core.shared, fc: [], cnn: [], forward: [] };
  for (let r = 0; r < rounds; r++) {
    const row = { fc: [], cnn: [], forward: [] };
    for (const count of counts) {
      const used = Math.min(await useThreads(core, fc, count, helpers.open), await useThreads(core, cnn, count, helpers.open));
      if (used !== count) throw new Error(`${count} threads asked, ${used} started`);
      row.fc.push(seconds(() => fc.trainEpoch(training, { mini_batch_size: 10, eta: 3.0 })));
      row.cnn.push(seconds(() => cnn.trainEpoch(part, { mini_batch_size: 10, eta: 0.03, lmbda: 1.0 })));
      row.forward.push(seconds(() => cnn.evaluate(validation)));
    }
    for (const k of ['fc', 'cnn', 'forward']) result[k].push(row[k]);
  }
  self.postMessage(result);
};
