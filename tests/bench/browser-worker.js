// browser-worker.js — the WebAssembly benchmark inside a Chromium Web Worker, where the page
// trains: median of 3 epochs of [784,30,10] (mini-batch 10, eta 3.0) on the 50,000 training
// images, and the probed WebAssembly SIMD peak. Posts one result object; asserts nothing.
import { Dataset, Network, loadCore } from '../../web/nndl.js';
import { probePeak } from './peak.mjs';

async function bytes(url) {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

self.onmessage = async ({ data: { base } }) => {
  const core = await loadCore();
  const all = await Dataset.fromPng(await bytes(`${base}data/mnist/train.png`), await bytes(`${base}data/mnist/train-labels.idx`));
  const training = all.slice(0, 50000);
  all.free();
  const net = await Network.create([784, 30, 10], { seed: 1 });
  const seconds = [];
  for (let e = 0; e < 3; e++) seconds.push(net.trainEpoch(training, { batchSize: 10, eta: 3.0 }));
  seconds.sort((a, b) => a - b);
  self.postMessage({
    epoch_seconds: seconds[1], examples: training.count, peak_flops: await probePeak(await bytes(`${base}build/wasm/peak.wasm`)),
    simd_width: core.simdWidth, fma: 0, wasm_memory_bytes: core.memory.byteLength,
  });
};
