// build.mjs — `npm run build`: writes build/site/, a self-contained static copy of the page
// (relative URLs only) for any static host, GitHub Pages included: exactly the files site.mjs
// lists, the ones the development server serves, plus release.json (what the service worker
// checks its copies against) and precompressed .br and .gz siblings of the text, the core and the
// model for hosts that serve them (http.mjs does), and _headers (the main page's isolation, for hosts
// that read one). buildSite(folder) does the same for tests.
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { COMPRESSIBLE } from './http.mjs';
import { ROOT, isolationHeaders, missingBuild, release, siteFiles } from './site.mjs';

/** Writes the static site for public address `url` into `out` (emptied first); returns
 * { files, bytes, version }. */
export function buildSite(out, { url } = {}) {
  const missing = missingBuild();
  if (missing) throw new Error(`${missing[0]} is missing; run '${missing[1]}' first`);
  const files = siteFiles({ url }); // before the old build goes: a bad --url leaves it as it was
  rmSync(out, { recursive: true, force: true });
  let bytes = 0;
  for (const [path, file] of files) {
    const target = join(out, path);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
    bytes += statSync(target).size;
    if (COMPRESSIBLE.has(extname(path))) compressedBeside(target, readFileSync(file));
  }
  const { version } = writeRelease(out);
  writeFileSync(join(out, '_headers'), headersFile(files.keys()));
  return { files: files.size, bytes, version };
}

/** The isolation headers (site.mjs) of every path that has some, in the _headers format of
 * Netlify and Cloudflare Pages (a path, then its headers indented); '/' for the page's folder. */
function headersFile(paths) {
  const blocks = [];
  for (const path of ['/', ...paths]) {
    const headers = Object.entries(isolationHeaders(path));
    if (headers.length) blocks.push([path, ...headers.map(([name, value]) => `  ${name}: ${value}`)].join('\n'));
  }
  return `${blocks.join('\n')}\n`;
}

/** Writes the .br and .gz siblings of file `target` whose bytes are `body`. */
function compressedBeside(target, body) {
  writeFileSync(`${target}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeFileSync(`${target}.gz`, gzipSync(body, { level: 9 }));
}

/** Writes release.json (and its compressed siblings: every visit asks for it) for the site in
 * folder `out` as it is now (every file there but the compressed siblings), and returns it: the
 * build does this once, a test after changing a file. */
export function writeRelease(out) {
  const files = new Map();
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (!/\.(br|gz)$/.test(entry.name) && entry.name !== '_headers') files.set(`/${relative(out, file).split('\\').join('/')}`, file);
    }
  };
  walk(out);
  const site = release(files);
  const text = `${JSON.stringify(site, null, 1)}\n`;
  compressedBeside(join(out, 'release.json'), Buffer.from(text)); // before the file: never a stale sibling beside a new file
  writeFileSync(join(out, 'release.json'), text);
  return site;
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  try {
    const at = process.argv.indexOf('--url'), url = at > 0 ? process.argv[at + 1] : undefined;
    if (at > 0 && !url) throw new Error('--url needs the site\'s public address, like https://example.org/nndl/');
    const { files, bytes, version } = buildSite(join(ROOT, 'build/site'), { url });
    console.log(`build/site: ${files} files, ${(bytes / 2 ** 20).toFixed(1)} MiB, release ${version}; serve it from any static host`);
  } catch (e) {
    console.error(`build.mjs: ${e.message}`);
    process.exit(1);
  }
}
