// threads.test.mjs — the page on every core (issue 28), in Chromium: served with the headers of
// cross-origin isolation (site.mjs), the training Worker runs the core on shared memory with helper
// Workers, says how many threads train, and gets exactly the curve one thread gets (the same
// accuracies at the same mini-batches); served by a host that sends no headers it says one thread
// and why, a helper that cannot start leaves the page training on fewer threads and saying so,
// and after the service worker has installed, a reload is isolated (the worker adds the
// headers) and trains on every core; the figures are never isolated and never load the
// shared-memory core; the static build writes the headers for hosts that read _headers; and the
// core on shared memory computes the core's bits on one thread.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSite } from '../../src/site/build.mjs';
import { errorsOf, launch } from './browser.mjs';
import { serveSite } from './origins.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Records the scripts of the Workers the page itself starts (not its Workers' own). */
const recordWorkers = () => {
  const Started = window.Worker;
  window.startedWorkers = [];
  window.Worker = class extends Started {
    constructor(url, options) {
      super(url, options);
      window.startedWorkers.push(new URL(url, location.href).pathname);
    }
  };
};

/** Trains the chapter 6 preset to its second curve point: { isolated, threads, text, accuracies,
 * cores, asked, workers (the scripts of the Workers the page started) }. */
async function train(url) {
  const page = await browser.context.newPage();
  const errors = errorsOf(page), asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.addInitScript(recordWorkers);
  await page.goto(`${url}?preset=ch6-relu`);
  await page.waitForSelector('body[data-ready]');
  await page.click('#start');
  await page.waitForFunction(() => Number(document.body.dataset.points) >= 2);
  const result = await page.evaluate(() => ({
    isolated: crossOriginIsolated, threads: Number(document.body.dataset.threads), cores: navigator.hardwareConcurrency,
    text: document.getElementById('stat-threads').textContent, accuracies: JSON.parse(document.body.dataset.accuracies).slice(0, 2),
    workers: window.startedWorkers,
  }));
  await page.click('#pause');
  assert.deepEqual(errors, []);
  await page.close();
  return { ...result, asked };
}

test('isolated, the page trains on every core and gets one thread\'s curve exactly; without the headers, one thread and why', async () => {
  const isolated = await serveSite({ cors: false }), plain = await serveSite({ cors: false, isolation: false });
  try {
    const shared = await train(isolated.url), alone = await train(plain.url);
    console.log(`# chapter 6 in Chromium: ${shared.threads} threads ${shared.accuracies}, one thread ${alone.accuracies}`);
    assert.equal(shared.isolated, true);
    assert.equal(shared.threads, Math.min(shared.cores, 64));
    assert.equal(shared.text, String(shared.threads));
    assert.ok(shared.asked.includes('/lib/nndl-mt.wasm') && shared.asked.includes('/lib/helper-worker.js'), shared.asked.join(' '));
    // the helpers are the page's Workers, not the training Worker's: in Firefox a Worker's own
    // `new Worker` now and then never returned under load, and the page hung before its first point
    assert.deepEqual(shared.workers, ['/page/worker/worker.js', ...Array(shared.threads - 1).fill('/lib/helper-worker.js')]);
    assert.equal(alone.isolated, false);
    assert.equal(alone.threads, 1);
    assert.equal(alone.text, '1 (this page is not cross-origin isolated)');
    assert.ok(!alone.asked.includes('/lib/nndl-mt.wasm'), 'a page without isolation loaded the shared-memory core');
    assert.deepEqual(shared.accuracies, alone.accuracies, 'threads changed the numbers');
  } finally {
    isolated.server.close();
    plain.server.close();
  }
});

test('a helper Worker that cannot start (its script gone): the page trains on the threads it has, says why, and gets the same curve', async () => {
  const isolated = await serveSite({ cors: false }), broken = await serveSite({ cors: false, missing: ['/lib/helper-worker.js'] });
  try {
    const shared = await train(isolated.url), short = await train(broken.url);
    assert.equal(short.isolated, true);
    assert.equal(short.threads, 1);
    assert.equal(short.text, `1 (of ${short.cores} cores: a helper did not start)`);
    assert.deepEqual(short.accuracies, shared.accuracies, 'a missing helper changed the numbers');
  } finally {
    isolated.server.close();
    broken.server.close();
  }
});

test('a host that sends no headers: the service worker adds them, and the next visit trains on every core', async () => {
  const host = await serveSite({ cors: false, isolation: false, release: true });
  try {
    const page = await browser.context.newPage();
    await page.goto(host.url);
    await page.waitForSelector('body[data-kept]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    await page.close();
    const again = await train(host.url);
    assert.equal(again.isolated, true);
    assert.equal(again.threads, Math.min(again.cores, 64));
  } finally {
    host.server.close();
  }
});

test('a figure is not isolated and loads only the one-thread core', async () => {
  const site = await serveSite({ cors: false });
  try {
    const page = await browser.context.newPage();
    const asked = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    const response = await page.goto(`${site.url}figures/bumps/`);
    assert.equal(response.headers()['cross-origin-opener-policy'], undefined);
    await page.waitForFunction(() => performance.getEntriesByType('resource').some((e) => /nndl\.wasm$/.test(e.name)));
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    assert.ok(!asked.some((p) => p.endsWith('nndl-mt.wasm')), asked.join(' '));
    await page.close();
  } finally {
    site.server.close();
  }
});

/** What tests/js/fixtures/threads-bits.mjs prints for `core` at `counts` threads. */
const bitsOf = (core, counts) => JSON.parse(execFileSync(process.execPath,
  [join(import.meta.dirname, 'fixtures/threads-bits.mjs'), core, counts.join(',')], { encoding: 'utf8' }));
/** Without the thread counts, what a run computed: the hashes and the counts right. */
const numbers = (got) => got.filter((_, i) => i % 4);

test('the core on shared memory computes the core\'s bits on one thread', () => {
  const plain = bitsOf('nndl', [1]), shared = bitsOf('nndl-mt', [1]);
  assert.deepEqual([plain.shared, shared.shared], [false, true]);
  assert.deepEqual(numbers(shared[1]), numbers(plain[1]));
});

test('in Node, helper Workers on shared memory give one thread\'s bits: products, training, evaluation', () => {
  const got = bitsOf('nndl-mt', [1, 2, 3]);
  assert.deepEqual([got[2][0], got[3][0]], [2, 3], 'the helpers did not join');
  assert.deepEqual(numbers(got[2]), numbers(got[1]), 'two threads changed the numbers');
  assert.deepEqual(numbers(got[3]), numbers(got[1]), 'three threads changed the numbers');
});

test('the static build writes the main page\'s isolation for hosts that read _headers, and nothing for the figures', () => {
  const out = mkdtempSync(join(tmpdir(), 'nndl-headers-'));
  try {
    buildSite(out);
    const text = readFileSync(join(out, '_headers'), 'utf8');
    assert.match(text, /^\/\n {2}cross-origin-opener-policy: same-origin\n {2}cross-origin-embedder-policy: require-corp\n/);
    assert.match(text, /\n\/index\.html\n {2}cross-origin-opener-policy: same-origin\n/);
    assert.match(text, /\n\/lib\/helper-worker\.js\n {2}cross-origin-embedder-policy: require-corp\n/);
    assert.doesNotMatch(text, /figures\/[^\n]*\.html/);
    assert.ok(!JSON.parse(readFileSync(join(out, 'release.json'), 'utf8')).files['/_headers'], '_headers is not a file of the release');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
