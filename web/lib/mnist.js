// @ts-check
// mnist.js — MNIST as the Worker trains on it: the page's sprite sheets and label files
// downloaded at once, streamed straight into the core's memory with progress in bytes, decoded
// there, and cut into the book's split and the evaluation chunks. The training set, the
// validation images and every chunk are slices of one data set (views of the same bytes, never
// copies), and the downloaded bytes are freed once decoded. Also any other sheets (loadSets: the
// figures' smaller sets). Not here: when to load (the Worker decides) or training.
import { fetchOk } from './core.js';
import { CoreBytes, Dataset } from './nndl.js';

const TRAINING = 50000;      // the book's split of the 60,000: training, then validation
const SUBSET = 1000;         // the fixed validation subset of the curve points

/** Starts a download; resolves once its headers are in, with its size (0 if not said). */
async function request(url) {
  const response = await fetchOk(url);
  return { response, size: Number(response.headers.get('content-length')) || 0 };
}

/** Reads a response's body; `progress(bytes)` is called as pieces arrive. With its size known,
 * it goes straight into the core's memory (CoreBytes: never held in JavaScript as well); else
 * into a Uint8Array. */
async function readBody(core, response, size, progress) {
  const reader = response.body.getReader();
  const pieces = [];
  const into = size > 0 ? new CoreBytes(core, size) : null;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (into) into.write(value);
      else pieces.push(value);
      progress(value.length);
    }
  } catch (e) {
    into?.free();
    throw e;
  }
  if (into) return into;
  const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  pieces.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
  return bytes;
}

/** Examples [start, start + count) of a data set as slices of `size` each. */
function chunks(dataset, start, count, size) {
  const parts = [];
  for (let first = 0; first < count; first += size) parts.push(dataset.slice(start + first, Math.min(size, count - first)));
  return parts;
}

/**
 * Downloads PNG sprite sheets with their labels — NAME.png and NAME-labels.idx for each name of
 * `names`, from the folder `base` — into `core`, calling progress(loaded, total, stage) as it goes
 * ('downloading', then 'decoding'), and decodes them in the order given (the largest first: the
 * next then fits in the room its PNG bytes leave). Resolves to their data sets.
 */
export async function loadSets(base, core, names, progress) {
  const files = names.flatMap((name) => [`${name}.png`, `${name}-labels.idx`]);
  // Every download starts at once; their headers give the total the progress bar counts to.
  const requests = await Promise.all(files.map((f) => request(new URL(f, base))));
  const total = requests.reduce((sum, r) => sum + r.size, 0);
  let loaded = 0;
  const bodies = await Promise.all(requests.map((r) => readBody(core, r.response, r.size, (n) => progress((loaded += n), total, 'downloading'))));
  progress(total, total, 'decoding');
  const sets = [];
  try {
    for (let i = 0; i < names.length; i++) {
      sets.push(await Dataset.fromPng(bodies[2 * i], bodies[2 * i + 1]));
      /** @type {any} */ (bodies[2 * i]).free?.();
    }
  } catch (e) {
    for (const set of sets) set.free();
    throw e;
  } finally {
    for (const b of bodies) /** @type {any} */ (b).free?.();
  }
  return sets;
}

/**
 * Loads MNIST from the folder `base` into `core`, calling progress(loaded, total, stage) as it
 * goes. Resolves to { training, test, counts, chunks: { subset, validation, trainingSample, test } },
 * the chunks of `chunkSize` images each: the validation subset of the curve points, network2's
 * monitors (the training ones on the first 10,000 training images, to stay quick) and the test set.
 */
export async function loadMnist(base, core, chunkSize, progress) {
  const [all, test] = await loadSets(base, core, ['mnist/train', 'mnist/test'], progress);
  const data = {
    training: all.slice(0, TRAINING),
    test,
    counts: { training: TRAINING, validation: all.count - TRAINING, test: test.count },
    chunks: {
      subset: chunks(all, TRAINING, SUBSET, chunkSize),
      validation: chunks(all, TRAINING, all.count - TRAINING, chunkSize),
      trainingSample: chunks(all, 0, 10000, chunkSize),
      test: chunks(test, 0, test.count, chunkSize),
    },
  };
  all.free(); // its bytes stay while the slices use them
  return data;
}
