// @ts-check
// helper-worker.js — one helper thread of the core on shared memory (threads.js): it instantiates
// the page Worker's compiled nndl-mt.wasm on the same memory, takes the stack and thread storage
// the page Worker allocated for it, says it is joining, and gives its thread to a network's team (nndl_threads_help),
// which returns when the team is freed. Not here: anything it computes (the team's jobs are the
// core's) or a message after it joins (it is busy in the core until the team ends).
import { sharedImports } from './threads.js';

self.onmessage = async ({ data: { module, memory, team, stackTop, storage } }) => {
  /** @type {any} */ let x = null;
  const compiled = /** @type {WebAssembly.Module} */ (module);
  const instance = await WebAssembly.instantiate(compiled, sharedImports(memory, () => x, false));
  x = instance.exports;
  x.stackRestore(stackTop); // not the main thread's stack: the module starts every instance there
  self.postMessage('joining');
  x.nndl_threads_help_in(team, storage); // its own thread storage (the kernels' packing buffer), then the team
  self.postMessage('left');
};
