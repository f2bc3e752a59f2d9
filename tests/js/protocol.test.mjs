// protocol.test.mjs — the embedding protocol (shared/embedded.js), version 1, between a figure
// (or the main page) in an iframe and the page that embeds it, each on an origin of its own: a
// lesson the figure trusts (allow=) gets its height and state, sets settings (the malformed
// noted, as a link's are) and gets them back; a hostile page that embeds the same figure gets
// its height and nothing else, and cannot set anything; a message of another version is answered
// so; the main page's embed posts its height.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch } from './browser.mjs';
import { servePages, serveSite } from './origins.mjs';

let site, lesson, hostile, browser, closing;

/** A host page: an iframe of `src`, every message it receives kept in window.received, and
 * send(message) posting to the iframe, resolving to the reply with its id (or null after 2 s). */
const HOST = (src) => `<!doctype html><html lang="en"><meta charset="utf-8"><title>host</title>
<iframe src="${src}" title="figure" style="width: 600px; height: 200px; border: 0"></iframe>
<script>
window.received = [];
addEventListener('message', (e) => window.received.push(e.data));
let id = 0;
window.send = (message) => new Promise((resolve) => {
  const mine = ++id;
  document.querySelector('iframe').contentWindow.postMessage({ ...message, id: mine }, '*');
  const started = Date.now();
  (function wait() {
    const reply = window.received.find((m) => m && m.id === mine);
    if (reply) resolve(reply); else if (Date.now() - started > 2000) resolve(null); else setTimeout(wait, 20);
  })();
});
</script>`;

before(async () => {
  const servers = [await serveSite({ cors: false })];
  site = servers[0].url;
  // a host page at / embeds bumps, at /?figure=<id> that figure
  const page = (html) => servePages((url) => (url.pathname === '/' ? html(url.searchParams.get('figure') ?? 'bumps') : undefined));
  let lessonUrl;
  servers.push(await page((figure) => HOST(`${site}figures/?figure=${figure}&embed=1&allow=${encodeURIComponent(lessonUrl.slice(0, -1))}`)));
  lesson = lessonUrl = servers[1].url;
  servers.push(await page((figure) => HOST(`${site}figures/?figure=${figure}&embed=1`)));
  hostile = servers[2].url;
  browser = await launch();
  closing = () => servers.forEach((s) => s.server.close());
});
after(async () => {
  await browser?.close();
  closing?.();
});

/** A host page opened, its figure ready; resolves to { page, frame }. */
async function host(url) {
  const page = await browser.context.newPage();
  await page.goto(url);
  const frame = page.frames().find((f) => f.url().startsWith(site));
  await frame.waitForSelector('body[data-ready]');
  await page.waitForFunction(() => window.received.some((m) => m.nndl === 1 && m.type === 'height'));
  return { page, frame };
}

test('a trusted lesson gets the figure\'s height and state, sets settings and gets them back', async () => {
  const { page, frame } = await host(lesson);
  const height = await page.evaluate(() => window.received.find((m) => m.type === 'height').height);
  assert.ok(height > 100, `height ${height}`);
  await page.waitForFunction(() => window.received.some((m) => m.nndl === 1 && m.type === 'state' && m.id === undefined), null, { timeout: 5000 }); // ready, unasked
  const got = await page.evaluate(() => window.send({ nndl: 1, type: 'get' }));
  assert.equal(got.type, 'state');
  assert.deepEqual(Object.keys(got.state).sort(), Object.keys(await frame.evaluate(() => window.nndlFigure.state)).sort());
  assert.match(got.url, /\/figures\/\?figure=bumps$/);

  const set = await page.evaluate(() => window.send({ nndl: 1, type: 'set', state: { n: 2, h: 'tall' } }));
  assert.equal(set.type, 'state');
  assert.equal(set.state.n, 2);
  assert.equal((await frame.evaluate(() => window.nndlFigure.state)).n, 2, 'the figure took n = 2');
  assert.match(set.url, /figure=bumps&n=2/);
  assert.match(set.notes[0], /^h="tall" is not /, 'the malformed setting noted as a link\'s is');
  assert.match(set.notes[1], /^h has 1 heights for n = 2 pairs/, 'and the figure\'s own fixes, as for a link');
  // a change the reader makes reaches the lesson as state
  await page.evaluate(() => { window.received.length = 0; });
  await frame.evaluate(() => window.nndlFigure.set({ n: 3 }));
  await page.waitForFunction(() => window.received.some((m) => m.type === 'state' && m.state.n === 3));

  const other = await page.evaluate(() => window.send({ nndl: 2, type: 'get' }));
  assert.deepEqual([other.type, /version 1 of the nndl protocol, not 2/.test(other.message)], ['error', true]);
  const unknown = await page.evaluate(() => window.send({ nndl: 1, type: 'grade' }));
  assert.equal(unknown.type, 'error');
  await page.close();
});

test('a hostile page embedding the same figure gets its height only, and sets nothing', async () => {
  const { page, frame } = await host(hostile);
  assert.equal(await page.evaluate(() => window.send({ nndl: 1, type: 'set', state: { n: 4 } })), null, 'no reply');
  assert.equal(await page.evaluate(() => window.send({ nndl: 1, type: 'get' })), null, 'no reply');
  assert.equal((await frame.evaluate(() => window.nndlFigure.state)).n, 1, 'its set changed nothing');
  await frame.evaluate(() => window.nndlFigure.set({ n: 2 })); // the reader's own change
  await new Promise((r) => setTimeout(r, 800)); // past the URL's throttle, when a trusted host hears
  const kinds = await page.evaluate(() => [...new Set(window.received.map((m) => m.type))]);
  assert.deepEqual(kinds.sort(), ['height', 'nndl-figure'], 'heights only: no state, no URL');
  assert.ok(await page.evaluate(() => window.received.every((m) => !('url' in m) && !('state' in m))));
  await page.close();
});

test('a figure\'s result (by-hand\'s challenge) reaches a trusted lesson as it changes, never a hostile page', async () => {
  const { page, frame } = await host(`${lesson}?figure=by-hand`);
  await page.waitForFunction(() => window.received.some((m) => m.nndl === 1 && m.type === 'result'));
  const first = await page.evaluate(() => window.received.filter((m) => m.type === 'result').at(-1).result);
  const { deviation } = await frame.evaluate(() => window.nndlFigure.data());
  assert.deepEqual(first, { deviation, met: deviation <= 0.4, n: 5 }, 'the deviation the figure shows, and whether it meets the book\'s 0.40');
  await page.evaluate(() => window.send({ nndl: 1, type: 'set', state: { n: 10 } }));
  await page.waitForFunction(() => window.received.some((m) => m.type === 'result' && m.result.n === 10));
  await page.close();

  const other = await host(`${hostile}?figure=by-hand`);
  await new Promise((r) => setTimeout(r, 800));
  assert.deepEqual(await other.page.evaluate(() => window.received.filter((m) => m.type === 'result' || m.type === 'state')), []);
  await other.page.close();
});

test('an allow that is not an origin is noted; the main page\'s embed posts its height', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${site}figures/?figure=bumps&allow=lessons.example`);
  await page.waitForSelector('body[data-ready]');
  assert.match(await page.locator('#notes').textContent(), /allow: "lessons\.example" is not an origin/);
  await page.setContent(HOST(`${site}?embed=1&panels=draw`));
  await page.waitForFunction(() => window.received.some((m) => m.nndl === 1 && m.type === 'height' && m.height > 100));
  await page.close();
});
