// element.test.mjs — the <nndl-figure> element as a course author uses it: a lesson on one origin,
// the figures' files on another (as from a CDN, which allows every origin), one script line
// (included twice here: defined once). Its attributes are the figure's settings, with the notes a
// link gets; HTML's own attributes are not; it loads when scrolled near and keeps its place
// meanwhile; `change` comes after a reader's key press, an attribute and set(), its url opens the
// same state; by-hand's `result` is the deviation the figure shows; the lesson's styles and
// custom properties do not reach inside; a figure with a Worker runs from the CDN; a figure takes
// its lesson's colour scheme (light unless it declares dark too), canvases included, and an
// embedded figure page the one its link asks for.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { figureById } from '../../web/figures/kit/registry.js';
import { errorsOf, launch } from './browser.mjs';
import { axe } from './figure-pages.mjs';
import { servePages, serveSite } from './origins.mjs';

let cdn, lesson, browser;

/** The lesson: 720 px of text column, its own colours and button style, figures by element. */
const LESSON = (from, head = '') => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A lesson</title><link rel="icon" href="data:,">${head}
<style>:root { --accent: rgb(255, 0, 0); --panel: rgb(0, 255, 0); } button { background: rgb(255, 0, 0); } main { width: 720px; }</style>
<script type="module" src="${from}figures/element.js"></script>
<script type="module" src="${from}figures/element.js?again"></script>
</head><body><main><h1>A lesson</h1>
<nndl-figure id="bumps" name="bumps" n="3" nn="2" class="wide" data-x="1" aria-describedby="says" title="bumps"></nndl-figure>
<p id="says">Bumps.</p>
<nndl-figure id="step" name="step" w="abc"></nndl-figure>
<nndl-figure id="slowdown" name="slowdown" etace="0.005" epochs="40"></nndl-figure>
<nndl-figure id="by-hand" name="by-hand"></nndl-figure>
<nndl-figure id="none" name="nope"></nndl-figure>
<div style="height: 6000px"></div>
<nndl-figure id="far" name="two-inputs"></nndl-figure>
</main></body></html>`;

before(async () => {
  cdn = await serveSite();
  // /both: a lesson of both colour schemes
  lesson = await servePages(({ pathname }) => (pathname === '/' ? LESSON(cdn.url) : pathname === '/both' ? LESSON(cdn.url, '<meta name="color-scheme" content="light dark">') : undefined));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  cdn?.server.close();
  lesson?.server.close();
});

/** The lesson open, its errors collected; the figures near the top come up by themselves. */
async function openLesson(path = '', scheme = 'light') {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme: scheme });
  await page.setViewportSize({ width: 900, height: 800 });
  const errors = errorsOf(page);
  await page.goto(`${lesson.url}${path}`);
  await page.evaluate(() => {
    window.heard = [];
    for (const type of ['change', 'result']) document.addEventListener(type, (e) => window.heard.push({ id: e.target.id, type, detail: e.detail }));
  });
  return { page, errors };
}
const ready = (page, id) => page.locator(`#${id}`).evaluate((el) => { el.scrollIntoView(); return el.ready.then(() => el.dataset.ready); });
const heard = (page, id, type) => page.evaluate(([i, t]) => window.heard.filter((h) => h.id === i && h.type === t).map((h) => h.detail), [id, type]);

test('attributes are the settings, read and noted as a link is; HTML\'s own are not; defined once; an unknown figure is said', async () => {
  const { page, errors } = await openLesson();
  assert.equal(await ready(page, 'bumps'), '1');
  assert.equal(await page.evaluate(() => customElements.get('nndl-figure').name), 'NndlFigure');
  const bumps = await page.locator('#bumps').evaluate((el) => ({ state: el.state, notes: el.notes, url: el.url }));
  assert.equal(bumps.state.n, 3);
  assert.deepEqual(bumps.notes, ['unknown setting "nn" ignored; the settings are n, s, h'], 'class, data-, aria-, title: HTML\'s');
  assert.equal(new URL(bumps.url).origin, new URL(cdn.url).origin);
  assert.match(bumps.url, /\/figures\/\?figure=bumps&n=3&/);
  // the notes in the figure, as the figure's page gives them for the same link
  assert.equal(await ready(page, 'step'), '1');
  const note = await page.locator('#step').evaluate((el) => el.shadowRoot.querySelector('.notes').textContent);
  assert.match(note, /w="abc" is not a number from -1000 to 1000; using 8/);
  const own = await browser.context.newPage();
  await own.goto(`${cdn.url}figures/?figure=step&w=abc`);
  await own.waitForSelector('body[data-ready]');
  assert.deepEqual(await page.locator('#step').evaluate((el) => el.notes), [(await own.locator('#notes li').textContent())]);
  await own.close();
  // a camelCase setting by its lower-case attribute
  assert.equal(await ready(page, 'slowdown'), '1');
  assert.deepEqual(await page.locator('#slowdown').evaluate((el) => [el.state.etaCE, el.state.epochs, el.notes]), [0.005, 40, []]);
  // no figure of that name: said, nothing loaded for it
  await page.locator('#none').evaluate((el) => el.scrollIntoView());
  assert.match(await page.locator('#none').evaluate((el) => el.shadowRoot.querySelector('.notes').textContent), /there is no figure named "nope"; the figures are perceptron, /);
  assert.equal(await page.locator('#none').evaluate((el) => el.ready.then(() => el.state)), null);
  assert.deepEqual(errors, []);
  await page.close();
});

test('loads when scrolled near, keeping its place meanwhile; grows to its figure', async () => {
  cdn.asked.length = 0;
  const { page, errors } = await openLesson();
  await ready(page, 'by-hand');
  assert.ok(!cdn.asked.some((u) => u.includes('two-inputs.js')), 'the far figure\'s module is not asked for yet');
  const entry = figureById('two-inputs');
  const waiting = await page.locator('#far').evaluate((el) => el.getBoundingClientRect().height);
  assert.ok(Math.abs(waiting - entry.height) < 0.15 * entry.height, `waiting, it keeps ${waiting} px of its ${entry.height}`);
  assert.equal(await ready(page, 'far'), '1');
  assert.ok(cdn.asked.some((u) => u.includes('two-inputs.js')));
  const { height, inner } = await page.locator('#far').evaluate((el) => ({ height: el.getBoundingClientRect().height, inner: el.shadowRoot.querySelector('figure').getBoundingClientRect().height }));
  assert.ok(Math.abs(height - inner) < 1, `the element is ${height} px, its figure ${inner} px`);
  assert.ok(Math.abs(height - entry.height) < 0.25 * entry.height, `720 px wide it is ${height} px tall; the registry says ${entry.height}`);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('change after a key press, an attribute and set(); its url opens the same state; the lesson\'s styles stay outside', async () => {
  const { page, errors } = await openLesson();
  await ready(page, 'bumps');
  await page.getByRole('slider', { name: 'Pairs of hidden neurons' }).press('ArrowRight'); // inside the shadow root
  await page.waitForFunction(() => window.heard.some((h) => h.id === 'bumps' && h.type === 'change'));
  let [change] = await heard(page, 'bumps', 'change');
  assert.equal(change.state.n, 4);
  assert.match(change.url, /[?&]n=4(&|$)/);
  await page.locator('#bumps').evaluate((el) => el.setAttribute('n', '6'));
  await page.waitForFunction(() => document.getElementById('bumps').state.n === 6);
  assert.deepEqual(await page.locator('#bumps').evaluate(async (el) => [await el.set({ n: 2, zz: 1 }), el.state.n]), [['unknown setting "zz" ignored; the settings are n, s, h'], 2]);
  const changes = await heard(page, 'bumps', 'change');
  assert.deepEqual(changes.map((c) => c.state.n), [4, 6, 2]);
  change = changes.at(-1);
  const own = await browser.context.newPage();
  await own.goto(change.url);
  await own.waitForSelector('body[data-ready]');
  assert.deepEqual(await own.evaluate(() => ({ ...window.nndlFigure.state })), change.state);
  await own.close();
  // the lesson's --accent, --panel and button rule do not reach the figure
  const inside = await page.locator('#bumps').evaluate((el) => {
    const style = getComputedStyle(el.shadowRoot.querySelector('section.figure'));
    return { panel: style.backgroundColor, button: getComputedStyle(el.shadowRoot.querySelector('input[type=number]')).backgroundColor };
  });
  assert.notEqual(inside.panel, 'rgb(0, 255, 0)');
  assert.notEqual(inside.button, 'rgb(255, 0, 0)');
  assert.deepEqual(errors, []);
  await page.close();
});

test('by-hand\'s result is the deviation it shows, again after set(); a figure with a Worker trains from the CDN', async () => {
  const { page, errors } = await openLesson();
  await ready(page, 'by-hand');
  await page.waitForFunction(() => window.heard.some((h) => h.id === 'by-hand' && h.type === 'result'));
  const shown = async () => Number((await page.locator('#by-hand').evaluate((el) => el.shadowRoot.textContent)).match(/Average deviation ([\d.]+)/)[1]);
  let [result] = await heard(page, 'by-hand', 'result');
  assert.equal(result.deviation.toFixed(2), (await shown()).toFixed(2));
  assert.deepEqual([result.met, result.n], [false, 5]);
  await page.locator('#by-hand').evaluate((el) => el.set({ n: 10 }));
  await page.waitForFunction(() => window.heard.filter((h) => h.id === 'by-hand' && h.type === 'result').at(-1).detail.n === 10);
  result = (await heard(page, 'by-hand', 'result')).at(-1);
  assert.equal(result.deviation.toFixed(2), (await shown()).toFixed(2));
  assert.equal(await page.locator('#by-hand').evaluate((el) => el.result.n), 10);

  await ready(page, 'slowdown');
  await page.locator('#slowdown').getByRole('button', { name: 'Run' }).click();
  await page.waitForFunction(() => /Epoch 40 of 40/.test(document.getElementById('slowdown').shadowRoot.textContent), null, { timeout: 120_000 });
  assert.deepEqual(errors, []);
  await page.close();
});

/** The figure's panel and the mean luminance of its first canvas's opaque pixels (its panel, ink
 * and lines: lower in the dark scheme). */
const looks = (root) => root.evaluate((el) => {
  const scope = el.shadowRoot ?? el;
  const canvas = scope.querySelector('canvas.plot'), { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let sum = 0, n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200) { sum += (0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2]) / 255; n++; }
  return { panel: getComputedStyle(scope.querySelector('section.figure')).backgroundColor, ink: sum / n };
});
const LIGHT_PANEL = 'rgb(255, 255, 255)', DARK_PANEL = 'rgb(24, 28, 34)';

test('a figure takes its lesson\'s colour scheme, canvases included; an embedded figure page the one its link asks for', async () => {
  const seen = {};
  for (const [path, scheme] of [['', 'dark'], ['both', 'dark'], ['both', 'light']]) {
    const { page, errors } = await openLesson(path, scheme);
    await ready(page, 'step');
    await page.waitForTimeout(100); // its first picture drawn
    seen[`${path || 'light only'} in ${scheme}`] = await looks(page.locator('#step'));
    assert.deepEqual(errors, []);
    await page.close();
  }
  assert.equal(seen['light only in dark'].panel, LIGHT_PANEL, 'a lesson that declares no dark scheme shows its figures light');
  assert.equal(seen['both in dark'].panel, DARK_PANEL);
  assert.equal(seen['both in light'].panel, LIGHT_PANEL);
  assert.ok(seen['both in light'].ink - seen['both in dark'].ink > 0.1, `the canvas drew in the dark scheme's colours: ${JSON.stringify(seen)}`);
  assert.ok(Math.abs(seen['light only in dark'].ink - seen['both in light'].ink) < 0.05, 'and in the light scheme\'s where the lesson is light');

  for (const [scheme, system, panel] of [['light', 'dark', LIGHT_PANEL], ['dark', 'light', DARK_PANEL]]) {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: system });
    await page.goto(`${cdn.url}figures/step/?embed=1&scheme=${scheme}`);
    await page.waitForSelector('body[data-ready]');
    assert.equal((await looks(page.locator('body'))).panel, panel, `scheme=${scheme} on a ${system} system`);
    await page.getByLabel('Weight w, exact value').fill('20');
    await page.getByLabel('Weight w, exact value').press('Enter');
    await page.waitForFunction(() => /w=20/.test(location.search));
    assert.match(page.url(), new RegExp(`scheme=${scheme}`), 'the link keeps it');
    await page.close();
  }
});

test('removed, a figure\'s Worker stops; moved, it goes on; put back, it starts afresh', async () => {
  const { page, errors } = await openLesson();
  await ready(page, 'slowdown');
  const nextTask = () => page.evaluate(() => new Promise((done) => setTimeout(done)));
  await page.locator('#slowdown').evaluate((el) => { el.parentNode.append(el); }); // moved within the page
  await nextTask();
  assert.equal(await page.locator('#slowdown').evaluate((el) => [el.dataset.ready, el.state.etaCE].join()), '1,0.005', 'moved, it goes on');
  const workers = page.workers(); // slowdown's alone: the other figures of the lesson have none
  assert.equal(workers.length, 1);
  const closed = workers[0].waitForEvent('close', { timeout: 60_000 });
  await page.locator('#slowdown').evaluate((el) => { window.removed = el; el.remove(); });
  await closed; // removed, its Worker stopped
  const started = page.waitForEvent('worker');
  const back = await page.evaluate(async () => {
    const el = window.removed;
    const said = await el.set({ epochs: 10 });
    document.querySelector('main').append(el); // put back
    el.scrollIntoView();
    await el.ready;
    return { said, ready: el.dataset.ready, epochs: el.state.epochs };
  });
  assert.deepEqual(back, { said: ['the figure is not on the page'], ready: '1', epochs: 40 });
  await started;
  await page.locator('#slowdown').getByRole('button', { name: 'Run' }).click();
  await page.waitForFunction(() => /Epoch 40 of 40/.test(document.getElementById('slowdown').shadowRoot.textContent), null, { timeout: 120_000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('set() while the figure is still loading waits for it, and is applied', async () => {
  const { page, errors } = await openLesson();
  const got = await page.locator('#far').evaluate(async (el) => {
    // far below: the first set() starts it, the second comes while it loads; both wait for it
    const said = await Promise.all([el.set({ n: 3 }), el.set({ mode: 'towers' })]);
    return { said, n: el.state.n, mode: el.state.mode, ready: el.dataset.ready };
  });
  assert.deepEqual(got, { said: [[], []], n: 3, mode: 'towers', ready: '1' });
  assert.deepEqual(errors, []);
  await page.close();
});
