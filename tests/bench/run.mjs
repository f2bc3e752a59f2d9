// run.mjs — `npm run bench`: the training speeds (bench.mjs: native, WebAssembly in Node and in a
// Chromium Worker), then every time goal — loads at 10 Mbit/s (load.mjs), answers while training
// (responsive.mjs) — each measured several times, with a last table of the goals, met or short.
//   npm run bench -- --runs 3        runs of each goal (5)
//   npm run bench -- --only goals    only the goals (or: speed, load, responsive; comma-separated)
//   npm run bench -- --check         exit status 1 when a goal is short: a gate for a known
//                                    machine (CI does not run the bench; the tests assert no time)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CHROMIUM } from '../js/browser.mjs';
import { Goals } from './goals.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, only: { type: 'string', default: 'speed,load,responsive' }, check: { type: 'boolean', default: false } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs must be a whole number of runs, not ${values.runs}`);
  process.exit(2);
}
const parts = new Set(values.only.split(',').flatMap((p) => (p === 'goals' ? ['load', 'responsive'] : [p])));
const unknown = [...parts].filter((p) => !['speed', 'load', 'responsive'].includes(p));
if (unknown.length) {
  console.error(`bench: --only takes speed, load, responsive or goals, not ${unknown.join(', ')}`);
  process.exit(2);
}

if (parts.has('speed')) execFileSync(process.execPath, [fileURLToPath(new URL('bench.mjs', import.meta.url))], { stdio: 'inherit' });

const goals = new Goals();
if ((parts.has('load') || parts.has('responsive')) && !existsSync(CHROMIUM)) {
  console.log(`\n(no Chromium at ${CHROMIUM}: loads and answers not measured)`);
} else {
  if (parts.has('load')) await (await import('./load.mjs')).measureLoads(goals, { runs });
  if (parts.has('responsive')) await (await import('./responsive.mjs')).measureResponsiveness(goals, { runs });
}
if (goals.rows.size) {
  const short = goals.print(`Time goals on this machine (${runs} runs each; the tests assert none of these)`);
  if (values.check && short) process.exitCode = 1;
}
