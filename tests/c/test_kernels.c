/*
 * test_kernels.c — every SIMD kernel against its scalar twin, on sizes that are not multiples
 * of the vector width (1, 3, 5, 7, 13, 17, 31, 33, ...), so every tail path runs.
 * Tolerance: float sums in another order differ by rounding only; we allow 1e-5 of the sum of
 * the terms' magnitudes, far above rounding (about 6e-8 per term) and far below any indexing
 * mistake (which is off by a whole term).
 */
#include "check.h"
#include "kernels.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const size_t SIZES[] = {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 31, 33, 64, 100};
#define NSIZES (sizeof SIZES / sizeof SIZES[0])

static void fill(nndl_rng *rng, float *x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = (float)(2.0 * nndl_rng_uniform(rng) - 1.0);
}

/* |got - want| within 1e-5 of `scale` (the magnitude of the terms summed). */
static int close_to(float got, float want, double scale) {
    return fabs((double)got - (double)want) <= 1e-5 * scale + 1e-30;
}

static void test_dot_axpy(nndl_rng *rng) {
    float a[100], b[100], y1[100], y2[100];
    for (size_t s = 0; s < NSIZES; s++) {
        size_t n = SIZES[s];
        fill(rng, a, n);
        fill(rng, b, n);
        double scale = 0;
        for (size_t i = 0; i < n; i++) scale += fabs((double)a[i] * b[i]);
        float got = nndl_dot(a, b, n), want = nndl_dot_ref(a, b, n);
        CHECK(close_to(got, want, scale), "dot n=%zu: %g vs %g", n, got, want);

        fill(rng, y1, n);
        memcpy(y2, y1, n * sizeof(float));
        nndl_axpy(y1, a, -0.37f, n);
        nndl_axpy_ref(y2, a, -0.37f, n);
        int same = 1;
        for (size_t i = 0; i < n; i++) same &= close_to(y1[i], y2[i], fabs(y2[i]) + 1);
        CHECK(same, "axpy n=%zu", n);

        memcpy(y1, y2, n * sizeof(float));
        CHECK(nndl_axpy_bounded(y1, a, 0.5f, n, 100.0f) == 1, "axpy_bounded n=%zu on small data", n);
        y1[n - 1] = INFINITY;
        CHECK(nndl_axpy_bounded(y1, a, 0.5f, n, 100.0f) == 0, "axpy_bounded n=%zu misses an infinity", n);
        y1[n - 1] = 0.0f;
        y1[n / 2] = NAN;
        CHECK(nndl_axpy_bounded(y1, a, 0.5f, n, 100.0f) == 0, "axpy_bounded n=%zu misses a NaN", n);
        y1[n / 2] = -101.0f;
        CHECK(nndl_axpy_bounded(y1, a, 0.0f, n, 100.0f) == 0, "axpy_bounded n=%zu misses -101 > 100", n);
        y1[n / 2] = -99.0f;
        CHECK(nndl_axpy_bounded(y1, a, 0.0f, n, 100.0f) == 1, "axpy_bounded n=%zu refuses -99", n);
    }
}

typedef void (*gemm_fn)(float *, const float *, const float *, size_t, size_t, size_t, int);

/* Compares a kernel with its twin for C (m x n) over shared dimension k, where A and B hold
 * m*k and n*k (nt) or k*n (nn, tn) floats. */
static void compare_gemm(const char *name, gemm_fn fast, gemm_fn ref, nndl_rng *rng, size_t m,
                         size_t n, size_t k) {
    size_t na = m * k, nb = n * k, nc = m * n;
    float *a = malloc(na * sizeof(float)), *b = malloc(nb * sizeof(float));
    float *c1 = malloc(nc * sizeof(float)), *c2 = malloc(nc * sizeof(float));
    fill(rng, a, na);
    fill(rng, b, nb);
    for (int accumulate = 0; accumulate <= 1; accumulate++) {
        fill(rng, c1, nc);
        memcpy(c2, c1, nc * sizeof(float));
        fast(c1, a, b, m, n, k, accumulate);
        ref(c2, a, b, m, n, k, accumulate);
        size_t bad = 0;
        for (size_t i = 0; i < nc; i++) bad += !close_to(c1[i], c2[i], (double)k + 1.0);
        CHECK(bad == 0, "%s m=%zu n=%zu k=%zu accumulate=%d: %zu of %zu outputs differ", name, m,
              n, k, accumulate, bad, nc);
    }
    free(a);
    free(b);
    free(c1);
    free(c2);
}

static void test_gemm(nndl_rng *rng) {
    static const size_t dims[] = {1, 2, 3, 5, 7, 9, 13, 17, 31, 33};
    size_t nd = sizeof dims / sizeof dims[0];
    for (size_t i = 0; i < nd; i++)
        for (size_t j = 0; j < nd; j++) {
            size_t m = dims[i], n = dims[j], k = dims[(i + j) % nd];
            compare_gemm("gemm_nt", nndl_gemm_nt, nndl_gemm_nt_ref, rng, m, n, k);
            compare_gemm("gemm_nn", nndl_gemm_nn, nndl_gemm_nn_ref, rng, m, n, k);
            compare_gemm("gemm_tn", nndl_gemm_tn, nndl_gemm_tn_ref, rng, m, n, k);
        }
    /* The shapes of a [784,30,10] mini-batch of 10 and an evaluation chunk. */
    compare_gemm("gemm_nt", nndl_gemm_nt, nndl_gemm_nt_ref, rng, 10, 30, 784);
    compare_gemm("gemm_nt", nndl_gemm_nt, nndl_gemm_nt_ref, rng, 128, 30, 784);
    compare_gemm("gemm_tn", nndl_gemm_tn, nndl_gemm_tn_ref, rng, 30, 784, 10);
    compare_gemm("gemm_nn", nndl_gemm_nn, nndl_gemm_nn_ref, rng, 10, 30, 10);
    /* A convolution's forward pass at a mini-batch of 10: B's rows 5,760 and 640 floats apart
     * (the column blocks packed). */
    compare_gemm("gemm_nn", nndl_gemm_nn, nndl_gemm_nn_ref, rng, 20, 5760, 25);
    compare_gemm("gemm_nn", nndl_gemm_nn, nndl_gemm_nn_ref, rng, 40, 640, 500);
}

/* C = A . B + bias gives the bits of filling C with the bias and accumulating A . B (what the
 * convolution did before), and agrees with its twin. */
static void test_gemm_bias(nndl_rng *rng) {
    static const size_t shapes[][3] = {{20, 5760, 25}, {40, 640, 500}, {7, 13, 33}, {3, 9, 5}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = malloc(m * k * sizeof(float)), *b = malloc(k * n * sizeof(float)), *bias = malloc(m * sizeof(float));
        float *want = malloc(m * n * sizeof(float)), *got = malloc(m * n * sizeof(float)), *twin = malloc(m * n * sizeof(float));
        fill(rng, a, m * k);
        fill(rng, b, k * n);
        fill(rng, bias, m);
        for (size_t i = 0; i < m; i++)
            for (size_t j = 0; j < n; j++) want[i * n + j] = bias[i];
        nndl_gemm_nn(want, a, b, m, n, k, 1);
        nndl_gemm_nn_bias(got, a, b, bias, m, n, k);
        nndl_gemm_nn_bias_ref(twin, a, b, bias, m, n, k);
        CHECK(memcmp(want, got, m * n * sizeof(float)) == 0, "gemm_nn_bias %zux%zux%zu: other bits than bias then accumulate", m, n, k);
        size_t bad = 0;
        for (size_t i = 0; i < m * n; i++) bad += !close_to(got[i], twin[i], (double)k + 1.0);
        CHECK(bad == 0, "gemm_nn_bias %zux%zux%zu: %zu outputs differ from the twin", m, n, k, bad);
        free(a);
        free(b);
        free(bias);
        free(want);
        free(got);
        free(twin);
    }
}

/* A convolution's forward pass and its BP4 reading their input in place give the bits of im2col and the
 * products: at network3.py's shapes (mini-batches of 10 and 3), and at shapes made to fit
 * this build's vector width (output rows of one and two vectors). Where it does not apply, it
 * says so and writes nothing. */
static void test_conv_in_place(nndl_rng *rng) {
    const int vw = nndl_simd_width(), wide = vw + 4, in_rows = 2 * vw + 4;
    const int shapes[][6] = {/* maps, rows, cols, field, F, m */ {1, 28, 28, 5, 20, 10}, {20, 12, 12, 5, 40, 3}, {2, 9, 11, 3, 5, 4}, {3, 7, wide, 5, 6, 2}, {2, 9, in_rows, 5, 9, 3},
                              {1, 72, 72, 1, 2, 1} /* 5,184 positions a map: more than in place takes */};
    int in_place = 0;
    for (size_t t = 0; t < sizeof shapes / sizeof shapes[0]; t++) {
        const int *h = shapes[t];
        nndl_conv_shape s = {.maps = h[0], .rows = h[1], .cols = h[2], .fr = h[3], .fc = h[3], .m = (size_t)h[5]};
        s.example_stride = (size_t)h[1] * (size_t)h[2];
        s.map_stride = s.example_stride * s.m;
        size_t K = (size_t)h[0] * (size_t)h[3] * (size_t)h[3], P = (size_t)(h[1] - h[3] + 1) * (size_t)(h[2] - h[3] + 1), M = s.m * P, F = (size_t)h[4];
        float *in = malloc(s.map_stride * (size_t)h[0] * sizeof(float)), *w = malloc(F * K * sizeof(float)), *b = malloc(F * sizeof(float));
        float *cols = malloc(K * M * sizeof(float)), *want = malloc(F * M * sizeof(float)), *got = malloc(F * M * sizeof(float));
        fill(rng, in, s.map_stride * (size_t)h[0]);
        fill(rng, w, F * K);
        fill(rng, b, F);
        nndl_im2col(cols, in, &s);
        nndl_gemm_nn_bias(want, w, cols, b, F, M, K);
        memcpy(got, want, F * M * sizeof(float));
        int positions = (h[1] - h[3] + 1) * (h[2] - h[3] + 1);
        int applies = (h[2] - h[3] + 1) % vw == 0 && positions <= NNDL_CONV_MOST_POSITIONS, done = nndl_conv_forward_in_place(got, w, in, b, F, &s);
        CHECK(done == applies, "conv_forward_in_place %d: %s for output rows of %d, vectors of %d and %d positions", (int)t, done ? "taken" : "refused", h[2] - h[3] + 1, vw, positions);
        if (done) {
            in_place++;
            memset(got, 0, F * M * sizeof(float));
            nndl_conv_forward_in_place(got, w, in, b, F, &s);
            CHECK(memcmp(want, got, F * M * sizeof(float)) == 0, "conv_forward_in_place %d: other bits than im2col and the product", (int)t);
            memset(got, 0, F * M * sizeof(float)); /* a batch's examples in two runs, as a job takes them */
            nndl_conv_forward_in_place_block(got, w, in, b, F, &s, 0, F, s.m / 2, s.m);
            nndl_conv_forward_in_place_block(got, w, in, b, F, &s, 0, F, 0, s.m / 2);
            CHECK(memcmp(want, got, F * M * sizeof(float)) == 0, "conv_forward_in_place_block %d: examples in two runs, other bits than the whole batch", (int)t);
            memset(got, 0, F * M * sizeof(float)); /* or its maps, in three runs */
            nndl_conv_forward_in_place_block(got, w, in, b, F, &s, F / 3, F, 0, s.m);
            nndl_conv_forward_in_place_block(got, w, in, b, F, &s, 1, F / 3, 0, s.m);
            nndl_conv_forward_in_place_block(got, w, in, b, F, &s, 0, 1, 0, s.m);
            CHECK(memcmp(want, got, F * M * sizeof(float)) == 0, "conv_forward_in_place_block %d: maps in three runs, other bits than the whole batch", (int)t);
            /* BP4 read in place, maps in three runs: the bits of im2col and gemm_nt */
            float *delta = want, *grad_want = malloc(F * K * sizeof(float)), *grad_got = malloc(F * K * sizeof(float));
            nndl_gemm_nt(grad_want, delta, cols, F, K, M, 0);
            memset(grad_got, 0, F * K * sizeof(float));
            CHECK(nndl_conv_weight_gradient_block(grad_got, delta, in, &s, F / 3, F, 0, K) == 1, "conv_weight_gradient_block %d: refused", (int)t);
            nndl_conv_weight_gradient_block(grad_got, delta, in, &s, 1, F / 3, 0, K);
            nndl_conv_weight_gradient_block(grad_got, delta, in, &s, 0, 1, 0, K);
            CHECK(memcmp(grad_want, grad_got, F * K * sizeof(float)) == 0, "conv_weight_gradient_block %d: maps in three runs, other bits than im2col and gemm_nt", (int)t);
            memset(grad_got, 0, F * K * sizeof(float)); /* or fields in three runs, the last of one */
            nndl_conv_weight_gradient_block(grad_got, delta, in, &s, 0, F, K - 1, K);
            nndl_conv_weight_gradient_block(grad_got, delta, in, &s, 0, F, K / 2, K - 1);
            nndl_conv_weight_gradient_block(grad_got, delta, in, &s, 0, F, 0, K / 2);
            CHECK(memcmp(grad_want, grad_got, F * K * sizeof(float)) == 0, "conv_weight_gradient_block %d: fields in three runs, other bits than im2col and gemm_nt", (int)t);
            free(grad_want);
            free(grad_got);
        } else {
            CHECK(memcmp(want, got, F * M * sizeof(float)) == 0, "conv_forward_in_place %d: wrote though it did not apply", (int)t);
            float grad = 7.0f;
            CHECK(nndl_conv_weight_gradient_block(&grad, want, in, &s, 0, 1, 0, 1) == 0 && grad == 7.0f, "conv_weight_gradient_block %d: wrote though it did not apply", (int)t);
        }
        free(in);
        free(w);
        free(b);
        free(cols);
        free(want);
        free(got);
    }
    CHECK(in_place >= 2, "the product read in place for only %d shapes", in_place);
}

/* The band entry points a threaded job calls (layer_conv.c) give exactly the bits of the whole:
 * a block of columns of gemm_nt, a block of rows of gemm_tn, rows of im2col, maps of col2im
 * (which overwrites what the inputs held). Bands of odd sizes, so every edge tile runs. */
static void test_bands(nndl_rng *rng) {
    const size_t m = 7, n = 29, k = 37, cuts[] = {0, 1, 4, 11, 12, 29};
    float *a = malloc(m * k * sizeof(float)), *b = malloc(n * k * sizeof(float)), *bt = malloc(k * n * sizeof(float));
    float *want = malloc(n * n * sizeof(float)), *got = malloc(n * n * sizeof(float));
    fill(rng, a, m * k), fill(rng, b, n * k), fill(rng, bt, k * n);
    nndl_gemm_nt(want, a, b, m, n, k, 0);
    for (size_t c = 0; c + 1 < sizeof cuts / sizeof cuts[0]; c++)
        nndl_gemm_nt_ldc(got + cuts[c], n, a, b + cuts[c] * k, m, cuts[c + 1] - cuts[c], k);
    CHECK(memcmp(want, got, m * n * sizeof(float)) == 0, "gemm_nt_ldc: a band of columns has other bits than the whole");
    /* C (n x n) = A^T . B with A k x n (b's floats) and B k x n (bt) */
    nndl_gemm_tn(want, b, bt, n, n, k, 0);
    for (size_t c = 0; c + 1 < sizeof cuts / sizeof cuts[0]; c++)
        nndl_gemm_tn_lda(got + cuts[c] * n, b + cuts[c], n, bt, cuts[c + 1] - cuts[c], n, k);
    CHECK(memcmp(want, got, n * n * sizeof(float)) == 0, "gemm_tn_lda: a band of rows has other bits than the whole");
    free(a), free(b), free(bt), free(want), free(got);

    nndl_conv_shape s = {.maps = 3, .rows = 9, .cols = 11, .fr = 3, .fc = 4, .m = 2};
    s.example_stride = (size_t)s.rows * (size_t)s.cols, s.map_stride = s.example_stride * s.m;
    size_t K = 3 * 3 * 4, M = s.m * 7 * 8, inputs = s.map_stride * 3;
    float *in = malloc(inputs * sizeof(float)), *cols = malloc(K * M * sizeof(float)), *part = malloc(K * M * sizeof(float));
    float *back = calloc(inputs, sizeof(float)), *back_maps = malloc(inputs * sizeof(float));
    fill(rng, in, inputs);
    nndl_im2col(cols, in, &s);
    nndl_im2col_rows(part, in, &s, 0, 5), nndl_im2col_rows(part, in, &s, 5, 6), nndl_im2col_rows(part, in, &s, 6, K);
    CHECK(memcmp(cols, part, K * M * sizeof(float)) == 0, "im2col_rows: rows in bands differ from the whole");
    fill(rng, cols, K * M);
    nndl_col2im(back, cols, &s);
    fill(rng, back_maps, inputs); /* what the inputs held before: overwritten */
    nndl_col2im_maps(back_maps, cols, &s, 1, 3), nndl_col2im_maps(back_maps, cols, &s, 0, 1);
    CHECK(memcmp(back, back_maps, inputs * sizeof(float)) == 0, "col2im_maps: maps in bands differ from the whole");
    free(in), free(cols), free(part), free(back), free(back_maps);
}

/* Every register tile of the dot form gives the same bits (only its speed differs, by engine):
 * each output sums the same products in the same order whatever the tile. Shapes with edges. */
static void test_dot_tiles(nndl_rng *rng) {
    static const size_t shapes[][3] = {{10, 30, 784}, {20, 25, 5760}, {7, 13, 33}, {10, 100, 640}, {3, 1, 5}};
    const int widest = nndl_dot_tile(0);
    CHECK(widest >= 1 && nndl_dot_tile(99) == widest && nndl_dot_tile(-1) == widest, "out-of-range tiles must only ask");
    CHECK(widest == 1 || (nndl_dot_tile(1) == 1 && nndl_dot_tile(-1) == 1 && nndl_dot_tile(0) == widest), "0 must restore the widest");
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = malloc(m * k * sizeof(float)), *b = malloc(n * k * sizeof(float));
        float *want = malloc(m * n * sizeof(float)), *got = malloc(m * n * sizeof(float));
        fill(rng, a, m * k);
        fill(rng, b, n * k);
        nndl_dot_tile(0);
        nndl_gemm_nt(want, a, b, m, n, k, 0);
        for (int t = 1; t <= widest; t++) {
            CHECK(nndl_dot_tile(t) == t, "tile %d not taken", t);
            nndl_gemm_nt(got, a, b, m, n, k, 0);
            CHECK(memcmp(want, got, m * n * sizeof(float)) == 0, "gemm_nt %zux%zux%zu: tile %d of %d gives other bits", m, n, k, t, widest);
        }
        nndl_dot_tile(0);
        free(a);
        free(b);
        free(want);
        free(got);
    }
}

/* The fused SGD step against its twin: same weights within rounding, same finiteness verdict. */
static void test_tn_update(nndl_rng *rng) {
    static const size_t shapes[][3] = {{30, 784, 10}, {10, 30, 10}, {7, 13, 3}, {5, 33, 1}, {1, 9, 17}, {13, 5, 7}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        size_t m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = malloc(k * m * sizeof(float)), *b = malloc(k * n * sizeof(float));
        float *c1 = malloc(m * n * sizeof(float)), *c2 = malloc(m * n * sizeof(float));
        fill(rng, a, k * m);
        fill(rng, b, k * n);
        fill(rng, c1, m * n);
        memcpy(c2, c1, m * n * sizeof(float));
        int f1 = nndl_gemm_tn_update(c1, a, b, m, n, k, -0.3f, 1.0f, 1e6f);
        int f2 = nndl_gemm_tn_update_ref(c2, a, b, m, n, k, -0.3f, 1.0f, 1e6f);
        size_t bad = 0;
        for (size_t i = 0; i < m * n; i++) bad += !close_to(c1[i], c2[i], (double)k + 1.0);
        CHECK(bad == 0 && f1 == 1 && f2 == 1, "gemm_tn_update m=%zu n=%zu k=%zu: %zu differ, finite %d %d", m, n, k, bad, f1, f2);
        /* L2's decay folded in: the bits of scaling C first, then the step (update.c's two ways) */
        const float keep = 1.0f - 3.0f * 5.0f / 50000.0f;
        for (size_t i = 0; i < m * n; i++) c2[i] = c1[i] * keep;
        nndl_gemm_tn_update(c2, a, b, m, n, k, -0.3f, 1.0f, 1e6f);
        nndl_gemm_tn_update(c1, a, b, m, n, k, -0.3f, keep, 1e6f);
        CHECK(memcmp(c1, c2, m * n * sizeof(float)) == 0, "gemm_tn_update m=%zu n=%zu k=%zu: keep folded in changes the bits", m, n, k);
        /* a huge step overflows to infinity; a NaN in C stays NaN: both must be reported */
        c1[m * n - 1] = NAN;
        CHECK(nndl_gemm_tn_update(c1, a, b, m, n, k, 1.0f, 1.0f, 1e6f) == 0, "a NaN in the last column went unnoticed (n=%zu)", n);
        c1[m * n - 1] = 0.0f;
        c1[0] = 3e38f;
        a[0] = b[0] = 1.0f;
        for (size_t p = 1; p < k; p++) a[p * m] = b[p * n] = 1.0f;
        CHECK(nndl_gemm_tn_update(c1, a, b, m, n, k, 3e38f, 1.0f, 1e18f) == 0, "an overflow to infinity went unnoticed");
        c1[0] = 0.0f;
        c1[m * n / 2] = 5e6f;
        CHECK(nndl_gemm_tn_update(c1, a, b, m, n, k, 0.0f, 1.0f, 1e6f) == 0, "5e6 past a limit of 1e6 went unnoticed");
        free(a);
        free(b);
        free(c1);
        free(c2);
    }
}

static void test_bytes_to_unit(void) {
    uint8_t in[259];
    float out[259];
    for (int i = 0; i < 259; i++) in[i] = (uint8_t)(i % 256);
    nndl_bytes_to_unit(out, in, 259);
    int exact = 1;
    for (int i = 0; i < 259; i++) exact &= out[i] == (float)in[i] / 255.0f;
    CHECK(exact, "bytes_to_unit is not value / 255");
    CHECK(out[255] == 1.0f && out[0] == 0.0f, "bytes_to_unit ends: %g %g", out[0], out[255]);
}

int main(void) {
    nndl_rng rng;
    nndl_rng_seed(&rng, 42);
    printf("SIMD width: %d floats\n", nndl_simd_width());
    test_dot_axpy(&rng);
    test_gemm(&rng);
    test_gemm_bias(&rng);
    test_conv_in_place(&rng);
    test_bands(&rng);
    test_dot_tiles(&rng);
    test_tn_update(&rng);
    test_bytes_to_unit();
    return check_report("test_kernels");
}
