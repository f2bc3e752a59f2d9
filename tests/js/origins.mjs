// origins.mjs — what the tests of things that cross origins share (the package from a CDN,
// figures from another origin, the embedding protocol, the element, oEmbed): a server on an
// origin of its own for the site (allowing every origin, as a CDN does), for a folder, or for
// pages a test writes. Each resolves to { url, server, asked }: its address ('http://127.0.0.1:PORT/'),
// the server to close, and the paths asked of it.
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { staticServer } from '../../src/site/http.mjs';
import { isolationHeaders, releaseFile, siteFiles } from '../../src/site/site.mjs';

async function listening(server, cors) {
  const asked = [];
  server.prependListener('request', (req, res) => {
    asked.push(req.url);
    if (cors) res.setHeader('access-control-allow-origin', '*');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, server, asked };
}

/** The site as `npm start` serves it; `cors`: for every origin, as a CDN serves a package;
 * `isolation` false: without the main page's isolation headers, as a host that sets none;
 * `release`: with release.json, so that the service worker keeps and serves copies. */
export function serveSite({ cors = true, isolation = true, release = false, missing = [] } = {}) {
  const files = siteFiles();
  const lookup = (path) => (missing.includes(path) ? undefined : release && path === '/release.json' ? releaseFile(files) : files.get(path));
  return listening(staticServer(lookup, { headers: isolation ? isolationHeaders : undefined }), cors);
}

/** The files of `folder` (a folder's index.html for its path). */
export function serveFolder(folder, { cors = false } = {}) {
  return listening(staticServer((path) => {
    const file = join(folder, path.endsWith('/') ? `${path}index.html` : path);
    return existsSync(file) && statSync(file).isFile() ? file : undefined;
  }), cors);
}

/** Pages a test writes: html(url) is the page at that URL (path and query), or undefined (404). */
export function servePages(html) {
  return listening(createServer((req, res) => {
    const page = html(new URL(req.url, 'http://page/'));
    res.writeHead(page === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(page ?? '');
  }), false);
}
