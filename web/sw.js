// sw.js — the service worker: after a first visit the page, the core, the pretrained network and
// MNIST come from the browser's Cache Storage, so a reload, a second tab or a second embed
// downloads almost nothing, and the page opens and trains offline.
//
// What it trusts is release.json (written by the site: its version, and every file's size and
// SHA-256). Each release has its own cache, `nndl-release-<version>`; a copy is served only if
// its bytes match the release (a truncated or corrupt copy is deleted and fetched again), and
// a network response is kept only if it matches. Pages are network-first, with the release
// checked at the same time: online, a page is never older than the site; offline, the kept one.
// A new release gets a new cache, takes over the unchanged files of the old one and deletes it.
// A copy is checked whole (crypto.subtle: 16-18 ms for the 9.7 MB of train.png) and served from the
// bytes checked, so it is read once; the bytes go with the response, and this worker, stopped
// by the browser when idle, holds nothing between visits.
// It also gives the main page the headers of cross-origin isolation that release.json names, where
// the host sent none (a host that cannot set headers): after the first visit the page trains on
// every core. Not here: deciding what a view loads (the page does); it keeps what the page used.

const RELEASE_PREFIX = 'nndl-release-';
const META = 'nndl-meta';                 // holds the release in use, as release.json
const scope = new URL(self.registration.scope);
const releaseUrl = new URL('release.json', scope).href;
let current = null;                       // { version, files: { '/path': { bytes, sha256 } } }

/** The site path of a URL of this scope ('/index.html' for the folder itself, '/figures/index.html'
 * for figures/), or null. */
function sitePath(url) {
  const u = new URL(url);
  if (u.origin !== scope.origin || !u.pathname.startsWith(scope.pathname)) return null;
  const path = `/${u.pathname.slice(scope.pathname.length)}`;
  return path.endsWith('/') ? `${path}index.html` : path;
}

const keyOf = (path) => new URL(`.${path}`, scope).href;
const cacheOf = (release) => caches.open(RELEASE_PREFIX + release.version);

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Whether bytes are the release's copy: its length and SHA-256. */
const matches = async (bytes, entry) => bytes.byteLength === entry.bytes && (await sha256(bytes)) === entry.sha256;

function isRelease(r) {
  return r && typeof r.version === 'string' && r.files && typeof r.files === 'object'
    && Object.values(r.files).every((e) => Number.isSafeInteger(e?.bytes) && /^[0-9a-f]{64}$/.test(e?.sha256));
}

/** The response with the headers the release gives its path (site.mjs ISOLATION: the main page
 * cross-origin isolated, so that it trains on every core) where the host sent none of them. */
const isolationRules = new WeakMap(); // release -> its rules, compiled once

function isolated(release, path, response) {
  if (release && !isolationRules.has(release)) {
    const rules = Array.isArray(release.isolation) ? release.isolation : [];
    isolationRules.set(release, rules.filter((r) => typeof r?.match === 'string' && r.headers && typeof r.headers === 'object')
      .map((r) => ({ match: new RegExp(r.match), headers: r.headers })));
  }
  const wanted = (release ? isolationRules.get(release) : []).filter((r) => r.match.test(path));
  const missing = wanted.flatMap((r) => Object.entries(r.headers)).filter(([name]) => !response.headers.has(name));
  if (!missing.length || response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of missing) headers.set(name, String(value));
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** A response for kept bytes: the type the site gave them and their true length. */
const responseOf = (bytes, type) => new Response(bytes, { headers: { 'content-type': type, 'content-length': String(bytes.byteLength) } });

/** The kept copy of `path` if it is whole and the release's, else null (a bad copy is deleted). */
async function keptCopy(cache, path, entry) {
  const hit = await cache.match(keyOf(path));
  if (!hit) return null;
  const bytes = await hit.arrayBuffer().catch(() => null);
  if (bytes && (await matches(bytes, entry))) return responseOf(bytes, hit.headers.get('content-type') ?? 'application/octet-stream');
  await cache.delete(keyOf(path));
  return null;
}

/** Keeps a response's bytes if they are the release's copy of `path` (else they are served,
 * never kept). */
async function keep(release, path, response) {
  const entry = release.files[path];
  if (!entry || !response.ok || response.status !== 200) return;
  const bytes = await response.arrayBuffer();
  if (!(await matches(bytes, entry))) return;
  const cache = await cacheOf(release);
  await cache.put(keyOf(path), responseOf(bytes, response.headers.get('content-type') ?? 'application/octet-stream'));
}

async function storedRelease() {
  const hit = await (await caches.open(META)).match(releaseUrl);
  const release = hit ? await hit.json().catch(() => null) : null;
  return isRelease(release) ? release : null;
}

/** Makes `release` the one in use: its cache takes the unchanged files of the one before, and
 * every other release's cache is deleted. */
async function adopt(release) {
  const before = current ?? (await storedRelease());
  if (before?.version !== release.version) {
    const fresh = await cacheOf(release);
    if (before) {
      const old = await cacheOf(before);
      for (const [path, entry] of Object.entries(release.files)) {
        if (before.files[path]?.sha256 !== entry.sha256) continue;
        const copy = await keptCopy(old, path, entry);
        if (copy) await fresh.put(keyOf(path), copy);
      }
    }
    await (await caches.open(META)).put(releaseUrl, new Response(JSON.stringify(release), { headers: { 'content-type': 'application/json' } }));
  }
  current = release;
  for (const name of await caches.keys())
    if (name.startsWith(RELEASE_PREFIX) && name !== RELEASE_PREFIX + release.version) await caches.delete(name);
}

let adopting = Promise.resolve(); // one adoption at a time: the frames of a page check together

/** The site's release: asked of the network (never of a cache), else the one in use. */
async function checkRelease() {
  try {
    const response = await fetch(releaseUrl, { cache: 'no-store' });
    const release = response.ok ? await response.json() : null;
    if (isRelease(release)) {
      await (adopting = adopting.catch(() => {}).then(() => adopt(release)));
      return release;
    }
  } catch { /* offline: the release in use */ }
  return inUse();
}

/** The release in use: this worker's, else the one stored (after the browser stopped it). */
const inUse = async () => current ?? (current = await storedRelease());

/** A page: from the network while it answers (and kept), else the kept copy. */
async function page(event, path) {
  const [release, response] = await Promise.all([checkRelease(), fetch(event.request).catch(() => null)]);
  if (response?.ok) {
    if (release) event.waitUntil(keep(release, path, response.clone()).catch(() => {}));
    return isolated(release, path, response);
  }
  const entry = release?.files[path];
  const copy = entry ? await keptCopy(await cacheOf(release), path, entry) : null;
  return copy ? isolated(release, path, copy) : response ?? Response.error();
}

/** Anything else of the site: the kept copy, else the network (kept if it is the release's). */
async function file(event, path) {
  const release = await inUse();
  const entry = release?.files[path];
  // offline with no copy: a network error as the browser gives one, not a worker that failed
  if (!entry) return fetch(event.request).then((r) => isolated(release, path, r)).catch(() => Response.error());
  const copy = await keptCopy(await cacheOf(release), path, entry);
  if (copy) return isolated(release, path, copy);
  const response = await fetch(event.request, { cache: 'no-cache' }).catch(() => null);
  if (!response) return Response.error();
  event.waitUntil(keep(release, path, response.clone()).catch(() => {}));
  return isolated(release, path, response);
}

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const path = request.method === 'GET' ? sitePath(request.url) : null;
  if (!path || path === '/sw.js' || path === '/release.json' || request.headers.has('range')) return;
  event.respondWith(request.mode === 'navigate' ? page(event, path) : file(event, path));
});

/** { type: 'keep', urls }: a page loaded these before this worker controlled it (a first
 * visit); they are kept now, from the browser's HTTP cache where it still has them. */
self.addEventListener('message', (event) => {
  if (event.data?.type !== 'keep' || !Array.isArray(event.data.urls)) return;
  event.waitUntil((async () => {
    const release = await checkRelease();
    if (!release) return;
    const cache = await cacheOf(release);
    for (const url of event.data.urls) {
      const path = typeof url === 'string' ? sitePath(url) : null;
      const entry = path && release.files[path];
      if (!entry || (await keptCopy(cache, path, entry))) continue;
      const response = await fetch(keyOf(path)).catch(() => null);
      if (response) await keep(release, path, response).catch(() => {});
    }
    event.source?.postMessage({ type: 'kept', version: release.version });
  })());
});
