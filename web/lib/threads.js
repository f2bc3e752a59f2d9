// @ts-check
// threads.js — the core on shared memory (nndl-mt.wasm) in a cross-origin isolated page: what that
// module imports (its shared memory and the few calls of Emscripten's runtime it names, none of
// which our core uses but its start: the thread's own storage), and the helper Workers that join
// a network's team of threads (src/threads.c) to share its passes. Each product of a pass is split
// into ranges of outputs, each made by the same operations whoever makes it: the same bits as one
// thread. Without isolation none of this loads: the core runs on one thread, as the figures do.
// Not here: the core's classes (core.js, network.js) or when to use threads (the page decides).

/** A helper's stack: the kernels' frames are small; their packing buffer lives in thread storage. */
const HELPER_STACK = 256 * 1024;
/** The core's memory on shared memory: 16 MiB to start, up to 2 GiB (its -sMAXIMUM_MEMORY). */
const PAGE = 65536, FIRST_PAGES = 256, MOST_PAGES = 32768;

const HELPER = new URL('./helper-worker.js', import.meta.url);

/** Fetches the helpers' script ahead of the first training, so that the service worker keeps it
 * with what the page loaded (a classroom offline trains on every core too). */
export const prefetchHelper = () => fetch(HELPER).then((r) => r.arrayBuffer()).catch(() => {});

/** Whether this realm can run the core's helpers: shared memory and a Worker to start them.
 * SharedArrayBuffer is asked for by name: a browser that hides it even on an isolated page
 * (WebKitGTK 2.50) also refuses to post shared memory to a Worker (DataCloneError), though it
 * makes shared WebAssembly memory. */
export const canShare = () => !!globalThis.crossOriginIsolated && typeof SharedArrayBuffer === 'function' && typeof Worker === 'function';

/** Why this realm trains on one thread when it cannot share (canShare false): the page's
 * isolation, or the browser. */
export const whyAlone = () => globalThis.crossOriginIsolated ? 'this browser does not share memory with its Workers' : 'this page is not cross-origin isolated';

export const newSharedMemory = () => new WebAssembly.Memory({ initial: FIRST_PAGES, maximum: MOST_PAGES, shared: true });

/**
 * What nndl-mt.wasm imports, over `memory`. `main`: the realm that runs the core's start (its
 * constructors make this thread the module's main one), not a helper. `exports()` gives the
 * instance's exports once it exists.
 * @param {WebAssembly.Memory} memory @param {() => any} exports @param {boolean} main
 */
export function sharedImports(memory, exports, main) {
  const refuse = (/** @type {string} */ what) => () => { throw new Error(`the nndl core asked for ${what}, which it never uses`); };
  return {
    env: {
      memory,
      emscripten_get_now: () => performance.now(),
      __clock_gettime: () => 28, // EINVAL: nothing of ours asks the time
      // the start of the thread that runs the constructors: it is the module's main thread (not
      // the browser's: a Worker, which may block) and gets its thread storage
      __emscripten_init_main_thread_js(/** @type {number} */ tb) {
        if (!main) refuse('a second main thread')();
        exports()._emscripten_thread_init(tb, 0, 1, 1);
        exports().emscripten_tls_init();
      },
      emscripten_resize_heap(/** @type {number} */ bytes) {
        const more = Math.ceil(((bytes >>> 0) - memory.buffer.byteLength) / PAGE);
        try {
          if (more > 0) memory.grow(more);
          return 1;
        } catch {
          return 0;
        }
      },
      emscripten_memcpy_big(/** @type {number} */ to, /** @type {number} */ from, /** @type {number} */ bytes) {
        new Uint8Array(memory.buffer).copyWithin(to, from, from + bytes);
      },
      _emscripten_notify_thread_queue() {},
      __emscripten_thread_cleanup() {},
      emscripten_receive_on_main_thread_js: refuse('a call on the main thread'),
      __pthread_create_js: () => 6, // EAGAIN: the core starts no pthreads; its helpers are Workers
      emscripten_webgl_create_context: () => 0,
      emscripten_set_canvas_element_size: () => -1,
      emscripten_unwind_to_js_event_loop: refuse('the event loop'),
      exit: refuse('exit()'),
    },
  };
}

/**
 * Gives `net` a team of `count` threads on a core loaded on shared memory: this one and
 * count - 1 helper Workers, which join before this returns (so that none can come after the team
 * is freed with the network). Returns the count in use: 1 where the core is not on shared memory,
 * where count is 1, or where a helper could not start (then the network works alone).
 * `open(port)` starts a helper Worker that listens on `port`: openHelper (a Worker of this
 * realm's own) or, in a page's Worker, helpersFromPage's (a Worker the page starts).
 * @param {any} core @param {any} net @param {number} count @param {(port: MessagePort) => Promise<unknown>} [open]
 */
export async function useThreads(core, net, count, open = openHelper) {
  if (!core.shared) return 1;
  count = Math.max(1, Math.min(count, core.layout.NNDL_MAX_THREADS));
  if (core.x.nndl_network_threads(net.live()) === count) return count; // its helpers are in
  core.check(core.x.nndl_network_set_threads(net.live(), count, core.err)); // the old helpers leave
  if (count === 1) return 1;
  const team = core.x.nndl_network_team(net.live());
  const helpers = [];
  for (let i = 1; i < count; i++) helpers.push(joinTeam(core, team, open));
  const started = (await Promise.allSettled(helpers)).filter((h) => h.status === 'fulfilled').length;
  // each helper said it was joining just before it did: wait for the team to count it
  for (let tries = 0; core.x.nndl_threads_ready(team) < started && tries < 1000; tries++) await new Promise((r) => setTimeout(r, 1));
  if (started === count - 1) return count;
  // a Worker that never came leaves the team short: its parts go to those who came
  return 1 + core.x.nndl_threads_ready(team);
}

/**
 * Starts a helper Worker in this realm and, once its script has run, hands it `port`, the far end
 * of a channel the realm that trains made; resolves then, or rejects if the script did not load
 * (so that the Worker that trains goes on without it instead of waiting for it to join). The
 * Worker ends when it leaves its team. A page's Worker should not
 * start helpers itself: in Firefox a Worker's `new Worker` waits on the page's thread, and once
 * in about 25 starts under load it never returned (the page stalled before its first point); it
 * asks its page (helpersFromPage, answerHelper). @param {MessagePort} port
 */
export function openHelper(port) {
  const worker = new Worker(HELPER, { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data === 'loaded') {
        worker.postMessage({ port }, [port]);
        resolve(undefined);
      }
      if (data === 'left') worker.terminate();
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message || 'a helper Worker did not start'));
    };
  });
}

/**
 * A page's side of helpersFromPage: for its Worker's { type: 'helper', ask, port }, starts a
 * helper on that port (openHelper) and answers by `post` (to the Worker) that it did, or why not.
 * @param {{ ask: number, port: MessagePort }} request @param {(message: any) => void} post
 */
export function answerHelper({ ask, port }, post) {
  openHelper(port).then(() => post({ type: 'helper', ask }), (e) => post({ type: 'helper', ask, failed: e.message }));
}

/**
 * A Worker's helpers, started by its page: `open(port)` posts { type: 'helper', ask, port } by
 * `post` (the page answers with answerHelper) and resolves once the page has started the
 * helper; `answer(message)` takes the page's reply.
 * @param {(message: any, transfer: Transferable[]) => void} post
 */
export function helpersFromPage(post) {
  /** @type {Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>} */
  const asked = new Map();
  let last = 0;
  return {
    open: (/** @type {MessagePort} */ port) => new Promise((resolve, reject) => {
      asked.set(++last, { resolve, reject });
      post({ type: 'helper', ask: last, port }, [port]);
    }),
    answer(/** @type {{ ask: number, failed?: string }} */ { ask, failed }) {
      const waiting = asked.get(ask);
      asked.delete(ask);
      if (failed === undefined) waiting?.resolve(undefined);
      else waiting?.reject(new Error(failed));
    },
  };
}

/** Starts a helper (`open`) on a channel made here, gives it its stack and `team`: resolves when
 * it is about to join; once the team is freed it leaves and its stack is freed. The channel is
 * made in this realm: one made by the page and posted on to both Workers does not carry shared
 * memory in Firefox (the helper gets a messageerror). */
async function joinTeam(/** @type {any} */ core, /** @type {number} */ team, /** @type {(port: MessagePort) => Promise<unknown>} */ open) {
  // its stack and thread storage come from this thread, before the helper starts: a helper never
  // allocates (the allocator's locks know only the threads Emscripten started)
  const stack = core.x.malloc(HELPER_STACK + core.x.nndl_threads_storage_size());
  if (!stack) throw new Error('no memory for a helper thread\'s stack');
  const { port1: port, port2: far } = new MessageChannel();
  try {
    await open(far);
  } catch (e) {
    port.close();
    core.x.free(stack);
    throw e;
  }
  return new Promise((resolve, reject) => {
    port.onmessage = ({ data }) => {
      if (data === 'joining') resolve(undefined);
      if (data === 'left' || data?.failed) {
        port.close();
        core.x.free(stack);
        if (data?.failed) reject(new Error(data.failed));
      }
    };
    // the stack's top 16-byte aligned, as the compiler assumes of every stack pointer (it reads
    // a vector's lanes back at sp | 4 i: off by 8, two lanes were one and sums came out doubled)
    const stackTop = (stack + HELPER_STACK) & ~15;
    port.postMessage({ module: core.module, memory: core.memoryObject, team, stackTop, storage: stack + HELPER_STACK });
  });
}
