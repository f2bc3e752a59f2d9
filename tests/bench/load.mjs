// load.mjs (bench) — how the page loads and what it holds, as readers live it: the static build
// on localhost, in Debian's Chromium, at 10 Mbit/s and 40 ms (Chromium's network emulation) and
// unthrottled. For a drawing-pad embed and the full page, first visit and reload: bytes sent by
// the server, time from navigation to the pad reading drawings and to Start. Then the memory
// each view holds once ready over an empty page (private and in all), and its WebAssembly
// memory; and each figure at 10 Mbit/s. Prints three tables; asserts nothing
// (tests/js/load.test.mjs holds the bounds).
import { existsSync, writeFileSync } from 'node:fs';
import { CHROMIUM, launch } from '../js/browser.mjs';
import { CLASSROOM, serveBuild, throttle, viewMemory } from '../js/load.mjs';
import { FIGURES } from '../../web/figures/registry.js';

if (!existsSync(CHROMIUM)) {
  console.log(`\n(no Chromium at ${CHROMIUM}: load times and memory not measured)`);
  process.exit(0);
}

const site = await serveBuild();
const views = [['drawing-pad embed', '?embed=1&panels=draw'], ['full page', '']];
const mib = (bytes) => (bytes / 2 ** 20 >= 1 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

/** Opens the view; resolves to { pad, start, bytes }: when the pad read drawings and Start was
 * ready, in ms after navigation by the page's own clock (body[data-draw-ready], [data-ready]),
 * and the bytes the server sent for it. */
async function visit(page, open) {
  site.reset();
  await open();
  await page.waitForSelector('body[data-ready]', { timeout: 120000 });
  const { pad, start } = await page.evaluate(() => ({ pad: Number(document.body.dataset.drawReady), start: Number(document.body.dataset.ready) }));
  await page.waitForSelector('body[data-kept]', { timeout: 60000 }).catch(() => {});
  return { pad, start, bytes: site.sent() };
}

const rows = [];
for (const [network, conditions] of [['10 Mbit/s, 40 ms', CLASSROOM], ['unthrottled', null]])
  for (const [name, search] of views) {
    const browser = await launch();
    const page = await browser.context.newPage();
    if (conditions) await throttle(browser.context, page, conditions);
    const first = await visit(page, () => page.goto(site.url + search));
    const again = await visit(page, () => page.reload());
    await browser.close();
    for (const [when, r] of [['first visit', first], ['reload', again]])
      rows.push([name, network, when, mib(r.bytes), seconds(r.pad), search.includes('draw') ? '–' : seconds(r.start)]);
  }

function print(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

console.log('\nLoading the page (static build on localhost; bytes as the server sent them, headers included)');
print(['view', 'network', 'visit', 'transferred', 'pad reads', 'Start ready'], rows);

// the figures: a first visit each, at classroom speed
const figureRows = [];
for (const { id } of FIGURES) {
  const browser = await launch();
  const page = await browser.context.newPage();
  await throttle(browser.context, page, CLASSROOM);
  site.reset();
  await page.goto(`${site.url}figures/?figure=${id}`);
  await page.waitForSelector('body[data-ready]', { timeout: 60000 });
  const ms = await page.evaluate(() => performance.now());
  figureRows.push([id, mib(site.sent()), seconds(ms)]);
  await browser.close();
}
console.log('\nThe figures, first visit at 10 Mbit/s and 40 ms (bytes as sent, brotli, headers included)');
print(['figure', 'transferred', 'ready for input'], figureRows);

writeFileSync(`${site.dir}/empty.html`, '<!doctype html><title>empty</title>');
const empty = await viewMemory(CHROMIUM, `${site.url}empty.html`, 'document.readyState === "complete"');
const memory = [];
for (const [name, search] of views) {
  const m = await viewMemory(CHROMIUM, site.url + search, 'document.body.dataset.ready');
  memory.push([name, mib(m.private - empty.private), mib(m.rss - empty.rss), mib(m.wasm)]);
}
console.log('\nMemory once ready, over an empty page in the same Chromium (no DevTools network agent attached;');
console.log('private: RssAnon + RssShmem; resident in all also counts the pages of Chromium\'s program it touched)');
print(['view', 'private', 'resident in all', 'WebAssembly memory'], memory);
site.close();
