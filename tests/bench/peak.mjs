// peak.mjs — this machine's WebAssembly SIMD peak, from peak.wasm (tests/bench/peak.c): the
// best FLOP rate of five runs of its register-only multiply-add loop, each long enough to take
// 0.1 s. Works in Node and in a browser Worker alike; the caller brings the module's bytes.
export async function probePeak(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { emscripten_notify_memory_growth() {} } });
  const { nndl_peak_run: run, nndl_peak_flops_per_iteration: flops } = instance.exports;
  let iterations = 1000, sink = 0.5, best = 0;
  for (;;) { // grow until one run takes 0.1 s
    const t = performance.now();
    sink += run(iterations, sink);
    if (performance.now() - t > 100) break;
    iterations *= 2;
  }
  for (let r = 0; r < 5; r++) { // a different start each time: no call can reuse another's result
    const t = performance.now();
    sink += run(iterations, 0.5 + 0.001 * r);
    best = Math.max(best, (iterations * flops()) / ((performance.now() - t) / 1000));
  }
  return sink === 12345 ? 0 : best;
}
