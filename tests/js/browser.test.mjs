// browser.test.mjs — the same ES module and .wasm, unchanged, in Chromium: on a page's main
// thread and in a module Web Worker, giving the very numbers Node gives.
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
  const response = await fetch(server.url + 'web/nndl.wasm');
  assert.equal(response.headers.get('content-type'), 'application/wasm');
});
