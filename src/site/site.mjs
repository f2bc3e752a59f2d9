// site.mjs — the one description of what the site is made of, shared by the development
// server (serve.mjs) and the static build (build.mjs): exactly which files of the repository
// appear at which paths of the site — web/ as it is (its folders: lib/, shared/, page/,
// figures/), the data, uPlot and each figure's own page and oEmbed description (pages.mjs, made
// for the site's public address). Nothing else is ever served. Node only, and outside web/, so
// never served itself.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { figurePages, siteUrl } from './pages.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** [site path prefix, repository folder, files to take (null: every file of the folder and its
 * folders)] */
const ROUTES = [
  ['/vendor/uplot/', 'node_modules/uplot/dist', ['uPlot.esm.js', 'uPlot.min.css']],
  ['/data/', 'data', ['pretrained.nndl', 'pretrained.json', 'chapter1-784-30-10.nndl', 'chapter6-conv3.nndl', 'mnist/train.png', 'mnist/train-labels.idx', 'mnist/test.png', 'mnist/test-labels.idx',
    'mnist/train-1000.png', 'mnist/train-1000-labels.idx', 'mnist/digits.png', 'mnist/digits-labels.idx']],
  ['/', 'web', null],
];

/** The files under dir, as paths relative to it ('page/app.js'). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return filesUnder(join(dir, entry.name)).map((f) => `${entry.name}/${f}`);
    return entry.isFile() ? [entry.name] : [];
  });
}

/** The headers that make the main page cross-origin isolated, so that its training Worker can run
 * the core on every core (issue 28; web/lib/threads.js): the page's documents say so, and its
 * Workers' scripts agree to run in it. The server sends them
 * (http.mjs), the static build writes them for hosts that read a _headers file (build.mjs), and
 * the service worker adds them where a host sends none (release.json carries them). Only the main
 * page: a figure needs no isolation, and a page that has it cannot load what a host does not mark. */
export const ISOLATION = [
  { match: '^/(index\\.html)?$', headers: { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } },
  // the page's scripts (WebKit wants its Workers' imports marked too), not the figures': a figure's
  // script opened as a document would refuse every frame a host puts in it
  { match: '^/(page|lib|shared)/.*\\.m?js$', headers: { 'cross-origin-embedder-policy': 'require-corp' } },
];

const isolationRules = ISOLATION.map((rule) => ({ match: new RegExp(rule.match), headers: rule.headers }));

/** The isolation headers of a site path. */
export const isolationHeaders = (path) =>
  Object.assign({}, ...isolationRules.filter((rule) => rule.match.test(path)).map((rule) => rule.headers));

/** Files that must exist before the page can work, and the command that makes them. */
export const BUILT = [
  ['web/lib/nndl.wasm', 'bash src/build.sh wasm'],
  ['web/lib/nndl-mt.wasm', 'bash src/build.sh wasm'],
  ['data/mnist/train.png', 'bash src/build.sh data'],
  ['data/mnist/test.png', 'bash src/build.sh data'],
  ['data/mnist/train-1000.png', 'bash src/build.sh data'],
  ['data/mnist/digits.png', 'bash src/build.sh data'],
];

/** The public address the site is made for when none is given: NNDL_SITE_URL, or the one `npm
 * start` serves at. */
export const DEFAULT_URL = process.env.NNDL_SITE_URL || 'http://127.0.0.1:8080/';

/** The site at public address `url`: a Map from each path it serves ('/index.html',
 * '/data/pretrained.nndl', ...) to the absolute path of the file behind it. Read anew on each
 * call, so that a file added to web/ appears without a restart. */
export function siteFiles({ url = DEFAULT_URL } = {}) {
  const files = new Map();
  for (const [prefix, folder, names] of ROUTES) {
    const dir = join(ROOT, folder);
    for (const name of names ?? filesUnder(dir)) files.set(prefix + name, join(dir, name));
  }
  for (const [path, file] of generatedPages(url)) files.set(path, file);
  return files;
}

const TEMPLATE = join(ROOT, 'web/figures/index.html');
let lastPages = { key: '', files: [] };

/** The figures' own pages and oEmbed descriptions for address `url`, as [site path, file]: made
 * (written where they changed) only when the address or the template changed since the last
 * call — the development server asks on every request. */
function generatedPages(url) {
  const base = siteUrl(url), key = `${base.href} ${statSync(TEMPLATE).mtimeMs}`;
  if (key === lastPages.key) return lastPages.files;
  const folder = join(ROOT, 'build/pages', createHash('sha256').update(base.href).digest('hex').slice(0, 12));
  const files = figurePages(TEMPLATE, base).map(([path, text]) => {
    const file = join(folder, path);
    writeIfChanged(file, text);
    return [path, file];
  });
  lastPages = { key, files };
  return files;
}

/** The first of BUILT that is missing, as [file, command], or undefined. */
export const missingBuild = () => BUILT.find(([file]) => !existsSync(join(ROOT, file)));

/** The files the service worker (sw.js) keeps, and by which it knows a release: every file of
 * the site but sw.js itself (the browser fetches that one on its own), release.json and the
 * figures' oEmbed descriptions (for platforms, never a reader's). */
const keptFiles = (files) => [...files].filter(([path]) => path !== '/sw.js' && path !== '/release.json' && !path.endsWith('/oembed.json')).sort(([a], [b]) => (a < b ? -1 : 1));

let lastRelease = { key: '', release: null };

/** release.json: the site's version (a hash of what it serves) and each kept file's size and
 * SHA-256, by which the service worker tells a whole copy from a corrupt or partial one and a new
 * release from the one it has. Recomputed only when a file changed (by size and time). */
export function release(files = siteFiles()) {
  const list = keptFiles(files);
  const key = JSON.stringify(list.map(([path, file]) => {
    const stat = statSync(file);
    return [path, stat.size, stat.mtimeMs];
  }));
  if (key !== lastRelease.key) {
    const entries = {};
    for (const [path, file] of list) {
      const bytes = readFileSync(file);
      entries[path] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
    }
    const version = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
    lastRelease = { key, release: { version, files: entries, isolation: ISOLATION } };
  }
  return lastRelease.release;
}

/** Writes text to file atomically (a temporary file renamed over it). */
export function writeAtomic(file, text) {
  mkdirSync(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** Writes text to file (atomically) unless the file already holds it. */
function writeIfChanged(file, text) {
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeAtomic(file, text);
}

/** The development server's release.json, written anew when the site changed: its path. */
export function releaseFile(files = siteFiles()) {
  const file = join(ROOT, 'build/dev/release.json');
  const text = `${JSON.stringify(release(files), null, 1)}\n`;
  writeIfChanged(file, text);
  return file;
}
