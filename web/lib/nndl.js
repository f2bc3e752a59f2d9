// @ts-check
// nndl.js — the JavaScript face of the nndl WebAssembly core, one ES module that works unchanged
// in Node 20, a page and a Web Worker: data sets (dataset.js), networks (network.js) and
// schedules as classes over the core's objects, every failure a thrown NndlError with the core's
// message. The names of the choices and of the hyper-parameters, the layer grammar, the structs'
// layouts and the statuses are the core's (core.js reads them); this file repeats none. The
// library's face: the page and the figures import it (and mnist.js, worker-loop.js,
// worker-client.js, and threads.js for a network's helper threads in an isolated page), never
// core.js, dataset.js or network.js. Not here: any user interface,
// fetching policy or time slicing (the page and the Workers decide those; worker-loop.js slices).
import { CoreBytes, Handle, NndlError, loadCore, specOf } from './core.js';
import { Dataset } from './dataset.js';
import { Network } from './network.js';

export { CoreBytes, NndlError, loadCore };
// For pages: the core compiled once as it streams in (to hand to Workers), a fetch that names
// the file it could not load; and the core's checks of a value, with a loaded core, for forms
// and links (the reason, as the core words it, or null).
export { HYPER_ALIASES, compileCore, fetchOk, hyperError, sizesError, specOf } from './core.js';

/** The names the core knows: { activation, hidden, cost, init, schedule, layer_kind } (lists
 * by value; '' where a kind leaves a value out), and the hyper-parameters' names. */
/** @returns {Promise<Record<string, string[]>>} */
export async function choices() {
  const core = await loadCore();
  return { ...core.names, hyper: [...core.hyperNames.keys()] };
}

/** The core's defaults: { mini_batch_size: 10, eta: 3, lmbda: 0, ... } (network.py's). */
/** @returns {Promise<Record<string, number>>} */
export async function defaultHyper() {
  const core = await loadCore();
  return Object.fromEntries([...core.hyperNames].map(([name, cname]) => [name, core.x.nndl_hyper_get(0, cname)]));
}

/** Parses a layer string with the core's grammar (nndl_spec_parse): the spec, or an NndlError
 * with the core's reason ("layer 3's local receptive field of 13 x 13 does not fit ..."). */
/** @param {string} layers @param {{ rows?: number, cols?: number, hidden?: string }} [options] @returns {Promise<Record<string, any>>} */
export async function parseLayers(layers, options = {}) {
  return specOf(await loadCore(), layers, options);
}

export { Dataset, Network };

/** The fastest register tile for the core's dot-product kernel (the forward pass, BP4's weight
 * gradients) on this engine, set in the core and kept: found by timing a [784,30,10] network's
 * forward pass over 1,000 examples with each tile from the widest down to 2 columns, three
 * rounds interleaved (about 0.2 s, once per core; later calls answer at once). Engines
 * differ: Firefox's SpiderMonkey spills the widest tile's fifteen live vectors, which V8 and
 * JavaScriptCore keep in registers; the widest is kept unless another is 5% faster. Every tile
 * computes the same bits; only speed changes.
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
      // the widest (the default) unless another is clearly faster: a near-tie on a busy machine
      // is noise (V8's best is the widest by 5-12%, SpiderMonkey's a narrower one by 10-25%)
      const fastest = Number(Object.keys(ms).reduce((a, b) => (ms[b] < ms[a] ? b : a)));
      const columns = ms[fastest] < 0.95 * ms[widest] ? fastest : widest;
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
  /** @param {number} validationAccuracy @returns {string} */
  update(validationAccuracy) {
    return ['continue', 'halved', 'stop'][this.core.x.nndl_schedule_update(this.live(), validationAccuracy)];
  }

  /** The learning rate to train with now. */
  /** @returns {number} */
  get eta() { return this.core.f32(this.live() + this.core.layout['nndl_schedule.eta'], 1)[0]; }
}

