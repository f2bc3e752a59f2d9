// serve.test.mjs — `npm start`'s server as a hostile client meets it (issue 9): request targets
// that are not paths, encoded dots and slashes, NUL bytes, malformed escapes, trailing slashes,
// other methods and bytes that are not HTTP each get a 4xx, never the server's own source, and
// the server is still up afterwards. It serves exactly the files of the static build, and
// nothing of data/ or node_modules/ beyond them, compressed where that pays, with release.json.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { siteFiles } from '../../src/site/site.mjs';
import { ROOT } from './helpers.mjs';

let server, port;

before(async () => {
  server = spawn(process.execPath, [join(ROOT, 'src/site/serve.mjs')], { env: { ...process.env, PORT: '8420' } });
  port = await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(String(d));
      if (m) resolve(Number(m[1]));
    });
    server.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
});

after(() => server?.kill());

/** Sends raw bytes, resolves to { status, head, body } of the reply (status 0: no reply). The
 * socket stays open for the answer (the server closes it) unless `hangUp` cuts it at once. */
function raw(bytes, { hangUp = false } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks = [];
    socket.setTimeout(60_000, () => socket.destroy()); // a hung server, not a slow machine
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      const [head, ...rest] = text.split('\r\n\r\n');
      resolve({ status, head, body: rest.join('\r\n\r\n') });
    });
    if (hangUp) socket.end(bytes);
    else socket.write(bytes);
  });
}

const get = (target, method = 'GET') => raw(`${method} ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n`);

test('every file of the static build is served, with its type', async () => {
  const files = siteFiles();
  assert.ok(files.has('/index.html') && files.has('/lib/nndl.wasm') && files.has('/data/pretrained.nndl'));
  for (const path of files.keys()) {
    const r = await get(path, 'HEAD');
    assert.equal(r.status, 200, path);
  }
  assert.match((await get('/lib/nndl.wasm', 'HEAD')).head, /content-type: application\/wasm/i);
  assert.match((await get('/?preset=ch3-ce&eta=0.5', 'HEAD')).head, /content-type: text\/html/i);
  // a folder's URL is its index.html; without its slash it moves there, query kept
  assert.match((await get('/figures/?figure=step', 'HEAD')).head, /content-type: text\/html/i);
  const moved = await get('/figures?figure=step&w=2');
  assert.equal(moved.status, 301);
  assert.match(moved.head, /\r\nlocation: \/figures\/\?figure=step&w=2\r\n/i);
  assert.equal((await get('/figures/figures.mjs')).status, 404);
  assert.equal((await get('/figures/..%2fserve.mjs')).status, 404);
});

test('hostile request targets get 400 or 404, never a file outside the site', async () => {
  const answers = {
    [`http://127.0.0.1:${port}/index.html`]: 400, // absolute-form: crashed the old server
    '*': 400,
    'index.html': 400,
    '/%zz': 400,
    '/%00': 400,
    '/index.html%00.js': 400,
    '/serve.mjs': 404,
    '/serve%2emjs': 404, // the server's own source, by an encoded dot
    '/serve.mjs/': 404,
    '/site.mjs': 404,
    '/http.mjs': 404,
    '/src/site/serve.mjs': 404,
    '/../src/site/http.mjs': 404,
    '/page/..%2f..%2fsrc/site/site.mjs': 404,
    '/%2e%2e/package.json': 404,
    '/..%2fpackage.json': 404,
    '/data/../../package.json': 404,
    '/data/README.md': 404, // data/ beyond the site's files
    '/data/mnist/../pretrained.nndl/': 404,
    '/vendor/uplot/uPlot.js': 404, // uPlot's dist beyond the two files used
    '/vendor/uplot/../../uplot/package.json': 404,
    '/node_modules/uplot/package.json': 404,
    '//etc/passwd': 404,
    '/index.html/': 404,
    [`/${'a'.repeat(12000)}`]: 404,
  };
  for (const [target, want] of Object.entries(answers)) {
    const r = await get(target);
    assert.equal(r.status, want, `${target.slice(0, 60)} gave ${r.status}`);
    assert.doesNotMatch(r.body, /staticServer|siteFiles|"name": "nndl"|root:/, target.slice(0, 60));
  }
});

test('other methods, oversized and non-HTTP requests are refused and the server stays up', async () => {
  assert.equal((await get('/', 'POST')).status, 405);
  assert.equal((await get('/', 'DELETE')).status, 405);
  assert.equal((await raw('this is not http\r\n\r\n')).status, 400);
  assert.equal((await raw(`GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'b'.repeat(70000)}\r\n\r\n`)).status, 431);
  assert.equal((await raw('GET / HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n')).status, 400);
  await raw('GET /', { hangUp: true }); // a connection cut mid-request
  const r = await get('/');
  assert.equal(r.status, 200);
  assert.match(r.body, /<html/i);
  assert.equal(server.exitCode, null, 'the server exited');
});

test('a repeated request is answered 304 Not Modified by its ETag', async () => {
  const first = await get('/page/style.css');
  const etag = /etag: (.+)/i.exec(first.head)[1].trim();
  const again = await raw(`GET /page/style.css HTTP/1.1\r\nhost: x\r\nif-none-match: ${etag}\r\nconnection: close\r\n\r\n`);
  assert.equal(again.status, 304);
});

test('text, the core and the model go compressed to a client that takes it; images never; release.json says the release', async () => {
  const files = siteFiles();
  const fetchAs = (path, encoding) => fetch(`http://127.0.0.1:${port}${path}`, { headers: encoding ? { 'accept-encoding': encoding } : {} });
  for (const [path, encoding] of [['/page/app.js', 'br'], ['/lib/nndl.wasm', 'gzip'], ['/data/pretrained.nndl', 'gzip, br'], ['/page/style.css', 'gzip;q=0, br']]) {
    const r = await fetchAs(path, encoding);
    assert.equal(r.headers.get('content-encoding'), encoding === 'gzip' ? 'gzip' : 'br', path);
    assert.equal(r.headers.get('vary'), 'accept-encoding');
    const body = Buffer.from(await r.arrayBuffer()); // fetch decodes it
    assert.ok(body.equals(readFileSync(files.get(path))), `${path} decodes to other bytes`);
  }
  assert.equal((await fetchAs('/page/app.js', 'br;q=0, gzip;q=0')).headers.get('content-encoding'), null);
  assert.equal((await fetchAs('/data/mnist/test.png', 'br')).headers.get('content-encoding'), null);

  const release = await (await fetchAs('/release.json')).json();
  assert.match(release.version, /^[0-9a-f]{16}$/);
  const index = readFileSync(files.get('/index.html'));
  assert.deepEqual(release.files['/index.html'], { bytes: index.length, sha256: createHash('sha256').update(index).digest('hex') });
  assert.equal(release.files['/sw.js'], undefined, 'the service worker is not a kept file');
});
