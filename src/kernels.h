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
void nndl_gemm_nt_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate);

/* C (m x n) = [C +] A (m x k) . B (k x n). Backpropagating deltas, delta^l = delta^{l+1} . w. */
void nndl_gemm_nn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate);
void nndl_gemm_nn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate);

/* C (m x n) = [C +] A (k x m)^T . B (k x n). Weight gradients, nabla_w = delta^T . a (BP4). */
void nndl_gemm_tn(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                  int accumulate);
void nndl_gemm_tn_ref(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                      int accumulate);

/* C (m x n) += alpha A (k x m)^T . B (k x n), and returns 1 if every element of C is within
 * [-limit, limit] afterwards (NaN or infinity never is; limit <= 1e18). With alpha = -eta/m this is the SGD step of the weights, w -> w - (eta/m) nabla_w
 * where nabla_w = delta^T . a (BP4), fused so that nabla_w is never written out and read back:
 * one pass over the weights instead of three. */
int nndl_gemm_tn_update(float *c, const float *a, const float *b, size_t m, size_t n, size_t k,
                        float alpha, float limit);
int nndl_gemm_tn_update_ref(float *c, const float *a, const float *b, size_t m, size_t n,
                            size_t k, float alpha, float limit);

/* out[i] = in[i] / 255: pixels as the book's mnist_loader gives them. */
void nndl_bytes_to_unit(float *out, const uint8_t *in, size_t n);

#endif
