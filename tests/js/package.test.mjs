// package.test.mjs — nndl as a package, as a course author installs it: `npm pack` (its prepack
// builds the core and the declarations), the tarball holding exactly what ships (the library,
// the core, the figures and what they share, the declarations; no MNIST, no sources, no tests),
// installed into a scratch project outside the repository; from there Node imports the API by
// the package's name, trains [784,30,10] on 1,000 images and evaluates it; a plain static page
// of that project on one origin, the package served from another (as a CDN serves it), imports
// it through an import map and shows figures by <nndl-figure> (one with a Worker, one reading the
// data folder the page names, which the package does not ship); and tsc type-checks TypeScript
// that uses the API (and refuses TypeScript that misuses it).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { errorsOf, launch } from './browser.mjs';
import { MNIST_DIR, ROOT, tempDir } from './helpers.mjs';
import { serveFolder } from './origins.mjs';

let tarball, project, removeProject, removePacked;

before(() => {
  let packed;
  [packed, removePacked] = tempDir();
  execFileSync('npm', ['pack', '--pack-destination', packed], { cwd: ROOT, stdio: 'pipe' });
  tarball = join(packed, readdirSync(packed).find((f) => f.endsWith('.tgz')));
  [project, removeProject] = tempDir();
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'a-course', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, stdio: 'pipe' });
});
after(() => {
  removeProject?.();
  removePacked?.();
});

test('the tarball holds exactly what ships: the library, the core, the figures and what they share, the declarations', () => {
  const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').map((f) => f.replace(/^package\//, ''));
  const ships = /^(package\.json|README\.md|LICENSE|web\/lib\/[a-z-]+\.js|web\/lib\/nndl\.wasm|web\/(figures|shared|icons)\/.+|build\/types\/.+\.d\.ts)$/;
  assert.deepEqual(files.filter((f) => !ships.test(f)), []);
  for (const f of ['web/lib/nndl.js', 'web/lib/nndl.wasm', 'build/types/lib/nndl.d.ts', 'web/figures/bumps.js', 'web/figures/kit/frame.js', 'web/shared/palette.css'])
    assert.ok(files.includes(f), `${f} is shipped`);
  assert.deepEqual(files.filter((f) => /mnist.*\.(png|idx)|\.nndl$|^data\/|^src\/|^tests\/|web\/page\/|vendor/.test(f)), [], 'no MNIST, models, sources or tests');
});

test('from Node, by the package\'s name: the API trains [784,30,10] on 1,000 images and evaluates it', () => {
  const script = join(project, 'train.mjs');
  writeFileSync(script, `
    import { readFileSync } from 'node:fs';
    import { Dataset, Network, loadCore } from 'nndl';
    const idx = (name) => readFileSync(${JSON.stringify(MNIST_DIR)} + '/' + name);
    const all = await Dataset.fromIdx(idx('train-images-idx3-ubyte'), idx('train-labels-idx1-ubyte'));
    const training = all.slice(0, 1000), test = all.slice(50000, 500);
    const net = await Network.create([784, 30, 10], { seed: 1, cost: 'cross-entropy' });
    for (let epoch = 0; epoch < 10; epoch++) net.trainEpoch(training, { mini_batch_size: 10, eta: 0.5 });
    const core = await loadCore();
    console.log(JSON.stringify({ correct: net.evaluate(test), of: test.count, wasm: import.meta.resolve('nndl/nndl.wasm'), simd: core.simdWidth }));
  `);
  const out = JSON.parse(execFileSync(process.execPath, [script], { cwd: project, encoding: 'utf8' }));
  assert.ok(out.correct / out.of > 0.7, `${out.correct} of ${out.of} right after 10 epochs on 1,000 images`);
  assert.ok(out.wasm.startsWith(`file://${project}/node_modules/nndl/`), out.wasm);
  assert.equal(out.simd, 4);
});

test('tsc type-checks TypeScript that uses the API from the declarations, and refuses TypeScript that misuses it', () => {
  const tsc = (file) => {
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'ES2022', moduleResolution: 'bundler', strict: true, noEmit: true, lib: ['ES2022', 'DOM'], types: [] },
      files: [file],
    }));
    return spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
  };
  writeFileSync(join(project, 'uses.ts'), `
    import { Dataset, Network, NndlError, Schedule, tuneKernels } from 'nndl';
    export async function lesson(images: Uint8Array, labels: Uint8Array): Promise<string> {
      const all: Dataset = await Dataset.fromIdx(images, labels);
      const net: Network = await Network.create([784, 30, 10], { seed: 1, cost: 'cross-entropy' });
      const seconds: number = net.trainEpoch(all.slice(0, 100), { mini_batch_size: 10, eta: 0.5, onProgress: (done: number, total: number) => {} });
      const right: number = net.evaluate(all);
      const { digit, activations }: { digit: number, activations: Float32Array } = net.predict(new Float32Array(784));
      const bytes: Uint8Array = net.save();
      const again: Network = await Network.load(bytes);
      const schedule: Schedule = await Schedule.create('halve', { patience: 10, eta: 0.5 });
      const { columns } = await tuneKernels();
      try { await Network.create('conv20x29-softmax10'); } catch (e) { if (e instanceof NndlError) return e.message; }
      return [seconds, right, digit, activations.length, again.sizes.join(), schedule.update(0.9), columns].join();
    }
  `);
  const good = tsc('uses.ts');
  assert.equal(good.status, 0, good.stdout + good.stderr);

  writeFileSync(join(project, 'misuses.ts'), `
    import { Network } from 'nndl';
    export async function wrong(): Promise<void> {
      const net = await Network.create([784, 30, 10]);
      const right: string = net.evaluate(net);
      await Network.create(784);
    }
  `);
  const bad = tsc('misuses.ts');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stdout, /misuses\.ts\(5,13\): error TS2322/, 'a number is not a string');
  assert.match(bad.stdout, /misuses\.ts\(5,42\): error TS2345/, 'a network is not a data set');
  assert.match(bad.stdout, /misuses\.ts\(6,28\): error TS2345/, 'sizes are an array or a layer string');
});

test('a static page imports the package through an import map from another origin and shows figures', async () => {
  const cdn = await serveFolder(join(project, 'node_modules/nndl'), { cors: true });
  const from = `${cdn.url}web/`;
  mkdirSync(join(project, 'data/mnist'), { recursive: true }); // the course's copy of the site's data
  for (const f of ['chapter1-784-30-10.nndl', 'mnist/digits.png', 'mnist/digits-labels.idx']) writeFileSync(join(project, 'data', f), readFileSync(join(ROOT, 'data', f)));
  const page = (meta) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>A course</title><link rel="icon" href="data:,">
${meta}
<script type="importmap">{ "imports": { "nndl": "${from}lib/nndl.js", "nndl/element": "${from}figures/element.js" } }</script>
<script type="module">
import 'nndl/element';
import { Network } from 'nndl';
const net = await Network.create([2, 3, 1], { seed: 1 });
window.sizes = net.sizes.join(',');
</script></head><body><main><h1>A course</h1>
<nndl-figure name="bumps" n="2"></nndl-figure>
<nndl-figure name="slowdown" epochs="30"></nndl-figure>
<nndl-figure name="reads-digits" digit="3"></nndl-figure>
</main></body></html>`;
  writeFileSync(join(project, 'index.html'), page('<meta name="nndl-data" content="/data/">'));
  writeFileSync(join(project, 'alone.html'), page(''));
  const course = await serveFolder(project);
  const browser = await launch();
  try {
    const tab = await browser.context.newPage();
    const errors = errorsOf(tab);
    await tab.goto(course.url);
    const up = await tab.evaluate(async () => {
      await customElements.whenDefined('nndl-figure');
      const seen = [];
      for (const el of document.querySelectorAll('nndl-figure')) {
        el.scrollIntoView();
        await el.ready;
        seen.push([el.getAttribute('name'), el.dataset.ready ?? 'not up', el.notes.join('; ')]);
      }
      return seen;
    });
    assert.deepEqual(up, [['bumps', '1', ''], ['slowdown', '1', ''], ['reads-digits', '1', '']]);
    assert.equal(await tab.evaluate(() => window.sizes), '2,3,1');
    const digits = tab.locator('nndl-figure[name="reads-digits"]');
    assert.match(await digits.evaluate((el) => el.shadowRoot.textContent), /The network reads \d/);
    await tab.locator('nndl-figure[name="slowdown"]').getByRole('button', { name: 'Run' }).click();
    await tab.waitForFunction(() => /Epoch 30 of 30/.test(document.querySelector('nndl-figure[name="slowdown"]').shadowRoot.textContent), null, { timeout: 120_000 });
    assert.deepEqual(errors, []);
    // without the page naming its data, the figure that needs them says what to do
    await tab.goto(`${course.url}alone.html`);
    const said = await tab.evaluate(async () => {
      await customElements.whenDefined('nndl-figure');
      const el = document.querySelector('nndl-figure[name="reads-digits"]');
      el.scrollIntoView();
      await el.ready;
      return el.shadowRoot.querySelector('.notes').textContent;
    });
    assert.match(said, /needs nndl's data\/(chapter1-784-30-10\.nndl|mnist\/digits(\.png|-labels\.idx)) \(not in the npm package\): serve the site's data\/ folder and name it in <meta name="nndl-data"/);
    await tab.close();
  } finally {
    await browser.close();
    cdn.server.close();
    course.server.close();
  }
});
