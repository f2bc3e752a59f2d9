// responsive.mjs (bench) — how the page and a live figure answer while the core trains in their
// Workers, in Debian's Chromium on the static build (localhost, unthrottled). Each run, in a fresh
// browser: chapter 1's [784,30,10] (three curve points above 85% after Start) and chapter 6's
// two-conv-layer network (two curve points) train while a 1 is drawn; the time from sending a
// drawing to its answer, from Pause to the Worker's answer, and the longest main-thread task from
// Start on; then the learn-f figure's [1,30,1] to an average deviation under 0.05 and its Pause.
// Adds these to the goals (goals.mjs). Asserts nothing.
import { longTasksSince } from '../js/browser.mjs';
import { answer, serveBuild, strokeOne, until } from '../js/load.mjs';
import { inFreshBrowser, longest } from './goals.mjs';

const TRAINING = 'longest main-thread task while training';
const longestSince = async (page, from) => longest(await longTasksSince(page, from));
/** Clicks `selector` from inside the page; resolves to the page's clock at the click. */
const clickAt = (page, selector) => page.evaluate((s) => { const t = performance.now(); document.querySelector(s).click(); return t; }, selector);

/** A preset of the page trains for `points` curve points; a 1 is drawn and read; Pause. */
const training = (site, goals, { name, search, points, classifyGoal, pointsGoal }) => inFreshBrowser(async (page) => {
  await page.goto(site.url + search);
  await until(page, () => document.body.dataset.ready);
  const started = await clickAt(page, '#start');
  const reached = await until(page, (n) => Number(document.body.dataset.points) >= n && performance.now(), points);
  if (pointsGoal) goals.add(`${name}: ${points} curve points after Start`, reached - started, pointsGoal);
  await strokeOne(page);
  await answer(page);
  goals.add(`${name}: a drawing read while training`, await page.evaluate(() => Number(document.body.dataset.classifyMs)), classifyGoal);
  await clickAt(page, '#pause');
  await until(page, () => document.body.dataset.pauseAnswered);
  goals.add(`${name}: Pause answered by the Worker`, await page.evaluate(() => Number(document.body.dataset.pauseAnswered) - Number(document.body.dataset.pauseAsked)), 100);
  goals.add(`${name}: ${TRAINING}`, await longestSince(page, started), 50);
});

/** The learn-f figure: Train until the average deviation is under 0.05; Pause. */
const learnF = (site, goals) => inFreshBrowser(async (page) => {
  await page.goto(`${site.url}figures/?figure=learn-f`);
  await until(page, () => document.body.dataset.ready);
  const train = 'section.figure .controls .buttons button'; // Train, then Pause
  const started = await clickAt(page, train);
  const below = await until(page, () => { const d = window.nndlFigure.data(); return d.deviation !== null && d.deviation < 0.05 && performance.now(); });
  goals.add('figure learn-f: [1,30,1] under an average deviation of 0.05 after Train', below - started, 10000);
  const asked = await clickAt(page, train);
  const paused = await until(page, () => window.nndlFigure.data().status === 'paused' && performance.now());
  goals.add('figure learn-f: Pause answered by the Worker', paused - asked, 100);
  goals.add(`figure learn-f: ${TRAINING}`, await longestSince(page, started), 50);
});

/** Measures `runs` times into `goals`. */
export async function measureResponsiveness(goals, { runs }) {
  const site = await serveBuild();
  try {
    for (let run = 0; run < runs; run++) {
      await training(site, goals, { name: '[784,30,10] (ch1)', search: '', points: 3, classifyGoal: 100, pointsGoal: 20000 });
      await training(site, goals, { name: 'two conv-pool layers (ch6-relu)', search: '?preset=ch6-relu', points: 2, classifyGoal: 150 });
      await learnF(site, goals);
    }
  } finally {
    site.close();
  }
}
