// engines.mjs — the three browser engines a class uses, behind one small interface for the tests
// that run in each: Chromium (Debian's chromium, over CDP) and Firefox (Debian's firefox-esr, over
// WebDriver BiDi), both by puppeteer-core; WebKit, Safari's engine (WebKitGTK's MiniBrowser, driven
// by Debian's WebKitWebDriver, a W3C WebDriver server) by selenium-webdriver, under xvfb-run. A
// page here: goto, evaluate (async functions too), until, click, press, stroke (pointer events),
// reload, and the errors the page reported. Not here: what is tested (engines.test.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import { Builder, By, Key } from 'selenium-webdriver';
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
    /** Pointer strokes over `selector`: each a list of [x, y] in 0..1 of its box. */
    async stroke(selector, strokes) {
      const box = await page.evaluate((s) => {
        const element = document.querySelector(s);
        element.scrollIntoView({ block: 'center', behavior: 'instant' }); // pointer actions need it in view, and still
        const r = element.getBoundingClientRect();
        return { x: r.x, y: r.y, w: r.width, h: r.height };
      }, selector);
      for (const points of strokes) {
        const at = ([x, y]) => [box.x + x * box.w, box.y + y * box.h];
        await page.mouse.move(...at(points[0]));
        await page.mouse.down();
        for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
        await page.mouse.up();
      }
    },
    close: () => page.close(),
  };
  return self;
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
    async stroke(selector, strokes) {
      const element = await driver.findElement(By.css(selector));
      // pointer actions need it in view, and still: scrolled at once, a frame drawn after
      await driver.executeAsyncScript('const done = arguments[1]; arguments[0].scrollIntoView({ block: "center", behavior: "instant" }); requestAnimationFrame(() => requestAnimationFrame(done));', element);
      const { width, height } = await element.getRect();
      for (const points of strokes) {
        // WebDriver's pointer offsets are from the element's centre
        const at = ([x, y]) => ({ origin: element, x: Math.round((x - 0.5) * width), y: Math.round((y - 0.5) * height) });
        let actions = driver.actions({ async: true }).move(at(points[0])).press();
        for (const p of points.slice(1)) actions = actions.move({ ...at(p), duration: 30 });
        await actions.release().perform();
      }
    },
    close: async () => {},
  };
  return self;
}
