// fresh-core.test.mjs — reproducers that need a WebAssembly core of their own (node --test runs
// each file in its own process): with a small heap, a write past a buffer runs off the end of
// memory and traps, where in a long-lived core it may land in free memory unseen.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Dataset, Network } from '../../web/lib/nndl.js';
import { MNIST_DIR } from './helpers.mjs';

test('a convolutional layer with more maps than inputs per neuron feeding softmax10 trains (issue 9)', async () => {
  // before the fix: "memory access out of bounds" on the first mini-batch
  const all = await Dataset.fromIdx(readFileSync(join(MNIST_DIR, 't10k-images-idx3-ubyte')),
    readFileSync(join(MNIST_DIR, 't10k-labels-idx1-ubyte')));
  const data = all.slice(0, 1000);
  all.free();
  const net = await Network.create('conv80x1x1-softmax10', { seed: 2, hidden: 'relu' });
  net.trainEpoch(data, { batchSize: 100, eta: 0.1 });
  assert.ok(net.evaluate(data) > 600);
  net.free();
  data.free();
});
