// structure.test.mjs — the house by role (issue 23): who may use whom, read off the sources. In
// web/, each folder is a role — the library (lib/), code the page and the figures share
// (shared/), the main page (page/) and its Worker (page/worker/), the figures (figures/: one
// module per figure, with their kit and their Workers in kit/ and workers/, the <nndl-figure>
// element beside them), an example lesson (lesson/: figures by element only) — and an import, or
// a Worker started, across the rules fails here; so does an import cycle. Outside lib/, the
// library is used through its public modules only. The Node server and build tooling live in
// src/site/, never served. And in C, no two files of the core call each other's functions in a
// circle (read from the symbols of the objects the build made).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { FIGURES } from '../../web/figures/kit/registry.js';
import { ROOT } from './helpers.mjs';

const WEB = join(ROOT, 'web');

/** Every file under dir, as paths relative to ROOT. */
const filesUnder = (dir) => readdirSync(join(ROOT, dir), { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? filesUnder(`${dir}/${e.name}`) : [`${dir}/${e.name}`]));

/** The role of a served file by where it lives. */
function roleOf(file) {
  if (file.startsWith('web/lib/')) return 'lib';
  if (file.startsWith('web/shared/')) return 'shared';
  if (file.startsWith('web/page/worker/')) return 'page worker';
  if (file.startsWith('web/page/')) return 'page';
  if (file.startsWith('web/figures/kit/')) return 'figure kit';
  if (file.startsWith('web/figures/workers/')) return 'figure worker';
  if (file === 'web/figures/embed.js') return 'embed';
  if (file === 'web/figures/element.js') return 'element';
  if (file.startsWith('web/lesson/')) return 'lesson';
  if (/^web\/figures\/[^/]+\.js$/.test(file)) return 'figure';
  if (file.startsWith('web/vendor/')) return 'vendor';
  if (file === 'web/sw.js') return 'service worker';
  return `other (${file})`;
}

/** The library's public modules: its face (nndl.js), data loading, a Worker's loop or a main
 * thread's client, and a network's helper threads. core.js, dataset.js and network.js are its own. */
const PUBLIC = {
  main: ['web/lib/nndl.js', 'web/lib/mnist.js', 'web/lib/worker-client.js', 'web/lib/threads.js'],
  worker: ['web/lib/nndl.js', 'web/lib/mnist.js', 'web/lib/worker-loop.js', 'web/lib/threads.js'],
};

/** What each role may import, and which Workers it may start. */
const RULES = {
  lib: { imports: (t) => t.startsWith('web/lib/') },
  shared: { imports: (t) => PUBLIC.main.includes(t) || roleOf(t) === 'shared', starts: (t) => roleOf(t) === 'service worker' }, // offline.js, for the page and the figures
  page: { imports: (t) => PUBLIC.main.includes(t) || ['shared', 'page', 'vendor'].includes(roleOf(t)), starts: (t) => ['page worker', 'service worker'].includes(roleOf(t)) },
  'page worker': { imports: (t) => PUBLIC.worker.includes(t) || ['shared', 'page worker'].includes(roleOf(t)) },
  figure: { imports: (t) => PUBLIC.main.includes(t) || ['shared', 'figure kit'].includes(roleOf(t)) },
  'figure kit': { imports: (t) => PUBLIC.main.includes(t) || ['shared', 'figure kit', 'embed'].includes(roleOf(t)), starts: (t) => roleOf(t) === 'figure worker' },
  'figure worker': { imports: (t) => PUBLIC.worker.includes(t) || roleOf(t) === 'figure worker' },
  embed: { imports: () => false },
  element: { imports: (t) => PUBLIC.main.includes(t) || ['shared', 'figure kit'].includes(roleOf(t)), starts: (t) => roleOf(t) === 'figure worker' }, // <nndl-figure>
  lesson: { imports: (t) => roleOf(t) === 'element' }, // the example lesson: figures by element and iframe only
};

/** The modules a source names by a literal: imports (static, dynamic, re-exports) and the
 * scripts of the Workers it starts (new Worker, new WorkerClient or a service worker's register
 * of new URL('...', import.meta.url)). */
function uses(file) {
  const text = readFileSync(join(ROOT, file), 'utf8').replace(/^\s*(\/\/|\*).*$/gm, '');
  const at = (spec) => relative(ROOT, resolve(dirname(join(ROOT, file)), spec)).split('\\').join('/');
  const imports = [...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm)]
    .map((m) => m[1] ?? m[2] ?? m[3]).filter((s) => s.startsWith('.')).map(at);
  const workers = [...text.matchAll(/(?:new (?:Worker|WorkerClient)|\.register)\(\s*new URL\(\s*['"]([^'"]+\.js)['"]\s*,\s*import\.meta\.url\s*\)/g)].map((m) => at(m[1]));
  return { imports, workers };
}

const sources = filesUnder('web').filter((f) => f.endsWith('.js'));

test('every import and every Worker started follows the rules of the roles', () => {
  const broken = [];
  for (const file of sources) {
    const role = roleOf(file), rule = RULES[role];
    if (file === 'web/sw.js') {
      assert.deepEqual(uses(file).imports, [], 'the service worker imports nothing');
      continue;
    }
    assert.ok(rule, `${file} has no role: put it in lib/, shared/, page/ or figures/`);
    const { imports, workers } = uses(file);
    for (const target of imports) {
      assert.ok(existsSync(join(ROOT, target)) || target.startsWith('web/vendor/'), `${file} imports ${target}, which is not there`);
      if (!rule.imports(target)) broken.push(`${file} (${role}) imports ${target} (${roleOf(target)})`);
    }
    for (const target of workers) if (!rule.starts?.(target)) broken.push(`${file} (${role}) starts the Worker ${target} (${roleOf(target)})`);
  }
  assert.deepEqual(broken, []);
});

test('the rules catch what they are for: a page module reaching into core.js, a figure importing another', () => {
  assert.equal(RULES.page.imports('web/lib/core.js'), false);
  assert.equal(RULES.figure.imports('web/figures/step.js'), false);
  assert.equal(RULES.lib.imports('web/shared/draw.js'), false);
  assert.equal(RULES['figure worker'].imports('web/lib/worker-client.js'), false);
  assert.equal(RULES.shared.imports('web/page/params.js'), false);
  assert.equal(RULES.lesson.imports('web/lib/nndl.js'), false);
  assert.equal(roleOf('web/figures/kit/frame.js') === 'figure kit' && uses('web/figures/kit/frame.js').workers.length, 0, 'a URL is not a Worker started');
});

test('no import cycle among the served modules', () => {
  const graph = new Map(sources.map((f) => [f, uses(f).imports.filter((t) => t.endsWith('.js') && !t.startsWith('web/vendor/'))]));
  const state = new Map(), path = [];
  const visit = (file) => {
    if (state.get(file) === 'done') return;
    assert.notEqual(state.get(file), 'open', `an import cycle: ${[...path.slice(path.indexOf(file)), file].join(' -> ')}`);
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) visit(next);
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file);
});

test('figures/ holds one module per figure, its page, its manifest, embed.js and element.js; the kit and the Workers sit in subfolders', () => {
  const top = readdirSync(join(WEB, 'figures'), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort();
  assert.deepEqual(top, ['element.js', 'embed.js', 'index.html', 'manifest.webmanifest', ...FIGURES.map((f) => `${f.id}.js`)].sort());
  for (const { worker } of FIGURES.filter((f) => f.worker)) assert.ok(existsSync(join(WEB, 'figures/workers', worker)), worker);
});

test('web/ holds only what is served: the Node server and build tooling live in src/site/', () => {
  assert.deepEqual(filesUnder('web').filter((f) => /\.(mjs|cjs|ts|json)$/.test(f)), []);
  for (const tool of ['http.mjs', 'serve.mjs', 'build.mjs', 'site.mjs', 'pages.mjs']) assert.ok(existsSync(join(ROOT, 'src/site', tool)), tool);
});

test('no two C files of the core call each other\'s functions in a circle', (t) => {
  const dir = join(ROOT, 'build/native/CMakeFiles/nndl_core.dir/src');
  if (!existsSync(dir)) return t.skip('no native build (bash src/build.sh native)');
  const objects = readdirSync(dir).filter((f) => f.endsWith('.c.o'));
  const defines = new Map(), needs = new Map();
  for (const o of objects) {
    const file = o.replace(/\.o$/, '');
    needs.set(file, new Set());
    for (const line of execFileSync('nm', [join(dir, o)], { encoding: 'utf8' }).split('\n')) {
      const m = /^\s*[0-9a-f]*\s+([A-Za-z])\s+(\S+)$/.exec(line);
      if (!m) continue;
      if (m[1] === 'U') needs.get(file).add(m[2]);
      else if (/[TDBR]/.test(m[1])) defines.set(m[2], file);
    }
  }
  const calls = new Map([...needs].map(([file, symbols]) => [file, new Set([...symbols].map((s) => defines.get(s)).filter((d) => d && d !== file))]));
  assert.ok(calls.get('layer_full.c')?.size, 'the core\'s objects were read');
  // Tarjan's strongly connected components: a component of more than one file is a circle
  let index = 0;
  const at = new Map(), low = new Map(), stack = [], onStack = new Set(), circles = [];
  const connect = (v) => {
    at.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of calls.get(v)) {
      if (!at.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), at.get(w)));
    }
    if (low.get(v) === at.get(v)) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) circles.push(component.sort().join(', '));
    }
  };
  for (const v of calls.keys()) if (!at.has(v)) connect(v);
  assert.deepEqual(circles, [], 'files that call each other in a circle');
});
