// load.mjs (bench) — how the page and the figures load, as readers live it: the static build on
// localhost, in Debian's Chromium, at 10 Mbit/s and 40 ms (Chromium's network emulation). Each
// run opens, in a fresh browser, a drawing-pad embed (a 1 drawn as soon as the pad shows: when it
// is read), the full page (when Start is ready), each a first visit and a reload, and every
// figure (when a first input is answered); and the longest main-thread task of each after its
// first paint, with nothing of Playwright's injected into the page (load.mjs, until). Adds these
// to the goals (goals.mjs) and prints what was transferred; then the memory each view holds once
// ready, over an empty page. Asserts nothing (tests/js/load.test.mjs
// holds what does not depend on the machine).
import { writeFileSync } from 'node:fs';
import { CHROMIUM } from '../js/browser.mjs';
import { answer, firstInput, longTasksAfterFirstPaint, serveBuild, strokeOne, until, viewMemory } from '../js/load.mjs';
import { FIGURES } from '../../web/figures/kit/registry.js';
import { formatMs, inFreshBrowser, longest, median, printTable } from './goals.mjs';

const NETWORK = '10 Mbit/s, 40 ms';
const LOADING = 'longest main-thread task while loading';
const mib = (bytes) => (bytes / 2 ** 20 >= 1 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(0)} KiB`);

/** The drawing-pad embed: a drawn 1 read, first visit and reload. */
const drawEmbed = (site, goals, transfers) => inFreshBrowser(async (page) => {
  site.reset();
  await page.goto(`${site.url}?embed=1&panels=draw`);
  await until(page, () => document.getElementById('pad')?.dataset.live !== undefined);
  await strokeOne(page);
  const { at: read } = await answer(page);
  goals.add('drawing-pad embed, first visit: a drawn 1 read', read, 1500);
  goals.add(`drawing-pad embed, first visit: ${LOADING}`, longest(await longTasksAfterFirstPaint(page)), 50);
  await until(page, () => document.body.dataset.kept);
  transfers.push(['drawing-pad embed', 'first', site.sent(), read]);
  site.reset();
  await page.reload();
  await until(page, () => document.body.dataset.drawReady);
  transfers.push(['drawing-pad embed', 'reload', site.sent(), await page.evaluate(() => Number(document.body.dataset.drawReady))]);
}, { throttled: true });

/** The full page: Start ready, first visit and reload. */
const fullPage = (site, goals, transfers) => inFreshBrowser(async (page) => {
  for (const visit of ['first visit', 'reload']) {
    site.reset();
    await (visit === 'reload' ? page.reload() : page.goto(site.url));
    await until(page, () => document.body.dataset.ready);
    const [pad, start] = await page.evaluate(() => [Number(document.body.dataset.drawReady), Number(document.body.dataset.ready)]);
    goals.add(`full page, ${visit}: ready to Start`, start, visit === 'reload' ? 2000 : 15000);
    goals.add(`full page, ${visit}: ${LOADING}`, longest(await longTasksAfterFirstPaint(page)), 50);
    if (visit === 'first visit') await until(page, () => document.body.dataset.kept); // (a reload is kept already)
    transfers.push(['full page', visit === 'reload' ? 'reload' : 'first', site.sent(), pad, start]);
  }
}, { throttled: true });

/** A figure: its first input (firstInput: a slider's step or a button, by keyboard) answered. */
const figure = (site, goals, id) => inFreshBrowser(async (page) => {
  site.reset();
  await page.goto(`${site.url}figures/?figure=${id}`);
  await until(page, () => document.body.dataset.ready);
  const before = await page.evaluate(() => Number(document.body.dataset.renders));
  await firstInput(page);
  const answered = await until(page, (n) => Number(document.body.dataset.renders) > n && performance.now(), before);
  goals.add(`figure ${id}, first visit: input answered`, answered, 1500);
  goals.add(`figure ${id}, first visit: ${LOADING}`, longest(await longTasksAfterFirstPaint(page)), 50);
}, { throttled: true });

/** Measures every load `runs` times into `goals`; prints what was transferred and the memory. */
export async function measureLoads(goals, { runs }) {
  const site = await serveBuild();
  try {
    const transfers = [];
    for (let run = 0; run < runs; run++) {
      await drawEmbed(site, goals, transfers);
      await fullPage(site, goals, transfers);
      for (const { id } of FIGURES) await figure(site, goals, id);
    }
    console.log(`\nLoading the page at ${NETWORK} (static build on localhost; bytes as the server sent them, headers included; medians of ${runs} runs)`);
    const views = [...new Set(transfers.map(([view, visit]) => `${view}|${visit}`))];
    printTable(['view', 'visit', 'transferred', 'the pad reads', 'Start ready'], views.map((key) => {
      const rows = transfers.filter(([view, visit]) => `${view}|${visit}` === key), [view, visit] = key.split('|');
      const start = rows.map((r) => r[4]).filter((x) => x !== undefined);
      return [view, visit, mib(median(rows.map((r) => r[2]))), formatMs(median(rows.map((r) => r[3]))), start.length ? formatMs(median(start)) : '–'];
    }));
    await memory(site);
  } finally {
    site.close();
  }
}

/** The memory each view holds once ready, over an empty page in the same Chromium. */
async function memory(site) {
  writeFileSync(`${site.dir}/empty.html`, '<!doctype html><title>empty</title>');
  const empty = await viewMemory(CHROMIUM, `${site.url}empty.html`, 'document.readyState === "complete"');
  const rows = [];
  for (const [name, search] of [['drawing-pad embed', '?embed=1&panels=draw'], ['full page', '']]) {
    const m = await viewMemory(CHROMIUM, site.url + search, 'document.body.dataset.ready');
    rows.push([name, mib(m.private - empty.private), mib(m.rss - empty.rss), mib(m.wasm)]);
  }
  console.log('\nMemory once ready, over an empty page in the same Chromium (no DevTools network agent attached;');
  console.log('private: RssAnon + RssShmem; resident in all also counts the pages of Chromium\'s program it touched)');
  printTable(['view', 'private', 'resident in all', 'WebAssembly memory'], rows);
}
