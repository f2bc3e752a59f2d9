/*
 * peak.c — probes this machine's single-core SIMD peak: a register-only loop of independent
 * multiply-add chains on the same vector type the kernels use (src/simd.h), so the benchmark
 * can state efficiency = (FLOP count / peak) / measured time. Built natively (where the
 * compiler fuses each multiply-add into one FMA) and as peak.wasm (where WebAssembly SIMD has
 * separate f32x4.mul and f32x4.add). Not a benchmark of memory: nothing is loaded in the loop.
 */
#include "simd.h"

/* Enough independent chains to hide the latency of a multiply followed by an add. */
#define CHAINS 12

int nndl_peak_flops_per_iteration(void) { return CHAINS * NNDL_VW * 2; }

/* Runs `iterations` rounds of acc = acc * m + c on every chain; returns a sum so that nothing
 * can be optimised away. The values settle near 1 and never become denormal. Callers pass a
 * different `start` each time, so that a compiler cannot reuse the result of an earlier call. */
float nndl_peak_run(int iterations, float start) {
    nndl_vf acc[CHAINS];
    for (int i = 0; i < CHAINS; i++) acc[i] = nndl_vsplat(start + 0.01f * (float)i);
    nndl_vf m = nndl_vsplat(0.9999f), c = nndl_vsplat(0.0001f);
    for (int it = 0; it < iterations; it++)
        for (int i = 0; i < CHAINS; i++) acc[i] = acc[i] * m + c;
    nndl_vf s = {0};
    for (int i = 0; i < CHAINS; i++) s += acc[i];
    return nndl_vsum(s);
}
