// @ts-check
// worker-client.js — the main thread's side of an nndl Worker (worker-loop.js is the Worker's):
// it starts the Worker and hands it the compiled core, matches a request to the reply that
// carries its id, and calls the listener of each other message's type, keeping what the Worker
// says until someone listens for it (a page's own code may load after the Worker has spoken). One client for the
// page and every figure. Not here: what the messages mean (the Worker and its page).

/** An error reply of the Worker, as an Error: `action` the message that failed, `code` the
 * core's status (null when the core did not give one). */
export class WorkerError extends Error {
  /** @param {{ action: string, message: string, code: number | null }} reply */
  constructor({ action, message, code }) {
    super(message);
    this.name = 'WorkerError';
    this.action = action;
    this.code = code;
  }
}

/** A module Worker of the script at `url`. A Worker's script must come from the page's origin, so
 * one from another (the figures served from a CDN into a lesson's page) starts as a same-origin
 * blob that imports it: the module itself keeps its URL (import.meta.url), so what it fetches
 * beside itself (the data) still comes from its own origin, which must allow the page's (CORS,
 * as a CDN does). @param {URL | string} url @returns {Worker} */
export function startWorker(url) {
  const script = new URL(url, location.href);
  if (script.origin === location.origin) return new Worker(script, { type: 'module' });
  const boot = new Blob([`import ${JSON.stringify(script.href)};\n`], { type: 'text/javascript' });
  return new Worker(URL.createObjectURL(boot), { type: 'module', name: script.href });
}

/**
 * @typedef {{ type: string, id?: number, [field: string]: any }} Message
 * @typedef {(message: any) => void} Listener
 */

export class WorkerClient {
  /** @type {Map<string, Listener>} */ #listeners = new Map();
  /** @type {Message[]} */ #unheard = [];
  /** @type {Map<number, { resolve: (m: Message) => void, reject: (e: Error) => void }>} */ #waiting = new Map();
  /** @type {[Message, Transferable[]][] | null} */ #held = null; // sent before the core was
  #lastId = 0;

  /**
   * Starts the Worker at `url` (a module, of this origin or another: startWorker), or takes one
   * already started, and gives it the core
   * (`wasm`: a compiled WebAssembly.Module or a promise of one) when it is there. `ready`
   * resolves to the Worker's ready reply, or rejects with why it could not start.
   * @param {URL | string | Worker} worker
   * @param {{ wasm?: WebAssembly.Module | Promise<WebAssembly.Module> }} [options]
   */
  constructor(worker, { wasm } = {}) {
    this.worker = typeof worker === 'string' || worker instanceof URL ? startWorker(worker) : worker;
    this.worker.onmessage = ({ data }) => this.#deliver(data);
    this.worker.onerror = (e) => this.#deliver({ type: 'error', action: 'worker', message: e.message || 'the Worker failed to start', code: null });
    /** @type {Promise<Message>} */
    this.ready = new Promise(() => {});
    if (wasm !== undefined) {
      // what is sent before the core is goes after it: the Worker reads its messages in order
      this.#held = [];
      this.ready = Promise.resolve(wasm).then((module) => {
        const ready = this.request('init', { wasm: module }, [], true);
        for (const [message, transfer] of /** @type {[Message, Transferable[]][]} */ (this.#held)) this.worker.postMessage(message, transfer);
        this.#held = null;
        return ready;
      });
      this.ready.catch(() => {}); // a caller who cares awaits it
    }
  }

  /** Sends a message (after the core, if the core is still on its way).
   * @param {Message} message @param {Transferable[]} [transfer] */
  post(message, transfer = [], now = false) {
    if (this.#held && !now) this.#held.push([message, transfer]);
    else this.worker.postMessage(message, transfer);
  }

  /** Sends a message of `type` with an id; resolves to the reply with that id, or rejects with
   * a WorkerError. @param {string} type @param {Record<string, any>} [fields] @param {Transferable[]} [transfer] */
  request(type, fields = {}, transfer = [], now = false) {
    const id = ++this.#lastId;
    return /** @type {Promise<Message>} */ (new Promise((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      this.post({ ...fields, type, id }, transfer, now);
    }));
  }

  /** The id the next request will carry: a caller that wants only the latest reply compares. */
  get lastId() { return this.#lastId; }

  /** Listens for messages: { type: listener, ... }. What the Worker said before anyone listened
   * for its type is heard now, in the order it came. @param {Record<string, Listener>} listeners */
  listen(listeners) {
    for (const [type, listener] of Object.entries(listeners)) this.#listeners.set(type, listener);
    const unheard = this.#unheard.splice(0);
    for (const message of unheard) this.#deliver(message);
  }

  terminate() {
    this.worker.terminate();
    for (const { reject } of this.#waiting.values()) reject(new Error('the Worker was stopped'));
    this.#waiting.clear();
  }

  /** A reply goes to its request alone; any other message to the listener of its type, or it
   * waits for one. @param {Message} message */
  #deliver(message) {
    const waiter = message.id === undefined ? undefined : this.#waiting.get(message.id);
    if (waiter) {
      this.#waiting.delete(/** @type {number} */ (message.id));
      if (message.type === 'error') waiter.reject(new WorkerError(/** @type {any} */ (message)));
      else waiter.resolve(message);
      return;
    }
    const listener = this.#listeners.get(message.type);
    if (listener) listener(message);
    else this.#unheard.push(message);
  }
}
