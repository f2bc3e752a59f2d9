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
 * @param {any} core @param {any} net @param {number} count
 */
export async function useThreads(core, net, count) {
  if (!core.shared) return 1;
  count = Math.max(1, Math.min(count, core.layout.NNDL_MAX_THREADS));
  if (core.x.nndl_network_threads(net.live()) === count) return count; // its helpers are in
  core.check(core.x.nndl_network_set_threads(net.live(), count, core.err)); // the old helpers leave
  if (count === 1) return 1;
  const team = core.x.nndl_network_team(net.live());
  const helpers = [];
  for (let i = 1; i < count; i++) helpers.push(startHelper(core, team));
  const started = (await Promise.allSettled(helpers)).filter((h) => h.status === 'fulfilled').length;
  // each helper said it was joining just before it did: wait for the team to count it
  for (let tries = 0; core.x.nndl_threads_ready(team) < started && tries < 1000; tries++) await new Promise((r) => setTimeout(r, 1));
  if (started === count - 1) return count;
  // a Worker that never came leaves the team short: its parts go to those who came
  return 1 + core.x.nndl_threads_ready(team);
}

/** One helper Worker on the core's module and memory, with its own stack; resolves when it is
 * about to join `team`, and ends (its stack freed) when the team is freed. */
function startHelper(/** @type {any} */ core, /** @type {number} */ team) {
  // its stack and thread storage come from this thread: a helper never allocates (the allocator's
  // locks know only the threads Emscripten started)
  const storageBytes = core.x.nndl_threads_storage_size();
  const stack = core.x.malloc(HELPER_STACK + storageBytes);
  if (!stack) return Promise.reject(new Error('no memory for a helper thread\'s stack'));
  const worker = new Worker(HELPER, { type: 'module' });
  return new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => {
      if (data === 'joining') resolve(undefined);
      if (data === 'left') {
        worker.terminate();
        core.x.free(stack);
      }
    };
    worker.onerror = (e) => {
      worker.terminate();
      core.x.free(stack);
      reject(new Error(e.message));
    };
    // the stack's top 16-byte aligned, as the compiler assumes of every stack pointer (it reads
    // a vector's lanes back at sp | 4 i: off by 8, two lanes were one and sums came out doubled)
    const stackTop = (stack + HELPER_STACK) & ~15;
    worker.postMessage({ module: core.module, memory: core.memoryObject, team, stackTop, storage: stack + HELPER_STACK });
  });
}
