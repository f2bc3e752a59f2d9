// @ts-check
// network.js — the Network class of the JavaScript API (nndl.js re-exports it): a network in the
// core's memory, trained by the core's one training loop (nndl_network_train: the core keeps
// where the epoch is; a caller asks for a bounded number of mini-batches), evaluated on a
// workspace it keeps for the purpose. Not here: data sets and schedules (nndl.js).
import { Handle, loadCore, readSpec, seedBigInt, withParsed, writeHyper } from './core.js';

export class Network extends Handle {
  #workspace = 0;

  constructor(core, ptr) {
    super(core, ptr, 'network', (p) => {
      core.x.nndl_workspace_free(this.#workspace);
      core.x.nndl_network_free(p);
    });
  }

  /**
   * A network, described either by its layer sizes (input first, e.g. [784, 30, 10]: fully
   * connected, chapters 1 to 5) or by a layer string (chapter 6, e.g.
   * 'conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10'; the core's grammar) for input images
   * of `input` = [rows, cols]. Options (the core's names): seed; cost; hidden and output
   * activations; init. Left out, they are the core's rule, as in the CLI: with sizes network.py's
   * (quadratic, sigmoid, N(0, 1)), the output softmax for log-likelihood; with a layer string the
   * cost its output goes with and N(0, 1/n_in). The same seed gives the same numbers natively.
   */
  /** @typedef {{ seed?: number | bigint, cost?: string, hidden?: string, output?: string, init?: string, input?: number[] }} CreateOptions */
  /** @param {number[] | string} sizes @param {CreateOptions} [options] @returns {Promise<Network>} */
  static async create(sizes, { seed = 1, cost, hidden = 'sigmoid', output, init, input = [28, 28] } = {}) {
    const core = await loadCore();
    // what the caller chose over the core's rule, written into the spec before the core builds it
    const create = (/** @type {number} */ spec, /** @type {{ output?: string, cost?: string, init?: string }} */ { output, cost, init }) => {
      const at = (field) => spec + core.layout[`nndl_spec.${field}`];
      if (output !== undefined) {
        const L = core.i32(at('num_layers'), 1)[0] - 1;
        core.i32(at('activation'), L + 1)[L] = core.code('activation', output);
      }
      if (cost !== undefined) core.i32(at('cost'), 1)[0] = core.code('cost', cost);
      if (init !== undefined) core.i32(at('init'), 1)[0] = core.code('init', init);
      return new Network(core, core.outPointer((out) => core.x.nndl_network_create_spec(out, spec, seedBigInt(core, seed), core.err)));
    };
    if (typeof sizes === 'string') {
      if (!Array.isArray(input) || input.length !== 2) throw core.invalid(`input must be [rows, cols], got ${JSON.stringify(input)}`);
      return withParsed(core, sizes, { rows: input[0], cols: input[1], hidden }, (spec) => create(spec, { output, cost, init }));
    }
    if (!Array.isArray(sizes) || !sizes.every(Number.isInteger))
      throw core.invalid(`sizes must be an array of whole numbers like [784, 30, 10], got ${JSON.stringify(sizes)}`);
    const list = core.copyIn(Int32Array.from(sizes));
    try {
      return core.withAlloc(core.layout.nndl_spec, (spec) => {
        const costCode = core.code('cost', cost ?? 'quadratic');
        core.check(core.x.nndl_spec_fully_connected(spec, list, sizes.length, core.code('hidden', hidden), costCode, core.err));
        return create(spec, { output, init }); // the cost is the call's own
      });
    } finally {
      core.x.free(list);
    }
  }

  /** Reads a model file (the bytes save() returns, or the native CLI's --save). */
  /** @param {Uint8Array | ArrayBuffer} bytes @param {{ seed?: number | bigint }} [options] @returns {Promise<Network>} */
  static async load(bytes, { seed = 1 } = {}) {
    const core = await loadCore();
    const b = core.copyIn(new Uint8Array(bytes));
    try {
      return new Network(core, core.outPointer((out) => core.x.nndl_network_load(out, b, bytes.byteLength, seedBigInt(core, seed), core.err)));
    } finally {
      core.x.free(b);
    }
  }

  /** The number of neurons of each layer, input first. @returns {number[]} */
  get sizes() {
    const n = this.core.x.nndl_network_num_layers(this.live());
    return Array.from({ length: n }, (_, l) => this.core.x.nndl_network_layer_size(this.ptr, l));
  }

  /** { sizes, activations, cost, init, layers, and per layer kind, maps, rows, cols, fieldRows, fieldCols } */
  get spec() {
    return this.core.withAlloc(this.core.layout.nndl_spec, (ptr) => {
      this.core.x.nndl_network_get_spec(this.live(), ptr);
      return readSpec(this.core, ptr);
    });
  }

  /** A short name: the sizes of a fully connected network ('[784,30,10]'), else the layer string. */
  /** @returns {string} */
  get description() {
    const spec = this.spec;
    return spec.kind.slice(1).every((k) => k === 'full') ? `[${spec.sizes}]` : spec.layers;
  }

  /** The weights of convolutional layer `layer` as its feature maps' filters: { maps, inputs,
   * rows, cols, weights (a copy, maps x inputs x rows x cols), biases }; null for another kind. */
  /** @param {number} layer @returns {{ maps: number, inputs: number, rows: number, cols: number, weights: Float32Array, biases: Float32Array } | null} */
  filters(layer) {
    const spec = this.spec;
    if (spec.kind[layer] !== 'conv') return null;
    const maps = spec.maps[layer], inputs = spec.maps[layer - 1], rows = spec.fieldRows[layer], cols = spec.fieldCols[layer];
    const count = maps * inputs * rows * cols, params = this.params, w = this.weightsOffset(layer), b = this.biasesOffset(layer);
    return { maps, inputs, rows, cols, weights: params.slice(w, w + count), biases: params.slice(b, b + maps) };
  }

  /** The output's temperature T (calibration: its activation sees z / T; 1 as made). */
  get temperature() { return this.core.x.nndl_network_temperature(this.live()); }
  set temperature(t) { this.core.check(this.core.x.nndl_network_set_temperature(this.live(), t, this.core.err)); }

  /** @returns {number} */
  get numParams() { return this.core.x.nndl_network_num_params(this.live()); }
  /** A Float32Array view (no copy) of every parameter: w1, b1, w2, b2, ... Writing to it sets
   * the weights. It goes stale if the core's memory grows; take a fresh one after any call. */
  /** @returns {Float32Array} */
  get params() { return this.core.f32(this.core.x.nndl_network_params(this.live()), this.numParams); }
  /** A view of nabla_w, nabla_b of the last backprop (summed over its batch); training leaves it. */
  get grads() { return this.core.f32(this.core.x.nndl_network_grads(this.live()), this.numParams); }
  weightsOffset(layer) { return this.core.x.nndl_network_weights_offset(this.live(), layer); }
  biasesOffset(layer) { return this.core.x.nndl_network_biases_offset(this.live(), layer); }

  /** Goes on with an epoch that was interrupted after `done` examples, `epoch` epochs being
   * complete (a network kept by the page and loaded again): the next train() calls take a fresh
   * order and train the examples of it after the first `done` (nndl_network_resume). */
  resume(data, epoch, done) {
    this.core.check(this.core.x.nndl_network_resume(this.live(), data.live(), epoch, done, this.core.err));
  }

  /**
   * Up to maxBatches mini-batches of SGD with hyper-parameters by the core's names
   * ({ mini_batch_size, eta, lmbda, l1, mu, dropout, rotate, shift, shear, elastic }; the rest the core's
   * defaults), going on where the last call stopped and stopping at an epoch's end. Returns
   * { epoch, epochDone, done, total, batches, examples, cost } (cost summed over the examples).
   */
  /** @param {import('./dataset.js').Dataset} data @param {Record<string, number>} [hyper] @param {number} [maxBatches]
   * @returns {{ epoch: number, epochDone: boolean, done: number, total: number, batches: number, examples: number, cost: number }} */
  train(data, hyper = {}, maxBatches = 1) {
    const c = this.core, L = c.layout;
    return c.withAlloc(L.nndl_hyper + L.nndl_progress, (h) => {
      writeHyper(c, h, hyper);
      const p = h + L.nndl_hyper;
      c.check(c.x.nndl_network_train(this.live(), data.live(), h, maxBatches, p, c.err));
      const field = (name) => p + L[`nndl_progress.${name}`];
      return {
        epoch: c.u32(field('epoch'), 1)[0], epochDone: c.u32(field('epoch_done'), 1)[0] === 1,
        done: c.size(field('done')), total: c.size(field('total')), batches: c.size(field('batches')),
        examples: c.size(field('examples')), cost: c.f64(field('cost')),
      };
    });
  }

  /** To the end of the epoch, `chunk` mini-batches at a time with onProgress(done, total) between
   * them. Returns the seconds it took. */
  /** @param {import('./dataset.js').Dataset} data @param {{ chunk?: number, onProgress?: (done: number, total: number) => void, [hyper: string]: any }} [options] @returns {number} */
  trainEpoch(data, { chunk = 500, onProgress, ...hyper } = {}) {
    const start = performance.now();
    for (let p = { epochDone: false }; !p.epochDone;) {
      p = this.train(data, hyper, chunk);
      onProgress?.(p.done, p.total);
    }
    return (performance.now() - start) / 1000;
  }

  /** Chapter 5: for each layer (index 0, the input layer, is 0) the mean ||nabla_b|| / m over the
   * mini-batches trained since the last reset; and how many that was. */
  /** @param {{ reset?: boolean }} [options] @returns {{ speeds: number[], batches: number }} */
  learningSpeeds({ reset = true } = {}) {
    const c = this.core, n = this.sizes.length;
    return c.withAlloc(4 * n, (ptr) => {
      const batches = c.x.nndl_network_learning_speeds(this.live(), ptr, reset ? 1 : 0);
      return { speeds: Array.from(c.f32(ptr, n)), batches };
    });
  }

  /** The workspace evaluation uses: made once, freed with the network. */
  get #ws() {
    this.#workspace ||= this.core.outPointer((out) => this.core.x.nndl_workspace_create(out, this.live(), this.core.err));
    return this.#workspace;
  }

  /** network2.py's total_cost (mean cost on data plus the regularisation terms) and the number
   * classified right, from one pass over the data: { cost, correct }. */
  /** @param {import('./dataset.js').Dataset} data @param {{ lmbda?: number, l1?: number }} [regularisation] @returns {{ cost: number, correct: number }} */
  measure(data, { lmbda = 0, l1 = 0 } = {}) {
    const c = this.core;
    return c.withAlloc(16, (out) => {
      c.check(c.x.nndl_network_total_cost(this.live(), this.#ws, data.live(), lmbda, l1, out, out + 8, c.err));
      return { cost: c.f64(out), correct: c.size(out + 8) };
    });
  }

  /** network2.py's total_cost alone. */
  /** @param {import('./dataset.js').Dataset} data @param {{ lmbda?: number, l1?: number }} [regularisation] @returns {number} */
  totalCost(data, regularisation = {}) { return this.measure(data, regularisation).cost; }

  /** How many examples of `data` the network gets right. */
  /** @param {import('./dataset.js').Dataset} data @returns {number} */
  evaluate(data) {
    return this.core.withAlloc(8, (out) => {
      this.core.check(this.core.x.nndl_network_evaluate(this.live(), this.#ws, data.live(), out, this.core.err));
      return this.core.size(out);
    });
  }

  /** The digit the network picks for every example of `data` (a Uint8Array copy). */
  /** @param {import('./dataset.js').Dataset} data @returns {Uint8Array} */
  classify(data) {
    const c = this.core, n = data.count;
    return c.withAlloc(n, (out) => {
      c.check(c.x.nndl_network_classify(this.live(), this.#ws, data.live(), out, c.err));
      return c.u8(out, n).slice();
    });
  }

  /** The output activations for `count` inputs given as one flat array of count x n_0 values. */
  /** @param {ArrayLike<number>} inputs @returns {Float32Array} */
  feedforward(inputs) {
    const c = this.core, sizes = this.sizes, n0 = sizes[0], nOut = sizes.at(-1), count = inputs.length / n0;
    if (!Number.isInteger(count) || count < 1) throw c.invalid(`inputs must hold a whole number of ${n0}-value examples`);
    const inp = c.copyIn(Float32Array.from(inputs));
    try {
      return c.withAlloc(count * nOut * 4, (out) => {
        c.check(c.x.nndl_network_feedforward(this.live(), this.#ws, out, inp, count, c.err));
        return c.f32(out, count * nOut).slice();
      });
    } finally {
      c.x.free(inp);
    }
  }

  /**
   * One example's every number (chapter 2 step by step; what each layer sees): the input x
   * forward and, with a target y (n_L values), back. Returns, per layer 1..L (index 0 is the
   * input layer, empty), its weighted inputs z, activations a and (with y) errors delta, each a
   * Float32Array in an example's order, and prime: f'(z) as backpropagation takes it (null for a
   * layer that has none of its own: softmax, pooling); with y also nabla (dC/dw, dC/db in the
   * parameters' layout) and the cost. The network is not changed.
   */
  trace(x, y = null) {
    const c = this.core, sizes = this.sizes, n = c.x.nndl_network_trace_size(this.live()), np = this.numParams;
    if (x.length !== sizes[0]) throw c.invalid(`trace needs ${sizes[0]} input values, got ${x.length}`);
    if (y && y.length !== sizes.at(-1)) throw c.invalid(`trace needs ${sizes.at(-1)} target values, got ${y.length}`);
    const inp = c.copyIn(Float32Array.from(x)), target = y ? c.copyIn(Float32Array.from(y)) : 0;
    try {
      return c.withAlloc(4 * (3 * n + np) + 8, (buf) => {
        const [z, a, delta, nabla, cost] = [buf, buf + 4 * n, buf + 8 * n, buf + 12 * n, buf + 4 * (3 * n + np)];
        c.check(c.x.nndl_network_trace(this.ptr, this.#ws, inp, target, z, a, y ? delta : 0, y ? nabla : 0, y ? cost : 0, c.err));
        const layers = (ptr) => {
          const all = c.f32(ptr, n).slice(), out = [new Float32Array(0)];
          for (let l = 1, at = 0; l < sizes.length; at += sizes[l], l++) out.push(all.subarray(at, at + sizes[l]));
          return out;
        };
        const result = { z: layers(z), a: layers(a) };
        result.prime = result.a.map((values, l) => (l ? this.#prime(l, a + 4 * (values.byteOffset / 4), values.length) : null));
        if (y) Object.assign(result, { delta: layers(delta), nabla: c.f32(nabla, np).slice(), cost: c.f64(cost) });
        return result;
      });
    } finally {
      c.x.free(inp);
      if (target) c.x.free(target);
    }
  }

  /** f'(z) of layer l's count neurons from their activations at address `at` in the core's
   * memory, by the core's rule (nndl_network_activation_prime), or null where it has none. */
  #prime(l, at, count) {
    const c = this.core;
    return c.withAlloc(4 * count, (out) => (c.x.nndl_network_activation_prime(this.ptr, l, at, count, out, c.err) === 0 ? c.f32(out, count).slice() : null));
  }

  /**
   * f'(z) for activations a of layer l (any number of them: a batch's, as feedforward gives
   * them), by the rule backpropagation uses — sigmoid a(1 − a), tanh 1 − a², ReLU [a > 0], linear
   * 1. Throws for a layer with none of its own (softmax, pooling, the input).
   * @param {number} l @param {ArrayLike<number>} a @returns {Float32Array}
   */
  activationPrime(l, a) {
    const c = this.core, at = c.copyIn(Float32Array.from(a));
    try {
      return c.withAlloc(4 * a.length, (out) => {
        c.check(c.x.nndl_network_activation_prime(this.live(), l, at, a.length, out, c.err));
        return c.f32(out, a.length).slice();
      });
    } finally {
      c.x.free(at);
    }
  }

  /** Chapter 1's mini-batch noise: the gradient of the cost summed over examples of `data` (the
   * indices given, or the first `count`), as { nabla (the parameters' layout), cost }. */
  /** @param {import('./dataset.js').Dataset} data @param {number | number[]} examples */
  gradient(data, examples) {
    const c = this.core, np = this.numParams, list = typeof examples === 'number' ? null : Array.from(examples);
    const m = list ? list.length : /** @type {number} */ (examples);
    const size = c.layout.size_t, idx = list ? c.alloc(size * m) : 0;
    try {
      if (list) (size === 8 ? new BigUint64Array(c.memory, idx, m).set(list.map(BigInt)) : c.u32(idx, m).set(list));
      return c.withAlloc(4 * np + 8, (buf) => {
        c.check(c.x.nndl_network_gradient(this.live(), data.live(), idx, m, buf + 8, buf, c.err));
        return { nabla: c.f32(buf + 8, np).slice(), cost: c.f64(buf) };
      });
    } finally {
      if (idx) c.x.free(idx);
    }
  }

  /** One step of SGD by hand on the examples given (inputs: m x n_0 values, labels: m classes)
   * for a training set of n (the λ terms' n): backpropagation with dropout `hyper.dropout`, then
   * the update of `hyper` (nndl_network_backprop + nndl_network_sgd_step, the training loop's
   * step unfused). Returns { cost (summed), masks }: for each layer, the dropout mask that step
   * drew (m x n_l, 1 kept, 0 dropped) or null where none was drawn (chapter 3's dropout figure). */
  /** @param {ArrayLike<number>} inputs @param {ArrayLike<number>} labels @param {Record<string, number>} [hyper] @param {number} [n] */
  step(inputs, labels, hyper = {}, n = labels.length) {
    const c = this.core, L = c.layout, m = labels.length, sizes = this.sizes;
    if (inputs.length !== m * sizes[0]) throw c.invalid(`step needs ${m} x ${sizes[0]} input values, got ${inputs.length}`);
    const x = c.copyIn(Float32Array.from(inputs)), y = c.copyIn(Uint8Array.from(labels));
    try {
      return c.withAlloc(L.nndl_hyper + 8, (h) => {
        writeHyper(c, h, hyper);
        const dropout = c.x.nndl_hyper_get(h, c.hyperNames.get('dropout'));
        c.check(c.x.nndl_network_backprop(this.live(), x, y, m, dropout, h + L.nndl_hyper, c.err));
        const cost = c.f64(h + L.nndl_hyper);
        const masks = sizes.map((size, l) => {
          const at = c.x.nndl_network_dropout_mask(this.ptr, l);
          return at ? c.u8(at, m * size).slice() : null;
        });
        c.check(c.x.nndl_network_sgd_step(this.ptr, h, m, n, c.err));
        return { cost, masks };
      });
    } finally {
      c.x.free(x);
      c.x.free(y);
    }
  }

  /** Classifies one input of n_0 values (0..1): { digit, activations }. */
  /** @param {ArrayLike<number>} pixels @returns {{ digit: number, activations: Float32Array }} */
  predict(pixels) {
    const c = this.core, sizes = this.sizes, n0 = sizes[0], nOut = sizes.at(-1);
    if (pixels.length !== n0) throw c.invalid(`predict needs ${n0} values, got ${pixels.length}`);
    const inp = c.copyIn(Float32Array.from(pixels));
    try {
      return c.withAlloc(nOut * 4, (out) => {
        const digit = c.check(c.x.nndl_network_predict(this.live(), this.#ws, inp, out, c.err));
        return { digit, activations: c.f32(out, nOut).slice() };
      });
    } finally {
      c.x.free(inp);
    }
  }

  /** The network as JSON text, in the spirit of network2.py's save(). */
  /** @returns {string} */
  toJson() {
    const c = this.core, n = c.x.nndl_network_to_json(this.live(), 0, 0) + 1;
    return c.withAlloc(n, (buf) => {
      c.x.nndl_network_to_json(this.ptr, buf, n);
      return c.string(buf);
    });
  }

  /** The model file's bytes (a copy), readable by Network.load and the native CLI. */
  /** @returns {Uint8Array} */
  save() {
    const c = this.core, n = c.x.nndl_network_saved_size(this.live());
    return c.withAlloc(n, (buf) => {
      c.check(c.x.nndl_network_save(this.ptr, buf, n, c.err));
      return c.u8(buf, n).slice();
    });
  }
}
