// nndl.js — the JavaScript face of the nndl WebAssembly core: one ES module that works
// unchanged in Node 20, in a browser page and in a Web Worker. It instantiates the standalone
// nndl.wasm itself (no Emscripten glue), copies data in and out of the module's memory, and turns
// every failing status into a thrown NndlError with the core's message.
// Not here: any user interface, data fetching policy or training loop scheduling (the page and
// the Worker decide those); this is a thin, exact wrapper.

const ERROR_BYTES = 260; // sizeof(nndl_error): int code + char message[256]
const MAX_LAYERS = 64;   // NNDL_MAX_LAYERS
// nndl_spec, in 32-bit words: num_layers, sizes[64], activation[64], cost, init, then kind, maps,
// rows, cols, field_rows, field_cols (64 each)
const SPEC = { sizes: 1, activation: 1 + MAX_LAYERS, cost: 1 + 2 * MAX_LAYERS, init: 2 + 2 * MAX_LAYERS, kind: 3 + 2 * MAX_LAYERS };
const SHAPE_FIELDS = ['kind', 'maps', 'rows', 'cols', 'fieldRows', 'fieldCols'];
const SPEC_BYTES = 4 * (SPEC.kind + SHAPE_FIELDS.length * MAX_LAYERS);
const HYPER_BYTES = 32;  // nndl_hyper: uint32 mini_batch_size and seven float32
const SCHEDULE_BYTES = 40; // nndl_schedule (kind, patience, eta0, eta, double best, 3 ints)

export const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'softmax'];
export const COSTS = ['quadratic', 'cross-entropy', 'log-likelihood'];
export const INITS = ['large', 'scaled'];
export const KINDS = ['full', 'conv', 'pool'];
const SCHEDULES = ['none', 'early-stop', 'halve'];

/** Training hyper-parameters with network.py's defaults; see nndl_hyper in nndl.h. */
export const DEFAULT_HYPER = Object.freeze({ batchSize: 10, eta: 3.0, lmbda: 0, l1: 0, mu: 0, dropout: 0, rotate: 0, shift: 0 });
const isNode = typeof process !== 'undefined' && !!process.versions?.node && typeof window === 'undefined';

/** A failed call into the core: `code` is the nndl_status, `message` the core's sentence. */
export class NndlError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'NndlError';
    this.code = code;
  }
}

async function wasmBytes(source) {
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  const url = source ?? new URL('./nndl.wasm', import.meta.url);
  if (isNode && (typeof url === 'string' ? !/^https?:/.test(url) : url.protocol === 'file:')) {
    const { readFile } = await import('node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** The instantiated core: raw exports plus helpers to move bytes across the boundary. */
class Core {
  constructor(instance) {
    this.x = instance.exports;
    this.x._initialize?.();
    this.err = this.x.malloc(ERROR_BYTES);
    this.simdWidth = this.x.nndl_simd_width();
  }

  get memory() { return this.x.memory.buffer; }
  u8(ptr, n) { return new Uint8Array(this.memory, ptr, n); }
  f32(ptr, n) { return new Float32Array(this.memory, ptr, n); }
  u32(ptr, n) { return new Uint32Array(this.memory, ptr, n); }

  alloc(bytes) {
    const ptr = this.x.malloc(Math.max(1, bytes));
    if (!ptr) throw new NndlError(-2, `out of WebAssembly memory allocating ${bytes} bytes`);
    return ptr;
  }

  /** Copies a typed array into a fresh allocation; the caller frees it. */
  copyIn(array) {
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    const ptr = this.alloc(bytes.length);
    this.u8(ptr, bytes.length).set(bytes);
    return ptr;
  }

  /** Runs fn(ptr) with a temporary allocation of `bytes`, freed afterwards whatever happens. */
  withAlloc(bytes, fn) {
    const ptr = this.alloc(bytes);
    try { return fn(ptr); } finally { this.x.free(ptr); }
  }

  /** Throws an NndlError with the core's message if status < 0; returns status otherwise. */
  check(status) {
    if (status >= 0) return status;
    const code = new Int32Array(this.memory, this.err, 1)[0];
    const bytes = this.u8(this.err + 4, 256);
    const end = bytes.indexOf(0);
    const message = new TextDecoder().decode(bytes.subarray(0, end < 0 ? 256 : end));
    throw new NndlError(code || status, message || `nndl status ${status}`);
  }

  /** Writes hyper-parameters (DEFAULT_HYPER's fields) as an nndl_hyper at ptr. */
  writeHyper(ptr, hyper) {
    const h = { ...DEFAULT_HYPER, ...hyper };
    new Uint32Array(this.memory, ptr, 1)[0] = h.batchSize;
    new Float32Array(this.memory, ptr + 4, 7).set([h.eta, h.lmbda, h.l1, h.mu, h.dropout, h.rotate, h.shift]);
  }

  /** Runs fn(ptr) with an nndl_hyper written from `hyper`. */
  withHyper(hyper, fn) {
    return this.withAlloc(HYPER_BYTES, (ptr) => {
      this.writeHyper(ptr, hyper);
      return fn(ptr);
    });
  }

  /** Reads a pointer written by the core into a 4-byte out-parameter. */
  outPointer(fn) {
    return this.withAlloc(4, (out) => {
      this.check(fn(out));
      return this.u32(out, 1)[0];
    });
  }
}

let corePromise = null;

/**
 * Loads the WebAssembly core once per realm (page, Worker or Node process). `wasm` may be a URL,
 * a path URL (Node), or the module's bytes; by default nndl.wasm next to this file. Calling it
 * again returns the same core; call it before anything else to choose the source.
 */
export function loadCore({ wasm } = {}) {
  corePromise ??= (async () => {
    const bytes = await wasmBytes(wasm);
    const imports = { env: { emscripten_notify_memory_growth() {} } };
    const { instance } = await WebAssembly.instantiate(bytes, imports);
    return new Core(instance);
  })();
  return corePromise;
}

function seedBigInt(seed) {
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new NndlError(-1, `the seed must be a whole number >= 0, got ${seed}`);
  return BigInt(seed);
}

/** An object the core owns: its pointer, checked on every use, and the one call that frees it. */
class Handle {
  constructor(core, ptr, what, release) {
    this.core = core;
    this.ptr = ptr;
    this.what = what;
    this.release = release;
  }

  live() {
    if (!this.ptr) throw new NndlError(-1, `this ${this.what} has been freed`);
    return this.ptr;
  }

  free() {
    if (this.ptr) this.release(this.ptr);
    this.ptr = 0;
  }
}

/** Images and labels in the core's memory, parsed from IDX bytes (MNIST's format). */
export class Dataset extends Handle {
  constructor(core, ptr) {
    super(core, ptr, 'data set', (p) => core.x.nndl_dataset_free(p));
  }

  /** Parses a PNG sprite sheet of rows x cols tiles and an IDX label file (the page's compact
   * form of MNIST, written by src/tools/mnist_png.c). */
  static async fromPng(png, labels, { rows = 28, cols = 28 } = {}) {
    const core = await loadCore();
    const im = core.copyIn(new Uint8Array(png));
    const lb = core.copyIn(new Uint8Array(labels));
    try {
      const ptr = core.outPointer((out) => core.x.nndl_dataset_from_png(out, im, png.byteLength, lb, labels.byteLength, rows, cols, core.err));
      return new Dataset(core, ptr);
    } finally {
      core.x.free(im);
      core.x.free(lb);
    }
  }

  /** Parses an IDX image file and an IDX label file (Uint8Array or ArrayBuffer each). */
  static async fromIdx(images, labels) {
    const core = await loadCore();
    const im = core.copyIn(new Uint8Array(images));
    const lb = core.copyIn(new Uint8Array(labels));
    try {
      const ptr = core.outPointer((out) => core.x.nndl_dataset_from_idx(out, im, images.byteLength, lb, labels.byteLength, core.err));
      return new Dataset(core, ptr);
    } finally {
      core.x.free(im);
      core.x.free(lb);
    }
  }

  /** A copy of examples [start, start + count): the book's split is slice(0, 50000) and slice(50000, 10000). */
  slice(start, count) {
    const ptr = this.core.outPointer((out) => this.core.x.nndl_dataset_slice(out, this.live(), start, count, this.core.err));
    return new Dataset(this.core, ptr);
  }

  /** The book's expand_mnist: each image and its four one-pixel shifts (5x as many). */
  expand() {
    const ptr = this.core.outPointer((out) => this.core.x.nndl_dataset_expand(out, this.live(), this.core.err));
    return new Dataset(this.core, ptr);
  }

  get count() { return this.core.x.nndl_dataset_count(this.live()); }
  get rows() { return this.core.x.nndl_dataset_rows(this.live()); }
  get cols() { return this.core.x.nndl_dataset_cols(this.live()); }
  get inputSize() { return this.core.x.nndl_dataset_input_size(this.live()); }
  /** A view (no copy) of the labels; it goes stale if the core's memory grows, so re-read it. */
  get labels() { return this.core.u8(this.core.x.nndl_dataset_labels(this.live()), this.count); }
  /** A view (no copy) of example i's pixels, 0..255. */
  image(i) {
    const n = this.inputSize;
    return this.core.u8(this.core.x.nndl_dataset_images(this.live()) + i * n, n);
  }
}

/** A feedforward network trained by mini-batch SGD (network.py, network2.py). */
export class Network extends Handle {
  constructor(core, ptr) {
    super(core, ptr, 'network', (p) => core.x.nndl_network_free(p));
  }

  /**
   * A network, described either by its layer sizes (input first, e.g. [784, 30, 10]: fully
   * connected, chapters 1 to 5) or by a layer string (chapter 6, e.g.
   * 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10'; see nndl_spec_parse in nndl.h) for
   * input images of `input` = [rows, cols] (default MNIST's [28, 28]). Options: seed; cost
   * ('quadratic', 'cross-entropy', 'log-likelihood'); hidden and output activations ('sigmoid',
   * 'tanh', 'relu'; output also 'softmax', the default with log-likelihood); init ('large':
   * N(0,1) weights as network.py, 'scaled': N(0,1/n_in) as network2.py). With sizes the
   * defaults are network.py's; with a layer string the output comes from the string, init
   * defaults to 'scaled' and cost to what the output layer goes with. The same seed gives the
   * same numbers natively and here.
   */
  static async create(sizes, { seed = 1, cost, hidden = 'sigmoid', output, init, input = [28, 28] } = {}) {
    const core = await loadCore();
    if (typeof sizes === 'string') return Network.#fromLayers(core, sizes, { seed, cost, hidden, init, input });
    cost ??= 'quadratic';
    init ??= 'large';
    if (!Array.isArray(sizes) || !sizes.every(Number.isInteger))
      throw new NndlError(-1, `sizes must be an array of whole numbers like [784, 30, 10], got ${JSON.stringify(sizes)}`);
    if (sizes.length < 2 || sizes.length > MAX_LAYERS) throw new NndlError(-1, `a network needs 2 to ${MAX_LAYERS} layers, got ${sizes.length}`);
    output ??= cost === 'log-likelihood' ? 'softmax' : 'sigmoid';
    const codes = { cost: COSTS.indexOf(cost), hidden: ACTIVATIONS.indexOf(hidden), output: ACTIVATIONS.indexOf(output), init: INITS.indexOf(init) };
    for (const [name, code] of Object.entries(codes))
      if (code < 0) throw new NndlError(-1, `unknown ${name}: ${JSON.stringify({ cost, hidden, output, init }[name])}`);
    return core.withAlloc(SPEC_BYTES, (spec) => {
      const words = new Int32Array(core.memory, spec, SPEC_BYTES / 4);
      words.fill(0);
      words[0] = sizes.length;
      words.set(sizes, SPEC.sizes);
      for (let l = 1; l < sizes.length; l++) words[SPEC.activation + l] = l === sizes.length - 1 ? codes.output : codes.hidden;
      words[SPEC.cost] = codes.cost;
      words[SPEC.init] = codes.init;
      const ptr = core.outPointer((out) => core.x.nndl_network_create_spec(out, spec, seedBigInt(seed), core.err));
      return new Network(core, ptr);
    });
  }

  static #fromLayers(core, layers, { seed, cost, hidden, init, input }) {
    const hiddenCode = ACTIVATIONS.indexOf(hidden);
    if (hiddenCode < 0 || hidden === 'softmax') throw new NndlError(-1, `unknown hidden activation: ${JSON.stringify(hidden)}`);
    if (!Array.isArray(input) || input.length !== 2 || !input.every(Number.isInteger))
      throw new NndlError(-1, `input must be [rows, cols] of the images, got ${JSON.stringify(input)}`);
    const text = core.copyIn(new TextEncoder().encode(`${layers}\0`));
    try {
      return core.withAlloc(SPEC_BYTES, (spec) => {
        core.check(core.x.nndl_spec_parse(spec, text, input[0], input[1], hiddenCode, core.err));
        const words = new Int32Array(core.memory, spec, SPEC_BYTES / 4);
        for (const [name, value, names] of [['cost', cost, COSTS], ['init', init, INITS]]) {
          if (value === undefined) continue;
          if (!names.includes(value)) throw new NndlError(-1, `unknown ${name}: ${JSON.stringify(value)}`);
          words[SPEC[name]] = names.indexOf(value);
        }
        const ptr = core.outPointer((out) => core.x.nndl_network_create_spec(out, spec, seedBigInt(seed), core.err));
        return new Network(core, ptr);
      });
    } finally {
      core.x.free(text);
    }
  }

  /** Reads a model file (the bytes save() returns, or the native CLI's --save). */
  static async load(bytes, { seed = 1 } = {}) {
    const core = await loadCore();
    const b = core.copyIn(new Uint8Array(bytes));
    try {
      const ptr = core.outPointer((out) => core.x.nndl_network_load(out, b, bytes.byteLength, seedBigInt(seed), core.err));
      return new Network(core, ptr);
    } finally {
      core.x.free(b);
    }
  }

  get sizes() {
    const n = this.core.x.nndl_network_num_layers(this.live());
    return Array.from({ length: n }, (_, l) => this.core.x.nndl_network_layer_size(this.ptr, l));
  }

  /** { sizes, activations (of layers 1..L), cost, init, layers (the layer string), and per
   * layer 0..L: kind ('full', 'conv', 'pool'), maps, rows, cols, fieldRows, fieldCols } */
  get spec() {
    const c = this.core;
    return c.withAlloc(SPEC_BYTES, (ptr) => {
      c.x.nndl_network_get_spec(this.live(), ptr);
      const words = new Int32Array(c.memory, ptr, SPEC_BYTES / 4), L = words[0];
      const spec = {
        sizes: Array.from(words.subarray(SPEC.sizes, SPEC.sizes + L)),
        activations: Array.from(words.subarray(SPEC.activation + 1, SPEC.activation + L), (a) => ACTIVATIONS[a]),
        cost: COSTS[words[SPEC.cost]],
        init: INITS[words[SPEC.init]],
      };
      SHAPE_FIELDS.forEach((name, f) => {
        const start = SPEC.kind + f * MAX_LAYERS;
        spec[name] = Array.from(words.subarray(start, start + L));
      });
      spec.kind = spec.kind.map((k) => KINDS[k]);
      const n = c.x.nndl_spec_format(ptr, 0, 0) + 1;
      spec.layers = c.withAlloc(n, (buf) => {
        c.x.nndl_spec_format(ptr, buf, n);
        return new TextDecoder().decode(c.u8(buf, n - 1));
      });
      return spec;
    });
  }

  /** A short name: the sizes of a fully connected network ('[784,30,10]'), else the layer string. */
  get description() {
    const spec = this.spec;
    return spec.kind.slice(1).every((k) => k === 'full') ? `[${spec.sizes}]` : spec.layers;
  }

  /** The weights of convolutional layer `layer` as its feature maps' filters: { maps, inputs,
   * rows, cols, weights } with weights a Float32Array copy of maps x inputs x rows x cols (the
   * book's shared weights w_{f,m,i,j}), and biases. null if the layer is not convolutional. */
  filters(layer) {
    const spec = this.spec;
    if (spec.kind[layer] !== 'conv') return null;
    const maps = spec.maps[layer], inputs = spec.maps[layer - 1], rows = spec.fieldRows[layer], cols = spec.fieldCols[layer];
    const count = maps * inputs * rows * cols, params = this.params, w = this.weightsOffset(layer), b = this.biasesOffset(layer);
    return { maps, inputs, rows, cols, weights: params.slice(w, w + count), biases: params.slice(b, b + maps) };
  }

  get numParams() { return this.core.x.nndl_network_num_params(this.live()); }

  /** A Float32Array view (no copy) of every parameter: w1, b1, w2, b2, ... Writing to it sets
   * the weights. It goes stale if the core's memory grows; take a fresh one after any call. */
  get params() { return this.core.f32(this.core.x.nndl_network_params(this.live()), this.numParams); }
  /** A view of nabla_w, nabla_b of the last mini-batch (summed over its examples). */
  get grads() { return this.core.f32(this.core.x.nndl_network_grads(this.live()), this.numParams); }
  weightsOffset(layer) { return this.core.x.nndl_network_weights_offset(this.live(), layer); }
  biasesOffset(layer) { return this.core.x.nndl_network_biases_offset(this.live(), layer); }

  /** Draws the random order of a new epoch over n training examples. */
  shuffle(n) { this.core.check(this.core.x.nndl_network_shuffle(this.live(), n, this.core.err)); }

  /** Trains mini-batches [first, first + count) of the current epoch (see trainEpoch) with
   * hyper-parameters { batchSize, eta, lmbda, l1, mu, dropout, rotate, shift } (DEFAULT_HYPER
   * fills the rest), and returns their cost summed over the examples, each taken before its step. */
  trainBatches(train, first, count, hyper = {}) {
    const c = this.core;
    return c.withAlloc(8, (cost) => c.withHyper(hyper, (h) => {
      c.check(c.x.nndl_network_train_batches(this.live(), train.live(), first, count, h, cost, c.err));
      return new Float64Array(c.memory, cost, 1)[0];
    }));
  }

  /**
   * One epoch of mini-batch SGD: a fresh shuffle, then every mini-batch, in chunks of `chunk`
   * mini-batches with onProgress(done, total) between them. Returns the seconds it took.
   */
  trainEpoch(train, { chunk = 500, onProgress, ...hyper } = {}) {
    const n = train.count, batchSize = hyper.batchSize ?? DEFAULT_HYPER.batchSize;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > n)
      throw new NndlError(-1, `the mini-batch size must be 1 to ${n} (the training set), got ${batchSize}`);
    const start = performance.now();
    this.shuffle(n);
    const batches = Math.ceil(n / batchSize);
    for (let first = 0; first < batches; first += chunk) {
      const count = Math.min(chunk, batches - first);
      this.trainBatches(train, first, count, hyper);
      onProgress?.(Math.min((first + count) * batchSize, n), n);
    }
    return (performance.now() - start) / 1000;
  }

  /** Chapter 5: for each layer (index 0, the input layer, is 0) the mean ||nabla_b|| / m over the
   * mini-batches trained since the last reset; and how many that was. */
  learningSpeeds({ reset = true } = {}) {
    const c = this.core, n = this.sizes.length;
    return c.withAlloc(4 * n, (ptr) => {
      const batches = c.x.nndl_network_learning_speeds(this.live(), ptr, reset ? 1 : 0);
      return { speeds: Array.from(c.f32(ptr, n)), batches };
    });
  }

  /** network2.py's total_cost (mean cost on data plus the regularisation terms) and the number
   * classified right, from one pass over the data: { cost, correct }. */
  measure(data, { lmbda = 0, l1 = 0 } = {}) {
    const c = this.core;
    return c.withAlloc(16, (out) => {
      c.check(c.x.nndl_network_total_cost(this.live(), data.live(), lmbda, l1, out, out + 8, c.err));
      return { cost: new Float64Array(c.memory, out, 1)[0], correct: new Uint32Array(c.memory, out + 8, 1)[0] };
    });
  }

  /** network2.py's total_cost alone. */
  totalCost(data, regularisation = {}) {
    return this.measure(data, regularisation).cost;
  }

  /** The network as JSON text, in the spirit of network2.py's save(). */
  toJson() {
    const c = this.core, n = c.x.nndl_network_to_json(this.live(), 0, 0) + 1;
    return c.withAlloc(n, (buf) => {
      c.x.nndl_network_to_json(this.ptr, buf, n);
      return new TextDecoder().decode(c.u8(buf, n - 1));
    });
  }

  /** How many examples of `data` the network gets right. */
  evaluate(data) {
    return this.core.outPointer((out) => this.core.x.nndl_network_evaluate(this.live(), data.live(), out, this.core.err));
  }

  /** The digit the network picks for every example of `data` (a Uint8Array copy). */
  classify(data) {
    const c = this.core, n = data.count;
    return c.withAlloc(n, (out) => {
      c.check(c.x.nndl_network_classify(this.live(), data.live(), out, c.err));
      return c.u8(out, n).slice();
    });
  }

  /** The output activations for `count` inputs given as one flat array of count x n_0 values. */
  feedforward(inputs) {
    const c = this.core, sizes = this.sizes, n0 = sizes[0], nOut = sizes.at(-1);
    const count = inputs.length / n0;
    if (!Number.isInteger(count) || count < 1) throw new NndlError(-1, `inputs must hold a whole number of ${n0}-value examples`);
    const inp = c.copyIn(Float32Array.from(inputs));
    try {
      return c.withAlloc(count * nOut * 4, (out) => {
        c.check(c.x.nndl_network_feedforward(this.live(), out, inp, count, c.err));
        return c.f32(out, count * nOut).slice();
      });
    } finally {
      c.x.free(inp);
    }
  }

  /** Classifies one input of n_0 values (0..1): { digit, activations }. */
  predict(pixels) {
    const c = this.core, sizes = this.sizes, n0 = sizes[0], nOut = sizes.at(-1);
    if (pixels.length !== n0) throw new NndlError(-1, `predict needs ${n0} values, got ${pixels.length}`);
    const inp = c.copyIn(Float32Array.from(pixels));
    try {
      return c.withAlloc(nOut * 4, (out) => {
        const digit = c.check(c.x.nndl_network_predict(this.live(), inp, out, c.err));
        return { digit, activations: c.f32(out, nOut).slice() };
      });
    } finally {
      c.x.free(inp);
    }
  }

  /** The model file's bytes (a copy), readable by Network.load and the native CLI. */
  save() {
    const c = this.core, n = c.x.nndl_network_saved_size(this.live());
    return c.withAlloc(n, (buf) => {
      c.check(c.x.nndl_network_save(this.ptr, buf, n, c.err));
      return c.u8(buf, n).slice();
    });
  }
}

/** Chapter 3's training schedules, kept by the core: 'none', 'early-stop' (after `patience`
 * epochs without a better validation accuracy) or 'halve' (halve eta then; stop at eta/128). */
export class Schedule extends Handle {
  constructor(core, ptr) {
    super(core, ptr, 'schedule', (p) => core.x.free(p));
  }

  static async create(kind, { patience = 10, eta } = {}) {
    const core = await loadCore();
    const code = SCHEDULES.indexOf(kind);
    if (code < 0) throw new NndlError(-1, `unknown schedule ${JSON.stringify(kind)}: none, early-stop or halve`);
    const ptr = core.alloc(SCHEDULE_BYTES);
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
  get eta() { return new Float32Array(this.core.memory, this.live() + 12, 1)[0]; }
}
