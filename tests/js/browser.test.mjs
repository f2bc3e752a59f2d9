// browser.test.mjs — the same ES module and .wasm, unchanged, in Chromium: on a page's main
// thread and in a module Web Worker, giving the very numbers Node gives; and the one Worker loop
// with its client, as every Worker of the page and the figures uses them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, serve } from './browser.mjs';
import { smallRun } from './fixtures/small-run.mjs';
import { MNIST_DIR } from './helpers.mjs';

let server, browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test('the core trains identically, to the bit, in Node, in a page and in a Web Worker', async () => {
  const node = await smallRun(readFileSync(join(MNIST_DIR, 't10k-images-idx3-ubyte')),
    readFileSync(join(MNIST_DIR, 't10k-labels-idx1-ubyte')));
  const page = await browser.context.newPage();
  const errors = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + 'tests/js/fixtures/page.html');
  const results = await page.waitForFunction(() => window.results).then((h) => h.jsonValue());
  assert.deepEqual(errors, []);
  assert.equal(results.worker.ok, true, results.worker.error);
  console.log(`# Node ${JSON.stringify(node)}`);
  // 2,000 examples are a fifth of an epoch: well above chance (600) is all this run can show.
  assert.ok(node.correct > 3000, `${node.correct} / 6000 after a small epoch`);
  assert.deepEqual(results.page, node);
  assert.deepEqual(results.worker.result, node);
  await page.close();
});

test('the server gives .wasm its MIME type', async () => {
  const response = await fetch(server.url + 'web/lib/nndl.wasm');
  assert.equal(response.headers.get('content-type'), 'application/wasm');
});

test('the one Worker loop: ready after the core, replies by id, one shape of error, unknown messages refused, Pause the last word of a job', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url + 'tests/js/fixtures/loop.html');
  await page.waitForFunction(() => window.client);
  const ready = await page.evaluate(() => window.client.ready);
  assert.equal(ready.type, 'ready');
  assert.deepEqual(ready.names, ['quadratic', 'cross-entropy', 'log-likelihood']); // what the Worker's init added, from the core
  // what was sent before the core went after it, and was answered
  await page.waitForFunction(() => window.heard.some((m) => m.type === 'echo'));
  assert.deepEqual(await page.evaluate(() => window.client.request('echo', { x: 42 })), { type: 'echo', x: 42, id: 2 });
  const refusal = (type) => page.evaluate((t) => window.client.request(t).then(() => null, (e) => ({ name: e.name, action: e.action, code: e.code, message: e.message })), type);
  assert.deepEqual(await refusal('fail'), { name: 'WorkerError', action: 'fail', code: -1, message: 'asked to fail' });
  const unknown = await refusal('frobnicate');
  assert.equal(unknown.action, 'frobnicate');
  assert.equal(unknown.code, null);
  assert.match(unknown.message, /^unknown message "frobnicate": this Worker takes init, pause, resume, echo, fail, count, countOnGo, go$/);
  // a job in slices: ticks come; after the answer to Pause, none, however long one waits for a
  // reply that comes after it
  await page.evaluate(() => window.client.post({ type: 'count' }));
  await page.waitForFunction(() => window.heard.filter((m) => m.type === 'tick').length >= 3);
  await page.evaluate(() => window.client.request('pause'));
  const stopped = await page.evaluate(() => window.heard.at(-1));
  assert.equal(stopped.type, 'stopped at', 'the job reported where it stopped, last');
  await page.evaluate(() => window.client.request('echo', { x: 'after the pause' }));
  assert.deepEqual(await page.evaluate(() => window.heard.at(-1)), stopped, 'a tick came after the answer to Pause');
  await page.evaluate(() => window.client.post({ type: 'resume' }));
  await page.waitForFunction((n) => window.heard.at(-1).type === 'tick' && window.heard.at(-1).count > n, stopped.count);
  // Start, then Pause before the handler has started its job (a network still being made): the
  // Pause holds for the job it started afterwards; Resume starts it
  await page.evaluate(() => window.client.request('pause'));
  const ticks = () => page.evaluate(() => window.heard.filter((m) => m.type === 'tick').length);
  await page.evaluate(() => { window.client.post({ type: 'countOnGo' }); return window.client.request('pause'); });
  const before = await ticks();
  await page.evaluate(() => { window.client.post({ type: 'go' }); return window.client.request('echo', { x: 'after go' }); });
  await page.evaluate(() => window.client.request('echo', { x: 'and after a slice would have run' }));
  assert.equal(await ticks(), before, 'the job ran although a Pause came after the message that started it');
  await page.evaluate(() => window.client.post({ type: 'resume' }));
  await page.waitForFunction((n) => window.heard.filter((m) => m.type === 'tick').length > n, before);
  assert.deepEqual(errors, []);
  await page.close();
});
