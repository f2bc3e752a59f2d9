// load.test.mjs — the page as readers on classroom Wi-Fi load it (issue 11): the static build
// served on localhost, Chromium's network emulation at 10 Mbit/s and 40 ms, bytes counted by the
// server. A drawing-pad embed reads a drawn 1 with under 500 KB and neither MNIST nor uPlot; the
// full page gets ready to Start, and a reload moves under 100 KB; offline it opens and trains; a
// new release replaces the kept files and a truncated kept file is fetched again; a trained
// network is offered after a reload and continues with its curves; the memory a view holds stays
// within what a phone survives; each figure (issues 12, 13) comes in under 150 KB gzip and
// answers input. No main-thread task freezes the page (FROZEN_MS). What these take in time is
// not asserted here, on whatever machine the suite runs: npm run bench measures it against its
// goals (issue 22).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeRelease } from '../../src/site/build.mjs';
import { FIGURES } from '../../web/figures/kit/registry.js';
import { CHROMIUM, frozen, launch, watchLongTasks } from './browser.mjs';
import { drawOne, firstInput, longTasksAfterFirstPaint, pauseWhen, serveBuild, throttle, viewMemory } from './load.mjs';

let site;
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

before(async () => {
  site = await serveBuild();
});

after(() => site?.close());

const frozenAfterFirstPaint = async (page) => frozen(await longTasksAfterFirstPaint(page));

const browsers = new Set();
after(async () => {
  for (const b of browsers) await b.close(); // those a failed test left open
});

/** A fresh Chromium (closed after the tests, whatever happens) and a page, with its errors
 * collected; on classroom Wi-Fi if `slow`. */
async function fresh(slow = false) {
  const browser = await launch();
  browsers.add(browser);
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await watchLongTasks(page);
  if (slow) await throttle(browser.context, page);
  return { browser, page, errors, close: () => browsers.delete(browser) && browser.close() };
}

const ready = (page) => page.waitForSelector('body[data-ready]');

test('a drawing-pad embed, first visit at 10 Mbit/s: a drawing read, under 500 KB, no MNIST or uPlot', async () => {
  const { page, errors, close } = await fresh(true);
  site.reset();
  await page.goto(`${site.url}?embed=1&panels=draw`);
  // a reader draws as soon as the pad shows; the page reads the drawing once its network is in
  await page.waitForSelector('#pad[data-live]', { state: 'visible' });
  assert.equal(await drawOne(page), '1');
  await page.waitForSelector('body[data-kept]'); // and kept for later, by the service worker
  const bytes = site.sent();
  console.log(`# draw-only embed, first visit at 10 Mbit/s and 40 ms: ${kb(bytes)} sent in all`);
  assert.deepEqual(site.paths().filter((p) => /mnist|uPlot|chart/.test(p)), [], 'a view without training loaded MNIST or the charts');
  assert.ok(bytes < 500 * 1024, kb(bytes));
  assert.match(await page.textContent('#which-network'), /99\.36% on the test set/);
  assert.deepEqual(await frozenAfterFirstPaint(page), [], 'the page froze while loading');
  assert.deepEqual(errors, []);
  await close();
});

/** What a set of requested paths would weigh gzip-compressed, as the static build has them:
 * each file's .gz sibling where there is one, else the file (the core, images). */
const gzipBytes = (paths) => [...new Set(paths)].reduce((sum, path) => {
  const file = join(site.dir, path);
  return sum + (existsSync(`${file}.gz`) ? statSync(`${file}.gz`).size : existsSync(file) ? statSync(file).size : 0);
}, 0);

test('each figure, first visit at 10 Mbit/s: under 150 KB gzip (the shipped network apart), input answered', async () => {
  for (const { id, loads = [] } of FIGURES) {
    const { page, errors, close } = await fresh(true);
    site.reset();
    await page.goto(`${site.url}figures/?figure=${id}`);
    await ready(page);
    // a reader's first input by keyboard (a slider's step, or a button), drawn again
    const before = await page.evaluate(() => Number(document.body.dataset.renders));
    await firstInput(page);
    await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, before);
    // what a figure needs beyond itself (a shipped network: data) is counted apart
    const own = site.paths().filter((p) => !/\.nndl$/.test(p)), wire = site.sent(), gzip = gzipBytes(own);
    console.log(`# figure ${id}, first visit at 10 Mbit/s and 40 ms: ${kb(gzip)} gzip (${kb(wire)} sent, brotli)`);
    assert.deepEqual(site.paths().filter((p) => /mnist|uPlot|\.nndl$/i.test(p) && !loads.includes(p.slice('/data/'.length))), [], `${id} loaded MNIST, uPlot or a shipped network it does not list`);
    assert.ok(gzip < 150 * 1024, `${id}: ${kb(gzip)}`);
    assert.deepEqual(await frozenAfterFirstPaint(page), [], `${id} froze while loading`);
    assert.deepEqual(errors, []);
    await close();
  }
});

test('the full page: ready to Start on a first visit, under 100 KB on a reload, and offline it opens and trains', async () => {
  const { browser, page, errors, close } = await fresh(true);
  site.reset();
  await page.goto(site.url);
  await page.waitForSelector('body[data-draw-ready]');
  // MNIST comes with a progress bar in bytes and seconds left
  await page.waitForFunction(() => /Downloading MNIST for training: [\d.]+ of [\d.]+ MiB, about \d+ s left/.test(document.getElementById('loading-text').textContent));
  await ready(page);
  const firstBytes = site.sent();
  await page.waitForSelector('body[data-kept]');
  console.log(`# full page, first visit at 10 Mbit/s: ${(firstBytes / 2 ** 20).toFixed(1)} MiB`);
  assert.deepEqual(await frozenAfterFirstPaint(page), [], 'the page froze while loading');

  site.reset();
  await page.reload();
  await ready(page);
  const reloadBytes = site.sent();
  console.log(`# full page, reload at 10 Mbit/s: ${kb(reloadBytes)} sent (${site.paths().join(' ')})`);
  assert.ok(reloadBytes < 100 * 1024, kb(reloadBytes));

  // a classroom with no Wi-Fi: the page, the core and MNIST come from the service worker's copies
  await browser.context.setOffline(true);
  site.reset();
  await page.reload();
  await ready(page);
  await page.fill('#epochs', '1');
  await page.click('#start');
  await page.waitForFunction(() => Number(document.body.dataset.points) >= 1);
  // (the browser's own update check of sw.js is not the page's and Playwright's offline mode
  // does not cover it; everything the page and its workers asked for came from the copies)
  assert.deepEqual(site.paths().filter((p) => p !== '/sw.js'), [], 'offline, yet the server was asked');
  assert.ok(Number(await page.evaluate(() => document.body.dataset.lastAccuracy)) > 0.5);
  assert.deepEqual(errors, []);
  await close();
});

test('a new release replaces the kept files; a truncated kept file is fetched again, never used', async () => {
  const { page, close } = await fresh();
  await page.goto(`${site.url}?embed=1&panels=draw`);
  await page.waitForSelector('body[data-kept]');
  const first = await page.evaluate(() => document.body.dataset.kept);

  // a release: one file changes, and with it release.json
  const index = join(site.dir, 'index.html');
  const original = readFileSync(index, 'utf8');
  try {
    writeFileSync(index, original.replace('<title>', '<title>Release two — '));
    writeRelease(site.dir);
    site.reset();
    await page.reload();
    await page.waitForSelector('body[data-draw-ready]');
    assert.match(await page.title(), /^Release two/, 'the old page was served after a release');
    const names = await page.evaluate(() => caches.keys());
    const version = JSON.parse(readFileSync(join(site.dir, 'release.json'), 'utf8')).version;
    assert.notEqual(version, first);
    assert.deepEqual(names.filter((n) => n.startsWith('nndl-release-')), [`nndl-release-${version}`], 'the old release was kept');
    assert.ok(!site.paths().includes('/data/pretrained.nndl'), 'an unchanged file was downloaded again');

    // a kept copy cut short (a full disk, a crash mid-write) is detected, fetched, and not used
    await page.evaluate(async (name) => {
      const cache = await caches.open(name);
      const key = new URL('data/pretrained.nndl', location.href).href;
      const whole = await (await cache.match(key)).arrayBuffer();
      await cache.put(key, new Response(whole.slice(0, 1000), { headers: { 'content-type': 'application/octet-stream' } }));
    }, `nndl-release-${version}`);
    site.reset();
    await page.reload();
    await page.waitForSelector('body[data-draw-ready]');
    assert.ok(site.paths().includes('/data/pretrained.nndl'), 'the truncated copy was not fetched again');
    assert.equal(await drawOne(page), '1');
  } finally {
    writeFileSync(index, original);
    writeRelease(site.dir);
    await close();
  }
});

test('a network trained for 2 epochs is offered after a reload and continues from epoch 3 with its curves; Reset forgets it', async () => {
  const { page, close } = await fresh();
  await page.goto(`${site.url}?epochs=6`);
  await ready(page);
  await pauseWhen(page, 'storedX', 2);
  await page.click('#start');
  await page.waitForSelector('body[data-pause-answered]');
  const curves = JSON.parse(await page.evaluate(() => document.body.dataset.accuracies));
  await page.reload();
  await ready(page);
  await page.waitForSelector('#resume:not([hidden])');
  assert.match(await page.textContent('#resume-text'), /\[784,30,10\], 2 of 6 epochs trained/);
  await pauseWhen(page, 'points', curves.length + 1);
  await page.click('#resume-continue');
  await page.waitForSelector('body[data-pause-answered]');
  const shown = JSON.parse(await page.evaluate(() => document.body.dataset.accuracies));
  assert.deepEqual(shown.slice(0, 10), curves.slice(0, 10), 'the curves of the first two epochs were not shown again');
  assert.ok(shown.length > curves.length, 'no point after Continue');
  assert.match(await page.textContent('#stat-epoch'), /^3 \/ 6/);
  assert.ok(shown.at(-1) > 0.85, `${shown.at(-1)}`); // the trained network, not a new one

  // Reset forgets it: nothing is offered after the next reload
  await page.click('#reset');
  await page.waitForSelector('body[data-forgotten]'); // the Worker's answer: the kept run is gone
  await page.reload();
  await ready(page);
  // the Worker offers a kept run before MNIST is in, so before ready: none was offered
  assert.equal(await page.isHidden('#resume'), true);
  await close();
});

test('two embeds on one lesson page keep their own networks', async () => {
  const { page, close } = await fresh();
  const lesson = join(site.dir, 'lesson.html');
  writeFileSync(lesson, ['ch1', 'ch1-100'].map((preset) =>
    `<iframe id="${preset}" src="./?embed=1&panels=controls,curves&preset=${preset}&epochs=3" width="800" height="600"></iframe>`).join(''));
  await page.goto(`${site.url}lesson.html`);
  const frames = ['ch1', 'ch1-100'].map((id) => page.frameLocator(`#${id}`));
  for (const frame of frames) await frame.locator('body[data-ready]').waitFor();
  for (const frame of frames) await frame.locator('#start').click();
  for (const frame of frames) await frame.locator('body[data-stored-x]').waitFor();
  for (const frame of frames)
    await frame.locator('body').evaluate((body) => new Promise((done) => {
      const check = () => (Number(body.dataset.storedX) >= 1 ? done() : setTimeout(check, 100));
      check();
    }));
  await page.reload();
  const offers = [];
  for (const frame of frames) {
    await frame.locator('#resume:not([hidden])').waitFor();
    offers.push(await frame.locator('#resume-text').textContent());
  }
  assert.match(offers[0], /\[784,30,10\], [123] of 3 epochs/);
  assert.match(offers[1], /\[784,100,10\], [123] of 3 epochs/, 'one embed overwrote the other');
  await close();
});

test('memory once ready, over an empty page: a drawing-pad embed under 30 MB, the training page under 100 MB', async () => {
  writeFileSync(join(site.dir, 'empty.html'), '<!doctype html><title>empty</title>');
  const empty = await viewMemory(CHROMIUM, `${site.url}empty.html`, 'document.readyState === "complete"');
  const draw = await viewMemory(CHROMIUM, `${site.url}?embed=1&panels=draw`, 'document.body.dataset.ready');
  const full = await viewMemory(CHROMIUM, site.url, 'document.body.dataset.ready');
  const mb = (x) => `${(x / 2 ** 20).toFixed(1)} MB`;
  for (const [name, m] of [['draw-only embed', draw], ['training page', full]])
    console.log(`# ${name}: ${mb(m.private - empty.private)} private, ${mb(m.rss - empty.rss)} resident in all, over an empty page; WebAssembly memory ${mb(m.wasm)}`);
  assert.ok(draw.private - empty.private < 30 * 2 ** 20, mb(draw.private - empty.private));
  assert.ok(full.private - empty.private < 100 * 2 ** 20, mb(full.private - empty.private));
});
