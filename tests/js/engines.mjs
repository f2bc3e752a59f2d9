// engines.mjs — the three browser engines a class uses, behind one small interface for the tests
// that run in each: Chromium (Debian's chromium, over CDP) and Firefox (Debian's firefox-esr, over
// WebDriver BiDi), both by puppeteer-core; WebKit, Safari's engine (WebKitGTK's MiniBrowser, driven
// by Debian's WebKitWebDriver, a W3C WebDriver server) by selenium-webdriver, under xvfb-run. A
// page here: goto, evaluate (async functions too), until, click, press, stroke (pointer events
// of a mouse, a finger or a pen, a palm resting beside), reload, and the errors the page reported. Not here: what is tested (engines.test.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { Builder, By, Key } from 'selenium-webdriver';
import { Command, Name } from 'selenium-webdriver/lib/command.js';
import { CHROMIUM, PATIENCE } from './browser.mjs';
import { until } from './load.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];
export const FIREFOX = process.env.NNDL_FIREFOX ?? '/usr/bin/firefox-esr';
export const MINIBROWSER = process.env.NNDL_MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

/** Whether an engine's browser is on this machine (src/setup.sh installs all three). */
export const installed = (engine) => existsSync({ chromium: CHROMIUM, firefox: FIREFOX, webkit: MINIBROWSER }[engine]);

/** Records the page's uncaught errors and rejected promises in window.pageErrors, as a page
 * script sees them: WebDriver classic has no console to listen to, so every engine does it so. */
const RECORD_ERRORS = `window.pageErrors = window.pageErrors || [];
addEventListener('error', (e) => window.pageErrors.push(String(e.message)));
addEventListener('unhandledrejection', (e) => window.pageErrors.push(String(e.reason && e.reason.message || e.reason)));`;

const KEYS = { ArrowRight: Key.ARROW_RIGHT, ArrowLeft: Key.ARROW_LEFT, ArrowUp: Key.ARROW_UP, ArrowDown: Key.ARROW_DOWN, Space: Key.SPACE, Enter: Key.ENTER };

/** Where `selector`'s box is in the viewport, scrolled into view at once (pointer actions need it
 * in view, and still) and two frames drawn after. */
const boxOf = (selector) => new Promise((resolve) => {
  const element = document.querySelector(selector);
  element.scrollIntoView({ block: 'center', behavior: 'instant' });
  requestAnimationFrame(() => requestAnimationFrame(() => {
    const r = element.getBoundingClientRect();
    resolve({ x: r.x, y: r.y, w: r.width, h: r.height });
  }));
});

/** W3C pointer actions (WebDriver classic and BiDi take the same) for one stroke through
 * viewport points by a `pointerType` pointer; with `palm`, a second touch resting at that point
 * from the stroke's second point to its end (a hand on a tablet). */
function strokeActions(pointerType, points, palm) {
  const at = ([x, y], duration = 0) => ({ type: 'pointerMove', x: Math.round(x), y: Math.round(y), duration });
  const pen = [at(points[0]), { type: 'pointerDown', button: 0 }, ...points.slice(1).map((p) => at(p, 30)), { type: 'pointerUp', button: 0 }];
  const sources = [{ type: 'pointer', id: `stroke-${pointerType}`, parameters: { pointerType }, actions: pen }];
  if (palm) {
    const pause = { type: 'pause', duration: 0 };
    sources.push({ type: 'pointer', id: 'palm', parameters: { pointerType: 'touch' }, actions: [pause, pause, at(palm), { type: 'pointerDown', button: 0 }, ...pen.slice(4).map(() => pause)] });
    sources[1].actions[sources[1].actions.length - 1] = { type: 'pointerUp', button: 0 };
  }
  return sources;
}

/** A free TCP port on 127.0.0.1. */
const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

/** Launches `engine` with a fresh profile (`lang`: the process's LANG, for WebKit's locale).
 * Resolves to { engine, version, newPage(), close() }. */
export async function launchEngine(engine, { lang = 'C.UTF-8' } = {}) {
  return engine === 'webkit' ? launchWebKit(lang) : launchPuppeteer(engine);
}

async function launchPuppeteer(engine) {
  const profile = mkdtempSync(join(tmpdir(), `nndl-${engine}-`));
  const browser = await puppeteer.launch(engine === 'firefox'
    ? { browser: 'firefox', executablePath: FIREFOX, headless: true, userDataDir: profile }
    : { browser: 'chrome', executablePath: CHROMIUM, headless: true, userDataDir: profile, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  return {
    engine,
    version: await browser.version(),
    /** A page; init: a function run in it before the page's own scripts. */
    async newPage({ init } = {}) {
      const page = await browser.newPage();
      page.setDefaultTimeout(PATIENCE);
      await page.setViewport({ width: 1100, height: 900 });
      await page.evaluateOnNewDocument(RECORD_ERRORS);
      if (init) await page.evaluateOnNewDocument(init);
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e.message ?? e)));
      return puppeteerPage(page, errors);
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function puppeteerPage(page, errors) {
  const self = {
    errors: async () => [...errors, ...((await page.evaluate(() => window.pageErrors ?? []).catch(() => [])))].filter((e, i, all) => all.indexOf(e) === i),
    goto: (url) => page.goto(url, { waitUntil: 'load' }),
    reload: () => page.reload({ waitUntil: 'load' }),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    until: (fn, arg, ms = PATIENCE) => until(self, fn, arg, ms),
    click: (selector) => page.click(selector),
    async press(selector, key) {
      await page.focus(selector);
      await page.keyboard.press(key === 'Space' ? ' ' : key); // Firefox's BiDi knows the space by its character
    },
    /** Pointer strokes over `selector`: each a list of [x, y] in 0..1 of its box, drawn by a
     * `pointer` ('mouse', 'touch' or 'pen'); `palm`, a point in 0..1 where a second touch rests
     * during each stroke. */
    async stroke(selector, strokes, { pointer = 'mouse', palm } = {}) {
      const box = await page.evaluate(boxOf, selector), at = ([x, y]) => [box.x + x * box.w, box.y + y * box.h];
      for (const points of strokes) {
        if (pointer === 'mouse' && !palm) {
          await page.mouse.move(...at(points[0]));
          await page.mouse.down();
          for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
          await page.mouse.up();
        } else if (page.browser().protocol === 'webDriverBiDi') { // Firefox: the W3C actions
          await page.mainFrame().browsingContext.performActions(strokeActions(pointer, points.map(at), palm && at(palm)));
        } else { // Chromium: the DevTools protocol's input, a finger as touch events, a pen as a mouse of pointerType pen
          await chromiumStroke(page, pointer, points.map(at), palm && at(palm));
        }
      }
    },
    close: () => page.close(),
  };
  return self;
}

/** One stroke in Chromium by DevTools input: `pointer` 'touch' (touch events, id 0), 'pen' or
 * 'mouse' (mouse events of that pointerType); a palm, a second touch (id 1) from the second point on. */
async function chromiumStroke(page, pointer, points, palm) {
  const cdp = await page.createCDPSession();
  const touches = (p, down) => [...(down ? [{ x: p[0], y: p[1], id: 0 }] : []), ...(palm ? [{ x: palm[0], y: palm[1], id: 1 }] : [])];
  const mouse = (type, [x, y]) => cdp.send('Input.dispatchMouseEvent', { type, x, y, button: 'left', buttons: type === 'mouseReleased' ? 0 : 1, clickCount: 1, pointerType: pointer });
  for (const [i, p] of points.entries()) {
    if (pointer === 'touch') await cdp.send('Input.dispatchTouchEvent', { type: i ? 'touchMove' : 'touchStart', touchPoints: i ? touches(p, true) : [{ x: p[0], y: p[1], id: 0 }] });
    else await mouse(i ? 'mouseMoved' : 'mousePressed', p);
    if (palm && i === 1) await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: touches(p, pointer === 'touch') });
  }
  if (pointer === 'touch') await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  else {
    await mouse('mouseReleased', points.at(-1));
    if (palm) await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

async function launchWebKit(lang) {
  const port = await freePort();
  const { LC_ALL, LANGUAGE, ...env } = process.env; // the locale is LANG's alone
  const server = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { stdio: 'ignore', detached: true, env: { ...env, LANG: lang } });
  const stop = () => { try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone already */ } };
  let driver;
  for (let tries = 0; !driver; tries++) {
    try {
      driver = await new Builder().usingServer(`http://127.0.0.1:${port}`).withCapabilities({
        browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
      }).build();
    } catch (e) {
      if (tries > 50) { stop(); throw e; }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await driver.manage().setTimeouts({ script: PATIENCE, pageLoad: PATIENCE });
  await driver.manage().window().setRect({ width: 1100, height: 900 });
  const version = await driver.getCapabilities().then((c) => `WebKitGTK ${c.get('browserVersion')}`);
  let pages = 0;
  return {
    engine: 'webkit',
    version,
    // one window a session: a new page is the same window, navigated afresh
    async newPage() {
      if (pages++) await driver.get('about:blank');
      return webdriverPage(driver);
    },
    async close() {
      await driver.quit().catch(() => {});
      stop();
    },
  };
}

function webdriverPage(driver) {
  const inject = () => driver.executeScript(`if (!window.pageErrors) { ${RECORD_ERRORS} }`);
  const self = {
    // WebDriver classic cannot run a script before the page's own: errors from after load
    errors: () => driver.executeScript('return window.pageErrors || []'),
    goto: async (url) => { await driver.get(url); await inject(); },
    reload: async () => { await driver.navigate().refresh(); await inject(); },
    async evaluate(fn, arg) {
      const result = await driver.executeAsyncScript(`const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (${fn})(arguments[0])).then((v) => done({ v: v === undefined ? null : v }), (e) => done({ e: String(e && e.message || e) }));`, arg ?? null);
      if (result && 'e' in result) throw new Error(result.e);
      return result.v;
    },
    until: (fn, arg, ms = PATIENCE) => until(self, fn, arg, ms),
    click: async (selector) => (await driver.findElement(By.css(selector))).click(),
    press: async (selector, key) => (await driver.findElement(By.css(selector))).sendKeys(KEYS[key] ?? key),
    async stroke(selector, strokes, { pointer = 'mouse', palm } = {}) {
      const box = await self.evaluate(boxOf, selector), at = ([x, y]) => [box.x + x * box.w, box.y + y * box.h];
      for (const points of strokes)
        await driver.execute(new Command(Name.ACTIONS).setParameter('actions', strokeActions(pointer, points.map(at), palm && at(palm))));
    },
    close: async () => {},
  };
  return self;
}
