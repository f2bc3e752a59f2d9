// peak.mjs — this machine's WebAssembly SIMD peak, from peak.wasm (tests/bench/peak.c): the
// best FLOP rate of runs of its register-only multiply-add loop: a probe to call right beside
// each timed run (the best of three runs of 0.05 s), so that a workload
// and the peak it is held to are measured at the same moment of a shared machine. Works in Node
// and in a browser Worker alike; the caller brings the module's bytes.

/** A function that probes the peak anew each time it is called (calibrated once). */
export async function prober(bytes) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { emscripten_notify_memory_growth() {} } });
  const { nndl_peak_run: run, nndl_peak_flops_per_iteration: flops } = instance.exports;
  let iterations = 1000, sink = 0.5, calls = 0;
  for (;;) { // grow until one run takes 0.05 s
    const t = performance.now();
    sink += run(iterations, sink);
    if (performance.now() - t > 50) break;
    iterations *= 2;
  }
  return () => {
    let best = 0;
    for (let r = 0; r < 3; r++) { // a different start each time: no call can reuse another's result
      const t = performance.now();
      sink += run(iterations, 0.5 + 0.001 * ++calls);
      best = Math.max(best, (iterations * flops()) / ((performance.now() - t) / 1000));
    }
    return sink === 12345 ? 0 : best;
  };
}
