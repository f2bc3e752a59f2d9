// cross-origin.test.mjs — the figures' files served from one origin (as from a CDN, which allows
// every origin: CORS) and used by a lesson's page on another: a module Worker of another origin
// is refused by the browser, so the library's WorkerClient starts it from a same-origin blob that
// imports it; the Worker then trains on data it fetches from its own origin, not the page's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Dataset, Network } from '../../web/lib/nndl.js';
import { errorsOf, launch } from './browser.mjs';
import { ROOT } from './helpers.mjs';
import { servePages, serveSite } from './origins.mjs';

/** The same training in Node: the test accuracy after each epoch (the same bits as the Worker's). */
async function inNode(epochs) {
  const png = (name) => Dataset.fromPng(readFileSync(join(ROOT, `data/mnist/${name}.png`)), readFileSync(join(ROOT, `data/mnist/${name}-labels.idx`)));
  const [training, test] = [await png('train-1000'), await png('test')];
  const net = await Network.create([784, 30, 10], { cost: 'cross-entropy', seed: 1 });
  const out = [net.measure(test).correct / test.count];
  for (let e = 0; e < epochs; e++) {
    net.trainEpoch(training, { mini_batch_size: 10, eta: 0.5, lmbda: 0, l1: 0, dropout: 0 });
    out.push(net.measure(test).correct / test.count);
  }
  for (const x of [net, training, test]) x.free();
  return out;
}

let cdn, lesson, browser;

/** The lesson's page: it imports the library from the CDN and runs the figures' MNIST Worker. */
const LESSON = (from) => `<!doctype html><html lang="en"><meta charset="utf-8"><title>A lesson</title><link rel="icon" href="data:,">
<script type="module">
const { WorkerClient } = await import('${from}lib/worker-client.js');
const { compileCore } = await import('${from}lib/nndl.js');
const worker = '${from}figures/workers/mnist-worker.js';
window.plainWorker = (() => { try { new Worker(worker, { type: 'module' }).terminate(); return 'started'; } catch (e) { return e.name; } })();
window.trained = (async () => {
  const client = new WorkerClient(new URL(worker), { wasm: compileCore() });
  const ready = await client.ready;
  const points = [];
  await new Promise((resolve, reject) => {
    client.listen({ loading() {}, point: (m) => points.push(m.runs[0].accuracy), done: resolve, error: (e) => reject(new Error(e.message)) });
    client.post({ type: 'overfit', epochs: 2, eta: 0.5, runs: [{}], seed: 1 });
  });
  return { ready: ready.type, points };
})();
</script>`;

before(async () => {
  cdn = await serveSite();
  lesson = await servePages((url) => (url.pathname === '/' ? LESSON(cdn.url) : undefined));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  cdn?.server.close();
  lesson?.server.close();
});

test('a lesson on another origin runs the figures\' Worker from the CDN; it trains on the CDN\'s data', async () => {
  assert.notEqual(new URL(cdn.url).origin, new URL(lesson.url).origin);
  const page = await browser.context.newPage();
  const errors = errorsOf(page);
  await page.goto(lesson.url);
  await page.waitForFunction(() => window.trained !== undefined);
  assert.equal(await page.evaluate(() => window.plainWorker), 'SecurityError', 'the browser refuses a module Worker of another origin');
  const { ready, points } = await page.evaluate(() => window.trained);
  assert.equal(ready, 'ready');
  assert.deepEqual(points, await inNode(2), 'the start and two epochs, as Node trains them');
  assert.ok(cdn.asked.some((u) => u.startsWith('/data/mnist/train-1000.png')), 'the data came from the CDN');
  assert.deepEqual(lesson.asked.filter((u) => u !== '/' && u !== '/favicon.ico'), [], 'nothing was asked of the lesson\'s origin');
  assert.deepEqual(errors, []);
  await page.close();
});
