// figure-pages.mjs — what the figures' browser tests share: the site served as `npm start`
// serves it, one Chromium for the file's tests, and a figure page opened, read and checked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { staticServer } from '../../src/site/http.mjs';
import { siteFiles } from '../../src/site/site.mjs';
import { launch } from './browser.mjs';
import { ROOT } from './helpers.mjs';

export const AXE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');

/** Starts the server and Chromium before the file's tests and stops them after; the returned
 * object's base and browser are set once the tests run, and open() opens a figure page. */
export function figurePages() {
  const site = { base: undefined, browser: undefined, open: (query, options) => open(site, query, options) };
  let server;
  before(async () => {
    server = staticServer((path) => siteFiles().get(path));
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    site.base = `http://127.0.0.1:${server.address().port}/`;
    site.browser = await launch();
    await site.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.base.slice(0, -1) });
  });
  after(async () => {
    await site.browser?.close();
    server?.close();
  });
  return site;
}

/** A page on a figure (or the gallery), its errors and requests collected, once it is ready;
 * `init`, a function run in the page before its own scripts (to watch what they call); `scheme`,
 * the colour scheme the system asks for ('light' or 'dark'). */
async function open({ base, browser }, query, { width = 1000, init, scheme } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 800 });
  if (scheme) await page.emulateMedia({ colorScheme: scheme });
  if (init) await page.addInitScript(init);
  const errors = [], requests = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${base}figures/${query}`);
  await page.waitForSelector('body[data-ready]');
  return { page, errors, requests };
}

export const data = (page) => page.evaluate(() => window.nndlFigure.data());
export const state = (page) => page.evaluate(() => ({ ...window.nndlFigure.state }));

/** Waits until the figure has drawn again after whatever was just done. */
export async function rendered(page, action) {
  const before = await page.evaluate(() => Number(document.body.dataset.renders));
  await action();
  await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, before);
}

/** axe-core's WCAG 2 A/AA violations on the page, one line each. */
export async function axe(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], iframes: false }));
  return result.violations.map((v) => `${v.id}: ${v.nodes.length} nodes (${v.nodes[0].target})`);
}
