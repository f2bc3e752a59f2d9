// build.mjs — `npm run build`: writes build/site/, a self-contained static copy of the page
// (relative URLs only) for any static host, GitHub Pages included: exactly the files site.mjs
// lists, the ones the development server serves, plus release.json (what the service worker
// checks its copies against) and precompressed .br and .gz siblings of the text, the core and the
// model for hosts that serve them (web/http.mjs does). buildSite(folder) does the same for tests.
import { cpSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { COMPRESSIBLE } from './http.mjs';
import { ROOT, missingBuild, release, siteFiles } from './site.mjs';

/** Writes the static site into `out` (emptied first); returns { files, bytes, version }. */
export function buildSite(out) {
  const missing = missingBuild();
  if (missing) throw new Error(`${missing[0]} is missing; run '${missing[1]}' first`);
  rmSync(out, { recursive: true, force: true });
  let bytes = 0;
  const files = siteFiles();
  for (const [path, file] of files) {
    const target = join(out, path);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
    bytes += statSync(target).size;
    if (!COMPRESSIBLE.has(extname(path))) continue;
    const body = readFileSync(file);
    writeFileSync(`${target}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
    writeFileSync(`${target}.gz`, gzipSync(body, { level: 9 }));
  }
  const { version } = release(files);
  writeFileSync(join(out, 'release.json'), `${JSON.stringify(release(files), null, 1)}\n`);
  return { files: files.size, bytes, version };
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    const { files, bytes, version } = buildSite(join(ROOT, 'build/site'));
    console.log(`build/site: ${files} files, ${(bytes / 2 ** 20).toFixed(1)} MiB, release ${version}; serve it from any static host`);
  } catch (e) {
    console.error(`build.mjs: ${e.message}`);
    process.exit(1);
  }
}
