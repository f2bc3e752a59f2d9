// bench.mjs — `npm run bench`: speed of one [784,30,10] epoch (mini-batch 10, 50,000 images),
// native, WebAssembly in Node and WebAssembly in a Chromium Web Worker (when Debian's chromium
// is there), as seconds, examples per second and efficiency against this machine's probed SIMD
// peak, plus peak memory and the module's size. Prints a table; asserts nothing.
//
// FLOPs of an epoch (multiply-adds count 2) for layer sizes n_0..n_L, N examples, batch m:
//   forward      N * sum_l 2 n_l n_{l-1}            z = a . w^T
//   nabla_w      N * sum_l 2 n_l n_{l-1}            BP4
//   deltas       N * sum_{l>=2} 2 n_l n_{l-1}       BP2 (none is needed for the input layer)
//   update       (N / m) * 2 P                      w -= (eta/m) nabla_w, P parameters
// Sigmoids, the output error and copying pixels are left out: they are O(N sum n_l), small.
// efficiency = (FLOPs / peak FLOP/s) / measured seconds.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { MNIST_DIR } from './mnist.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const sizes = [784, 30, 10], N = 50000, m = 10;

function epochFlops() {
  let macs = 0, deltas = 0, params = 0;
  for (let l = 1; l < sizes.length; l++) {
    macs += sizes[l] * sizes[l - 1];
    if (l >= 2) deltas += sizes[l] * sizes[l - 1];
    params += sizes[l] * (sizes[l - 1] + 1);
  }
  return N * (2 * macs + 2 * macs + 2 * deltas) + (N / m) * 2 * params;
}

function run(command, args) {
  const out = execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1));
}

/** The same WebAssembly benchmark in a Chromium Web Worker, where the page trains. */
async function inChromium() {
  const { launch, serve, CHROMIUM } = await import('../js/browser.mjs');
  if (!existsSync(CHROMIUM)) return null;
  const server = await serve(), browser = await launch();
  try {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}tests/bench/browser.html`);
    return await page.evaluate((base) => new Promise((resolve, reject) => {
      const worker = new Worker(new URL('browser-worker.js', location.href), { type: 'module' });
      worker.onmessage = ({ data }) => resolve(data);
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage({ base });
    }), server.url);
  } finally {
    await browser.close();
    server.close();
  }
}

const flops = epochFlops();
const rows = [
  ['native', run(`${root}build/native/nndl_bench`, [MNIST_DIR, '3'])],
  ['wasm (Node)', run(process.execPath, [`${root}tests/bench/bench_wasm.mjs`, '3'])],
];
const chromium = await inChromium();
if (chromium) rows.push(['wasm (Chromium Worker)', chromium]);

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`nndl benchmark: [${sizes}] mini-batch ${m}, ${N} images, median of 3 epochs, one core`);
console.log(`machine: ${cpu}, ${os.cpus().length} cores, Node ${process.version}`);
console.log(`FLOPs per epoch: ${(flops / 1e9).toFixed(2)} G\n`);
const header = ['build', 's/epoch', 'examples/s', 'SIMD', 'peak GFLOP/s', 'limit s', 'efficiency', 'peak RSS'];
const table = rows.map(([name, r]) => {
  const limit = flops / r.peak_flops;
  return [
    name,
    r.epoch_seconds.toFixed(3),
    Math.round(r.examples / r.epoch_seconds).toLocaleString('en-US'),
    `${r.simd_width}x f32${r.fma ? ' FMA' : ''}`,
    (r.peak_flops / 1e9).toFixed(1),
    limit.toFixed(3),
    `${((100 * limit) / r.epoch_seconds).toFixed(0)}%`,
    r.max_rss_kib ? `${(r.max_rss_kib / 1024).toFixed(0)} MiB` : `${(r.wasm_memory_bytes / 2 ** 20).toFixed(0)} MiB wasm`,
  ];
});
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
console.log(line(header));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of table) console.log(line(row));
const wasm = rows[1][1];
console.log(`\nnndl.wasm: ${(statSync(`${root}web/nndl.wasm`).size / 1024).toFixed(1)} KiB; ` +
  `WebAssembly memory after the run: ${(wasm.wasm_memory_bytes / 2 ** 20).toFixed(0)} MiB`);
