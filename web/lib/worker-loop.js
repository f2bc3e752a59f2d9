// @ts-check
// worker-loop.js — the one loop of every nndl Web Worker (the page's, the figures'): it loads the
// core it is given and says it is ready, hands each message to the Worker's handler of its type,
// answers a failure, or a message of a type it does not take, with one shape of error, and runs
// the Worker's long job in slices of SLICE_MS with Pause and Resume, so that a message waits at
// most about a slice. The main thread's side is worker-client.js. Not here: what a Worker
// computes (its handlers and its job).
import { loadCore } from './core.js';

/** A job runs in slices of about this long, yielding to messages between them. */
export const SLICE_MS = 15;

/**
 * What every Worker understands, whatever else it takes.
 * @typedef {{ type: 'init', wasm: WebAssembly.Module | BufferSource | URL | string, id?: number }} InitMessage
 * @typedef {{ type: 'pause', id?: number }} PauseMessage
 * @typedef {{ type: 'resume', id?: number }} ResumeMessage
 *
 * What every Worker may say: ready (after init, with what its init handler adds); paused (after
 * the job's slice in flight: nothing of the job follows it); error, in one shape (action: the
 * type of the message that failed, id: its id if it had one, code: the core's status or null).
 * @typedef {{ type: 'ready', [field: string]: unknown }} ReadyReply
 * @typedef {{ type: 'paused', id?: number }} PausedReply
 * @typedef {{ type: 'error', action: string, id?: number, message: string, code: number | null }} ErrorReply
 *
 * A message in, and a handler of it: its result, if a message ({ type }), is posted with the
 * request's id. A handler that starts a job does it by its context's run(job): a Pause that came
 * after the handler's message then still holds, however long the handler took to get there.
 * @typedef {{ type: string, id?: number, [field: string]: any }} Message
 * @typedef {{ seq: number, run: (job: Job) => void }} Context
 * @typedef {(message: any, context: Context) => unknown} Handler
 *
 * A long job: step() does a bounded piece of it and says whether more is left; afterSlice()
 * (optional) reports after each slice; paused() (optional) runs when Pause comes, before the
 * paused reply (a last report of where it stopped); ended() (optional) runs once step() has said
 * there is no more; failed(error) (optional) instead of the error reply when a step throws.
 * @typedef {{ step: () => boolean, afterSlice?: () => void, paused?: () => void, ended?: () => void, failed?: (error: any) => void }} Job
 */

/** The core's status of a failure, if it came from the core. */
const codeOf = (/** @type {any} */ e) => (typeof e?.code === 'number' ? e.code : null);

/**
 * Serves this Worker's messages by `handlers`, one per message type (init, if given, runs after
 * the core is loaded, and what it returns goes into the ready reply). Returns the loop: post(),
 * run(job) to start a long job (replacing one in progress), stop() to end it, and whether one
 * is running or paused.
 * @param {Record<string, Handler>} handlers
 */
export function serve(handlers) {
  /** @type {Job | null} */
  let job = null;
  let paused = false, scheduled = false;
  let received = 0, pausedBy = 0; // messages so far; the number of the last Pause
  const wake = new MessageChannel();

  /** @param {Message} message @param {Transferable[]} [transfer] */
  const post = (message, transfer = []) => self.postMessage(message, { transfer });

  /** @param {string} action @param {number | undefined} id @param {any} e */
  const fail = (action, id, e) => post({ type: 'error', action, ...(id === undefined ? {} : { id }), message: e?.message ?? String(e), code: codeOf(e) });

  const schedule = () => {
    if (scheduled || !job || paused) return;
    scheduled = true;
    wake.port2.postMessage(null); // a task of its own: messages waiting go first
  };

  /** One slice of the job: steps until SLICE_MS have passed or it has no more. */
  wake.port1.onmessage = () => {
    scheduled = false;
    const current = job;
    if (!current || paused) return;
    const started = performance.now();
    let more = true;
    try {
      while (more && job === current && performance.now() - started < SLICE_MS) more = current.step();
    } catch (e) {
      if (job === current) job = null;
      if (current.failed) current.failed(e);
      else fail('job', undefined, e);
      return;
    }
    if (job !== current) return; // a step replaced or stopped it
    current.afterSlice?.();
    if (more) schedule();
    else {
      job = null;
      current.ended?.();
    }
  };

  /** Starts `next`, asked for by message number `asker`: a Pause that came after it holds. */
  const start = (/** @type {Job} */ next, /** @type {number} */ asker) => {
    job = next;
    if (asker > pausedBy) paused = false;
    schedule();
  };

  /** @type {Record<string, Handler>} */
  const own = {
    async init(message, context) {
      await loadCore({ wasm: message.wasm });
      const extra = await handlers.init?.(message, context);
      return { type: 'ready', ...(extra && typeof extra === 'object' ? extra : {}) };
    },
    pause(_, { seq }) {
      if (job && !paused) job.paused?.();
      paused = true;
      pausedBy = seq;
      return { type: 'paused' };
    },
    resume() {
      paused = false;
      schedule();
    },
  };

  self.onmessage = async ({ data: message }) => {
    const type = String(message?.type), id = message?.id, seq = ++received;
    const handler = Object.hasOwn(own, type) ? own[type] : Object.hasOwn(handlers, type) ? handlers[type] : null;
    if (!handler) {
      const known = [...new Set([...Object.keys(own), ...Object.keys(handlers)])].join(', ');
      fail(type, id, new Error(`unknown message ${JSON.stringify(type)}: this Worker takes ${known}`));
      return;
    }
    try {
      const reply = await handler(message, /** @type {any} */ ({ seq, run: (/** @type {Job} */ next) => start(next, seq) }));
      if (reply && typeof reply === 'object' && 'type' in reply) post(/** @type {Message} */ (id === undefined ? reply : { ...reply, id }));
    } catch (e) {
      fail(type, id, e);
    }
  };

  return {
    post,
    /** Starts a long job, replacing the one in progress, as if asked by the latest message (a
     * handler starts one by its context's run instead). @param {Job} next */
    run(next) {
      start(next, received);
    },
    /** Ends the job in progress, if any: nothing more of it runs. */
    stop() {
      job = null;
    },
    get running() { return job !== null && !paused; },
    get paused() { return paused; },
  };
}
