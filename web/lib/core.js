// @ts-check
// core.js — the nndl WebAssembly core, instantiated once per realm (page, Worker or Node) without
// any Emscripten glue, and what it says about itself: the layout of its structs (nndl_layout(),
// checked here so that a module of another version fails at load, not with wrong numbers), its
// statuses, the names of its choices and of its hyper-parameters; and the helpers the API's classes share to
// read and write those structs. Every such fact is the core's; nothing here repeats one.
// Not here: the classes of the API (nndl.js, network.js), the core on shared memory's imports and
// helpers (threads.js, loaded only for nndl-mt.wasm).

/** A failed call into the core: `code` is the nndl_status, `message` the core's sentence. */
export class NndlError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'NndlError';
    this.code = code;
  }
}

/** @type {any} */
const host = globalThis;
const isNode = !!host.process?.versions?.node && typeof host.window === 'undefined';
const decoder = new TextDecoder();

/** fetch(url), refusing an HTTP error with a sentence that names the file: the one way the API,
 * the page and the Worker download what they need. */
export async function fetchOk(url, init) {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`cannot load ${url}: HTTP ${response.status}`);
  return response;
}

async function wasmBytes(pending) {
  const source = await pending; // a promise of any of these: a compilation still streaming in
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source) || source instanceof WebAssembly.Module) return source;
  const url = source ?? new URL('./nndl.wasm', import.meta.url);
  if (isNode && (typeof url === 'string' ? !/^https?:/.test(url) : url.protocol === 'file:')) {
    const fs = 'node:fs/promises'; // Node only: never loaded by a browser
    const { readFile } = await import(fs);
    return readFile(url);
  }
  return (await fetchOk(url)).arrayBuffer();
}

// The layout entries this API reads; a module without one of them is of another version.
const NEEDED = ['nndl_error', 'nndl_error.code', 'nndl_error.message', 'nndl_error.message.length', 'NNDL_MAX_LAYERS',
  'nndl_spec', 'nndl_spec.num_layers', 'nndl_spec.sizes', 'nndl_spec.activation', 'nndl_spec.cost', 'nndl_spec.init',
  'nndl_spec.kind', 'nndl_spec.maps', 'nndl_spec.rows', 'nndl_spec.cols', 'nndl_spec.field_rows', 'nndl_spec.field_cols',
  'nndl_hyper', 'nndl_progress', 'nndl_progress.epoch', 'nndl_progress.epoch_done', 'nndl_progress.done',
  'nndl_progress.total', 'nndl_progress.batches', 'nndl_progress.examples', 'nndl_progress.cost', 'nndl_schedule',
  'nndl_schedule.eta', 'size_t', 'NNDL_NAMES_ACTIVATION', 'NNDL_NAMES_HIDDEN', 'NNDL_NAMES_COST', 'NNDL_NAMES_INIT',
  'NNDL_NAMES_SCHEDULE', 'NNDL_NAMES_LAYER_KIND', 'NNDL_OK', 'NNDL_E_INVALID', 'NNDL_E_NOMEM', 'NNDL_E_DIVERGED'];

/** The instantiated core: raw exports, its layout and names, and helpers to move bytes. */
export class Core {
  /** @param {WebAssembly.Instance} instance @param {{ module?: WebAssembly.Module, memory?: WebAssembly.Memory | null }} [made] */
  constructor(instance, { module, memory } = {}) {
    this.x = /** @type {any} */ (instance.exports);
    /** The compiled module and its memory: shared (nndl-mt.wasm, threads.js) or the module's own. */
    this.module = module;
    this.memoryObject = memory ?? this.x.memory;
    this.shared = !!memory;
    if (this.x._initialize) this.x._initialize();
    else this.x.__wasm_call_ctors?.(); // nndl-mt.wasm's start
    this.layout = this.#readLayout();
    /** The core's statuses by name ({ NNDL_OK: 0, NNDL_E_INVALID: -1, ... }): signed values. */
    this.status = Object.fromEntries(Object.entries(this.layout).filter(([name]) => /^NNDL_(OK|E_)/.test(name)).map(([name, v]) => [name, v | 0]));
    this.err = this.x.malloc(this.layout.nndl_error);
    /** tuneKernels()'s answer, once it has timed this core's tiles (nndl.js). @type {Promise<{ columns: number, ms: Record<number, number> }> | null} */
    this.tuned = null;
    // the names of each kind of choice, by value ('' for a value the kind leaves out)
    this.names = {};
    for (const kind of ['activation', 'hidden', 'cost', 'init', 'schedule', 'layer_kind']) {
      const code = this.layout[`NNDL_NAMES_${kind.toUpperCase()}`], list = [];
      for (let v = 0, p; (p = this.x.nndl_name(code, v)); v++) list.push(this.string(p));
      this.names[kind] = list;
    }
    // the hyper-parameters' names, and their C strings (static in the module: never freed)
    this.hyperNames = new Map();
    for (let i = 0, p; (p = this.x.nndl_hyper_name(i)); i++) this.hyperNames.set(this.string(p), p);
    this.simdWidth = this.x.nndl_simd_width();
  }

  /** nndl_layout()'s entries as { name: value }: pairs of a string pointer and a 32-bit value. */
  #readLayout() {
    const layout = {};
    const words = new Uint32Array(this.memory, this.x.nndl_layout());
    for (let i = 0; words[i]; i += 2) layout[this.string(words[i])] = words[i + 1];
    if (layout.nndl_layout_entry !== 8) throw new Error('nndl.wasm is not a 32-bit nndl module');
    const missing = NEEDED.filter((name) => !(name in layout));
    if (missing.length) throw new Error(`nndl.wasm is of another version: it has no ${missing.join(', ')}`);
    return layout;
  }

  get memory() { return this.memoryObject.buffer; }
  u8(ptr, n) { return new Uint8Array(this.memory, ptr, n); }
  i32(ptr, n) { return new Int32Array(this.memory, ptr, n); }
  f32(ptr, n) { return new Float32Array(this.memory, ptr, n); }
  u32(ptr, n) { return new Uint32Array(this.memory, ptr, n); }
  f64(ptr) { return new DataView(this.memory).getFloat64(ptr, true); }
  size(ptr) { return this.layout.size_t === 8 ? Number(new DataView(this.memory).getBigUint64(ptr, true)) : this.u32(ptr, 1)[0]; }

  /** The NUL-terminated string at ptr. */
  string(ptr) {
    const bytes = new Uint8Array(this.memory, ptr), end = bytes.indexOf(0);
    return decoder.decode(this.shared ? bytes.slice(0, end) : bytes.subarray(0, end)); // no decoding from shared memory
  }

  alloc(bytes) {
    const ptr = this.x.malloc(Math.max(1, bytes));
    if (!ptr) throw new NndlError(this.status.NNDL_E_NOMEM, `out of WebAssembly memory allocating ${bytes} bytes`);
    return ptr;
  }

  /** The error of an argument out of range, with the core's status for it (NNDL_E_INVALID). */
  invalid(message) {
    return new NndlError(this.status.NNDL_E_INVALID, message);
  }

  /** Copies a typed array (or a string, NUL-terminated) into a fresh allocation; the caller frees it. */
  copyIn(data) {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(`${data}\0`)
      : new Uint8Array(data.buffer ?? data, data.byteOffset ?? 0, data.byteLength);
    const ptr = this.alloc(bytes.length);
    this.u8(ptr, bytes.length).set(bytes);
    return ptr;
  }

  /** Runs fn(ptr) with a temporary allocation of `bytes`, freed afterwards whatever happens. */
  withAlloc(bytes, fn) {
    const ptr = this.alloc(bytes);
    try { return fn(ptr); } finally { this.x.free(ptr); }
  }

  /** The core's sentence for a failed status (null for success): its error record's message. */
  reason(status) {
    return status < 0 ? this.string(this.err + this.layout['nndl_error.message']) || `nndl status ${status}` : null;
  }

  /** Throws an NndlError with the core's message if status < 0; returns status otherwise. */
  check(status) {
    if (status >= 0) return status;
    throw new NndlError(this.i32(this.err + this.layout['nndl_error.code'], 1)[0] || status, this.reason(status));
  }

  /** Reads a pointer written by the core into a 4-byte out-parameter. */
  outPointer(fn) {
    return this.withAlloc(4, (out) => {
      this.check(fn(out));
      return this.u32(out, 1)[0];
    });
  }

  /** The value of a name of a kind of choice ('relu' of 'activation' ...), or an NndlError
   * listing the names the core knows. */
  code(kind, name) {
    const value = this.names[kind].indexOf(name);
    if (value < 0 || name === '') throw this.invalid(`unknown ${kind} ${JSON.stringify(name)}: one of ${this.names[kind].filter(Boolean).join(', ')}`);
    return value;
  }
}

// ------------------------------------------------- helpers the API's classes share

/** Older spellings of hyper-parameters that links and the API still take; the core's names
 * are the one spelling of the CLI, the URL and this API. */
export const HYPER_ALIASES = { batch: 'mini_batch_size', batchSize: 'mini_batch_size', lambda: 'lmbda' };

/** Writes an nndl_hyper at ptr: the core's defaults, then each field of `hyper` by its name. */
export function writeHyper(core, ptr, hyper) {
  for (const cname of core.hyperNames.values()) core.check(core.x.nndl_hyper_set(ptr, cname, core.x.nndl_hyper_get(0, cname), core.err));
  for (const [key, value] of Object.entries(hyper)) {
    if (value === undefined) continue;
    const cname = core.hyperNames.get(HYPER_ALIASES[key] ?? key);
    if (!cname) throw core.invalid(`${JSON.stringify(key)} is not a hyper-parameter: ${[...core.hyperNames.keys()].join(', ')}`);
    core.check(core.x.nndl_hyper_set(ptr, cname, Number(value), core.err));
  }
}

export function seedBigInt(core, seed) {
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw core.invalid(`the seed must be a whole number >= 0, got ${seed}`);
  return BigInt(seed);
}

/** A spec in the core's memory at ptr, as { sizes, activations (of layers 1..L), cost, init,
 * layers (the layer string), and per layer 0..L kind, maps, rows, cols, fieldRows, fieldCols }. */
export function readSpec(core, ptr) {
  const at = (field) => ptr + core.layout[`nndl_spec.${field}`];
  const n = core.i32(at('num_layers'), 1)[0], names = core.names;
  const list = (field) => Array.from(core.i32(at(field), n));
  const spec = {
    sizes: list('sizes'), activations: list('activation').slice(1).map((a) => names.activation[a]),
    cost: names.cost[core.i32(at('cost'), 1)[0]], init: names.init[core.i32(at('init'), 1)[0]],
    kind: list('kind').map((k) => names.layer_kind[k]), maps: list('maps'), rows: list('rows'), cols: list('cols'),
    fieldRows: list('field_rows'), fieldCols: list('field_cols'),
  };
  const len = core.x.nndl_spec_format(ptr, 0, 0) + 1;
  spec.layers = core.withAlloc(len, (buf) => {
    core.x.nndl_spec_format(ptr, buf, len);
    return core.string(buf);
  });
  return spec;
}

export function withParsed(core, layers, { rows, cols, hidden }, fn) {
  const text = core.copyIn(String(layers));
  try {
    return core.withAlloc(core.layout.nndl_spec, (spec) => {
      core.check(core.x.nndl_spec_parse(spec, text, rows, cols, core.code('hidden', hidden), core.err));
      return fn(spec);
    });
  } finally {
    core.x.free(text);
  }
}

/** Bytes in the core's memory, written a piece at a time (a download streamed straight in, so
 * that it is never held in JavaScript too): `length` bytes at `ptr` once full; free() them. */
export class CoreBytes {
  constructor(core, capacity) {
    /** @type {Core} */ this.core = core;
    this.capacity = capacity;
    this.ptr = core.alloc(capacity);
    this.length = 0;
  }

  /** Appends a piece; throws if it would pass the capacity. */
  write(piece) {
    if (this.length + piece.length > this.capacity) throw this.core.invalid(`more than the ${this.capacity} bytes announced`);
    this.core.u8(this.ptr + this.length, piece.length).set(piece); // a fresh view: memory may have grown
    this.length += piece.length;
  }

  free() {
    if (this.ptr) this.core.x.free(this.ptr);
    this.ptr = 0;
  }
}

/** An object the core owns: its pointer, checked on every use, and the one call that frees it. */
export class Handle {
  constructor(core, ptr, what, release) {
    /** @type {Core} */ this.core = core;
    /** @type {number} the object's address in the core's memory; 0 once freed */ this.ptr = ptr;
    this.what = what;
    /** @type {(ptr: number) => void} */ this.release = release;
  }

  live() {
    if (!this.ptr) throw this.core.invalid(`this ${this.what} has been freed`);
    return this.ptr;
  }

  free() {
    if (this.ptr) this.release(this.ptr);
    this.ptr = 0;
  }
}

/** The spec of a layer string by the core's grammar, read into JavaScript; throws an NndlError
 * with the core's reason when the core refuses it. */
export function specOf(core, layers, { rows = 28, cols = 28, hidden = 'sigmoid' } = {}) {
  return withParsed(core, layers, { rows, cols, hidden }, (spec) => readSpec(core, spec));
}

/** The core's reason for refusing a fully connected network of these sizes, or null. */
export function sizesError(core, sizes) {
  const list = core.copyIn(Int32Array.from(sizes));
  try {
    return core.withAlloc(core.layout.nndl_spec, (spec) => core.reason(core.x.nndl_spec_fully_connected(spec, list, sizes.length, 0, 0, core.err)));
  } finally {
    core.x.free(list);
  }
}

/** The core's reason for refusing a value of the hyper-parameter `name`, or null. */
export function hyperError(core, name, value) {
  const cname = core.hyperNames.get(name);
  return core.withAlloc(core.layout.nndl_hyper, (h) => core.reason(core.x.nndl_hyper_set(h, cname, value, core.err)));
}

let corePromise = null;

/**
 * Loads the WebAssembly core once per realm. `wasm` may be a URL, a path URL (Node), the
 * module's bytes, or a compiled WebAssembly.Module (what a page hands its Worker, so that the
 * core is downloaded and compiled once), or a promise of one; by default nndl.wasm next to this file. Calling it
 * again returns the same core; call it before anything else to choose the source.
 */
/** @param {{ wasm?: any }} [options] @returns {Promise<Core>} */
export function loadCore({ wasm } = {}) {
  corePromise ??= (async () => {
    const source = await wasmBytes(wasm);
    const module = source instanceof WebAssembly.Module ? source : await WebAssembly.compile(source);
    /** @type {any} */ let exports = null;
    // nndl-mt.wasm imports its memory, shared: threads.js, which no other page or figure loads
    const threads = WebAssembly.Module.imports(module).some((i) => i.kind === 'memory') ? await import('./threads.js') : null;
    const memory = threads ? threads.newSharedMemory() : null;
    const imports = threads && memory ? threads.sharedImports(memory, () => exports, true) : { env: { emscripten_notify_memory_growth() {} } };
    const instance = await WebAssembly.instantiate(module, imports);
    exports = instance.exports;
    return new Core(instance, { module, memory });
  })();
  return corePromise;
}

/** The core compiled once, as it streams in (off the main thread in browsers): a Module for
 * loadCore({ wasm }) here and in a Worker, to which it can be posted. */
export function compileCore(url = new URL('./nndl.wasm', import.meta.url)) {
  return WebAssembly.compileStreaming(fetchOk(url));
}
