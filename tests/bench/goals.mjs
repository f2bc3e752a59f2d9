// goals.mjs — the bench's time goals (issue 22): each is measured several times on this machine,
// and printed with its median, its spread (fastest–slowest) and the goal, `met` or `short` as the
// median is within it or not (a goal that no main-thread task run over 50 ms is measured as the
// longest task of each run). The tests assert none of this: times depend on the machine, and
// these goals are for a known one. Also the fresh browser each measurement runs in. Not here:
// what is measured (load.mjs, responsive.mjs).
import { launch, watchLongTasks } from '../js/browser.mjs';
import { throttle } from '../js/load.mjs';

/** The median of some numbers. */
export const median = (values) => {
  const s = [...values].sort((a, b) => a - b), mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

/** A time in ms, as a person reads it. */
export const formatMs = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`);

export class Goals {
  constructor() {
    /** name -> { name, goal, values } in the order first measured */
    this.rows = new Map();
  }

  /** Adds one measurement (ms) of `name`, whose goal is at most `goal` ms. */
  add(name, ms, goal) {
    if (!this.rows.has(name)) this.rows.set(name, { name, goal, values: [] });
    this.rows.get(name).values.push(ms);
  }

  /** Each goal's verdict: { name, goal, runs, median, fastest, slowest, met }. */
  verdicts() {
    return [...this.rows.values()].map(({ name, goal, values }) => {
      const m = median(values);
      return { name, goal, runs: values.length, median: m, fastest: Math.min(...values), slowest: Math.max(...values), met: m <= goal };
    });
  }

  /** Prints the table of goals; returns how many are short. */
  print(title) {
    const verdicts = this.verdicts();
    const header = ['what', 'runs', 'median', 'spread', 'goal', 'verdict'];
    const body = verdicts.map((v) => [v.name, String(v.runs), formatMs(v.median), `${formatMs(v.fastest)}–${formatMs(v.slowest)}`,
      `at most ${formatMs(v.goal)}`, v.met ? 'met' : 'short']);
    console.log(`\n${title}`);
    printTable(header, body);
    const short = verdicts.filter((v) => !v.met).length;
    console.log(`${verdicts.length - short} of ${verdicts.length} goals met${short ? `; ${short} short` : ''}.`);
    return short;
  }
}

/** Runs run(page) on a page of a fresh Chromium, its long tasks recorded (watchLongTasks), on
 * classroom Wi-Fi if `throttled`; the browser is closed whatever happens. */
export async function inFreshBrowser(run, { throttled = false } = {}) {
  const browser = await launch();
  try {
    const page = await browser.context.newPage();
    await watchLongTasks(page);
    if (throttled) await throttle(browser.context, page);
    return await run(page);
  } finally {
    await browser.close();
  }
}

/** The longest of some long tasks (0 for none), in ms. */
export const longest = (tasks) => Math.max(0, ...tasks.map((t) => t.duration));

/** Prints rows under a header, each column as wide as its widest cell. */
export function printTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}
