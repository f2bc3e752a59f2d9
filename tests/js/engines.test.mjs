// engines.test.mjs — what a class does, in each browser engine a class uses (Chromium, Firefox,
// WebKit: engines.mjs), on the static build served on localhost: the main page trains and its
// curves grow, on every core where the browser shares memory with Workers, and says how many
// threads train and why; the pad reads pointer strokes and learns a drawing it misread (teach
// it); a kept run is offered after a reload; with the server gone the page reloads from the
// service worker's copies, and so does a figure; the page and the figures are installable (a
// manifest, its icons); every figure loads, answers its first input and reports no error; the
// example lesson's figures (elements and an iframe) come up, are set from the page, axe-clean;
// the WebAssembly core trains to the same bits as in Node (bits.mjs); a language tag Intl
// refuses does not take the page down. Behaviour only: speeds per engine are npm run bench's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FIGURES } from '../../web/figures/kit/registry.js';
import { RUNS, WASM } from './bits.mjs';
import { ENGINES, installed, launchEngine } from './engines.mjs';
import { AXE } from './figure-pages.mjs';
import { markFirstInput, pauseWhen, serveBuild } from './load.mjs';

let site;
before(async () => { site = await serveBuild(); });
after(() => site?.close());

/** A 1 as a reader draws it, and a European 1 with a long flag (which the shipped network reads
 * as a 7), in 0..1 of the pad. */
const ONE = [[[0.54, 0.14], [0.52, 0.32], [0.5, 0.5], [0.48, 0.68], [0.47, 0.86]]];
const FLAGGED_ONE = [[[0.21, 0.39], [0.39, 0.25], [0.57, 0.11], [0.56, 0.39], [0.55, 0.68], [0.54, 0.91]]];

/** Runs action with the server gone (a classroom whose Wi-Fi is down), then serves again. */
async function offline(action) {
  site.down(true);
  try {
    return await action();
  } finally {
    site.down(false);
  }
}

/** The pointers each engine's driver can give a page besides the mouse: Firefox's WebDriver has
 * no pen ("Unimplemented pointerMove for pointerType pen"); WebKitGTK's turns a touch into a
 * mouse and sends a pen's press but none of its moves or its lift. The page's code is the same
 * pointer events in all three. */
const DRIVEN = { chromium: ['touch', 'pen'], firefox: ['touch'], webkit: [] };

/** Draws on the pad and waits for the answer to the last stroke; resolves to the digit read. */
async function read(page, strokes, how) {
  await page.click('#clear');
  await page.until(() => !document.getElementById('draw').dataset.digit);
  await page.stroke('#pad', strokes, how);
  return page.until(() => { const d = document.getElementById('draw').dataset; return d.digit && d.answered === d.asked && d.digit; });
}

for (const engine of ENGINES) {
  describe(engine, () => {
    let browser;
    before(async () => {
      assert.ok(installed(engine), `${engine} is not installed: bash src/setup.sh installs it`);
      browser = await launchEngine(engine);
      console.log(`# ${engine}: ${browser.version}`);
    });
    after(() => browser?.close());

    test('the main page trains and its curves grow; the pad reads a drawn 1; teach it learns a misread one', async () => {
      const page = await browser.newPage();
      await page.goto(`${site.url}?epochs=1`);
      await page.until(() => document.body.dataset.ready);
      await page.click('#start');
      // An epoch of [784,30,10] takes under a second on two threads, its points a tenth of one
      // apart: the curve is read once the run is done, each point as the page drew it on arrival
      // (a wait for "one more point" could begin after the last).
      await page.until(() => /Done\./.test(document.getElementById('status').textContent));
      const curve = await page.evaluate(() => ({ points: Number(document.body.dataset.points), accuracies: JSON.parse(document.body.dataset.accuracies ?? '[]') }));
      assert.ok(curve.points >= 3, `an epoch draws its curve in points: ${curve.points}`);
      assert.equal(curve.accuracies.length, curve.points);
      assert.ok(curve.accuracies.at(-1) > curve.accuracies[0], `the curve grows: ${curve.accuracies}`);
      assert.ok(curve.accuracies.at(-1) > 0.88, 'one epoch of [784,30,10] passes 88%');
      // the page is cross-origin isolated; Chromium and Firefox then share memory with Workers
      // and train on every core, WebKitGTK does not (it refuses to post shared memory) and says so
      const threads = await page.evaluate(() => ({ isolated: crossOriginIsolated, count: Number(document.body.dataset.threads), cores: navigator.hardwareConcurrency, text: document.getElementById('stat-threads').textContent }));
      assert.equal(threads.isolated, true);
      if (engine === 'webkit') assert.deepEqual([threads.count, threads.text], [1, '1 (this browser does not share memory with its Workers)']);
      else assert.deepEqual([threads.count, threads.text], [Math.min(threads.cores, 64), String(Math.min(threads.cores, 64))]);
      assert.equal(await read(page, ONE), '1');
      assert.deepEqual(await page.errors(), []);

      await page.goto(`${site.url}?embed=1&panels=draw`);
      await page.until(() => document.getElementById('pad').dataset.live !== undefined);
      assert.equal(await read(page, FLAGGED_ONE), '7');
      await page.click('#teach-digits button:nth-child(2)'); // "it is a 1"
      await page.until(() => /Learnt in \d+ rounds?/.test(document.getElementById('teach-status').textContent));
      await page.until(() => document.getElementById('draw').dataset.digit === '1');
      assert.deepEqual(await page.errors(), []);
      await page.close();
    });

    test('the pad reads a 1 drawn by a finger and by a pen, a palm resting on the pad beside it not a stroke', { skip: !DRIVEN[engine].length && 'its WebDriver cannot draw with a finger or a pen' }, async () => {
      const page = await browser.newPage();
      await page.goto(`${site.url}?embed=1&panels=draw`);
      await page.until(() => document.getElementById('pad').dataset.live !== undefined);
      await page.evaluate(() => {
        window.pointers = [];
        document.getElementById('pad').addEventListener('pointerdown', (e) => window.pointers.push(e.pointerType));
      });
      const palm = DRIVEN[engine].includes('touch'); // a palm is a touch
      const inkBox = () => page.evaluate(() => { // where the ink is (the pad's alpha), in 0..1 of the pad
        const pad = document.getElementById('pad'), { data } = pad.getContext('2d').getImageData(0, 0, pad.width, pad.height);
        const box = [1, 1, 0, 0];
        for (let i = 3; i < data.length; i += 4) {
          if (!data[i]) continue;
          const x = ((i >> 2) % pad.width) / pad.width, y = Math.floor((i >> 2) / pad.width) / pad.height;
          box[0] = Math.min(box[0], x); box[1] = Math.min(box[1], y); box[2] = Math.max(box[2], x); box[3] = Math.max(box[3], y);
        }
        return box;
      });
      for (const pointer of DRIVEN[engine]) {
        assert.equal(await read(page, ONE, { pointer }), '1', `a 1 drawn by ${pointer}`);
        assert.deepEqual(await page.evaluate(() => window.pointers.splice(0)), [pointer], `${engine} gave the pad ${pointer} pointer events`);
        if (!palm) continue;
        const alone = await inkBox();
        assert.equal(await read(page, ONE, { pointer, palm: [0.9, 0.9] }), '1', `a 1 drawn by ${pointer} beside a resting palm`);
        assert.deepEqual(await page.evaluate(() => window.pointers.splice(0)), [pointer, 'touch'], 'the palm came as a second pointer');
        const beside = await inkBox(); // the palm rests at (0.9, 0.9), the 1 ends at (0.47, 0.86)
        assert.ok(beside.every((v, i) => Math.abs(v - alone[i]) < 0.03), `the palm left no ink: the ink spans ${beside} as the stroke alone spans ${alone}`);
      }
      assert.deepEqual(await page.errors(), []);
      await page.close();
    });

    test('a kept run is offered after a reload; with the server gone the page reloads from its copies', async () => {
      const page = await browser.newPage();
      await page.goto(`${site.url}?epochs=3`);
      await page.until(() => document.body.dataset.ready);
      await pauseWhen(page, 'storedX', 1);
      await page.click('#start');
      await page.until(() => document.body.dataset.pauseAnswered !== undefined);
      await page.reload();
      await page.until(() => !document.getElementById('resume').hidden && document.getElementById('resume-text').textContent);
      assert.match(await page.evaluate(() => document.getElementById('resume-text').textContent), /\[784,30,10\], [12] of 3 epochs trained/);
      await page.until(() => document.body.dataset.kept);
      await offline(async () => {
        await page.reload();
        await page.until(() => document.body.dataset.ready);
        assert.equal(await read(page, ONE), '1');
      });
      assert.deepEqual(await page.errors(), []);
      await page.close();
    });

    test('a figure once kept opens with the server gone; the page and the figures are installable (a manifest with icons)', async () => {
      const page = await browser.newPage();
      await page.goto(`${site.url}figures/?figure=bumps`);
      await page.until(() => document.body.dataset.ready);
      await page.until(() => document.body.dataset.kept); // the service worker has every file the figure loaded
      await offline(async () => {
        await page.reload();
        await page.until(() => document.body.dataset.ready);
        const before = await page.evaluate(() => Number(document.body.dataset.renders));
        await page.press('.figure input[type=range]', 'ArrowRight');
        await page.until((n) => Number(document.body.dataset.renders) > n, before);
      });
      assert.deepEqual(await page.errors(), []);
      for (const view of ['', 'figures/']) {
        await page.goto(`${site.url}${view}`);
        const manifest = await page.evaluate(async () => {
          const link = document.querySelector('link[rel=manifest]');
          const m = await (await fetch(link.href)).json();
          const icons = await Promise.all(m.icons.map(async (i) => {
            const r = await fetch(new URL(i.src, link.href));
            const b = new DataView(await r.arrayBuffer());
            return i.type === 'image/png' ? `${b.getUint32(16)}x${b.getUint32(20)}` === i.sizes : r.ok && i.sizes === 'any';
          }));
          return { name: m.name, start: new URL(m.start_url, link.href).href, display: m.display, icons };
        });
        assert.equal(manifest.start, `${site.url}${view}`, 'it starts where it was installed');
        assert.equal(manifest.display, 'standalone');
        assert.ok(manifest.name && manifest.icons.length >= 2 && manifest.icons.every(Boolean), JSON.stringify(manifest));
      }
      await page.close();
    });

    test('every figure loads, answers its first input, and reports no error', async () => {
      const page = await browser.newPage();
      for (const { id } of FIGURES) {
        await page.goto(`${site.url}figures/?figure=${id}`);
        await page.until(() => document.body.dataset.ready);
        const renders = await page.evaluate(() => Number(document.body.dataset.renders));
        await page.press('[data-first-input]', await page.evaluate(markFirstInput));
        await page.until((n) => Number(document.body.dataset.renders) > n, renders, 20_000).catch((e) => assert.fail(`${id}: no render after its first input: ${e.message}`));
        const after = await page.until(() => document.body.dataset.ready && { notes: document.getElementById('notes').hidden ? '' : document.getElementById('notes').textContent, text: document.querySelector('.figure').textContent });
        assert.equal(after.notes, '', `${id}: a note`);
        assert.match(after.text, /\d/, `${id} shows numbers`);
        assert.deepEqual(await page.errors(), [], id);
      }
      await page.close();
    });

    test('the example lesson: its figures by element and by iframe come up and are set from the page; axe-clean, no error', async () => {
      const page = await browser.newPage();
      await page.goto(`${site.url}lesson/`);
      const up = await page.evaluate(async () => {
        const seen = [];
        await customElements.whenDefined('nndl-figure'); // WebKit's driver may answer before the modules ran
        for (const el of document.querySelectorAll('nndl-figure')) { // as a reader scrolls to each
          el.scrollIntoView();
          await el.ready;
          seen.push([el.getAttribute('name'), el.dataset.ready ?? 'not up', el.notes.join('; ')]);
        }
        return seen;
      });
      assert.deepEqual(up, ['step', 'two-neurons', 'bumps', 'by-hand', 'two-inputs'].map((name) => [name, '1', '']));
      await page.click('#more-bumps');
      await page.until(() => document.getElementById('bumps-figure').state.n === 10);
      await page.evaluate(() => document.getElementById('learn-frame').scrollIntoView());
      await page.click('#learn-setup');
      await page.until(() => /^Set: 10 hidden neurons/.test(document.getElementById('learn-status').textContent));
      const violations = await page.evaluate((source) => {
        (0, eval)(source); // eslint-disable-line no-eval -- axe-core, as a script tag would load it
        return window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'], iframes: false }).then((r) => r.violations.map((v) => `${v.id}: ${v.nodes[0].target}`));
      }, AXE);
      assert.deepEqual(violations, []);
      assert.deepEqual(await page.errors(), []);
      await page.close();
    });

    test('the WebAssembly core trains to the same bits as in Node', async () => {
      const page = await browser.newPage();
      await page.goto(`${site.url}figures/?figure=step`); // any page of the site: its origin
      const got = await page.evaluate(async (runs) => {
        const { Network, loadCore } = await import('/lib/nndl.js');
        const { loadSets } = await import('/lib/mnist.js');
        const [all] = await loadSets(new URL('/data/', location.href), await loadCore(), ['mnist/train'], () => {});
        const hashes = {};
        for (const [name, run] of Object.entries(runs)) {
          const net = await Network.create(run.sizes ?? run.layers, { seed: 2, hidden: run.hidden ?? 'sigmoid' });
          const part = all.slice(0, run.limit);
          net.trainEpoch(part, { mini_batch_size: 10, eta: run.eta });
          const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', net.params.slice()));
          hashes[name] = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('').slice(0, 16);
          part.free();
          net.free();
        }
        all.free();
        return hashes;
      }, RUNS);
      assert.deepEqual(got, WASM);
      await page.close();
    });

    test('a language tag Intl refuses (WebKit under LANG=C says "C") leaves the page working', { skip: engine === 'webkit' && 'WebDriver cannot set a page\'s language before its scripts' }, async () => {
      const page = await browser.newPage({ init: () => Object.defineProperty(Navigator.prototype, 'language', { configurable: true, get: () => 'C' }) });
      await page.goto(`${site.url}?epochs=1`);
      await page.until(() => document.body.dataset.ready);
      assert.equal(await page.evaluate(() => { try { return new Intl.NumberFormat(navigator.language).format(1); } catch { return 'refused'; } }), '1', 'the page reads its language as one Intl takes');
      await page.click('#start');
      await page.until(() => Number(document.body.dataset.points) >= 1 && document.querySelector('#chart .uplot') !== null);
      assert.deepEqual(await page.errors(), []);
      await page.close();
    });
  });
}
