// figures.test.mjs — the figures as a reader and a teacher meet them (issues 12 and 13): every
// figure loads with no console error and no MNIST or uPlot it does not use, fits a 360 px phone,
// has no axe-core violation at WCAG 2 AA (embedded or not) and tells its parent frame its height;
// the gallery lists every figure, keeps six previews running and copies embed code for a
// preview's current state; an unknown figure or a malformed setting says so. Also the settings'
// parser in Node. What each figure computes: figures-compute.test.mjs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FIGURES } from '../../web/figures/kit/registry.js';
import { clampTo, parseState, stateEntries } from '../../web/shared/url-state.js';
import { AXE, axe, figurePages } from './figure-pages.mjs';

const site = figurePages();
const open = site.open;

describe('settings in the URL (shared/url-state.js)', () => {
  const schema = {
    w: { type: 'number', min: -10, max: 10, step: 0.5, default: 1 },
    n: { type: 'int', min: 1, max: 5, default: 2 },
    mode: { type: 'choice', values: { a: 'A', b: 'B' }, default: 'a' },
    on: { type: 'bool', default: false },
    h: { type: 'list', min: -1, max: 1, length: [1, 3], default: [0.5] },
  };

  test('good values are read, malformed ones noted and replaced by the default, unknown ones noted', () => {
    const { state: s, notes } = parseState(schema, '?w=2.5&n=9&mode=c&on=1&h=0.1,-0.2&x=1&figure=f', { reserved: ['figure'] });
    assert.deepEqual(s, { w: 2.5, n: 2, mode: 'a', on: true, h: [0.1, -0.2] });
    assert.equal(notes.length, 3);
    assert.match(notes[0], /n="9" is not a whole number from 1 to 5; using 2/);
    assert.match(notes[1], /mode="c" is not one of a, b; using a/);
    assert.match(notes[2], /unknown setting "x"/);
    for (const bad of ['w=1e400', 'w=NaN', 'w=0x10', 'w=', 'h=1,,2', 'h=2', 'h=0,0,0,0', 'on=yes', 'n=1.5'])
      assert.equal(parseState(schema, bad).notes.length, 1, bad);
  });

  test('a state goes to the URL and back, leaving out the defaults; values clamp onto their step', () => {
    const s = { w: -3.5, n: 2, mode: 'b', on: false, h: [0.25, 1] };
    const entries = stateEntries(schema, s);
    assert.deepEqual(entries, [['w', '-3.5'], ['mode', 'b'], ['h', '0.25,1']]);
    assert.deepEqual(parseState(schema, new URLSearchParams(entries)).state, s);
    assert.equal(clampTo(schema.w, 3.3), 3.5);
    assert.equal(clampTo(schema.w, 99), 10);
  });
});

describe('every figure', () => {
  for (const figure of FIGURES) {
    test(`${figure.id}: loads clean without MNIST or uPlot, fits 360 px, no axe violations, embeds with its height (the registry's, 720 px wide)`, async () => {
      const { page, errors, requests } = await open(`?figure=${figure.id}`, { width: 360 });
      assert.deepEqual(errors, []);
      const allowed = (figure.loads ?? []).map((f) => `/data/${f}`);
      assert.deepEqual(requests.filter((u) => /mnist|uPlot|pretrained/i.test(u) && !allowed.includes(new URL(u).pathname)), []);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(overflow <= 360, `the page is ${overflow} px wide at 360 px`);
      assert.deepEqual(await axe(page), []);
      await page.close();

      const host = await site.browser.context.newPage();
      const hostErrors = [];
      host.on('pageerror', (e) => hostErrors.push(e.message));
      await host.goto(`${site.base}figures/embed.js`); // an origin of the site for the host page
      await host.setContent(`<!doctype html><html lang="en"><title>lesson</title><body><main><p>A lesson.</p>
        <iframe src="${site.base}figures/${figure.id}/?embed=1" title="figure" style="width: 420px; height: 120px; border: 0"></iframe>
        <script src="${site.base}figures/embed.js"></script></main></body></html>`);
      await host.waitForFunction(() => parseInt(document.querySelector('iframe').style.height, 10) > 300);
      const frame = host.frames()[1];
      await frame.waitForSelector('body[data-ready]');
      const [height, inner] = await Promise.all([
        host.evaluate(() => parseInt(document.querySelector('iframe').style.height, 10)),
        frame.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height)),
      ]);
      assert.ok(Math.abs(height - inner) <= 2, `iframe ${height} px, figure ${inner} px`);
      assert.equal(await frame.evaluate(() => document.querySelector('header.site').offsetParent), null, 'embed mode shows no page chrome');
      // 720 px wide, its height is about the one the registry gives embed code, oEmbed and the element
      await host.evaluate(() => { document.querySelector('iframe').style.width = '720px'; });
      await host.waitForFunction(() => innerWidth && document.querySelector('iframe').getBoundingClientRect().width === 720);
      await frame.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
      await host.waitForFunction((h) => Math.abs(parseInt(document.querySelector('iframe').style.height, 10) - h) < 0.2 * h, figure.height, { timeout: 5000 })
        .catch(async () => assert.fail(`720 px wide it is ${await host.evaluate(() => document.querySelector('iframe').style.height)} tall; the registry says ${figure.height} px`));
      await frame.addScriptTag({ content: AXE });
      const embedded = await frame.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }));
      assert.deepEqual(embedded.violations.map((v) => v.id), []);
      assert.deepEqual(hostErrors, []);
      await host.close();
    });
  }
});


describe('the gallery', () => {
  test('lists every figure with its chapter; copies embed code for a preview\'s current state; no axe violations; linked from the main page', async () => {
    const { page, errors } = await open('');
    assert.equal(await page.locator('li.card').count(), FIGURES.length);
    assert.deepEqual(await axe(page), []);
    const card = page.locator('#card-step');
    await card.scrollIntoViewIfNeeded(); // the previews load as they come into view
    const frame = page.frameLocator('#card-step iframe');
    await frame.locator('body[data-ready]').waitFor();
    await frame.getByLabel('Weight w, exact value').fill('42');
    await frame.getByLabel('Weight w, exact value').press('Enter');
    await page.waitForFunction(() => /w=42/.test(document.querySelector('#card-step iframe').dataset.figureUrl ?? ''));
    await card.getByRole('button', { name: 'Copy embed code' }).click();
    await page.waitForFunction(() => document.querySelector('#card-step .copy-status').textContent);
    const code = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(code, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/figures\/step\/\?w=42&amp;embed=1" title="One neuron becomes a step" style="width: 100%; height: 830px; border: 0"/);
    assert.match(code, /<script src="http:\/\/127\.0\.0\.1:\d+\/figures\/embed\.js" async><\/script>/);
    // scrolled through, the gallery keeps six previews running; the first comes back as it was left
    const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    for (const card of await page.locator('li.card').all()) { await card.scrollIntoViewIfNeeded(); await page.evaluate(frames); }
    await page.waitForFunction(() => document.querySelector('#card-step iframe').src === 'about:blank');
    const live = await page.evaluate(() => [...document.querySelectorAll('iframe.preview')].filter((f) => f.src !== 'about:blank').length);
    assert.ok(live <= 6, `${live} previews running`);
    await card.scrollIntoViewIfNeeded();
    await page.waitForFunction(() => /w=42/.test(document.querySelector('#card-step iframe').src));
    await frame.locator('body[data-ready]').waitFor();
    assert.equal(await frame.getByLabel('Weight w, exact value').inputValue(), '42');
    assert.deepEqual(errors, []);
    const main = await site.browser.context.newPage();
    await main.goto(site.base);
    assert.equal(await main.getByRole('link', { name: /figures/i }).first().getAttribute('href'), 'figures/');
    await main.close();
    await page.close();
  });

  test('an unknown figure or a malformed setting says so', async () => {
    const { page } = await open('?figure=nope');
    assert.match(await page.locator('#notes').textContent(), /This link named no figure:there is no figure named "nope"/);
    const { page: bad } = await open('?figure=step&w=abc&embed=2');
    const notes = await bad.locator('#notes').textContent();
    assert.match(notes, /w="abc" is not a number from -1000 to 1000; using 8/);
    assert.match(notes, /embed="2" is not 0 or 1; using 0/);
    await page.close();
    await bad.close();
  });
});
