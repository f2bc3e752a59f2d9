/*
 * kernels.h — the few hot loops of nndl, SIMD-vectorised, each beside a naive scalar twin
 * (suffix _ref) that the tests compare against. One source serves the native build (SSE/AVX via
 * the compiler's vector extensions) and the WebAssembly build (-msimd128).
 * Not a BLAS: matrices are dense, row-major and packed (row stride = number of columns).
 */
#ifndef NNDL_KERNELS_H
#define NNDL_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* Floats per SIMD vector in this build: 8 with AVX, 4 with SSE or WebAssembly SIMD. */
int nndl_simd_width(void);

/* sum_i a[i] b[i] */
float nndl_dot(const float *a, const float *b, size_t n);
float nndl_dot_ref(const float *a, const float *b, size_t n);

/* y <- y + alpha x */
void nndl_axpy(float *y, const float *x, float alpha, size_t n);
void nndl_axpy_ref(float *y, const float *x, float alpha, size_t n);

/* y <- y + alpha x, and returns 1 if every y[i] is within [-limit, limit] afterwards (a NaN or
 * an infinity never is), 0 otherwise; limit <= 1e18 (it is compared squared). The check rides
 * along the update for free; it is how training notices divergence. */
int nndl_axpy_bounded(float *y, const float *x, float alpha, size_t n, float limit);

/* C (m x n) = [C +] A (m x k) . B (n x k)^T : every output a dot product of a row of A and a row
 * of B. The forward pass, z = a . w^T for a batch of rows a. accumulate = 0 overwrites C. */
void nndl_gemm_nt(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate);
/* How many rows of B nndl_gemm_nt's register tile takes at once: `columns` from 1 to the build's
 * widest (4, or 3 with AVX-512) sets it, 0 sets the widest (the default), anything else (-1)
 * only asks; returns the value in use. The
 * bits are the same whatever the tile (every output sums the same products in the same order);
 * only the speed changes, and which tile is fastest depends on the engine that compiles the
 * WebAssembly: SpiderMonkey (Firefox) spills the widest tile's fifteen live vectors, V8 and
 * JavaScriptCore do not. Set before training starts, not during a product. */
int nndl_dot_tile(int columns);
/* The same into a block of n columns of a wider C, whose rows are ldc floats apart (a
 * convolution's weight gradient, a band of its fields at a time): the same bits. */
void nndl_gemm_nt_ldc(float *c, size_t ldc, const float *a, const float *b, size_t m, size_t n, size_t k);
void nndl_gemm_nt_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate);

/* C (m x n) = [C +] A (m x k) . B (k x n). Backpropagating deltas, delta^l = delta^{l+1} . w. */
void nndl_gemm_nn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate);
void nndl_gemm_nn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate);

/* C (m x n) = A (m x k) . B (k x n) + bias, bias[i] added to row i: a convolution's forward
 * pass, z = w . A + b, without filling C with b first (the same bits as doing so). */
void nndl_gemm_nn_bias(float *c, const float *a, const float *b, const float *bias, size_t m,
                       size_t n, size_t k);
void nndl_gemm_nn_bias_ref(float *c, const float *a, const float *b, const float *bias, size_t m,
                           size_t n, size_t k);

/* C (m x n) = [C +] A (k x m)^T . B (k x n). Weight gradients, nabla_w = delta^T . a (BP4). */
void nndl_gemm_tn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate);
/* The same for the first m columns of a wider A, whose rows are lda floats apart (a
 * convolution's BP2, a band of input maps at a time): the same bits. */
void nndl_gemm_tn_lda(float *c, const float *a, size_t lda, const float *b, size_t m, size_t n, size_t k);
void nndl_gemm_tn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate);

/* C (m x n) = keep C + alpha A (k x m)^T . B (k x n), and returns 1 if every element of C is
 * within [-limit, limit] afterwards (NaN or infinity never is; limit <= 1e18). With
 * alpha = -eta/m and keep = 1 - eta lmbda/n this is the SGD step of the weights with L2,
 * w -> (1 - eta lmbda/n) w - (eta/m) nabla_w where nabla_w = delta^T . a (BP4), fused so that
 * nabla_w is never written out and read back: one pass over the weights instead of three (the
 * bits of scaling C first, then adding). */
int nndl_gemm_tn_update(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                        float alpha, float keep, float limit);
int nndl_gemm_tn_update_ref(float *c, const float *a, const float *b, size_t m, size_t n,
                            size_t k, float alpha, float keep, float limit);

/* Convolutions as matrix products (chapter 6). The geometry of a convolutional layer's input:
 * `maps` maps of rows x cols for each of m examples, element (c, n, y, x) at
 * in[c * map_stride + n * example_stride + y * cols + x] (maps outermost inside a batch, or
 * examples outermost, as the caller's layout has it), and fr x fc local receptive fields. The
 * output has (rows - fr + 1) x (cols - fc + 1) positions per map. */
typedef struct nndl_conv_shape {
    size_t map_stride, example_stride, m;
    int maps, rows, cols, fr, fc;
} nndl_conv_shape;

/* Where row q = (c, i, j) of a field reads the input, from the first input of an output
 * position (n, y, x): in[c map_stride + i cols + j] further on. */
static inline size_t nndl_field_offset(const nndl_conv_shape *s, size_t q) {
    size_t area = (size_t)s->fr * (size_t)s->fc;
    return q / area * s->map_stride + q % area / (size_t)s->fc * (size_t)s->cols + q % (size_t)s->fc;
}

/* Unrolls the receptive fields into a K x (m P) matrix, K = maps fr fc and P the output
 * positions: row (c, i, j), column (n, y, x) holds input (c, n, y + i, x + j). A layer's
 * weights (F x K) times this matrix is then its z for the whole batch, F x (m P). */
void nndl_im2col(float *out, const float *in, const nndl_conv_shape *s);
/* Only rows first..end of it, by this thread (a band of fields that a job unrolls and uses at
 * once, while they are in its cache); out is still the whole matrix. */
void nndl_im2col_rows(float *out, const float *in, const nndl_conv_shape *s, size_t first, size_t end);

/* A convolution's forward pass without unrolling its fields: z (F x m P) = w (F x K) . A + b,
 * the product reading each vector of A's rows straight from the input (`in`, of shape s), as the
 * same products in the same order (the bits of im2col and nndl_gemm_nn_bias). Returns 0, doing
 * nothing, where it does not apply (output rows not a whole number of vectors, or fields of more
 * than 4,096 inputs): unroll then. */
int nndl_conv_forward_in_place(float *z, const float *w, const float *in, const float *bias,
                               size_t maps_out, const nndl_conv_shape *s);
/* Only maps map..map_end of examples example..example_end, by this thread: a job that takes a
 * batch's examples (or maps) through a convolution, its activation and its pooling while they
 * are in its cache (z is the whole batch's). */
int nndl_conv_forward_in_place_block(float *z, const float *w, const float *in, const float *bias, size_t maps_out,
                                     const nndl_conv_shape *s, size_t map, size_t map_end, size_t example,
                                     size_t example_end);
/* Whether nndl_conv_forward_in_place (and nndl_conv_weight_gradient_block) applies to a
 * convolution of shape s: output rows a whole number of vectors, fields of at most 4,096
 * inputs, and at most NNDL_CONV_MOST_POSITIONS output positions per map (the weight gradient's
 * table of where they start: a few kilobytes of stack, also in a helper thread's). */
enum { NNDL_CONV_MOST_POSITIONS = 4096 };
int nndl_conv_in_place_fits(const nndl_conv_shape *s);

/* The fewest maps a job's piece of a convolution's maps should hold (threads.h's grain): the
 * rows of the forward's register tile. Fewer would make narrower tiles. */
size_t nndl_conv_maps_grain(void);
/* BP4 of a convolution without unrolling its fields: nabla_w (F x K) = delta (F x m P) . A^T,
 * the rows of A read from the input in place, only for maps (rows) first_map..end_map and fields
 * (columns) first_field..end_field, by this thread (a job's range: each of its values needs only
 * its map's delta and its field's inputs). The same products in the same order as im2col and
 * nndl_gemm_nt: the same bits. Returns 0, doing nothing, where nndl_conv_in_place_fits says no. */
int nndl_conv_weight_gradient_block(float *nabla_w, const float *delta, const float *in, const nndl_conv_shape *s,
                                    size_t first_map, size_t end_map, size_t first_field, size_t end_field);

/* The reverse, for backpropagation: every input element becomes the sum of the entries of the
 * K x (m P) matrix that were copied from it. */
void nndl_col2im(float *in, const float *cols, const nndl_conv_shape *s);
/* Only the inputs of maps first..end (from their rows of cols), by this thread. */
void nndl_col2im_maps(float *in, const float *cols, const nndl_conv_shape *s, size_t first, size_t end);

/* The twin both are checked against: a direct convolution by the book's formula,
 * out(f, n, y, x) = b_f + sum_{c,i,j} w(f, c, i, j) in(c, n, y + i, x + j), out being
 * F x m x P (maps outermost). */
void nndl_conv_ref(float *out, const float *in, const float *w, const float *b, int F,
                   const nndl_conv_shape *s);

/* out[i] = in[i] / 255: pixels as the book's mnist_loader gives them. */
void nndl_bytes_to_unit(float *out, const uint8_t *in, size_t n);

#endif
