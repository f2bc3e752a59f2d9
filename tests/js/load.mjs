// load.mjs — loading views as readers do, for the load tests and the bench: the static build (npm
// run build) in a temporary folder served on localhost with every byte sent counted, Chromium's
// own network emulation (CDP Network.emulateNetworkConditions) on a page, a 1 drawn on the pad
// and its answer awaited, the main-thread tasks after the first paint, and the resident memory of
// Chromium's renderer processes read from /proc (Linux).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite } from '../../src/site/build.mjs';
import { staticServer } from '../../src/site/http.mjs';
import { isolationHeaders } from '../../src/site/site.mjs';
import { PATIENCE } from './browser.mjs';
import { tempDir } from './helpers.mjs';

/** Classroom Wi-Fi: 10 Mbit/s both ways, 40 ms latency. */
export const CLASSROOM = { offline: false, latency: 40, downloadThroughput: 1.25e6, uploadThroughput: 1.25e6 };

/** Builds the static site into a temporary folder and serves it on 127.0.0.1 as a host that reads
 * its _headers (the main page's isolation) would. Resolves to
 * { url, dir, sent(), paths(), reset(), down(), close() }: bytes sent on the wire (headers
 * included) and the paths asked for since the last reset(); down(true) drops every connection
 * and refuses new ones (a classroom whose Wi-Fi is gone, in any browser), down(false) serves again. */
export async function serveBuild() {
  const [dir, remove] = tempDir();
  let paths = [], closedBytes = 0;
  const open = new Set();
  const server = staticServer((path) => {
    paths.push(path);
    const file = join(dir, path);
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  }, { headers: isolationHeaders });
  let refusing = false;
  server.on('connection', (socket) => {
    if (refusing) return void socket.destroy();
    open.add(socket);
    socket.on('close', () => {
      closedBytes += socket.bytesWritten;
      open.delete(socket);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  buildSite(dir, { url: `http://127.0.0.1:${server.address().port}/` }); // for its own address: the oEmbed descriptions name it
  const sent = () => closedBytes + [...open].reduce((sum, s) => sum + s.bytesWritten, 0);
  let base = 0;
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    dir,
    sent: () => sent() - base,
    paths: () => [...paths],
    reset() {
      base = sent();
      paths = [];
    },
    down(gone) {
      refusing = gone;
      if (gone) for (const socket of open) socket.destroy();
    },
    close() {
      server.closeAllConnections?.();
      server.close();
      remove();
    },
  };
}

/** Draws a 1 on the pad with the mouse; resolves to the digit the page reads for it. */
export async function drawOne(page) {
  await strokeOne(page);
  return (await answer(page)).digit;
}

/**
 * Evaluates fn(arg) in the page every 20 ms until it is truthy; resolves to its value. Unlike
 * Playwright's selectors and waitForFunction, it injects nothing into the page (Playwright's
 * selector engine is a script of its own that takes 30-40 ms of the page's main thread when it
 * first runs): what the page's clock and long tasks say is then the page's alone. Any page with
 * evaluate(fn, arg) will do (engines.mjs's too); an evaluation that fails (the page between two
 * documents) is tried again.
 */
export async function until(page, fn, arg, ms = PATIENCE) {
  let failed;
  for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 20))) {
    try {
      const value = await page.evaluate(fn, arg);
      if (value) return value;
    } catch (e) { failed = e; }
  }
  throw new Error(`${fn} still false after ${ms} ms${failed ? ` (${failed.message})` : ''}`);
}

/**
 * Arms the main page to press its own Pause the moment the body's data-<name> reaches `least`
 * (storedX: the epoch a kept run has reached; points: the curve points drawn): a MutationObserver
 * in the page, not a poll from here. An epoch of [784,30,10] takes under a second on two threads,
 * so a Pause clicked from the test after it saw the figure could land an epoch or the whole run
 * later on a fast machine beside a slow harness. Resolves once armed; the Worker's answer is
 * data-pause-answered (deleted when Pause or Resume is pressed, set when the Worker has paused).
 */
export function pauseWhen(page, name, least) {
  return page.evaluate(([name, least]) => {
    const body = document.body;
    const observer = new MutationObserver(() => {
      if (!(Number(body.dataset[name]) >= least)) return;
      observer.disconnect();
      document.getElementById('pause').click();
    });
    observer.observe(body, { attributes: true });
  }, [name, least]);
}

/** Draws a 1 on the pad with the mouse. */
export async function strokeOne(page) {
  const box = await page.evaluate(() => { const r = document.getElementById('pad').getBoundingClientRect(); return { x: r.x, y: r.y, width: r.width, height: r.height }; });
  const at = (x, y) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
  await page.mouse.move(...at(150, 40));
  await page.mouse.down();
  for (const y of [90, 140, 190, 240]) await page.mouse.move(...at(150 - (y - 40) / 12, y), { steps: 2 });
  await page.mouse.up();
}

/** Once the page shows its answer to the latest drawing: { digit, at } (at: ms after
 * navigation, by the page's clock, to within 20 ms). */
export const answer = (page) => until(page, () => {
  const d = document.getElementById('draw').dataset;
  return d.digit && d.answered === d.asked && { digit: d.digit, at: performance.now() };
});

/** The page's main-thread long tasks from its first paint on (watchLongTasks records them): its
 * start-up, its messages, what it loads. (The browser's parse and first layout of the HTML come
 * before the first paint, and a test harness injects its own scripts then.) */
/** In the page: a reader's first input on a figure, focused and marked data-first-input — its
 * first visible slider, or, for a figure of buttons only, its first control button — and the key
 * that works it: one step (down if the slider is at its top), or Space. */
export function markFirstInput() {
  const slider = [...document.querySelectorAll('input[type=range]')].find((r) => r.checkVisibility());
  const control = slider ?? [...document.querySelectorAll('.figure .controls button')].find((b) => b.checkVisibility());
  control.focus();
  control.dataset.firstInput = '';
  return slider ? (Number(slider.value) >= Number(slider.max) ? 'ArrowLeft' : 'ArrowRight') : 'Space';
}

/** A reader's first input on a figure, by keyboard (markFirstInput). */
export async function firstInput(page) {
  await page.keyboard.press(await page.evaluate(markFirstInput));
}

export const longTasksAfterFirstPaint = (page) => page.evaluate(() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0;
  return window.longTasks.filter((t) => t.start >= paint);
});

/** Chromium's network emulation on a page (and what it loads in its frames and Workers). */
export async function throttle(context, page, conditions = CLASSROOM) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', conditions);
  return cdp;
}

function cmdline(pid) {
  try {
    // a renderer rewrites its title: its arguments then come as one line with spaces
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  } catch {
    return [];
  }
}

/** Chromium driven over its DevTools pipe with nothing but Target and Runtime calls: no network
 * agent records the page's traffic (Playwright's keeps a copy of each response in the renderer,
 * megabytes that a reader's browser never holds), so memory is measured as readers live it.
 * Resolves to { profile, send(method, params, sessionId), open(url) -> sessionId, close() }. */
export async function bareChromium(executable) {
  const { spawn } = await import('node:child_process');
  const [profile, remove] = tempDir();
  const child = spawn(executable, ['--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-pipe',
    `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  const pending = new Map();
  let id = 0, buffer = '';
  child.stdio[4].on('data', (data) => {
    buffer += data;
    for (let end; (end = buffer.indexOf('\0')) >= 0; buffer = buffer.slice(end + 1)) {
      const message = JSON.parse(buffer.slice(0, end));
      const waiter = pending.get(message.id);
      if (!waiter) continue;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${waiter.method}: ${message.error.message}`));
      else waiter.resolve(message.result);
    }
  });
  const send = (method, params = {}, sessionId = undefined) => new Promise((resolve, reject) => {
    pending.set(++id, { resolve, reject, method });
    child.stdio[3].write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
  });
  return {
    profile,
    send,
    async open(url) {
      const { targetId } = await send('Target.createTarget', { url });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      return sessionId;
    },
    /** Evaluates an expression in a page until it is truthy (or the time is up); its value. A
     * cross-origin isolated page (the main one) moves to a renderer of its own as it loads, and
     * has no context to evaluate in for a moment: asked again. */
    async until(sessionId, expression, ms = 60000) {
      for (const start = Date.now(); Date.now() - start < ms; await new Promise((r) => setTimeout(r, 100))) {
        const reply = await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId).catch((e) => {
          if (/execution context/.test(e.message)) return null;
          throw e;
        });
        if (reply?.result.value) return reply.result.value;
      }
      throw new Error(`${expression} still false after ${ms} ms`);
    },
    async close() {
      await send('Browser.close').catch(() => {});
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      remove();
    },
  };
}

/** Private resident memory of a renderer (what it holds itself: RssAnon + RssShmem), and its
 * whole resident memory (VmRSS, which also counts the pages of Chromium's own program it has
 * touched, shared with every other process), in bytes, for the renderer of `profile` using the
 * most. */
export function rendererMemory(profile) {
  const pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    const args = cmdline(pid);
    return args.includes('--type=renderer') && args.includes(`--user-data-dir=${profile}`) && !args.includes('--top-chrome-webui');
  });
  const read = (pid) => {
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = (key) => 1024 * Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
      return { rss: kb('VmRSS'), private: kb('RssAnon') + kb('RssShmem') };
    } catch {
      return { rss: 0, private: 0 };
    }
  };
  return pids.map(read).sort((a, b) => b.rss - a.rss)[0] ?? { rss: 0, private: 0 };
}

/**
 * The memory a view holds once ready, as a reader's browser holds it: Chromium without any
 * DevTools network agent (bareChromium), the page opened, `ready` (an expression) awaited, the
 * service worker stopped as Chromium stops an idle one, a few seconds to settle; then the
 * renderer's memory, and what the page says of its WebAssembly memory (body[data-wasm-memory]).
 */
export async function viewMemory(executable, url, ready, { settleMs = 3000 } = {}) {
  const chromium = await bareChromium(executable);
  try {
    const session = await chromium.open(url);
    await chromium.until(session, ready);
    // once the service worker has kept the view's files (a page that is not ours has none to keep)
    await chromium.until(session, 'document.body.dataset.kept || !document.body.dataset.ready', 20000).catch(() => {});
    await chromium.send('ServiceWorker.enable', {}, session);
    await chromium.send('ServiceWorker.stopAllWorkers', {}, session);
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const { result } = await chromium.send('Runtime.evaluate', { expression: 'Number(document.body.dataset.wasmMemory) || 0', returnByValue: true }, session);
    return { ...rendererMemory(chromium.profile), wasm: result.value };
  } finally {
    await chromium.close();
  }
}
