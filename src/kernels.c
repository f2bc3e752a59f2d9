/*
 * kernels.c — SIMD kernels (dot, axpy, three matrix-product forms) and their scalar twins.
 * The products are register-blocked: a small tile of outputs is held in vector registers while
 * the shared dimension streams through, so each load feeds several multiply-adds. The tile
 * functions take their tile size as arguments but are always inlined with constant sizes, which
 * lets the compiler unroll them and keep the accumulators in registers.
 * Not tuned per CPU and not multi-threaded: one core, one code path, measured by npm run bench.
 */
#include "kernels.h"

#include "simd.h"

int nndl_simd_width(void) { return NNDL_VW; }

/* ------------------------------------------------------------------------- dot and axpy */

float nndl_dot(const float *a, const float *b, size_t n) {
    nndl_vf s0 = {0}, s1 = {0};
    size_t i = 0;
    for (; i + 2 * NNDL_VW <= n; i += 2 * NNDL_VW) {
        s0 += nndl_vload(a + i) * nndl_vload(b + i);
        s1 += nndl_vload(a + i + NNDL_VW) * nndl_vload(b + i + NNDL_VW);
    }
    for (; i + NNDL_VW <= n; i += NNDL_VW) s0 += nndl_vload(a + i) * nndl_vload(b + i);
    float s = nndl_vsum(s0 + s1);
    for (; i < n; i++) s += a[i] * b[i];
    return s;
}

float nndl_dot_ref(const float *a, const float *b, size_t n) {
    float s = 0.0f;
    for (size_t i = 0; i < n; i++) s += a[i] * b[i];
    return s;
}

void nndl_axpy(float *y, const float *x, float alpha, size_t n) {
    nndl_vf va = nndl_vsplat(alpha);
    size_t i = 0;
    for (; i + NNDL_VW <= n; i += NNDL_VW)
        nndl_vstore(y + i, nndl_vload(y + i) + va * nndl_vload(x + i));
    for (; i < n; i++) y[i] += alpha * x[i];
}

void nndl_axpy_ref(float *y, const float *x, float alpha, size_t n) {
    for (size_t i = 0; i < n; i++) y[i] += alpha * x[i];
}

int nndl_axpy_finite(float *y, const float *x, float alpha, size_t n) {
    /* v * 0 is 0 for a finite v and NaN for NaN or an infinity, so `bad` stays 0 exactly when
     * every updated value is finite. */
    nndl_vf va = nndl_vsplat(alpha), bad = {0};
    size_t i = 0;
    for (; i + NNDL_VW <= n; i += NNDL_VW) {
        nndl_vf v = nndl_vload(y + i) + va * nndl_vload(x + i);
        nndl_vstore(y + i, v);
        bad += v * 0.0f;
    }
    float tail = 0.0f;
    for (; i < n; i++) {
        y[i] += alpha * x[i];
        tail += y[i] * 0.0f;
    }
    float total = nndl_vsum(bad) + tail;
    return total == 0.0f;
}

/* ------------------------------------------------------------ C = A . B^T (dot form) */

enum { NT_MR = 4, NT_NR = 2 };

/* mr rows of A (stride k) against nr rows of B (stride k) into C (row stride ldc). */
NNDL_INLINE void nt_tile(float *c, size_t ldc, const float *a, const float *b, size_t k, int mr,
                         int nr, int accumulate) {
    nndl_vf s[NT_MR][NT_NR];
    for (int r = 0; r < mr; r++)
        for (int q = 0; q < nr; q++) s[r][q] = (nndl_vf){0};
    size_t p = 0;
    for (; p + NNDL_VW <= k; p += NNDL_VW) {
        nndl_vf av[NT_MR], bv[NT_NR];
        for (int r = 0; r < mr; r++) av[r] = nndl_vload(a + r * k + p);
        for (int q = 0; q < nr; q++) bv[q] = nndl_vload(b + q * k + p);
        for (int r = 0; r < mr; r++)
            for (int q = 0; q < nr; q++) s[r][q] += av[r] * bv[q];
    }
    for (int r = 0; r < mr; r++)
        for (int q = 0; q < nr; q++) {
            float t = nndl_vsum(s[r][q]);
            for (size_t pp = p; pp < k; pp++) t += a[r * k + pp] * b[q * k + pp];
            float *out = c + r * ldc + q;
            *out = accumulate ? *out + t : t;
        }
}

#define NT_CASE(MR, NR)                                                                       \
    case (MR)*8 + (NR): nt_tile(c, ldc, a, b, k, MR, NR, accumulate); break

static void nt_tile_any(float *c, size_t ldc, const float *a, const float *b, size_t k, int mr,
                        int nr, int accumulate) {
    switch (mr * 8 + nr) {
        NT_CASE(4, 2); NT_CASE(4, 1); NT_CASE(3, 2); NT_CASE(3, 1);
        NT_CASE(2, 2); NT_CASE(2, 1); NT_CASE(1, 2); NT_CASE(1, 1);
    default: break;
    }
}

void nndl_gemm_nt(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate) {
    for (size_t i = 0; i < m; i += NT_MR) {
        int mr = (int)(m - i < NT_MR ? m - i : NT_MR);
        for (size_t j = 0; j < n; j += NT_NR) {
            int nr = (int)(n - j < NT_NR ? n - j : NT_NR);
            nt_tile_any(c + i * n + j, n, a + i * k, b + j * k, k, mr, nr, accumulate);
        }
    }
}

void nndl_gemm_nt_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate) {
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float t = 0.0f;
            for (size_t p = 0; p < k; p++) t += a[i * k + p] * b[j * k + p];
            c[i * n + j] = accumulate ? c[i * n + j] + t : t;
        }
}

/* ----------------------------------------- C = op(A) . B (broadcast-and-accumulate form) */

/* Both C = A.B and C = A^T.B read B and write C row by row; they differ only in how A is
 * strided: element (i, p) of op(A) is a[i * rs + p * cs]. */
enum { XN_MR = 4, XN_NV = 2 };

/* mr rows of C, nv vectors of columns, over the shared dimension k. b and c point at the
 * tile's first column; n is the row stride of both. */
NNDL_INLINE void xn_tile(float *c, const float *a, size_t rs, size_t cs, const float *b,
                         size_t n, size_t k, int mr, int nv, int accumulate) {
    nndl_vf s[XN_MR][XN_NV];
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < nv; v++)
            s[r][v] = accumulate ? nndl_vload(c + r * n + v * NNDL_VW) : (nndl_vf){0};
    for (size_t p = 0; p < k; p++) {
        nndl_vf bv[XN_NV];
        for (int v = 0; v < nv; v++) bv[v] = nndl_vload(b + p * n + v * NNDL_VW);
        for (int r = 0; r < mr; r++) {
            nndl_vf ar = nndl_vsplat(a[r * rs + p * cs]);
            for (int v = 0; v < nv; v++) s[r][v] += ar * bv[v];
        }
    }
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < nv; v++) nndl_vstore(c + r * n + v * NNDL_VW, s[r][v]);
}

#define XN_CASE(MR, NV)                                                                       \
    case (MR)*8 + (NV): xn_tile(c, a, rs, cs, b, n, k, MR, NV, accumulate); break

static void xn_tile_any(float *c, const float *a, size_t rs, size_t cs, const float *b,
                        size_t n, size_t k, int mr, int nv, int accumulate) {
    switch (mr * 8 + nv) {
        XN_CASE(4, 2); XN_CASE(4, 1); XN_CASE(3, 2); XN_CASE(3, 1);
        XN_CASE(2, 2); XN_CASE(2, 1); XN_CASE(1, 2); XN_CASE(1, 1);
    default: break;
    }
}

static void gemm_xn(float *c, const float *a, size_t rs, size_t cs, const float *b, size_t m,
                    size_t n, size_t k, int accumulate) {
    size_t nvec = n / NNDL_VW;
    for (size_t i = 0; i < m; i += XN_MR) {
        int mr = (int)(m - i < XN_MR ? m - i : XN_MR);
        const float *ai = a + i * rs;
        for (size_t v = 0; v < nvec; v += XN_NV) {
            int nv = (int)(nvec - v < XN_NV ? nvec - v : XN_NV);
            size_t j = v * NNDL_VW;
            xn_tile_any(c + i * n + j, ai, rs, cs, b + j, n, k, mr, nv, accumulate);
        }
        /* columns past the last whole vector */
        for (int r = 0; r < mr; r++)
            for (size_t j = nvec * NNDL_VW; j < n; j++) {
                float t = 0.0f;
                for (size_t p = 0; p < k; p++) t += ai[r * rs + p * cs] * b[p * n + j];
                float *out = c + (i + r) * n + j;
                *out = accumulate ? *out + t : t;
            }
    }
}

void nndl_gemm_nn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate) {
    gemm_xn(c, a, k, 1, b, m, n, k, accumulate);
}

void nndl_gemm_tn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate) {
    gemm_xn(c, a, 1, m, b, m, n, k, accumulate);
}

static void gemm_xn_ref(float *c, const float *a, size_t rs, size_t cs, const float *b, size_t m,
                        size_t n, size_t k, int accumulate) {
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float t = 0.0f;
            for (size_t p = 0; p < k; p++) t += a[i * rs + p * cs] * b[p * n + j];
            c[i * n + j] = accumulate ? c[i * n + j] + t : t;
        }
}

void nndl_gemm_nn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate) {
    gemm_xn_ref(c, a, k, 1, b, m, n, k, accumulate);
}

void nndl_gemm_tn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate) {
    gemm_xn_ref(c, a, 1, m, b, m, n, k, accumulate);
}

/* ------------------------------------------------------------------------------ pixels */

void nndl_bytes_to_unit(float *out, const uint8_t *in, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = (float)in[i] / 255.0f;
}
