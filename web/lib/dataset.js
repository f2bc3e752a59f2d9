// @ts-check
// dataset.js — the Dataset class of the JavaScript API (nndl.js re-exports it): images and
// labels, or values and target vectors, in the core's memory, read by the core's loaders (IDX,
// PNG sprite sheets, arrays), sliced, sampled, expanded and augmented by the core. Not here:
// networks (network.js), schedules (nndl.js).
import { CoreBytes, Handle, loadCore, seedBigInt, writeHyper } from './core.js';

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
  /** @param {Uint8Array | ArrayBuffer | CoreBytes} png @param {Uint8Array | ArrayBuffer | CoreBytes} labels
   * @param {{ rows?: number, cols?: number }} [options] @returns {Promise<Dataset>} */
  static fromPng(png, labels, { rows = 28, cols = 28 } = {}) {
    return Dataset.#parse((c, out, p, l) => c.x.nndl_dataset_from_png(out, p, lengthOf(png), l, lengthOf(labels), rows, cols, c.err), png, labels);
  }

  /** An IDX image file and an IDX label file (Uint8Array or ArrayBuffer each). */
  /** @param {Uint8Array | ArrayBuffer} images @param {Uint8Array | ArrayBuffer} labels @returns {Promise<Dataset>} */
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
  /** @param {number} start @param {number} count @returns {Dataset} */
  slice(start, count) {
    return new Dataset(this.core, this.core.outPointer((out) => this.core.x.nndl_dataset_slice(out, this.live(), start, count, this.core.err)));
  }

  /** A random mini-batch: m different example indices, drawn by the core's generator from
   * `seed` as an epoch's shuffle draws them (chapter 1's mini-batch noise). */
  /** @param {number} m @param {number | bigint} [seed] @returns {number[]} */
  sample(m, seed = 1) {
    const c = this.core, size = c.layout.size_t;
    return c.withAlloc(size * Math.max(1, m), (out) => {
      c.check(c.x.nndl_dataset_sample(this.live(), m, seedBigInt(c, seed), out, c.err));
      return size === 8 ? Array.from(new BigUint64Array(c.memory, out, m), Number) : Array.from(c.u32(out, m));
    });
  }

  /** The book's expand_mnist: each image and its four one-pixel shifts (5x as many). */
  /** @returns {Dataset} */
  expand() {
    return new Dataset(this.core, this.core.outPointer((out) => this.core.x.nndl_dataset_expand(out, this.live(), this.core.err)));
  }

  /** What training sees of image i moved as `hyper` asks ({ rotate, shift, shear, elastic }),
   * drawn from a generator seeded with `seed`: a Float32Array of its pixels in 0..1. */
  /** @param {number} i @param {Record<string, number>} hyper @param {number | bigint} [seed] @returns {Float32Array} */
  augment(i, hyper, seed = 1) {
    const c = this.core, n = this.inputSize;
    return c.withAlloc(c.layout.nndl_hyper + 4 * n, (h) => {
      writeHyper(c, h, hyper);
      c.check(c.x.nndl_dataset_augment(this.live(), i, h, seedBigInt(c, seed), h + c.layout.nndl_hyper, c.err));
      return c.f32(h + c.layout.nndl_hyper, n).slice();
    });
  }

  /** @returns {number} */
  get count() { return this.core.x.nndl_dataset_count(this.live()); }
  /** @returns {number} */
  get rows() { return this.core.x.nndl_dataset_rows(this.live()); }
  /** @returns {number} */
  get cols() { return this.core.x.nndl_dataset_cols(this.live()); }
  /** @returns {number} */
  get inputSize() { return this.core.x.nndl_dataset_input_size(this.live()); }
  /** The size of each target vector of a set made from arrays; 0 for images with labels. */
  /** @returns {number} */
  get targetSize() { return this.core.x.nndl_dataset_target_size(this.live()); }
  /** A view (no copy) of the labels; it goes stale if the core's memory grows, so re-read it. */
  /** @returns {Uint8Array} */
  get labels() { return this.core.u8(this.core.x.nndl_dataset_labels(this.live()), this.count); }
  /** A view (no copy) of example i's pixels, 0..255. */
  /** @param {number} i @returns {Uint8Array} */
  image(i) {
    const n = this.inputSize;
    return this.core.u8(this.core.x.nndl_dataset_images(this.live()) + i * n, n);
  }
}
