/*
 * kernels.c — the SIMD matrix products of the broadcast form, C = A . B and C = A^T . B, and
 * their scalar twins, and a convolution's forward product reading its input in place (checked
 * against im2col and the product). The products are register-blocked: a small tile of outputs
 * is held in vector registers while the shared dimension streams through, so each load feeds
 * several multiply-adds. The tile functions take their tile size as arguments but are always inlined
 * with constant sizes, which lets the compiler unroll them and keep the accumulators in
 * registers. Each product is split into ranges of column blocks for the threads of the pass
 * (threads.h): the same tiles, the same bits, whoever makes them. Not here: the dot form
 * C = A . B^T (kernels_dot.c), the copies of a convolution (im2col.c), the kernels of single
 * vectors (vectors.c). Not tuned per CPU: one code path, measured by npm run bench.
 */
#include "kernels.h"

#include "simd.h"
#include "threads.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

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

/* A product and where it goes, for the threads that share it (threads.h): each takes a range
 * of column blocks of C and makes them exactly as one thread would. */
typedef struct product {
    float *c;
    const float *a, *b;
    size_t rs, cs, m, n, k;
    float alpha, keep, limit;
    int accumulate;
    const float *bias;
    const size_t *rows;            /* the in-place convolution: b is its input, of this shape */
    const nndl_conv_shape *shape;
    atomic_int within;             /* every written value within the limit, in every range   */
} product;

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

/* This thread's table of the field's offsets (conv_rows), for a shape that fits: made again only
 * when the shape's field or strides change, since a job makes it for every piece it takes (each
 * offset costs three divisions: 500 of them, made for each example, were 8% of a two-thread
 * evaluation of network3.py's CNN). */
static _Thread_local nndl_conv_shape conv_rows_of;

static void conv_field_rows(const nndl_conv_shape *s) {
    const nndl_conv_shape *t = &conv_rows_of;
    if (t->maps == s->maps && t->fr == s->fr && t->fc == s->fc && t->cols == s->cols && t->map_stride == s->map_stride)
        return;
    size_t k = (size_t)s->maps * (size_t)s->fr * (size_t)s->fc;
    for (size_t q = 0; q < k; q++) conv_rows[q] = nndl_field_offset(s, q);
    conv_rows_of = *s;
}

size_t nndl_conv_maps_grain(void) { return XN_MR; }

int nndl_conv_in_place_fits(const nndl_conv_shape *s) {
    size_t out_cols = (size_t)(s->cols - s->fc + 1), k = (size_t)s->maps * (size_t)s->fr * (size_t)s->fc;
    size_t positions = (size_t)(s->rows - s->fr + 1) * out_cols;
    return out_cols % NNDL_VW == 0 && k <= CONV_MOST_FIELD && positions <= NNDL_CONV_MOST_POSITIONS;
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

int nndl_conv_forward_in_place_block(float *z, const float *w, const float *in, const float *bias, size_t maps_out,
                                     const nndl_conv_shape *s, size_t map, size_t map_end, size_t example,
                                     size_t example_end) {
    if (!nndl_conv_in_place_fits(s)) return 0;
    product p = conv_in_place_product(z, w, in, bias, maps_out, s);
    size_t positions = p.n / s->m;
    conv_in_place_block(&p, map, map_end, example * positions, example_end * positions);
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
