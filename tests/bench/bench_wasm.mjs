// bench_wasm.mjs — times the WebAssembly build in Node: median of 3 epochs of [784,30,10],
// mini-batch 10, eta 3.0, on the 50,000 training images, and this machine's WebAssembly SIMD
// peak (peak.wasm). Prints one JSON line for bench.mjs, run in its own process so that its
// peak memory is its own. Not a test: it asserts nothing.
import { readFile } from 'node:fs/promises';
import { Network, loadCore } from '../../web/nndl.js';
import { loadMnist } from './mnist.mjs';
import { probePeak } from './peak.mjs';

const epochs = Number(process.argv[2] ?? 3);

const core = await loadCore();
const { training, validation, test } = await loadMnist();
const net = await Network.create([784, 30, 10], { seed: 1 });
const seconds = [];
for (let e = 0; e < epochs; e++) seconds.push(net.trainEpoch(training, { batchSize: 10, eta: 3.0 }));
seconds.sort((a, b) => a - b);
const peak = await probePeak(await readFile(new URL('../../build/wasm/peak.wasm', import.meta.url)));
console.log(JSON.stringify({
  epoch_seconds: seconds[Math.floor(epochs / 2)],
  examples: training.count,
  peak_flops: peak,
  simd_width: core.simdWidth,
  fma: 0,
  max_rss_kib: process.resourceUsage().maxRSS,
  wasm_memory_bytes: core.memory.byteLength,
}));
for (const d of [net, training, validation, test]) d.free();
