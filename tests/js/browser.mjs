// browser.mjs — what browser tests share: a static server for the repository on 127.0.0.1 and
// Debian's Chromium driven by playwright-core (no browser download: see the README).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { staticServer } from '../../src/site/http.mjs';
import { ROOT } from './helpers.mjs';

export const CHROMIUM = process.env.NNDL_CHROMIUM ?? '/usr/bin/chromium';

/** How long a wait may take before a test calls it hung: long enough for a slow machine with a
 * busy core beside it. A guard, not a goal: times are the bench's (npm run bench). */
export const PATIENCE = 180_000;

/** A main-thread task this long is a page that froze — work left on the main thread that belongs
 * in a Worker or in slices — on any machine: the tests' ceiling. A task's length is wall-clock
 * time, so a machine whose cores are busy with other work stretches every task: the page's
 * longest while training, a chart's redraw of 40-60 ms, took 604 ms here with both cores kept
 * busy by a build beside the suite. A second leaves room for that; the goal, no task over 50 ms,
 * is the bench's (npm run bench). */
export const FROZEN_MS = 1000;

/** Records the page's main-thread long tasks from its start in window.longTasks, as
 * { start, duration } in ms of the page's clock. */
export const watchLongTasks = (page) => page.addInitScript(() => {
  window.longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.longTasks.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
  }).observe({ type: 'longtask', buffered: true });
});

/** The page's long tasks from `from` on (ms of its clock), but those in [skipFrom, skipTo]. */
export const longTasksSince = (page, from = 0, [skipFrom, skipTo] = [Infinity, -Infinity]) => page.evaluate(([t, a, b]) =>
  window.longTasks.filter((l) => l.start >= t && (l.start + l.duration < a || l.start > b)), [from, skipFrom, skipTo]);

/** Those of `tasks` that froze the page. */
export const frozen = (tasks) => tasks.filter((t) => t.duration > FROZEN_MS);

/** The errors a page reports from now on (uncaught exceptions and console errors), as a list
 * that grows: a test asserts it is empty. */
export function errorsOf(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  return errors;
}

/** Serves the repository's files (for the fixtures and the benchmark), each with headers(path)
 * besides its own; resolves to { url, close }. */
export function serve(root = ROOT, { headers } = {}) {
  const server = staticServer((path) => {
    const file = join(root, path);
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  }, { headers });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
    });
  });
}

/** A headless Chromium with a fresh profile; close() also removes the profile. serviceWorkers:
 * 'block' for a test that serves the page's files itself (a service worker would answer first). */
export async function launch({ serviceWorkers = 'allow' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'nndl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    serviceWorkers,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  context.setDefaultTimeout(PATIENCE);
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
