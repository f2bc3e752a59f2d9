// browser.mjs — what browser tests share: a static server for the repository on 127.0.0.1 and
// Debian's Chromium driven by playwright-core (no browser download: see the README).
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { staticServer } from '../../web/http.mjs';
import { ROOT } from './helpers.mjs';

export const CHROMIUM = process.env.NNDL_CHROMIUM ?? '/usr/bin/chromium';

/** Serves the repository's files (for the fixtures and the benchmark); resolves to { url, close }. */
export function serve(root = ROOT) {
  const server = staticServer((path) => {
    const file = join(root, path);
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() });
    });
  });
}

/** A headless Chromium with a fresh profile; close() also removes the profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'nndl-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  return {
    context,
    profile,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
