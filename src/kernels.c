/*
 * kernels.c — the SIMD matrix products (three forms) and their scalar twins, and a
 * convolution's forward product reading its input in place (checked against im2col and the
 * product). The products are register-blocked: a small tile of outputs is held in vector
 * registers while the shared dimension streams through, so each load feeds several
 * multiply-adds. The tile functions take their tile size as arguments but are always inlined
 * with constant sizes, which lets the compiler unroll them and keep the accumulators in
 * registers. Each product is split into ranges of column blocks for the threads of the pass
 * (threads.h): the same tiles, the same bits, whoever makes them. Not here: the copies of a
 * convolution (im2col.c), the kernels of single vectors (vectors.c). Not tuned per CPU: one code
 * path, measured by npm run bench.
 */
#include "kernels.h"

#include "simd.h"
#include "threads.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

/* ------------------------------------------------------------ C = A . B^T (dot form) */

/* Tile sizes: rows of A x rows of B held in registers. With 16 vector registers (SSE,
 * WebAssembly) 2 x 4 accumulators plus the 6 vectors loaded per step fit, and a mini-batch of
 * 10 is five whole row tiles; 3 x 3 was 12% slower in WebAssembly, 2 x 5 9%. AVX-512's 32
 * registers take more. Measured with npm run bench; -DNNDL_NT_MR=.. -DNNDL_NT_NR=.. to try. */
#ifndef NNDL_NT_MR
#if defined(__AVX512F__)
#define NNDL_NT_MR 5
#define NNDL_NT_NR 3
#else
#define NNDL_NT_MR 2
#define NNDL_NT_NR 4
#endif
#endif
enum { NT_MR = NNDL_NT_MR, NT_NR = NNDL_NT_NR };
_Static_assert(NT_MR >= 1 && NT_MR <= 6 && NT_NR >= 1 && NT_NR <= 5,
               "nt_tile_any dispatches tiles of up to 6 x 5");

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
            for (int q = 0; q < nr; q++) s[r][q] = nndl_vfma(av[r], bv[q], s[r][q]);
    }
    for (int r = 0; r < mr; r++)
        for (int q = 0; q < nr; q++) {
            float t = nndl_vsum(s[r][q]);
            for (size_t pp = p; pp < k; pp++) t = nndl_fma(a[r * k + pp], b[q * k + pp], t);
            float *out = c + r * ldc + q;
            *out = accumulate ? *out + t : t;
        }
}

/* Calls nt_tile with constant sizes, so that each edge tile is compiled for its own shape; the
 * shapes past this build's tile are never asked for, and the constant test drops their code
 * (half of the tiles of the WebAssembly build, whose tile is 2 x 4: kilobytes every page loads). */
#define NT_CALL(MR, NR)                                                                       \
    if ((MR) <= NT_MR && (NR) <= NT_NR && mr == (MR) && nr == (NR)) {                         \
        nt_tile(c, ldc, a, b, k, (MR) < NT_MR ? (MR) : NT_MR, (NR) < NT_NR ? (NR) : NT_NR,    \
                accumulate);                                                                  \
        return;                                                                               \
    }
#define NT_ROW(MR) NT_CALL(MR, 1) NT_CALL(MR, 2) NT_CALL(MR, 3) NT_CALL(MR, 4) NT_CALL(MR, 5)

static void nt_tile_any(float *c, size_t ldc, const float *a, const float *b, size_t k, int mr,
                        int nr, int accumulate) {
    NT_ROW(1) NT_ROW(2) NT_ROW(3) NT_ROW(4) NT_ROW(5) NT_ROW(6)
}

static int nt_columns = NT_NR; /* the tile's rows of B: nndl_dot_tile */

int nndl_dot_tile(int columns) {
    if (columns >= 0 && columns <= NT_NR) nt_columns = columns ? columns : NT_NR;
    return nt_columns;
}

/* A product and where it goes, for the threads that share it (threads.h): each takes a range
 * of column blocks of C and makes them exactly as one thread would. */
typedef struct product {
    float *c;
    const float *a, *b;
    size_t rs, cs, m, n, k;
    size_t ldc;                    /* gemm_nt: C's row stride (n, or more for a block of columns) */
    float alpha, keep, limit;
    int accumulate;
    const float *bias;
    const size_t *rows;            /* the in-place convolution: b is its input, of this shape */
    const nndl_conv_shape *shape;
    atomic_int within;             /* every written value within the limit, in every range   */
} product;

/* Tiles first..end of C = [C +] A . B^T, counted down the columns of tiles (a column of tiles
 * reads the same rows of B). */
static void gemm_nt_range(void *arg, size_t first, size_t end) {
    const product *p = arg;
    const size_t step = (size_t)nt_columns, m = p->m, n = p->n, k = p->k, row_tiles = (m + NT_MR - 1) / NT_MR;
    for (size_t t = first; t < end; t++) {
        size_t j = t / row_tiles * step, i = t % row_tiles * NT_MR;
        int nr = (int)(n - j < step ? n - j : step), mr = (int)(m - i < NT_MR ? m - i : NT_MR);
        nt_tile_any(p->c + i * p->ldc + j, p->ldc, p->a + i * k, p->b + j * k, k, mr, nr, p->accumulate);
    }
}

static void gemm_nt(float *c, size_t ldc, const float *a, const float *b, size_t m, size_t n, size_t k,
                    int accumulate) {
    product p = {.c = c, .ldc = ldc, .a = a, .b = b, .m = m, .n = n, .k = k, .accumulate = accumulate};
    size_t step = (size_t)nt_columns, tiles = (n + step - 1) / step * ((m + NT_MR - 1) / NT_MR);
    nndl_parallel(tiles, (m + NT_MR - 1) / NT_MR, (double)m * (double)n * (double)k, gemm_nt_range, &p);
}

void nndl_gemm_nt(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate) {
    gemm_nt(c, n, a, b, m, n, k, accumulate);
}

void nndl_gemm_nt_ldc(float *c, size_t ldc, const float *a, const float *b, size_t m, size_t n, size_t k) {
    gemm_nt(c, ldc, a, b, m, n, k, 0);
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
#ifndef NNDL_XN_MR
#if defined(__AVX512F__)
#define NNDL_XN_MR 6
#define NNDL_XN_NV 2
#else
#define NNDL_XN_MR 4
#define NNDL_XN_NV 2
#endif
#endif
enum { XN_MR = NNDL_XN_MR, XN_NV = NNDL_XN_NV };
_Static_assert(XN_MR >= 1 && XN_MR <= 6 && XN_NV >= 1 && XN_NV <= 3,
               "xn_tile_any dispatches tiles of up to 6 x 3 vectors");

/* How a tile is written back: C <- alpha S (accumulate = 0) or C <- keep C + alpha S, S being
 * the tile's products. alpha = 1 gives plain products; alpha = -eta/m with accumulate turns the
 * weight gradient into the SGD step itself, and keep = 1 - eta lmbda / n its L2 decay. `ok` collects out^2 <= limit^2, so the caller learns
 * whether every written value stayed within [-limit, limit] (NaN never does). */
typedef struct xn_write {
    float alpha, keep;
    int accumulate;
    const float *bias; /* or, per row of C, this added instead of C's value (the tile's rows) */
    nndl_vf lim2;
    nndl_vi ok;
    int tail_ok;
} xn_write;

/* mr rows of C, nv vectors of columns, over the shared dimension k. b and c point at the
 * tile's first column; ldb and n are their row strides. `gather` (a constant where it is
 * inlined): vector v of B's row p is at bases[v] + rows[p] instead (a convolution's input, read
 * in place: each vector within one output row). */
NNDL_INLINE void xn_tile(float *c, const float *a, size_t rs, size_t cs, const float *b,
                         size_t ldb, size_t n, size_t k, int mr, int nv, xn_write *w,
                         const float *const *bases, const size_t *rows, int gather) {
    nndl_vf s[XN_MR][XN_NV];
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < nv; v++) s[r][v] = (nndl_vf){0};
    for (size_t p = 0; p < k; p++, a += cs, b += ldb) { /* pointer steps: no multiplies */
        nndl_vf bv[XN_NV];
        for (int v = 0; v < nv; v++) bv[v] = nndl_vload(gather ? bases[v] + rows[p] : b + v * NNDL_VW);
        for (int r = 0; r < mr; r++) {
            nndl_vf ar = nndl_vsplat(a[r * rs]);
            for (int v = 0; v < nv; v++) s[r][v] = nndl_vfma(ar, bv[v], s[r][v]);
        }
    }
    nndl_vf alpha = nndl_vsplat(w->alpha);
    for (int r = 0; r < mr; r++)
        for (int v = 0; v < nv; v++) {
            float *out = c + r * n + v * NNDL_VW;
            nndl_vf x = alpha * s[r][v];
            if (w->bias) x += nndl_vsplat(w->bias[r]);
            else if (w->accumulate) x += nndl_vload(out) * nndl_vsplat(w->keep);
            nndl_vstore(out, x);
            w->ok &= x * x <= w->lim2;
        }
}

/* The same for this form (shapes past the build's tile: no code). */
#define XN_CALL(MR, NV, G)                                                                    \
    if ((MR) <= XN_MR && (NV) <= XN_NV && mr == (MR) && nv == (NV)) {                         \
        xn_tile(c, a, rs, cs, b, ldb, n, k, (MR) < XN_MR ? (MR) : XN_MR,                      \
                (NV) < XN_NV ? (NV) : XN_NV, w, bases, rows, G);                              \
        return;                                                                               \
    }
#define XN_ROW(MR, G) XN_CALL(MR, 1, G) XN_CALL(MR, 2, G) XN_CALL(MR, 3, G)

static void xn_tile_any(float *c, const float *a, size_t rs, size_t cs, const float *b,
                        size_t ldb, size_t n, size_t k, int mr, int nv, xn_write *w) {
    const float *const *bases = NULL;
    const size_t *rows = NULL;
    XN_ROW(1, 0) XN_ROW(2, 0) XN_ROW(3, 0) XN_ROW(4, 0) XN_ROW(5, 0) XN_ROW(6, 0)
}

static void xg_tile_any(float *c, const float *a, size_t rs, size_t cs, const float *const *bases,
                        const size_t *rows, size_t n, size_t k, int mr, int nv, xn_write *w) {
    const float *b = NULL;
    const size_t ldb = 0;
    XN_ROW(1, 1) XN_ROW(2, 1) XN_ROW(3, 1) XN_ROW(4, 1) XN_ROW(5, 1) XN_ROW(6, 1)
}

/* The k x (nv vectors) block of B that a column block reads, copied contiguous when more than
 * one row tile will read it: B's rows are n floats apart (a convolution's im2col: the whole
 * mini-batch's positions, 16 KB and more), so read in place each of its k rows is on a page of
 * its own and the TLB and the prefetcher lose; packed, the block streams. The copy changes no
 * arithmetic: the same bits. One block per thread. */
enum { XN_PACK_FLOATS = 16384 };
static _Thread_local nndl_vf xn_packed[XN_PACK_FLOATS / NNDL_VW];

static const float *xn_pack(const float *b, size_t n, size_t k, int nv) {
    float *out = (float *)xn_packed;
    size_t width = (size_t)nv * NNDL_VW;
    for (size_t p = 0; p < k; p++, b += n, out += width)
        for (int v = 0; v < nv; v++) nndl_vstore(out + v * NNDL_VW, nndl_vload(b + v * NNDL_VW));
    return (const float *)xn_packed;
}

/* Column blocks first..end of C = [C +] alpha op(A) . B, row tiles inside: the k x (nv vectors)
 * block of B a column block needs stays in L1 (packed: xn_pack) while every row of C is made
 * from it. */
static void gemm_xn_range(void *arg, size_t first, size_t end) {
    product *p = arg;
    const size_t m = p->m, n = p->n, k = p->k, nvec = n / NNDL_VW;
    nndl_vf lim2 = nndl_vsplat(p->limit * p->limit);
    xn_write w = {p->alpha, p->keep, p->accumulate, NULL, lim2, lim2 == lim2, 1};
    for (size_t v = first * XN_NV; v < nvec && v < end * XN_NV; v += XN_NV) {
        int nv = (int)(nvec - v < XN_NV ? nvec - v : XN_NV);
        size_t j = v * NNDL_VW;
        int pack = m > XN_MR && k * (size_t)XN_NV * NNDL_VW <= XN_PACK_FLOATS;
        const float *block = pack ? xn_pack(p->b + j, n, k, nv) : p->b + j;
        size_t ldb = pack ? (size_t)nv * NNDL_VW : n;
        for (size_t i = 0; i < m; i += XN_MR) {
            int mr = (int)(m - i < XN_MR ? m - i : XN_MR);
            w.bias = p->bias ? p->bias + i : NULL;
            xn_tile_any(p->c + i * n + j, p->a + i * p->rs, p->rs, p->cs, block, ldb, n, k, mr, nv, &w);
        }
    }
    if (!nndl_vall(w.ok)) atomic_store(&p->within, 0);
}

static int gemm_xn(float *c, const float *a, size_t rs, size_t cs, const float *b, size_t m,
                   size_t n, size_t k, float alpha, int accumulate, float keep, const float *bias, float limit) {
    product p = {.c = c, .a = a, .b = b, .rs = rs, .cs = cs, .m = m, .n = n, .k = k, .alpha = alpha,
                 .keep = keep, .limit = limit, .accumulate = accumulate, .bias = bias, .within = 1};
    size_t nvec = n / NNDL_VW;
    nndl_parallel((nvec + XN_NV - 1) / XN_NV, 1, (double)m * (double)n * (double)k, gemm_xn_range, &p);
    int tail_ok = 1;
    for (size_t i = 0; i < m; i++) /* columns past the last whole vector */
        for (size_t j = nvec * NNDL_VW; j < n; j++) {
            float t = 0.0f;
            for (size_t q = 0; q < k; q++) t = nndl_fma(a[i * rs + q * cs], b[q * n + j], t);
            float *out = c + i * n + j;
            *out = (bias ? bias[i] : accumulate ? *out * keep : 0.0f) + alpha * t;
            tail_ok &= *out * *out <= limit * limit;
        }
    return atomic_load(&p.within) && tail_ok;
}

static int gemm_xn_ref(float *c, const float *a, size_t rs, size_t cs, const float *b, size_t m,
                       size_t n, size_t k, float alpha, int accumulate, float keep, const float *bias, float limit) {
    int within = 1;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float t = 0.0f;
            for (size_t p = 0; p < k; p++) t += a[i * rs + p * cs] * b[p * n + j];
            c[i * n + j] = (bias ? bias[i] : accumulate ? c[i * n + j] * keep : 0.0f) + alpha * t;
            within &= fabsf(c[i * n + j]) <= limit;
        }
    return within;
}

void nndl_gemm_nn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate) {
    gemm_xn(c, a, k, 1, b, m, n, k, 1.0f, accumulate, 1.0f, NULL, INFINITY);
}

void nndl_gemm_nn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate) {
    gemm_xn_ref(c, a, k, 1, b, m, n, k, 1.0f, accumulate, 1.0f, NULL, INFINITY);
}

void nndl_gemm_nn_bias(float *c, const float *a, const float *b, const float *bias, size_t m,
                       size_t n, size_t k) {
    gemm_xn(c, a, k, 1, b, m, n, k, 1.0f, 0, 1.0f, bias, INFINITY);
}

void nndl_gemm_nn_bias_ref(float *c, const float *a, const float *b, const float *bias, size_t m,
                           size_t n, size_t k) {
    gemm_xn_ref(c, a, k, 1, b, m, n, k, 1.0f, 0, 1.0f, bias, INFINITY);
}

/* Where row (c, i, j) of a field starts, relative to the field's first input, for the most
 * fields a convolution forward in place takes. */
enum { CONV_MOST_FIELD = 4096 };
static _Thread_local size_t conv_rows[CONV_MOST_FIELD];

/* Maps first_map..end_map of a convolution's z at columns (positions of the batch) col..end_col,
 * read in place. */
static void conv_in_place_block(const product *p, size_t first_map, size_t end_map, size_t col, size_t end_col) {
    const nndl_conv_shape *s = p->shape;
    size_t out_cols = (size_t)(s->cols - s->fc + 1), positions = (size_t)(s->rows - s->fr + 1) * out_cols;
    size_t n = p->n, k = p->k, width = (size_t)XN_NV * NNDL_VW;
    nndl_vf lim2 = nndl_vsplat(INFINITY);
    xn_write out = {1.0f, 1.0f, 0, NULL, lim2, lim2 == lim2, 1};
    for (size_t first = col; first < end_col; first += width) { /* a column block: nv vectors of positions */
        int nv = (int)((end_col - first) / NNDL_VW < XN_NV ? (end_col - first) / NNDL_VW : XN_NV);
        const float *bases[XN_NV]; /* each vector's first field: its positions lie in one output row */
        for (int v = 0; v < nv; v++) {
            size_t at = first + (size_t)v * NNDL_VW, e = at / positions, y = at % positions / out_cols, x = at % out_cols;
            bases[v] = p->b + e * s->example_stride + y * (size_t)s->cols + x;
        }
        for (size_t f = first_map; f < end_map; f += XN_MR) {
            int mr = (int)(end_map - f < XN_MR ? end_map - f : XN_MR);
            out.bias = p->bias + f;
            xg_tile_any(p->c + f * n + first, p->a + f * k, k, 1, bases, p->rows, n, k, mr, nv, &out);
        }
    }
}

/* Maps first..end, every column. */
static void conv_in_place_range(void *arg, size_t first_map, size_t end_map) {
    const product *p = arg;
    conv_in_place_block(p, first_map, end_map, 0, p->n);
}

/* This thread's table of the field's offsets (conv_rows), for a shape that fits. */
static void conv_field_rows(const nndl_conv_shape *s) {
    size_t q = 0;
    for (int c = 0; c < s->maps; c++)
        for (int i = 0; i < s->fr; i++)
            for (int j = 0; j < s->fc; j++) conv_rows[q++] = (size_t)c * s->map_stride + (size_t)i * (size_t)s->cols + (size_t)j;
}

int nndl_conv_in_place_fits(const nndl_conv_shape *s) {
    size_t out_cols = (size_t)(s->cols - s->fc + 1), k = (size_t)s->maps * (size_t)s->fr * (size_t)s->fc;
    return out_cols % NNDL_VW == 0 && k <= CONV_MOST_FIELD;
}

/* The in-place product z = w . A + b of shape s, its table of offsets made in this thread. */
static product conv_in_place_product(float *z, const float *w, const float *in, const float *bias, size_t maps_out,
                                     const nndl_conv_shape *s) {
    size_t positions = (size_t)(s->rows - s->fr + 1) * (size_t)(s->cols - s->fc + 1);
    conv_field_rows(s);
    return (product){.c = z, .a = w, .m = maps_out, .n = s->m * positions, .k = (size_t)s->maps * (size_t)s->fr * (size_t)s->fc,
                     .bias = bias, .b = in, .rows = conv_rows, .shape = s};
}

int nndl_conv_forward_in_place(float *z, const float *w, const float *in, const float *bias,
                               size_t maps_out, const nndl_conv_shape *s) {
    if (!nndl_conv_in_place_fits(s)) return 0;
    /* the helpers read this thread's table of offsets: it lives until every range is done */
    product p = conv_in_place_product(z, w, in, bias, maps_out, s);
    nndl_parallel(maps_out, XN_MR, (double)maps_out * (double)p.n * (double)p.k, conv_in_place_range, &p);
    return 1;
}

int nndl_conv_forward_in_place_examples(float *z, const float *w, const float *in, const float *bias,
                                        size_t maps_out, const nndl_conv_shape *s, size_t first, size_t end) {
    if (!nndl_conv_in_place_fits(s)) return 0;
    product p = conv_in_place_product(z, w, in, bias, maps_out, s);
    size_t positions = p.n / s->m;
    conv_in_place_block(&p, 0, maps_out, first * positions, end * positions);
    return 1;
}

void nndl_gemm_tn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate) {
    gemm_xn(c, a, 1, m, b, m, n, k, 1.0f, accumulate, 1.0f, NULL, INFINITY);
}

void nndl_gemm_tn_lda(float *c, const float *a, size_t lda, const float *b, size_t m, size_t n, size_t k) {
    gemm_xn(c, a, 1, lda, b, m, n, k, 1.0f, 0, 1.0f, NULL, INFINITY);
}

void nndl_gemm_tn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate) {
    gemm_xn_ref(c, a, 1, m, b, m, n, k, 1.0f, accumulate, 1.0f, NULL, INFINITY);
}

int nndl_gemm_tn_update(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                        float alpha, float keep, float limit) {
    return gemm_xn(c, a, 1, m, b, m, n, k, alpha, 1, keep, NULL, limit);
}

int nndl_gemm_tn_update_ref(float *c, const float *a, const float *b, size_t m, size_t n,
                            size_t k, float alpha, float keep, float limit) {
    return gemm_xn_ref(c, a, 1, m, b, m, n, k, alpha, 1, keep, NULL, limit);
}
