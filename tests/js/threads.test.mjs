// threads.test.mjs — the page's way to every core (issue 28), in Chromium: served with the headers
// of cross-origin isolation (site.mjs) the main page is isolated and says how many threads train
// and why not more; served by a host that sends no headers it is not, and after the service
// worker has installed, a reload is (the worker adds the headers); either way the same curve;
// the figures are never isolated and never load the shared-memory core; the static build writes
// the headers for hosts that read _headers; and the core on shared memory (nndl-mt.wasm) computes,
// on one thread, the bits of the core. The page's helper threads are not enabled yet (README,
// Threads: in WebAssembly a helper's dot-form products come out wrong), so an isolated page says
// so and trains on one thread.
import assert from 'node:assert/strict';
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

/** Trains the chapter 6 preset to its second curve point: { isolated, threads, text, accuracies, cores, asked }. */
async function train(url) {
  const page = await browser.context.newPage();
  const errors = errorsOf(page), asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${url}?preset=ch6-relu`);
  await page.waitForSelector('body[data-ready]');
  await page.click('#start');
  await page.waitForFunction(() => Number(document.body.dataset.points) >= 2);
  const result = await page.evaluate(() => ({
    isolated: crossOriginIsolated, threads: Number(document.body.dataset.threads), cores: navigator.hardwareConcurrency,
    text: document.getElementById('stat-threads').textContent, accuracies: JSON.parse(document.body.dataset.accuracies).slice(0, 2),
  }));
  await page.click('#pause');
  assert.deepEqual(errors, []);
  await page.close();
  return { ...result, asked };
}

test('isolated or not, the page says how many threads train and why, with the same curve', async () => {
  const isolated = await serveSite({ cors: false }), plain = await serveSite({ cors: false, isolation: false });
  try {
    const shared = await train(isolated.url), alone = await train(plain.url);
    console.log(`# chapter 6 in Chromium: ${shared.threads} threads ${shared.accuracies}, one thread ${alone.accuracies}`);
    assert.equal(shared.isolated, true);
    assert.equal(shared.text, '1 (threads in the page are not enabled yet)');
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

test('a host that sends no headers: the service worker adds them, and the next visit is isolated', async () => {
  const host = await serveSite({ cors: false, isolation: false, release: true });
  try {
    const page = await browser.context.newPage();
    await page.goto(host.url);
    await page.waitForSelector('body[data-kept]');
    assert.equal(await page.evaluate(() => crossOriginIsolated), false);
    await page.close();
    const again = await train(host.url);
    assert.equal(again.isolated, true);
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

test('the core on shared memory computes the core\'s bits on one thread', async () => {
  const { execFileSync } = await import('node:child_process');
  const script = `
    import { createHash } from 'node:crypto';
    import { loadCore, Network } from './web/lib/nndl.js';
    import { loadMnist } from './tests/bench/mnist.mjs';
    const core = await loadCore({ wasm: new URL('./web/lib/' + process.argv[1] + '.wasm', import.meta.url) });
    const { training } = await loadMnist();
    const part = training.slice(0, 2000), out = [core.shared];
    for (const layers of [[784, 30, 10], 'conv20x5x5-pool2-fc30-softmax10']) {
      const net = await Network.create(layers, { seed: 3 });
      net.trainEpoch(part, { mini_batch_size: 10, eta: typeof layers === 'string' ? 0.03 : 3.0 });
      out.push(createHash('sha256').update(net.save()).digest('hex'));
    }
    console.log(JSON.stringify(out));`;
  const run = (name) => JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script, name], { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8' }));
  const [plain, shared] = [run('nndl'), run('nndl-mt')];
  assert.equal(plain[0], false);
  assert.equal(shared[0], true);
  assert.deepEqual(shared.slice(1), plain.slice(1));
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
