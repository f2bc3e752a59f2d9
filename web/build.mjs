// build.mjs — `npm run build`: writes build/site/, a self-contained static copy of the page
// (relative URLs only) for any static host, GitHub Pages included: the page's files, the
// WebAssembly core, uPlot, the MNIST sprite sheets and the pretrained network.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BUILT, ROOT, ROUTES } from './site.mjs';

const out = join(ROOT, 'build/site');
for (const [file, command] of BUILT)
  if (!existsSync(join(ROOT, file))) {
    console.error(`build.mjs: ${file} is missing; run '${command}' first`);
    process.exit(1);
  }

rmSync(out, { recursive: true, force: true });
let bytes = 0, count = 0;
for (const [prefix, folder, files] of ROUTES) {
  const names = files ?? readdirSync(join(ROOT, folder)).filter((f) => !f.endsWith('.mjs') && statSync(join(ROOT, folder, f)).isFile());
  for (const name of names) {
    const target = join(out, prefix, name);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(ROOT, folder, name), target);
    bytes += statSync(target).size;
    count += 1;
  }
}
console.log(`build/site: ${count} files, ${(bytes / 2 ** 20).toFixed(1)} MiB; serve it from any static host`);
