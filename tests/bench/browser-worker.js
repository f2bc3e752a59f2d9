// browser-worker.js — the WebAssembly benchmark inside a Chromium Web Worker, where the page
// trains: median of 3 epochs of [784,30,10] (mini-batch 10, eta 3.0) on the 50,000 training
// images, and the probed WebAssembly SIMD peak. Posts one result object; asserts nothing.
import { Dataset, Network, loadCore } from '../../web/nndl.js';

async function bytes(url) {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

async function probePeak(base) {
  const { instance } = await WebAssembly.instantiate(await bytes(`${base}build/wasm/peak.wasm`),
    { env: { emscripten_notify_memory_growth() {} } });
  const { nndl_peak_run: run, nndl_peak_flops_per_iteration: flops } = instance.exports;
  let iterations = 1000, sink = 0.5, best = 0;
  for (;;) {
    const t = performance.now();
    sink += run(iterations, sink);
    if (performance.now() - t > 100) break;
    iterations *= 2;
  }
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    sink += run(iterations, 0.5 + 0.001 * r);
    best = Math.max(best, (iterations * flops()) / ((performance.now() - t) / 1000));
  }
  return sink === 12345 ? 0 : best;
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
    epoch_seconds: seconds[1], examples: training.count, peak_flops: await probePeak(base),
    simd_width: core.simdWidth, fma: 0, wasm_memory_bytes: core.memory.byteLength,
  });
};
