// site.mjs — the one description of what the page is made of, shared by the development
// server (serve.mjs) and the static build (build.mjs): which folder of the repository appears at
// which path of the site. Node only; not served.
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** [site path prefix, repository folder, files to take (null: all but the node-only .mjs)] */
export const ROUTES = [
  ['/vendor/uplot/', 'node_modules/uplot/dist', ['uPlot.esm.js', 'uPlot.min.css']],
  ['/data/', 'data', ['pretrained.nndl', 'mnist/train.png', 'mnist/train-labels.idx', 'mnist/test.png', 'mnist/test-labels.idx']],
  ['/', 'web', null],
];

/** Files that must exist before the page can work, and the command that makes them. */
export const BUILT = [
  ['web/nndl.wasm', 'bash src/build.sh wasm'],
  ['data/mnist/train.png', 'bash src/build.sh data'],
  ['data/mnist/test.png', 'bash src/build.sh data'],
];
