// site.mjs — the one description of what the page is made of, shared by the development
// server (serve.mjs) and the static build (build.mjs): exactly which files of the repository
// appear at which paths of the site. Nothing else is ever served. Node only; not served.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** [site path prefix, repository folder, files to take (null: its files but the node-only .mjs)] */
const ROUTES = [
  ['/vendor/uplot/', 'node_modules/uplot/dist', ['uPlot.esm.js', 'uPlot.min.css']],
  ['/data/', 'data', ['pretrained.nndl', 'pretrained.json', 'mnist/train.png', 'mnist/train-labels.idx', 'mnist/test.png', 'mnist/test-labels.idx']],
  ['/', 'web', null],
];

/** Files that must exist before the page can work, and the command that makes them. */
export const BUILT = [
  ['web/nndl.wasm', 'bash src/build.sh wasm'],
  ['data/mnist/train.png', 'bash src/build.sh data'],
  ['data/mnist/test.png', 'bash src/build.sh data'],
];

/** The site: a Map from each path it serves ('/index.html', '/data/pretrained.nndl', ...) to
 * the absolute path of the file behind it. Read anew on each call, so that a file added to web/
 * appears without a restart. */
export function siteFiles() {
  const files = new Map();
  for (const [prefix, folder, names] of ROUTES) {
    const dir = join(ROOT, folder);
    const list = names ?? (existsSync(dir) ? readdirSync(dir) : []).filter((f) => !f.endsWith('.mjs') && statSync(join(dir, f)).isFile());
    for (const name of list) files.set(prefix + name, join(dir, name));
  }
  return files;
}

/** The first of BUILT that is missing, as [file, command], or undefined. */
export const missingBuild = () => BUILT.find(([file]) => !existsSync(join(ROOT, file)));
