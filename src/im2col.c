/*
 * im2col.c — a convolution's data movement (chapter 6): the receptive fields unrolled into the
 * columns of a matrix (im2col), the gradient folded back onto the input (col2im), and the direct
 * formula they are checked against.
 * Not here: the products themselves (kernels.c), the layer (layer_conv.c).
 */
#include "kernels.h"
#include "simd.h"
#include "threads.h"

#include <string.h>

/* The copies run along output rows: for one (c, i, j) and one (n, y), the out_cols values
 * input(c, n, y + i, j .. j + out_cols) are contiguous on both sides. The rows are short (24
 * and 8 floats in network3.py's layers), too short for memcpy's call or for 8- and 16-lane
 * vectors: they move 4 lanes at a time, inline. */
typedef float v4f __attribute__((vector_size(4 * sizeof(float))));

NNDL_INLINE void copy_row(float *out, const float *in, size_t n) {
    size_t x = 0;
    for (; x + 4 <= n; x += 4) {
        v4f v;
        memcpy(&v, in + x, sizeof v);
        memcpy(out + x, &v, sizeof v);
    }
    for (; x < n; x++) out[x] = in[x];
}

NNDL_INLINE void add_row(float *out, const float *in, size_t n) {
    size_t x = 0;
    for (; x + 4 <= n; x += 4) {
        v4f a, b;
        memcpy(&a, out + x, sizeof a);
        memcpy(&b, in + x, sizeof b);
        a += b;
        memcpy(out + x, &a, sizeof a);
    }
    for (; x < n; x++) out[x] += in[x];
}

/* A copy between a convolution's input and its unrolled matrix, for the threads that share it. */
typedef struct unrolling {
    float *to;
    const float *from;
    const nndl_conv_shape *s;
} unrolling;

/* Rows first..end of the unrolled matrix, row (c, i, j) being m P values long. */
static void im2col_range(void *arg, size_t first, size_t end) {
    const unrolling *u = arg;
    const nndl_conv_shape *s = u->s;
    size_t out_rows = (size_t)(s->rows - s->fr + 1), out_cols = (size_t)(s->cols - s->fc + 1);
    float *out = u->to + first * s->m * out_rows * out_cols;
    for (size_t row = first; row < end; row++) {
        for (size_t n = 0; n < s->m; n++) {
            const float *src = u->from + nndl_field_offset(s, row) + n * s->example_stride;
            for (size_t y = 0; y < out_rows; y++, out += out_cols, src += s->cols) copy_row(out, src, out_cols);
        }
    }
}

void nndl_im2col_rows(float *out, const float *in, const nndl_conv_shape *s, size_t first, size_t end) {
    unrolling u = {out, in, s};
    im2col_range(&u, first, end);
}

void nndl_im2col(float *out, const float *in, const nndl_conv_shape *s) {
    unrolling u = {out, in, s};
    size_t rows = (size_t)s->maps * (size_t)s->fr * (size_t)s->fc;
    size_t positions = (size_t)(s->rows - s->fr + 1) * (size_t)(s->cols - s->fc + 1);
    nndl_parallel(rows, 1, NNDL_WORK_COPY * (double)rows * (double)s->m * (double)positions, im2col_range, &u);
}

/* Input maps first..end of col2im: a map's inputs receive only its own rows (c, i, j), added in
 * the same order whichever thread adds them, onto zeros. */
static void col2im_range(void *arg, size_t first, size_t end) {
    const unrolling *u = arg;
    const nndl_conv_shape *s = u->s;
    size_t out_rows = (size_t)(s->rows - s->fr + 1), out_cols = (size_t)(s->cols - s->fc + 1);
    const float *cols = u->from + first * (size_t)s->fr * (size_t)s->fc * s->m * out_rows * out_cols;
    float *in = u->to;
    for (size_t c = first; c < end; c++)
        for (size_t n = 0; n < s->m; n++) /* a map of an example is rows x cols contiguous */
            memset(in + c * s->map_stride + n * s->example_stride, 0, (size_t)s->rows * (size_t)s->cols * sizeof *in);
    for (size_t c = first; c < end; c++)
        for (int i = 0; i < s->fr; i++)
            for (int j = 0; j < s->fc; j++)
                for (size_t n = 0; n < s->m; n++) {
                    float *dst = in + c * s->map_stride + n * s->example_stride + (size_t)i * (size_t)s->cols + (size_t)j;
                    for (size_t y = 0; y < out_rows; y++, cols += out_cols, dst += s->cols)
                        add_row(dst, cols, out_cols);
                }
}

void nndl_col2im_maps(float *in, const float *cols, const nndl_conv_shape *s, size_t first, size_t end) {
    unrolling u = {in, cols, s};
    col2im_range(&u, first, end);
}

void nndl_col2im(float *in, const float *cols, const nndl_conv_shape *s) {
    unrolling u = {in, cols, s};
    size_t positions = (size_t)(s->rows - s->fr + 1) * (size_t)(s->cols - s->fc + 1);
    double work = (double)s->maps * s->fr * s->fc * (double)s->m * (double)positions;
    nndl_parallel((size_t)s->maps, 1, NNDL_WORK_COPY * work, col2im_range, &u);
}

void nndl_conv_ref(float *out, const float *in, const float *w, const float *b, int F,
                   const nndl_conv_shape *s) {
    int out_rows = s->rows - s->fr + 1, out_cols = s->cols - s->fc + 1;
    size_t k = (size_t)s->maps * (size_t)s->fr * (size_t)s->fc;
    for (int f = 0; f < F; f++)
        for (size_t n = 0; n < s->m; n++)
            for (int y = 0; y < out_rows; y++)
                for (int x = 0; x < out_cols; x++) {
                    float z = b[f];
                    for (int c = 0; c < s->maps; c++)
                        for (int i = 0; i < s->fr; i++)
                            for (int j = 0; j < s->fc; j++)
                                z += w[(size_t)f * k + ((size_t)c * s->fr + i) * s->fc + j] *
                                     in[c * s->map_stride + n * s->example_stride + (size_t)(y + i) * s->cols + (size_t)(x + j)];
                    *out++ = z;
                }
}

/* ------------------------------------------------------------------------------ pixels */

