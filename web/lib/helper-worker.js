// @ts-check
// helper-worker.js — one helper thread of the core on shared memory (threads.js): it says it has
// loaded, takes a port to the Worker that trains (whoever started it: that Worker or its page),
// instantiates that Worker's compiled nndl-mt.wasm on the same memory, takes the stack and thread
// storage the Worker allocated for it, says it is joining, and gives its thread to a network's
// team (nndl_threads_help), which returns when the team is freed; then it says it left, to the
// Worker (which frees the stack) and to its starter (which ends it). Not here: anything it
// computes (the team's jobs are the core's).
import { sharedImports } from './threads.js';

/** Tells the Worker that trains why this helper cannot join, and its starter to end it. */
function fail(/** @type {MessagePort} */ port, /** @type {string} */ why) {
  port.postMessage({ failed: `a helper thread could not start: ${why}` });
  self.postMessage('left');
}

/** @param {MessagePort} port @param {any} start */
async function help(port, { module, memory, team, stackTop, storage }) {
  /** @type {any} */ let x = null;
  try {
    const instance = await WebAssembly.instantiate(/** @type {WebAssembly.Module} */ (module), sharedImports(memory, () => x, false));
    x = instance.exports;
  } catch (e) {
    return fail(port, /** @type {Error} */ (e).message);
  }
  x.stackRestore(stackTop); // not the main thread's stack: the module starts every instance there
  port.postMessage('joining');
  x.nndl_threads_help_in(team, storage); // its own thread storage (the kernels' packing buffer), then the team
  port.postMessage('left');
  self.postMessage('left');
}

self.onmessage = ({ data: { port } }) => {
  port.onmessage = ({ data }) => help(port, data);
  port.onmessageerror = () => fail(port, 'the browser would not pass it the core\'s shared memory');
};
self.postMessage('loaded');
