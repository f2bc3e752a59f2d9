// kernels.mjs — the hot loops one by one (kernels.wasm: src/kernels.c, kernels_dot.c, im2col.c), at the shapes a
// training step of the benchmark's two networks gives them, mini-batch 10: how fast each runs in
// an engine, so that engines can be compared kernel by kernel (why one trains slower than
// another); the dot form (gemm_nt) at every register tile, whose best differs by engine
// (nndl_dot_tile, tuneKernels in nndl.js). Works in Node and in a browser Worker alike; the
// caller brings the module's bytes. Asserts nothing.

const M = 10; // the mini-batch

/** [name, kernel, arguments after the pointers, FLOPs per call] — the calls of one step. */
export const KERNELS = [
  ['fc 784→30 forward z = a·wᵀ', 'gemm_nt', [M, 30, 784]],
  ['fc 784→30 step w −= η/m δᵀ·a', 'gemm_tn_update', [30, 784, M]],
  ['conv 20×5×5 unroll (im2col)', 'im2col', [1, 28, 28, 5, 5]],
  ['conv 20×5×5 forward w·A (unrolled)', 'gemm_nn', [20, M * 576, 25]],
  ['conv 20×5×5 forward in place', 'conv_forward_in_place', [1, 28, 28, 5, 5, 20]],
  ['conv 20×5×5 BP4 δ·Aᵀ', 'gemm_nt', [20, 25, M * 576]],
  ['conv 20×5×5 BP4 δ·Aᵀ in place', 'conv_weight_gradient', [1, 28, 28, 5, 5, 20]],
  ['conv 40×5×5 unroll (im2col)', 'im2col', [20, 12, 12, 5, 5]],
  ['conv 40×5×5 forward w·A (unrolled)', 'gemm_nn', [40, M * 64, 500]],
  ['conv 40×5×5 forward in place', 'conv_forward_in_place', [20, 12, 12, 5, 5, 40]],
  ['conv 40×5×5 BP4 δ·Aᵀ', 'gemm_nt', [40, 500, M * 64]],
  ['conv 40×5×5 BP4 δ·Aᵀ in place', 'conv_weight_gradient', [20, 12, 12, 5, 5, 40]],
  ['conv 40×5×5 BP2 wᵀ·δ', 'gemm_tn', [500, M * 64, 40]],
  ['conv 40×5×5 fold back (col2im)', 'col2im', [20, 12, 12, 5, 5]],
  ['fc 640→100 forward', 'gemm_nt', [M, 100, 640]],
  ['fc 640→100 step', 'gemm_tn_update', [100, 640, M]],
];

/** Times the kernels of KERNELS (those whose kernel name matches `only`), each the best of three
 * timings of about `seconds`/3, gemm_nt once per tile from the widest down to 2 columns:
 * [{ name, kernel, tile, us, gflops }] (tile null but for gemm_nt, gflops null for the copies). */
export async function timeKernels(bytes, seconds = 0.25, only = /./) {
  const { instance } = await WebAssembly.instantiate(bytes, { env: { emscripten_notify_memory_growth() {} }, wasi_snapshot_preview1: { proc_exit() {} } });
  const k = instance.exports, floats = (n) => k.malloc(4 * n);
  k._initialize?.(); // the module's constructors: emmalloc's heap among them (malloc traps without)
  const fill = (ptr, n) => { const view = new Float32Array(k.memory.buffer, ptr, n); for (let i = 0; i < n; i++) view[i] = Math.sin(i) * 0.1; return ptr; };

  const widest = k.nndl_dot_tile(0), tiles = []; // 0: the widest, the default
  for (let t = widest; t >= Math.min(2, widest); t--) tiles.push(t);
  const calls = KERNELS.filter(([, kernel]) => only.test(kernel)).flatMap(([name, kernel, dims]) => {
    if (kernel === 'im2col' || kernel === 'col2im' || kernel.startsWith('conv_')) {
      const [maps, rows, cols, fr, fc, F] = dims, P = (rows - fr + 1) * (cols - fc + 1), K = maps * fr * fc;
      const input = fill(floats(maps * M * rows * cols), maps * M * rows * cols), unrolled = fill(floats(K * M * P), K * M * P);
      // nndl_conv_shape: size_t map_stride, example_stride, m; int maps, rows, cols, fr, fc. One per
      // call: the calls run after all are made, and a shared one timed every call at the last shape
      const shapePtr = k.malloc(64), shape = new Uint32Array(k.memory.buffer, shapePtr, 8);
      shape.set([M * rows * cols, rows * cols, M, maps, rows, cols, fr, fc]);
      if (kernel === 'conv_forward_in_place') { // z = w·A + b without unrolling (the forward pass's own)
        const w = fill(floats(F * K), F * K), bias = fill(floats(F), F);
        return [{ name, kernel, tile: null, flops: 2 * F * K * M * P, run: () => k.nndl_conv_forward_in_place(unrolled, w, input, bias, F, shapePtr) }];
      }
      if (kernel === 'conv_weight_gradient') { // BP4 without unrolling (training's own where the rows fit)
        const delta = fill(floats(F * M * P), F * M * P), nablaW = floats(F * K);
        return [{ name, kernel, tile: null, flops: 2 * F * K * M * P, run: () => k.nndl_conv_weight_gradient_block(nablaW, delta, input, shapePtr, 0, F, 0, K) }];
      }
      return [{ name, kernel, tile: null, flops: null, run: kernel === 'im2col' ? () => k.nndl_im2col(unrolled, input, shapePtr) : () => k.nndl_col2im(input, unrolled, shapePtr) }];
    }
    const [m, n, kk] = dims, c = fill(floats(m * n), m * n);
    const a = fill(floats(m * kk), m * kk), b = fill(floats(n * kk), n * kk);
    const fn = k[`nndl_${kernel}`];
    const run = kernel === 'gemm_tn_update' ? () => fn(c, a, b, m, n, kk, -1e-6, 1, 1e18) : () => fn(c, a, b, m, n, kk, 0);
    const each = kernel === 'gemm_nt' ? tiles : [null];
    return each.map((tile) => ({ name, kernel, tile, flops: 2 * m * n * kk, run }));
  });

  return calls.map(({ name, kernel, tile, flops, run }) => {
    k.nndl_dot_tile(tile ?? widest);
    let reps = 1;
    for (;;) { // grow until one timing takes long enough to trust
      const t = performance.now();
      for (let r = 0; r < reps; r++) run();
      const ms = performance.now() - t;
      if (ms > 1000 * seconds / 3) break;
      reps *= 2;
    }
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const t = performance.now();
      for (let r = 0; r < reps; r++) run();
      best = Math.min(best, (performance.now() - t) / reps);
    }
    return { name, kernel, tile, us: 1000 * best, gflops: flops ? flops / (best / 1000) / 1e9 : null };
  });
}
