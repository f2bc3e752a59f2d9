// @ts-check
// nndl.js — the JavaScript face of the nndl WebAssembly core, one ES module that works unchanged
// in Node 20, a page and a Web Worker: data sets, networks and schedules as classes over the
// core's objects, every failure a thrown NndlError with the core's message. The names of the
// choices and of the hyper-parameters, the layer grammar, the structs' layouts and the statuses
// are the core's (core.js reads them); this file repeats none. The library's face: the page and
// the figures import it (and mnist.js, worker-loop.js, worker-client.js), never core.js or
// network.js. Not here: any user interface, fetching policy or time slicing (the page and the
// Workers decide those; worker-loop.js slices).
import { CoreBytes, Handle, NndlError, loadCore, seedBigInt, specOf, writeHyper } from './core.js';
import { Network } from './network.js';

export { CoreBytes, NndlError, loadCore };
// For pages: the core compiled once as it streams in (to hand to Workers), a fetch that names
// the file it could not load; and the core's checks of a value, with a loaded core, for forms
// and links (the reason, as the core words it, or null).
export { HYPER_ALIASES, compileCore, fetchOk, hyperError, sizesError, specOf } from './core.js';

/** The names the core knows: { activation, hidden, cost, init, schedule, layer_kind } (lists
 * by value; '' where a kind leaves a value out), and the hyper-parameters' names. */
export async function choices() {
  const core = await loadCore();
  return { ...core.names, hyper: [...core.hyperNames.keys()] };
}

/** The core's defaults: { mini_batch_size: 10, eta: 3, lmbda: 0, ... } (network.py's). */
export async function defaultHyper() {
  const core = await loadCore();
  return Object.fromEntries([...core.hyperNames].map(([name, cname]) => [name, core.x.nndl_hyper_get(0, cname)]));
}

/** Parses a layer string with the core's grammar (nndl_spec_parse): the spec, or an NndlError
 * with the core's reason ("layer 3's local receptive field of 13 x 13 does not fit ..."). */
export async function parseLayers(layers, options = {}) {
  return specOf(await loadCore(), layers, options);
}

const lengthOf = (/** @type {any} */ bytes) => (bytes instanceof CoreBytes ? bytes.length : bytes.byteLength);

/** Images and labels, or values and target vectors, in the core's memory. */
export class Dataset extends Handle {
  constructor(core, ptr) {
    super(core, ptr, 'data set', (p) => core.x.nndl_dataset_free(p));
  }

  /** Parses two files: each a Uint8Array or ArrayBuffer (copied into the core for the call) or
   * CoreBytes already there (left to the caller). */
  static async #parse(parse, a, b) {
    const core = await loadCore();
    const inCore = (x) => (x instanceof CoreBytes ? x.ptr : core.copyIn(x));
    const pa = inCore(a), pb = inCore(b);
    try {
      return new Dataset(core, core.outPointer((out) => parse(core, out, pa, pb)));
    } finally {
      if (!(a instanceof CoreBytes)) core.x.free(pa);
      if (!(b instanceof CoreBytes)) core.x.free(pb);
    }
  }

  /** A PNG sprite sheet of rows x cols tiles and an IDX label file (the page's compact MNIST);
   * each may be CoreBytes. */
  static fromPng(png, labels, { rows = 28, cols = 28 } = {}) {
    return Dataset.#parse((c, out, p, l) => c.x.nndl_dataset_from_png(out, p, lengthOf(png), l, lengthOf(labels), rows, cols, c.err), png, labels);
  }

  /** An IDX image file and an IDX label file (Uint8Array or ArrayBuffer each). */
  static fromIdx(images, labels) {
    return Dataset.#parse((c, out, i, l) => c.x.nndl_dataset_from_idx(out, i, lengthOf(images), l, lengthOf(labels), c.err), images, labels);
  }

  /** Values and targets instead of images and labels (a regression's samples): `inputs` holds
   * count x inputSize numbers, `targets` count x targetSize, both copied into the core, which
   * refuses NaN and infinities. Train a network whose output has targetSize neurons on it;
   * shape [rows, cols] reads the inputs as images (for a convolutional network). */
  /** @param {ArrayLike<number>} inputs @param {ArrayLike<number>} targets
   * @param {{ inputSize?: number, targetSize?: number, shape?: [number, number] }} [options] @returns {Promise<Dataset>} */
  static async fromArrays(inputs, targets, { inputSize = 1, targetSize = 1, shape } = {}) {
    const core = await loadCore(), count = inputs.length / inputSize;
    if (!Number.isInteger(count) || count * targetSize !== targets.length)
      throw core.invalid(`${inputs.length} inputs and ${targets.length} targets are not whole examples of ${inputSize} and ${targetSize}`);
    const x = core.copyIn(Float32Array.from(inputs)), y = core.copyIn(Float32Array.from(targets));
    try {
      const set = new Dataset(core, core.outPointer((out) => core.x.nndl_dataset_from_arrays(out, x, inputSize, y, targetSize, count, core.err)));
      if (shape) {
        try {
          core.check(core.x.nndl_dataset_set_shape(set.ptr, shape[0], shape[1], core.err));
        } catch (e) {
          set.free();
          throw e;
        }
      }
      return set;
    } finally {
      core.x.free(x);
      core.x.free(y);
    }
  }

  /** A copy of examples [start, start + count): the book's split is slice(0, 50000) and slice(50000, 10000). */
  slice(start, count) {
    return new Dataset(this.core, this.core.outPointer((out) => this.core.x.nndl_dataset_slice(out, this.live(), start, count, this.core.err)));
  }

  /** A random mini-batch: m different example indices, drawn by the core's generator from
   * `seed` as an epoch's shuffle draws them (chapter 1's mini-batch noise). */
  sample(m, seed = 1) {
    const c = this.core, size = c.layout.size_t;
    return c.withAlloc(size * Math.max(1, m), (out) => {
      c.check(c.x.nndl_dataset_sample(this.live(), m, seedBigInt(c, seed), out, c.err));
      return size === 8 ? Array.from(new BigUint64Array(c.memory, out, m), Number) : Array.from(c.u32(out, m));
    });
  }

  /** The book's expand_mnist: each image and its four one-pixel shifts (5x as many). */
  expand() {
    return new Dataset(this.core, this.core.outPointer((out) => this.core.x.nndl_dataset_expand(out, this.live(), this.core.err)));
  }

  /** What training sees of image i moved as `hyper` asks ({ rotate, shift, shear, elastic }),
   * drawn from a generator seeded with `seed`: a Float32Array of its pixels in 0..1. */
  augment(i, hyper, seed = 1) {
    const c = this.core, n = this.inputSize;
    return c.withAlloc(c.layout.nndl_hyper + 4 * n, (h) => {
      writeHyper(c, h, hyper);
      c.check(c.x.nndl_dataset_augment(this.live(), i, h, seedBigInt(c, seed), h + c.layout.nndl_hyper, c.err));
      return c.f32(h + c.layout.nndl_hyper, n).slice();
    });
  }

  get count() { return this.core.x.nndl_dataset_count(this.live()); }
  get rows() { return this.core.x.nndl_dataset_rows(this.live()); }
  get cols() { return this.core.x.nndl_dataset_cols(this.live()); }
  get inputSize() { return this.core.x.nndl_dataset_input_size(this.live()); }
  /** The size of each target vector of a set made from arrays; 0 for images with labels. */
  get targetSize() { return this.core.x.nndl_dataset_target_size(this.live()); }
  /** A view (no copy) of the labels; it goes stale if the core's memory grows, so re-read it. */
  get labels() { return this.core.u8(this.core.x.nndl_dataset_labels(this.live()), this.count); }
  /** A view (no copy) of example i's pixels, 0..255. */
  image(i) {
    const n = this.inputSize;
    return this.core.u8(this.core.x.nndl_dataset_images(this.live()) + i * n, n);
  }
}

export { Network };

/** The fastest register tile for the core's dot-product kernel (the forward pass, BP4's weight
 * gradients) on this engine, set in the core and kept: found by timing a [784,30,10] network's
 * forward pass over 1,000 examples with each tile from the widest down to 2 columns, three
 * rounds interleaved (about 0.2 s, once per core; later calls answer at once). Engines
 * differ: Firefox's SpiderMonkey spills the widest tile's fifteen live vectors, which V8 and
 * JavaScriptCore keep in registers. Every tile computes the same bits; only speed changes.
 * Resolves to { columns, ms: { [columns]: best ms } }. For a Worker about to train. */
export async function tuneKernels() {
  const core = await loadCore();
  core.tuned ??= (async () => {
    const widest = core.x.nndl_dot_tile(0), n = 1000; // 0: the widest, the default
    const inputs = Float32Array.from({ length: n * 784 }, (_, i) => ((i * 7919) % 256) / 255);
    const data = await Dataset.fromArrays(inputs, new Float32Array(n * 10), { inputSize: 784, targetSize: 10 });
    const net = await Network.create([784, 30, 10], { seed: 1 });
    try {
      const time = (columns, reps) => {
        core.x.nndl_dot_tile(columns);
        const start = performance.now();
        for (let r = 0; r < reps; r++) net.measure(data);
        return (performance.now() - start) / reps;
      };
      let reps = 1;
      while (time(widest, reps) * reps < 20) reps *= 2; // long enough for a clock of 1 ms (Firefox, WebKit)
      /** @type {Record<number, number>} */ const ms = {};
      for (let round = 0; round < 3; round++)
        for (let columns = widest; columns >= Math.min(2, widest); columns--) ms[columns] = Math.min(ms[columns] ?? Infinity, time(columns, reps));
      const columns = Number(Object.keys(ms).reduce((a, b) => (ms[b] < ms[a] ? b : a)));
      core.x.nndl_dot_tile(columns);
      return { columns, ms };
    } finally {
      net.free();
      data.free();
    }
  })();
  return core.tuned;
}


/** Chapter 3's training schedules, kept by the core, by the core's names of them (see
 * choices().schedule and nndl_schedule_kind in nndl.h: none, early stopping after `patience`
 * epochs without a better validation accuracy, or halving eta then and stopping at eta/128). */
export class Schedule extends Handle {
  constructor(core, ptr) {
    super(core, ptr, 'schedule', (p) => core.x.free(p));
  }

  /** @param {string} kind @param {{ patience?: number, eta?: number }} [options] @returns {Promise<Schedule>} */
  static async create(kind, { patience = 10, eta } = {}) {
    const core = await loadCore();
    const code = core.code('schedule', kind);
    const ptr = core.alloc(core.layout.nndl_schedule);
    try {
      core.check(core.x.nndl_schedule_init(ptr, code, patience, eta, core.err));
    } catch (e) {
      core.x.free(ptr);
      throw e;
    }
    return new Schedule(core, ptr);
  }

  /** Records an epoch's validation accuracy: 'continue', 'halved' (see eta) or 'stop'. */
  update(validationAccuracy) {
    return ['continue', 'halved', 'stop'][this.core.x.nndl_schedule_update(this.live(), validationAccuracy)];
  }

  /** The learning rate to train with now. */
  get eta() { return this.core.f32(this.live() + this.core.layout['nndl_schedule.eta'], 1)[0]; }
}

