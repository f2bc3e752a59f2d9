// icons.mjs — draws the installed app's PNG icons from web/icons/icon.svg with Debian's Chromium:
// 192 and 512 pixels for the web app manifest, 180 for Safari's home screen (apple-touch-icon).
// Run by hand after changing the SVG (node src/tools/icons.mjs); the PNGs are committed beside it.
// Not part of the build or the site's code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const DIR = fileURLToPath(new URL('../../web/icons/', import.meta.url));
const svg = readFileSync(`${DIR}icon.svg`, 'utf8');
const browser = await chromium.launch({ executablePath: process.env.NNDL_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
// Safari rounds the home screen's icon itself: its icon is square
for (const [name, size, square] of [['icon-192.png', 192], ['icon-512.png', 512], ['apple-touch-icon.png', 180, true]]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${square ? svg.replace('rx="96"', 'rx="0"') : svg}`);
  await page.screenshot({ path: `${DIR}${name}`, omitBackground: true });
  await page.close();
}
await browser.close();
