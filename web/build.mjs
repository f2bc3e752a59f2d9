// build.mjs — `npm run build`: writes build/site/, a self-contained static copy of the page
// (relative URLs only) for any static host, GitHub Pages included: exactly the files site.mjs
// lists, the ones the development server serves.
import { cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT, missingBuild, siteFiles } from './site.mjs';

const missing = missingBuild();
if (missing) {
  console.error(`build.mjs: ${missing[0]} is missing; run '${missing[1]}' first`);
  process.exit(1);
}

const out = join(ROOT, 'build/site');
rmSync(out, { recursive: true, force: true });
let bytes = 0;
const files = siteFiles();
for (const [path, file] of files) {
  const target = join(out, path);
  mkdirSync(dirname(target), { recursive: true });
  cpSync(file, target);
  bytes += statSync(target).size;
}
console.log(`build/site: ${files.size} files, ${(bytes / 2 ** 20).toFixed(1)} MiB; serve it from any static host`);
