/*
 * simd.h — the SIMD vector type of this build, through GCC/Clang vector extensions: one spelling
 * that becomes AVX (or AVX-512) on a native x86 build, SSE without AVX, and WebAssembly SIMD under
 * -msimd128. Not an intrinsics wrapper: only loads, stores, splats and arithmetic.
 */
#ifndef NNDL_SIMD_H
#define NNDL_SIMD_H

#include <math.h>
#include <string.h>
#if defined(__FMA__)
#include <immintrin.h>
#endif

/* 16 lanes with AVX-512 only when asked for (cmake -DNNDL_AVX512=ON): on the benchmark machine it
 * trains 25% faster than 8 lanes, but reaches a smaller share (25% against 30-40%) of its doubled
 * peak, the figure the benchmark holds us to. */
#if defined(__AVX512F__) && defined(NNDL_AVX512)
#define NNDL_VW 16
#elif defined(__AVX__)
#define NNDL_VW 8
#else
#define NNDL_VW 4
#endif

typedef float nndl_vf __attribute__((vector_size(NNDL_VW * sizeof(float))));
/* What comparing two nndl_vf gives: a lane of all ones where true, 0 where false. */
typedef int nndl_vi __attribute__((vector_size(NNDL_VW * sizeof(int))));

/* memcpy loads and stores: no alignment is assumed, and compilers emit a single vector move. */
static inline nndl_vf nndl_vload(const float *p) {
    nndl_vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void nndl_vstore(float *p, nndl_vf v) { memcpy(p, &v, sizeof v); }

/* Every lane x. Spelled as an initialiser, which compilers turn into one broadcast (`{0} + x`
 * would keep an addition, since -0 + 0 is +0; a loop over lanes stays a loop in WebAssembly). */
static inline nndl_vf nndl_vsplat(float x) {
#if NNDL_VW == 16
    return (nndl_vf){x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x};
#elif NNDL_VW == 8
    return (nndl_vf){x, x, x, x, x, x, x, x};
#else
    return (nndl_vf){x, x, x, x};
#endif
}

static inline float nndl_vsum(nndl_vf v) {
    float s = 0.0f;
    for (int i = 0; i < NNDL_VW; i++) s += v[i];
    return s;
}

/* 1 if every lane of a comparison's result is true. */
static inline int nndl_vall(nndl_vi v) {
    int all = 1;
    for (int i = 0; i < NNDL_VW; i++) all &= v[i] != 0;
    return all;
}

#if defined(__GNUC__) || defined(__clang__)
#define NNDL_INLINE static inline __attribute__((always_inline))
#else
#define NNDL_INLINE static inline
#endif

/* a * b + c, rounded once where the build has FMA (x86-64 with -mfma: every AVX2 machine), else
 * twice. The kernels spell every multiply-add so, and the build forbids the compiler to fuse
 * anything itself (-ffp-contract=off): which operations fuse then depends on the source alone,
 * not on how a compiler tunes for one CPU, so every machine with the same build flags computes
 * the same bits. */
NNDL_INLINE nndl_vf nndl_vfma(nndl_vf a, nndl_vf b, nndl_vf c) {
#if defined(__FMA__) && NNDL_VW == 16
    return (nndl_vf)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
#elif defined(__FMA__) && NNDL_VW == 8
    return (nndl_vf)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
#elif defined(__FMA__) && NNDL_VW == 4
    return (nndl_vf)_mm_fmadd_ps((__m128)a, (__m128)b, (__m128)c);
#else
    return a * b + c;
#endif
}

NNDL_INLINE float nndl_fma(float a, float b, float c) {
#if defined(__FMA__)
    return fmaf(a, b, c);
#else
    return a * b + c;
#endif
}

#endif
