// bench.mjs — the training speeds of `npm run bench` (run.mjs): one [784,30,10] epoch (mini-batch 10, 50,000 images)
// and of network3.py's two-conv-layer network (training and forward only), native, WebAssembly
// in Node and WebAssembly in a Web Worker of Chromium, Firefox and WebKit (those installed), as
// seconds, examples per second and efficiency against this machine's SIMD peak probed right
// before each of five runs (a shared machine's speed drifts: a peak and a run measured minutes
// apart gave efficiencies 20 points apart), with the median and the spread, plus peak memory
// and the module's size; then the speed-up over one thread (issue 28), natively and in the
// Worker of an isolated page in Chromium and Firefox. Prints tables; asserts nothing. The runs themselves
// are in runs.mjs (WebAssembly) and bench_native.c.
//
// FLOPs of an epoch (multiply-adds count 2) for layer sizes n_0..n_L, N examples, batch m:
//   forward      N * sum_l 2 n_l n_{l-1}            z = a . w^T
//   nabla_w      N * sum_l 2 n_l n_{l-1}            BP4
//   deltas       N * sum_{l>=2} 2 n_l n_{l-1}       BP2 (none is needed for the input layer)
//   update       (N / m) * 2 P                      w -= (eta/m) nabla_w, P parameters
// Sigmoids, the output error and copying pixels are left out: they are O(N sum n_l), small.
// A convolutional layer of F maps, K = maps_in r c weights each and P positions counts F K P
// multiply-adds where a fully connected layer counts n_l n_{l-1}; pooling is left out.
// efficiency = (FLOPs / peak FLOP/s) / measured seconds.
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadCore, specOf } from '../../web/lib/core.js';
import { MNIST_DIR } from './mnist.mjs';
import { CNN } from './runs.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** TensorFlow.js 4.22's WebAssembly backend (XNNPACK, SIMD, one thread) on this network's forward
 * pass, 10,000 images in one batch, measured once on this machine (issue 28): a reference the
 * forward row is held to, not a dependency of the project; the goal is FORWARD_GOAL times it. */
const TFJS_FORWARD = 3881, FORWARD_GOAL = 1.5;
const sizes = [784, 30, 10], N = 50000, m = 10;

/** Multiply-adds of each layer with parameters for one example, and its parameter count. */
function layerCosts(layers) {
  let previous = { maps: 1, rows: 28, cols: 28, size: 784 };
  const costs = [];
  for (const shape of layers) {
    if (shape.kind === 'conv') {
      const k = previous.maps * shape.fieldRows * shape.fieldCols;
      costs.push({ macs: shape.maps * k * shape.rows * shape.cols, params: shape.maps * (k + 1) });
    } else if (shape.kind === 'full') {
      costs.push({ macs: shape.size * previous.size, params: shape.size * (previous.size + 1) });
    }
    previous = shape;
  }
  return costs;
}

/** FLOPs of training on N examples in batches of m (forward, BP4, BP2 but the first layer's,
 * update), and of feeding one example forward. */
function flops(layers, N) {
  const costs = layerCosts(layers);
  const macs = costs.reduce((s, c) => s + c.macs, 0), params = costs.reduce((s, c) => s + c.params, 0);
  return { training: N * (2 * macs + 2 * macs + 2 * (macs - costs[0].macs)) + (N / m) * 2 * params, forward: 2 * macs };
}
const fcLayers = sizes.slice(1).map((n) => ({ kind: 'full', maps: n, rows: 1, cols: 1, size: n }));
// the CNN's layers as the core reads them (its grammar; the page and the CLI use the same)
const cnnSpec = specOf(await loadCore(), CNN);
const cnnLayers = cnnSpec.kind.slice(1).map((kind, i) => ({
  kind, maps: cnnSpec.maps[i + 1], rows: cnnSpec.rows[i + 1], cols: cnnSpec.cols[i + 1], size: cnnSpec.sizes[i + 1],
  fieldRows: cnnSpec.fieldRows[i + 1], fieldCols: cnnSpec.fieldCols[i + 1],
}));

function run(command, args) {
  const out = execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').at(-1));
}

/** The result `worker` (a script of tests/bench/) posts for { base, ...message } in a Web Worker of
 * `engine` (tests/js/engines.mjs), started from the empty page `page` of tests/bench/, the
 * repository served with headers(path) besides each file's own; null for an engine not installed.
 * The page is asked every second whether the result came, rather than awaited in one call: Firefox's
 * WebDriver BiDi never answered a call that awaited a minute-long promise. */
async function inWorker(engine, { page = 'browser.html', worker = 'browser-worker.js', message = {}, headers } = {}) {
  const { serve } = await import('../js/browser.mjs');
  const { installed, launchEngine } = await import('../js/engines.mjs');
  if (!installed(engine)) return null;
  const server = await serve(root, { headers }), browser = await launchEngine(engine);
  try {
    const tab = await browser.newPage();
    await tab.goto(`${server.url}tests/bench/${page}`);
    await tab.evaluate(async ([script, data]) => {
      const { answerHelper } = await import(new URL('/web/lib/threads.js', location.href).href);
      const started = new Worker(new URL(script, location.href), { type: 'module' });
      started.onmessage = ({ data: result }) => {
        if (result?.type === 'helper') answerHelper(result, (reply) => started.postMessage(reply)); // a helper Worker, as the page starts them
        else window.benchResult = { result };
      };
      started.onerror = (e) => { window.benchResult = { error: e.message || 'the Worker failed' }; };
      started.postMessage(data);
    }, [worker, { base: server.url, ...message }]);
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const done = await tab.evaluate(() => window.benchResult ?? null);
      if (done?.error) throw new Error(done.error);
      if (done) return done.result;
    }
  } finally {
    await browser.close();
    server.close();
  }
}

/** The same WebAssembly benchmark in a Web Worker of each browser engine a class uses (Chromium,
 * Firefox, WebKit), where the page trains. */
const inBrowser = (engine) => inWorker(engine);

// The single-threaded runs: native, WebAssembly in Node and in a Worker of each engine installed.
const fcFlops = flops(fcLayers, N).training;
const rows = [
  ['native', run(`${root}build/native/nndl_bench`, [MNIST_DIR, '5'])],
  ['wasm (Node)', run(process.execPath, [`${root}tests/bench/bench_wasm.mjs`, '5'])],
];
for (const [engine, name] of [['chromium', 'Chromium'], ['firefox', 'Firefox'], ['webkit', 'WebKit']]) {
  const result = await inBrowser(engine).catch((e) => { console.error(`bench: ${name}: ${e.message}`); return null; });
  if (result) rows.push([`wasm (${name} Worker)`, result]);
}

/** The speed-up over one thread in a Worker of a cross-origin isolated page of `engine` (its
 * document with both isolation headers, every script with the embedder's); null for an engine
 * not installed. */
const threadsIn = (engine, rounds) => inWorker(engine, {
  page: 'threads.html', worker: 'threads-worker.js', message: { rounds },
  headers: (path) => ({
    ...(path.endsWith('/threads.html') ? { 'cross-origin-opener-policy': 'same-origin' } : {}),
    'cross-origin-embedder-policy': 'require-corp',
  }),
});

function print(header, table) {
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of table) console.log(line(row));
}
const perSecond = (n) => Math.round(n).toLocaleString('en-US');
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
/** A run's efficiency: its FLOPs at the peak probed just before it, over the seconds it took. */
const efficiencies = (runs, flopsPerRun) => runs.map((r) => flopsPerRun / r.peak / r.seconds);
/** "median% (min-max)": the efficiencies of the interleaved runs and their spread. */
const spread = (effs) => `${(100 * median(effs)).toFixed(0)}% (${(100 * Math.min(...effs)).toFixed(0)}–${(100 * Math.max(...effs)).toFixed(0)})`;

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`nndl benchmark, one core: ${cpu}, ${os.cpus().length} cores, Node ${process.version}\n`);
console.log(`network.py's [${sizes}], mini-batch ${m}, ${N} images; ${(fcFlops / 1e9).toFixed(2)} GFLOP per epoch. Five epochs, each right`);
console.log('after a probe of the peak: medians, and the efficiencies\' spread (min–max of the five)');
print(['build', 's/epoch (min)', 'examples/s', 'SIMD', 'peak GFLOP/s', 'efficiency (spread)', 'peak RSS'], rows.map(([name, r]) => {
  const seconds = r.fc.map((x) => x.seconds);
  return [
    name,
    `${median(seconds).toFixed(3)} (${Math.min(...seconds).toFixed(3)})`,
    perSecond(r.examples / median(seconds)),
    `${r.simd_width}x f32${r.fma ? ' FMA' : ''}`,
    (median(r.fc.map((x) => x.peak)) / 1e9).toFixed(1),
    spread(efficiencies(r.fc, fcFlops)),
    r.max_rss_kib ? `${(r.max_rss_kib / 1024).toFixed(0)} MiB` : `${(r.wasm_memory_bytes / 2 ** 20).toFixed(0)} MiB wasm`,
  ];
}));

const cnn = flops(cnnLayers, 1);
console.log(`\nnetwork3.py's ${CNN} (ReLU), mini-batch ${m}: training (five runs on ` +
  `${rows[0][1].cnn_train_examples} images, ${(cnn.training / 1e6).toFixed(1)} MFLOP per example) and ` +
  `forward only (10,000 images, ${(cnn.forward / 1e6).toFixed(2)} MFLOP per example), each beside a probe`);
print(['build', 'training examples/s', 's per 50,000 (min)', 'efficiency (spread)', 'forward examples/s', 'efficiency (spread)', '× TF.js wasm'], rows.map(([name, r]) => {
  const seconds = r.cnn.map((x) => x.seconds), fastest = r.cnn_train_examples / Math.min(...seconds);
  const train = r.cnn_train_examples / median(seconds), forward = r.cnn_forward_examples / median(r.forward.map((x) => x.seconds));
  return [
    name,
    perSecond(train),
    `${(N / train).toFixed(1)} (${(N / fastest).toFixed(1)})`,
    spread(efficiencies(r.cnn, r.cnn_train_examples * cnn.training)),
    perSecond(forward),
    spread(efficiencies(r.forward, r.cnn_forward_examples * cnn.forward)),
    `${(forward / TFJS_FORWARD).toFixed(2)}×`,
  ];
}));
const forwardOf = (r) => r.cnn_forward_examples / median(r.forward.map((x) => x.seconds));
const singleThreaded = rows.filter(([name]) => name !== 'native');
console.log(`Goal (issue 28): the forward pass, single-threaded, at least ${FORWARD_GOAL}× TF.js ${TFJS_FORWARD.toLocaleString('en-US')}/s ` +
  `in Node and in the page: ${singleThreaded.map(([name, r]) => `${name} ${(forwardOf(r) / TFJS_FORWARD).toFixed(2)}× ${forwardOf(r) / TFJS_FORWARD >= FORWARD_GOAL ? 'met' : 'short'}`).join(', ')} ` +
  '(TF.js: a reference measured once on this machine, not a dependency; see README)');
const timed = rows.filter(([, r]) => r.kernels);
console.log(`\nThe kernels one by one (kernels.wasm), at the shapes of a training step of both networks, mini-batch ${m}:\n` +
  'µs per call (GFLOP/s); the dot form at each register tile (2×c: 2 rows of A, c of B); * the tile the engine\'s\n' +
  'training Worker chose by timing (tuneKernels)');
print(['kernel', ...timed.map(([name]) => name)], timed[0][1].kernels.map((row, i) => [
  `${row.name}${row.tile ? ` [2×${row.tile}]` : ''}`,
  ...timed.map(([, r]) => {
    const k = r.kernels[i];
    return `${k.us.toFixed(1)}${k.gflops ? ` (${k.gflops.toFixed(1)})` : ''}${k.tile && k.tile === r.tile ? ' *' : ''}`;
  }),
]));
const wasm = rows[1][1];
console.log(`\nnndl.wasm: ${(statSync(`${root}web/lib/nndl.wasm`).size / 1024).toFixed(1)} KiB; ` +
  `WebAssembly memory after the run: ${(wasm.wasm_memory_bytes / 2 ** 20).toFixed(0)} MiB`);

// ------------------------------------------------------------------ threads (issue 28)
// many short rounds: this machine's speed drifts by ±20% between minutes, so a ratio is taken
// of two runs seconds apart, and the median of many
const ROUNDS = 7;
const native = run(`${root}build/native/nndl_bench`, [MNIST_DIR, String(ROUNDS), '--threads']);
const speedups = [['native', native]];
for (const [engine, name] of [['chromium', 'Chromium'], ['firefox', 'Firefox']]) {
  const result = await threadsIn(engine, ROUNDS).catch((e) => { console.error(`bench: ${name} threads: ${e.message}`); return null; });
  if (result?.shared) speedups.push([`wasm (${name} Worker, isolated)`, result]);
}
const counts = native.threads;
console.log(`\nThreads: the speed-up over one thread (the same bits at every count), ${ROUNDS} rounds, the counts alternating;\n` +
  'medians of each round\'s ratio, and seconds at one thread. [784,30,10]: an epoch on 50,000; CNN: training on 5,000, forward on 10,000');
const ratio = (r, which, i) => median(r[which].map((row) => row[0] / row[i]));
print(['build', 'work', 's at 1', ...counts.slice(1).map((c) => `${c} threads (ideal ${c}×)`)], speedups.flatMap(([name, r]) =>
  [['fc', '[784,30,10] training'], ['cnn', 'CNN training'], ['forward', 'CNN forward']].map(([which, label]) => [
    name, label, median(r[which].map((row) => row[0])).toFixed(3),
    ...r.threads.slice(1).map((_, j) => `${ratio(r, which, j + 1).toFixed(2)}×`),
  ])));
console.log(`The machine's own speed-up in the same rounds (native, just before each round of CNN training: ` +
  `as many independent copies of the peak's FMA loop as threads, against one alone): ${native.threads.slice(1).map((c, j) =>
  `${median(native.capacity.map((row) => row[j + 1])).toFixed(2)}× on ${c}`).join(', ')}`);
const most = counts.at(-1);
console.log(`Goal (issue 28): CNN training at least 0.8 × N faster on N cores: ${speedups.map(([name, r]) => {
  const i = r.threads.indexOf(most), got = i > 0 ? ratio(r, 'cnn', i) : 1;
  return `${name} ${got.toFixed(2)}× on ${most} (goal ${(0.8 * most).toFixed(1)}×) ${got >= 0.8 * most ? 'met' : 'short'}`;
}).join(', ')}`);
