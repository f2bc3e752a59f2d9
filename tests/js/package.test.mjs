// package.test.mjs — nndl as a package, as a course author installs it: `npm pack` (its prepack
// builds the core and the declarations), the tarball holding exactly what ships (the library,
// the core, the figures and what they share, the declarations; no MNIST, no sources, no tests),
// installed into a scratch project outside the repository; from there Node imports the API by
// the package's name, trains [784,30,10] on 1,000 images and evaluates it, and tsc
// type-checks TypeScript that uses the API (and refuses TypeScript that misuses it).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { MNIST_DIR, ROOT, tempDir } from './helpers.mjs';

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
