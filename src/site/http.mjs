// http.mjs — a small static file server over an exact lookup: lookup(path) gives the file
// behind a decoded, normalised site path, or nothing (404). A request target that is not a path
// gets 400, a method other than GET and HEAD 405, and no request, however malformed, throws out
// of it. Text, the core and the model go compressed to a client that accepts it (brotli, else
// gzip): a precompressed sibling (file.br, file.gz, as the static build writes them) when it is
// as new as the file, else compressed once and kept in memory. Used by serve.mjs (the site of
// site.mjs) and by the browser tests. Node only.
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, posix } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.idx': 'application/octet-stream', '.nndl': 'application/octet-stream', '.webmanifest': 'application/manifest+json',
};

/** Types worth compressing: text, the core, the model (images and labels are compressed already
 * or small). */
export const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.webmanifest', '.svg', '.wasm', '.nndl']);

/** The encodings the client takes, best first, of those we make. */
function accepted(header = '') {
  const take = new Set();
  for (const part of String(header).split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p))) take.add(name.trim());
  }
  return ['br', 'gzip'].filter((e) => take.has(e) || take.has('*'));
}

const made = new Map(); // file -> { key, br, gzip }: compressed on the fly, for files without siblings

/** The body of `file` in `encoding`: its sibling file.br or file.gz if as new, else made here. */
function compressed(file, stat, encoding) {
  const sibling = `${file}.${encoding === 'br' ? 'br' : 'gz'}`;
  try {
    if (statSync(sibling).mtimeMs >= stat.mtimeMs) return readFileSync(sibling);
  } catch { /* none: make it */ }
  const key = `${stat.size}-${stat.mtimeMs}`;
  let entry = made.get(file);
  if (entry?.key !== key) made.set(file, (entry = { key }));
  entry[encoding] ??= encoding === 'br'
    ? brotliCompressSync(readFileSync(file), { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } })
    : gzipSync(readFileSync(file), { level: 6 });
  return entry[encoding];
}

/** The file a request target names, as { file } or { status }: 400 for a target that is not a
 * path (absolute-form, '*'), malformed percent-encoding or a NUL; 404 for a path outside the site;
 * 301 to a folder's own URL (`/figures` -> `/figures/`) where its index.html is. A folder's URL
 * is its index.html. */
function resolveTarget(target, lookup) {
  if (typeof target !== 'string' || !target.startsWith('/')) return { status: 400 };
  let path;
  try {
    path = decodeURIComponent(target.split(/[?#]/, 1)[0]);
  } catch {
    return { status: 400 };
  }
  if (path.includes('\0')) return { status: 400 };
  path = posix.normalize(path);
  if (path.endsWith('/')) path += 'index.html';
  const file = lookup(path);
  if (!file && lookup(`${path}/index.html`)) return { status: 301, location: `${encodeURI(path)}/${target.slice(target.split(/[?#]/, 1)[0].length)}` };
  return file ? { file, path } : { status: 404 };
}

function plain(res, status, text, headers = {}) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function handle(req, res, lookup, extraHeaders) {
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' });
  const { file, path, status, location } = resolveTarget(req.url, lookup);
  if (location) return plain(res, status, `moved to ${location}\n`, { location });
  if (!file) return plain(res, status, status === 400 ? 'bad request\n' : 'not found\n');
  let stat;
  try {
    stat = statSync(file);
  } catch {
    return plain(res, 404, 'not found\n');
  }
  const compressible = COMPRESSIBLE.has(extname(path));
  const encoding = compressible ? accepted(req.headers['accept-encoding'])[0] : undefined;
  const etag = `W/"${stat.size}-${Math.floor(stat.mtimeMs)}${encoding ? `-${encoding}` : ''}"`;
  const headers = {
    'content-type': TYPES[extname(path)] ?? 'application/octet-stream', 'cache-control': 'no-cache', etag,
    'x-content-type-options': 'nosniff', ...(compressible ? { vary: 'accept-encoding' } : {}), ...extraHeaders(path),
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return res.end();
  }
  if (encoding) {
    const body = compressed(file, stat, encoding);
    res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': body.length });
    return res.end(req.method === 'HEAD' ? undefined : body);
  }
  res.writeHead(200, { ...headers, 'content-length': stat.size });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).on('error', () => res.destroy()).pipe(res);
}

/** An http.Server that answers from lookup(path) -> absolute file path | undefined, each file
 * with headers(path) besides its own (the site's: its isolation, site.mjs; none for any other
 * folder it serves). */
export function staticServer(lookup, { headers = () => ({}) } = {}) {
  const server = createServer((req, res) => {
    try {
      handle(req, res, lookup, headers);
    } catch (e) { // a bug of ours answers 500 and leaves the server up
      console.error(`${req.method} ${JSON.stringify(req.url).slice(0, 200)}: ${e.stack}`);
      if (!res.headersSent) plain(res, 500, 'internal error\n');
      else res.destroy();
    }
  });
  // Bytes that are not HTTP at all: a 400 on the socket, never an exception.
  server.on('clientError', (e, socket) => {
    const status = { HPE_HEADER_OVERFLOW: '431 Request Header Fields Too Large', ERR_HTTP_REQUEST_TIMEOUT: '408 Request Timeout' }[e.code] ?? '400 Bad Request';
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    else socket.destroy();
  });
  return server;
}
