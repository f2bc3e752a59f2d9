// reproducible.test.mjs — the same seed, the same bits (issue 15): 300 mini-batches of
// [784,30,10] and 200 of a small convolutional network on the first MNIST training images, by
// the native CLI and by the WebAssembly core, and the SHA-256 of the trained weights compared
// with values committed here. The native values hold on every x86-64 machine with AVX2 and FMA
// (the kernels fuse explicitly, the compiler nothing: src/simd.h, CMakeLists.txt); WebAssembly
// has no FMA, so its values are its own, the same in Node and in every browser.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Network, loadCore } from '../../web/lib/nndl.js';
import { loadMnist } from '../bench/mnist.mjs';
import { NATIVE, RUNS, WASM } from './bits.mjs';
import { MNIST_DIR, cli, tempDir } from './helpers.mjs';

const hash = (params) => createHash('sha256').update(new Uint8Array(params.buffer, params.byteOffset, params.byteLength)).digest('hex').slice(0, 16);
let mnist;
const [dir, cleanup] = tempDir();
before(async () => { mnist = await loadMnist(); });
after(() => { for (const d of Object.values(mnist)) d.free(); cleanup(); });

for (const [name, run] of Object.entries(RUNS)) {
  test(`${name}: the native CLI's weights after ${run.limit / 10} mini-batches are the committed bits`, async () => {
    const file = join(dir, `${name}.nndl`);
    const r = cli(['train', ...run.cli, '--epochs', '1', '--batch', '10', '--seed', '2', '--train-limit', String(run.limit), '--quiet', '--data', MNIST_DIR, '--save', file]);
    assert.equal(r.status, 0, r.stderr);
    const net = await Network.load(readFileSync(file));
    const got = hash(net.params);
    console.log(`# native ${name}: ${got}`);
    assert.equal(got, NATIVE[name]);
    net.free();
  });

  test(`${name}: WebAssembly's weights after the same training are its committed bits`, async () => {
    await loadCore();
    const net = await Network.create(run.sizes ?? run.layers, { seed: 2, hidden: run.hidden ?? 'sigmoid' });
    const part = mnist.training.slice(0, run.limit);
    net.trainEpoch(part, { mini_batch_size: 10, eta: run.eta });
    const got = hash(net.params);
    console.log(`# WebAssembly ${name}: ${got}`);
    assert.equal(got, WASM[name]);
    part.free();
    net.free();
  });
}
