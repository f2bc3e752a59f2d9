/*
 * kernels_dot.c — the dot form of the matrix products, C = A . B^T, and its scalar twin: each
 * output a dot product of two rows, held in a register tile while the shared dimension streams
 * through (the backward pass's weight gradients, BP4: delta . a^T). And BP4 of a convolution in
 * the same form, the rows of its unrolled input read in place from the input instead of copied
 * out by im2col (checked against im2col and the product: the same bits). Not here: the
 * broadcast form C = op(A) . B and the forward convolution read in place (kernels.c), the
 * copies (im2col.c).
 */
#include "kernels.h"

#include "simd.h"
#include "threads.h"

#include <stddef.h>

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
 * of tiles of C and makes them exactly as one thread would. */
typedef struct dot_product {
    float *c;
    const float *a, *b;
    size_t m, n, k, ldc; /* ldc: C's row stride (n, or more for a block of columns) */
    int accumulate;
} dot_product;

/* Tiles first..end of C = [C +] A . B^T, counted down the columns of tiles (a column of tiles
 * reads the same rows of B). */
static void gemm_nt_range(void *arg, size_t first, size_t end) {
    const dot_product *p = arg;
    const size_t step = (size_t)nt_columns, m = p->m, n = p->n, k = p->k, row_tiles = (m + NT_MR - 1) / NT_MR;
    for (size_t t = first; t < end; t++) {
        size_t j = t / row_tiles * step, i = t % row_tiles * NT_MR;
        int nr = (int)(n - j < step ? n - j : step), mr = (int)(m - i < NT_MR ? m - i : NT_MR);
        nt_tile_any(p->c + i * p->ldc + j, p->ldc, p->a + i * k, p->b + j * k, k, mr, nr, p->accumulate);
    }
}

static void gemm_nt(float *c, size_t ldc, const float *a, const float *b, size_t m, size_t n, size_t k,
                    int accumulate) {
    dot_product p = {.c = c, .ldc = ldc, .a = a, .b = b, .m = m, .n = n, .k = k, .accumulate = accumulate};
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

/* ------------------------------------------------ BP4 of a convolution, read in place */

/* A tile of NT_MR rows of delta (maps) against NT_NR fields, field q's row of the unrolled input
 * being in + fields[q] at each output position: for each example, its positions' vectors (at
 * `starts`, nvec of them). The positions go in the order of im2col's columns and each vector lies
 * within one output row (output rows a whole number of vectors), so every sum is nt_tile's over
 * the unrolled matrix, in the same order: the same bits. Always the whole tile, compiled once
 * (the WebAssembly every figure loads stays small): an edge tile repeats its last map or field
 * and keeps only its own sums. */
static void field_tile(float out[NT_MR][NT_NR], const float *const delta[NT_MR], const float *in,
                       const size_t fields[NT_NR], const nndl_conv_shape *s, const size_t *starts, size_t nvec) {
    nndl_vf acc[NT_MR][NT_NR];
    for (int r = 0; r < NT_MR; r++)
        for (int q = 0; q < NT_NR; q++) acc[r][q] = (nndl_vf){0};
    size_t p = 0;
    for (size_t e = 0; e < s->m; e++) {
        const float *example = in + e * s->example_stride;
        for (size_t v = 0; v < nvec; v++, p += NNDL_VW) {
            const float *at = example + starts[v];
            nndl_vf av[NT_MR], bv[NT_NR];
            for (int r = 0; r < NT_MR; r++) av[r] = nndl_vload(delta[r] + p);
            for (int q = 0; q < NT_NR; q++) bv[q] = nndl_vload(at + fields[q]);
            for (int r = 0; r < NT_MR; r++)
                for (int q = 0; q < NT_NR; q++) acc[r][q] = nndl_vfma(av[r], bv[q], acc[r][q]);
        }
    }
    for (int r = 0; r < NT_MR; r++)
        for (int q = 0; q < NT_NR; q++) out[r][q] = nndl_vsum(acc[r][q]);
}

int nndl_conv_weight_gradient_block(float *nabla_w, const float *delta, const float *in, const nndl_conv_shape *s,
                                    size_t first_map, size_t end_map, size_t first_field, size_t end_field) {
    size_t out_rows = (size_t)(s->rows - s->fr + 1), out_cols = (size_t)(s->cols - s->fc + 1);
    /* Each vector of an example's output positions, where it starts in its input: the positions'
     * loop is then one flat loop, as nt_tile's. Loops over rows and columns around rows of two
     * vectors made WebAssembly's version 20% slower than this, and so did stepping the start along
     * each row with a test at its end (V8: 1,178 us a mini-batch for network3.py's second layer).
     * The table's size (nndl_conv_in_place_fits refuses longer examples) is in kernels.h. */
    size_t nvec = out_rows * out_cols / NNDL_VW, starts[NNDL_CONV_MOST_POSITIONS / NNDL_VW];
    if (!nndl_conv_in_place_fits(s)) return 0;
    for (size_t v = 0; v < nvec; v++) starts[v] = v * NNDL_VW / out_cols * (size_t)s->cols + v * NNDL_VW % out_cols;
    size_t K = (size_t)s->maps * (size_t)s->fr * (size_t)s->fc, M = s->m * out_rows * out_cols;
    for (size_t f = first_map; f < end_map; f += NT_MR) { /* a tile's maps of delta, read for every field */
        size_t mr = end_map - f < NT_MR ? end_map - f : NT_MR;
        const float *rows[NT_MR];
        for (size_t r = 0; r < NT_MR; r++) rows[r] = delta + (f + (r < mr ? r : mr - 1)) * M;
        for (size_t j = first_field; j < end_field; j += NT_NR) {
            size_t nr = end_field - j < NT_NR ? end_field - j : NT_NR, fields[NT_NR];
            float out[NT_MR][NT_NR];
            for (size_t q = 0; q < NT_NR; q++) fields[q] = nndl_field_offset(s, j + (q < nr ? q : nr - 1));
            field_tile(out, rows, in, fields, s, starts, nvec);
            for (size_t r = 0; r < mr; r++)
                for (size_t q = 0; q < nr; q++) nabla_w[(f + r) * K + j + q] = out[r][q];
        }
    }
    return 1;
}
