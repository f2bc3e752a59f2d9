// browser-worker.js — the WebAssembly benchmark inside a Chromium Web Worker, where the page
// trains: the runs of runs.mjs on the page's own data (PNG sprite sheets), the probed
// WebAssembly SIMD peak, and the kernels one by one (kernels.mjs). Posts one result object;
// asserts nothing.
import { Dataset, loadCore, tuneKernels } from '../../web/lib/nndl.js';
import { timeKernels } from './kernels.mjs';
import { prober } from './peak.mjs';
import { timedRuns } from './runs.mjs';

async function bytes(url) {
  return new Uint8Array(await (await fetch(url)).arrayBuffer());
}

self.onmessage = async ({ data: { base } }) => {
  const core = await loadCore();
  const all = await Dataset.fromPng(await bytes(`${base}data/mnist/train.png`), await bytes(`${base}data/mnist/train-labels.idx`));
  const training = all.slice(0, 50000), validation = all.slice(50000, 10000);
  all.free();
  const tuned = await tuneKernels(); // as the page's training Worker does
  const probe = await prober(await bytes(`${base}build/wasm/peak.wasm`));
  const runs = await timedRuns({ training, validation }, probe);
  self.postMessage({
    ...runs, tile: tuned.columns, kernels: await timeKernels(await bytes(`${base}build/wasm/kernels.wasm`)),
    simd_width: core.simdWidth, fma: 0, wasm_memory_bytes: core.memory.byteLength,
  });
};
