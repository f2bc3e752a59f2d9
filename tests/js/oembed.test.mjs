// oembed.test.mjs — paste a link, get an embed: the static build gives every figure its own page
// (figures/<id>/) whose head names the figure's oEmbed description, and that description
// (figures/<id>/oembed.json) is a valid oEmbed 1.0 rich embed for the site's public address: a
// consumer that reads a pasted link's discovery link, as platforms do, puts the figure in its
// page on another origin, sized. The figure's own page works as ?figure=<id> does and keeps its
// address as the reader changes settings. A bad public address is refused, the last build kept.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSite } from '../../src/site/build.mjs';
import { OEMBED_WIDTH, siteUrl } from '../../src/site/pages.mjs';
import { embedCode } from '../../web/figures/kit/embed-code.js';
import { FIGURES, figureById } from '../../web/figures/kit/registry.js';
import { errorsOf, launch } from './browser.mjs';
import { tempDir } from './helpers.mjs';
import { serveBuild } from './load.mjs';
import { servePages } from './origins.mjs';

let site, browser;
before(async () => {
  site = await serveBuild(); // built for its own address
  browser = await launch();
});
after(async () => {
  await browser?.close();
  site?.close();
});

/** What a consumer reads first: the discovery link in the head of the page at url. */
async function discover(url) {
  const html = await (await fetch(url)).text();
  const link = html.match(/<link rel="alternate" type="application\/json\+oembed" href="([^"]+)" title="([^"]*)">/);
  return { html, href: link?.[1], title: link?.[2] };
}

test('every figure\'s page names its oEmbed description, a valid rich embed of the figure for the site\'s address', async () => {
  for (const figure of FIGURES) {
    const page = `${site.url}figures/${figure.id}/`;
    const { html, href } = await discover(page);
    assert.equal(href, `${page}oembed.json`, figure.id);
    assert.match(html, new RegExp(`<title>${figure.title.replace(/[()?.*+[\]]/g, '\\$&')} — nndl figures</title>`));
    assert.match(html, new RegExp(`<link rel="canonical" href="${page}">`));
    assert.match(html, new RegExp(`<meta name="nndl-figure" content="${figure.id}">`));
    const response = await fetch(href);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type'), /^application\/json/);
    const oembed = await response.json();
    assert.deepEqual(Object.keys(oembed).sort(), ['cache_age', 'height', 'html', 'provider_name', 'provider_url', 'title', 'type', 'version', 'width']);
    assert.deepEqual([oembed.version, oembed.type, oembed.title, oembed.provider_url], ['1.0', 'rich', figure.title, site.url]);
    assert.deepEqual([oembed.width, oembed.height], [OEMBED_WIDTH, figure.height]);
    assert.ok(Number.isInteger(oembed.height) && oembed.height > 100);
    // the embed code the figure's page copies, with absolute URLs of this site
    assert.equal(oembed.html, embedCode(page, figure.title, figure.height, `${site.url}figures/embed.js`));
    assert.match(oembed.html, new RegExp(`^<iframe src="${page}\\?embed=1" `));
  }
});

test('a consumer on another origin turns a pasted figure link into the figure, sized by embed.js', async () => {
  const pasted = `${site.url}figures/by-hand/`;
  const { href } = await discover(pasted);
  const { html } = await (await fetch(href)).json();
  const platform = await servePages(({ pathname }) => (pathname === '/' ? `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A post</title><link rel="icon" href="data:,"></head><body><main><p>Look at this:</p><div style="width: 720px">${html}</div></main></body></html>` : undefined));
  const page = await browser.context.newPage();
  const errors = errorsOf(page);
  await page.goto(platform.url);
  const frame = page.frameLocator('iframe');
  await frame.locator('body[data-ready]').waitFor();
  const expected = figureById('by-hand').height;
  await page.waitForFunction((h) => {
    const height = document.querySelector('iframe').getBoundingClientRect().height;
    return height !== h && height > 300; // embed.js took the figure's own height
  }, expected - 1);
  const [outer, inner] = [await page.evaluate(() => document.querySelector('iframe').getBoundingClientRect().height), await frame.locator('html').evaluate((h) => Math.ceil(h.getBoundingClientRect().height))];
  assert.ok(Math.abs(outer - inner) <= 2, `iframe ${outer} px, figure ${inner} px`);
  assert.ok(Math.abs(outer - expected) < 0.2 * expected, `${outer} px against the ${expected} the description gave`);
  assert.deepEqual(errors, []);
  await page.close();
  platform.server.close();
});

test('a figure\'s own page shows it with a link\'s settings and keeps its address as they change', async () => {
  const page = await browser.context.newPage();
  const errors = errorsOf(page);
  await page.goto(`${site.url}figures/bumps/?n=3`);
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.title(), 'Bumps from pairs of steps — nndl figures');
  assert.equal(await page.evaluate(() => window.nndlFigure.state.n), 3);
  await page.getByRole('slider', { name: 'Pairs of hidden neurons' }).press('ArrowRight');
  await page.waitForFunction(() => /[?&]n=4/.test(location.search));
  const url = new URL(page.url());
  assert.equal(url.pathname, '/figures/bumps/');
  assert.equal(url.searchParams.get('figure'), null, 'the page names the figure; the link need not');
  await page.reload();
  await page.waitForSelector('body[data-ready]');
  assert.equal(await page.evaluate(() => window.nndlFigure.state.n), 4);
  assert.match(await page.locator('a', { hasText: 'All figures' }).evaluate((a) => a.href), /\/figures\/$/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a public address that is not one is refused, and the last build stays', () => {
  assert.throws(() => siteUrl('nndl.example.org'), /site URL "nndl.example.org" is not an absolute URL like https:\/\/example.org\/nndl\//);
  assert.throws(() => siteUrl('ftp://example.org/'), /must be http\(s\)/);
  assert.throws(() => siteUrl('https://example.org/?a=1'), /without a query/);
  assert.equal(siteUrl('https://example.org/nndl').href, 'https://example.org/nndl/');
  const [dir, remove] = tempDir();
  mkdirSync(join(dir, 'figures'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), 'the last build');
  assert.throws(() => buildSite(dir, { url: 'not a url' }), /is not an absolute URL/);
  assert.ok(existsSync(join(dir, 'index.html')), 'the last build is kept');
  remove();
});
