// lesson.test.mjs — the example lesson of the static build (lesson/), as a reader goes through it:
// its five <nndl-figure> elements and its iframe come up as they are scrolled to, with no console
// error and no axe-core violation in either colour scheme; its buttons set the bumps figure's
// attribute; the by-hand challenge's result is recorded, kept across a reload and forgotten on
// request; the iframe is set up through the protocol and its training's result recorded.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { errorsOf, launch } from './browser.mjs';
import { axe } from './figure-pages.mjs';
import { serveBuild } from './load.mjs';

let site, browser;
before(async () => {
  site = await serveBuild();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  site?.close();
});

/** The lesson, scrolled through as a reader does until every figure is up; its errors collected. */
async function read(scheme = 'light') {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  await page.setViewportSize({ width: 1000, height: 900 });
  const errors = errorsOf(page);
  await page.goto(`${site.url}lesson/`);
  for (const figure of await page.locator('nndl-figure').all()) {
    await figure.scrollIntoViewIfNeeded();
    assert.equal(await figure.evaluate((el) => el.ready.then(() => el.dataset.ready)), '1');
  }
  await page.locator('#learn-frame').scrollIntoViewIfNeeded();
  await page.frameLocator('#learn-frame').locator('body[data-ready]').waitFor();
  return { page, errors };
}

for (const scheme of ['light', 'dark']) {
  test(`${scheme}: five figures by element and one by iframe come up as they are read; no console error, no axe violation`, async () => {
    const { page, errors } = await read(scheme);
    const names = await page.locator('nndl-figure').evaluateAll((all) => all.map((el) => el.getAttribute('name')));
    assert.deepEqual(names, ['step', 'two-neurons', 'bumps', 'by-hand', 'two-inputs']);
    assert.deepEqual(await page.locator('nndl-figure').evaluateAll((all) => all.flatMap((el) => el.notes)), []);
    assert.equal(await page.locator('iframe').count(), 1);
    assert.deepEqual(await axe(page), []);
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the page sets a figure, records the by-hand challenge across a reload, sets the iframe by message and records its training', async () => {
  const { page, errors } = await read();
  await page.getByRole('button', { name: 'Show ten pairs' }).click();
  await page.waitForFunction(() => document.getElementById('bumps-figure').state.n === 10);
  assert.equal(await page.locator('#bumps-status').textContent(), 'The figure shows 10 pairs.');
  await page.getByRole('button', { name: 'Back to one' }).click();
  await page.waitForFunction(() => document.getElementById('bumps-status').textContent === 'The figure shows 1 pair.');

  assert.equal(await page.locator('#record-text').textContent(), 'No attempt yet: move a bump above.', 'the figure\'s first picture is no attempt');
  await page.locator('#challenge').getByRole('button', { name: 'Show a solution' }).click();
  await page.waitForFunction(() => /^Your best: an average deviation of 0\.\d\d with 5 pairs — the book’s challenge is met\.$/.test(document.getElementById('record-text').textContent));
  const record = await page.locator('#record-text').textContent();
  const shown = (await page.locator('#challenge').evaluate((el) => el.shadowRoot.textContent)).match(/Average deviation ([\d.]+)/)[1];
  assert.equal(record.match(/of ([\d.]+) with/)[1], Number(shown).toFixed(2), 'the record is the deviation the figure shows');
  await page.reload();
  await page.waitForFunction((r) => document.getElementById('record-text').textContent === r, record);
  await page.getByRole('button', { name: 'Forget my record' }).click();
  assert.equal(await page.locator('#record-text').textContent(), 'No attempt yet: move a bump above.');

  await page.locator('#learn-frame').scrollIntoViewIfNeeded();
  await page.getByRole('button', { name: /Set it up/ }).click();
  await page.waitForFunction(() => /^Set: 10 hidden neurons, 2,000 epochs\./.test(document.getElementById('learn-status').textContent));
  const frame = page.frameLocator('#learn-frame');
  assert.deepEqual(await frame.locator('body').evaluate(() => [window.nndlFigure.state.n, window.nndlFigure.state.epochs]), [10, 2000]);
  await frame.getByRole('button', { name: 'Train' }).click();
  await page.waitForFunction(() => /^Trained for 2,000 epochs: the output is within 0\.\d+ of f on average\.$/.test(document.getElementById('learn-record').textContent), null, { timeout: 300_000 });
  const height = await page.locator('#learn-frame').evaluate((f) => f.getBoundingClientRect().height);
  const inner = await frame.locator('html').evaluate((h) => Math.ceil(h.getBoundingClientRect().height));
  assert.ok(Math.abs(height - inner) <= 2, `the page sized the iframe to the figure's height message: ${height} against ${inner}`);
  assert.deepEqual(errors, []);
  await page.close();
});
