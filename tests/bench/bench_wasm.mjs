// bench_wasm.mjs — times the WebAssembly build in Node (the runs of runs.mjs) and this machine's
// WebAssembly SIMD peak (peak.wasm). Prints one JSON line for bench.mjs, run in its own process
// so that its peak memory is its own. Not a test: it asserts nothing.
import { readFile } from 'node:fs/promises';
import { loadCore } from '../../web/nndl.js';
import { loadMnist } from './mnist.mjs';
import { probePeak } from './peak.mjs';
import { timedRuns } from './runs.mjs';

const epochs = Number(process.argv[2] ?? 3);

const core = await loadCore();
const { training, validation, test } = await loadMnist();
const runs = await timedRuns({ training, validation }, epochs);
const peak = await probePeak(await readFile(new URL('../../build/wasm/peak.wasm', import.meta.url)));
console.log(JSON.stringify({
  ...runs,
  peak_flops: peak,
  simd_width: core.simdWidth,
  fma: 0,
  max_rss_kib: process.resourceUsage().maxRSS,
  wasm_memory_bytes: core.memory.byteLength,
}));
for (const d of [training, validation, test]) d.free();
