// bench_wasm.mjs — times the WebAssembly build in Node (the runs of runs.mjs), each run beside a
// probe of this machine's WebAssembly SIMD peak (peak.wasm), and the kernels one by one
// (kernels.mjs). Prints one JSON line for bench.mjs, run in its own process
// so that its peak memory is its own. Not a test: it asserts nothing.
import { readFile } from 'node:fs/promises';
import { loadCore, tuneKernels } from '../../web/lib/nndl.js';
import { loadMnist } from './mnist.mjs';
import { timeKernels } from './kernels.mjs';
import { prober } from './peak.mjs';
import { timedRuns } from './runs.mjs';

const repeats = Number(process.argv[2] ?? 5);

const core = await loadCore();
const { training, validation, test } = await loadMnist();
const tuned = await tuneKernels(); // as the page's training Worker does
const probe = await prober(await readFile(new URL('../../build/wasm/peak.wasm', import.meta.url)));
const runs = await timedRuns({ training, validation }, probe, repeats);
const kernels = await timeKernels(await readFile(new URL('../../build/wasm/kernels.wasm', import.meta.url)));
console.log(JSON.stringify({
  ...runs, tile: tuned.columns, kernels,
  simd_width: core.simdWidth,
  fma: 0,
  max_rss_kib: process.resourceUsage().maxRSS,
  wasm_memory_bytes: core.memory.byteLength,
}));
for (const d of [training, validation, test]) d.free();
