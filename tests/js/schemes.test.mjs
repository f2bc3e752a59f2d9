// schemes.test.mjs — the light and the dark colour scheme (prefers-color-scheme): the main page
// and every figure free of axe-core's WCAG 2 AA violations in both; what the canvases draw on
// the panel (their text, their lines of data) and the diagrams' text readable against it (4.5:1
// for text, 3:1 for lines); a scheme changed while a page is open redraws the plots, the charts
// and the pad's strokes in the new colours, the pad's reading unchanged.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FIGURES } from '../../web/figures/kit/registry.js';
import { axe, figurePages } from './figure-pages.mjs';

const site = figurePages();

/** In the page before its scripts: every colour a canvas draws text in, or strokes a line of 1.5
 * px or more in, fully opaque, with whether an image lies under it (a heat map, a digit: the
 * panel is then not the background, and the line is not checked). */
function recordInks() {
  window.inks = new Map();
  const P = CanvasRenderingContext2D.prototype, images = new WeakSet();
  for (const name of ['putImageData', 'drawImage']) {
    const original = P[name];
    P[name] = function (...args) { images.add(this.canvas); return original.apply(this, args); };
  }
  const note = (kind, ctx, color, what) => {
    if (ctx.globalAlpha < 0.99 || images.has(ctx.canvas)) return;
    window.inks.set(`${kind} ${color}`, { kind, color, what: String(what).slice(0, 40), canvas: ctx.canvas.closest('.uplot') ? 'chart' : ctx.canvas.id || ctx.canvas.className });
  };
  const { fillText, stroke } = P;
  P.fillText = function (...args) { note('text', this, this.fillStyle, args[0]); return fillText.apply(this, args); };
  P.stroke = function (...args) { if (this.lineWidth >= 1.5) note('line', this, this.strokeStyle, `width ${this.lineWidth}`); return stroke.apply(this, args); };
}

const rgb = (color) => {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(color);
  if (!m) throw new Error(`not a colour: ${color}`);
  return m[4] !== undefined && Number(m[4]) < 1 ? null : [1, 2, 3].map((i) => Number(m[i])); // translucent: not judged
};
const luminance = (c) => c.map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };

const twoFrames = (page) => page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));

/** The main page in `scheme`, its canvas inks recorded, once it is ready; its errors collected. */
async function openMain(scheme) {
  const page = await site.browser.context.newPage(), errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.emulateMedia({ colorScheme: scheme });
  await page.addInitScript(recordInks);
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.goto(site.base);
  await page.waitForSelector('body[data-ready]');
  return { page, errors };
}

/** A stroke down the middle of the pad, with the mouse. */
async function strokePad(page) {
  const box = await page.locator('#pad').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height - 20, { steps: 5 });
  await page.mouse.up();
}

/** What the page's canvases and diagrams drew too faintly on the panel, one line each. */
async function faint(page) {
  await twoFrames(page);
  const { inks, panel, texts } = await page.evaluate(() => ({
    inks: [...window.inks.values()],
    panel: (() => { // --panel as the page shows it (a light-dark() resolved)
      const probe = document.body.appendChild(Object.assign(document.createElement('i'), { hidden: true }));
      probe.style.color = 'var(--panel)';
      const shown = getComputedStyle(probe).color;
      probe.remove();
      return shown;
    })(),
    texts: [...document.querySelectorAll('svg text')].map((t) => ({ kind: 'text', color: getComputedStyle(t).fill, what: t.textContent, canvas: 'svg' })),
  }));
  const out = [];
  for (const ink of [...inks, ...texts]) {
    const color = rgb(ink.color);
    if (!color) continue;
    const ratio = contrast(color, rgb(panel)), least = ink.kind === 'text' ? 4.5 : 3;
    if (ratio < least) out.push(`${ink.kind} "${ink.what}" in ${ink.color} on ${panel} (${ink.canvas}): ${ratio.toFixed(2)}:1 < ${least}:1`);
  }
  return { out, inks, dark: luminance(rgb(panel)) < 0.05 };
}

describe('light and dark schemes', () => {
  for (const scheme of ['light', 'dark']) {
    test(`${scheme}: every figure and the gallery axe-clean, the canvases' text and lines and the diagrams' text readable on the panel`, async () => {
      const problems = [];
      for (const figure of [...FIGURES, { id: '' }]) {
        const { page, errors } = await site.open(figure.id ? `?figure=${figure.id}` : '', { scheme, init: recordInks });
        const { out, dark } = await faint(page);
        if (dark !== (scheme === 'dark')) problems.push(`${figure.id || 'gallery'}: its panel is not ${scheme}`);
        problems.push(...out.map((line) => `${figure.id}: ${line}`), ...(await axe(page)).map((v) => `${figure.id}: ${v}`), ...errors.map((e) => `${figure.id}: ${e}`));
        await page.close();
      }
      assert.deepEqual(problems, []);
    });

    test(`${scheme}: the main page training, its chart, its pad and its feature maps axe-clean and readable`, async () => {
      const { page, errors } = await openMain(scheme);
      await page.click('#start');
      await page.waitForFunction(() => Number(document.body.dataset.points) >= 3);
      await strokePad(page);
      await page.click('#pause');
      const { out, inks, dark } = await faint(page);
      assert.equal(dark, scheme === 'dark');
      assert.deepEqual(out, []);
      assert.ok(inks.some((i) => i.canvas === 'pad'), 'the pad drew its stroke');
      assert.ok(inks.filter((i) => i.kind === 'line' && i.canvas === 'chart').length >= 3, 'the chart drew its lines');
      assert.deepEqual(await axe(page), []);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }

  test('a scheme changed while a page is open: plots, charts and the pad redrawn in the new colours, the reading unchanged', async () => {
    const { page } = await site.open('?figure=bumps', { scheme: 'light', init: recordInks });
    const light = (await faint(page)).inks.map((i) => i.color);
    await page.evaluate(() => window.inks.clear());
    await page.emulateMedia({ colorScheme: 'dark' });
    const { out, inks } = await faint(page);
    assert.deepEqual(out, []);
    assert.ok(inks.length >= 3 && inks.every((i) => !light.includes(i.color)), `bumps redrawn in other colours: ${inks.map((i) => i.color)}`);
    await page.close();

    const { page: main } = await openMain('light');
    await strokePad(main);
    await twoFrames(main);
    const ink = () => main.evaluate(() => { const pad = document.getElementById('pad'); return Array.from(pad.getContext('2d').getImageData(0, 0, pad.width, pad.height).data.filter((_, i) => i % 4 === 3)).join(); });
    const before = await ink();
    await main.evaluate(() => window.inks.clear());
    await main.emulateMedia({ colorScheme: 'dark' });
    const after = await faint(main);
    assert.deepEqual(after.out, []);
    assert.ok(after.inks.some((i) => i.canvas === 'pad'), 'the pad redrew its stroke');
    assert.ok(after.inks.some((i) => i.kind === 'text' && i.canvas === 'chart'), 'the chart redrew its axes');
    assert.equal(await ink(), before, 'the ink the network reads is the same');
    await main.close();
  });
});
