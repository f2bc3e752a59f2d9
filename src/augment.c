/*
 * augment.c — the images of a data set as a network reads them: value/255 like the book's
 * mnist_loader, or moved at random anew for every use — chapter 3's on-the-fly expansion (a
 * rotation about the centre and a shift), a slant (handwriting that leans), and Simard, Steinkraus
 * and Platt's elastic distortion (2003: a random displacement field smoothed by a Gaussian and
 * scaled) — all as one map from each output pixel to where it is sampled (bilinear), each with
 * its target vector (a label's one-hot vector, or a regression's values as they are). Not here:
 * parsing data sets (dataset.c, png.c) or the expanded data set of expand_mnist.py (dataset.c).
 */
#include "internal.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { ELASTIC_SIGMA = 4, ELASTIC_RADIUS = 3 * ELASTIC_SIGMA }; /* Simard et al.'s sigma, in pixels */

/* Bilinear sample of a rows x cols byte image at (x, y), 0 outside, as a value in 0..1. */
static float sample(const uint8_t *img, int rows, int cols, float x, float y) {
    int x0 = (int)floorf(x), y0 = (int)floorf(y);
    float fx = x - (float)x0, fy = y - (float)y0, v = 0.0f;
    for (int dy = 0; dy <= 1; dy++)
        for (int dx = 0; dx <= 1; dx++) {
            int X = x0 + dx, Y = y0 + dy;
            if (X < 0 || Y < 0 || X >= cols || Y >= rows) continue;
            v += (dx ? fx : 1.0f - fx) * (dy ? fy : 1.0f - fy) * (float)img[Y * cols + X];
        }
    return v / 255.0f;
}

/* field <- field smoothed by a normalised Gaussian of sigma ELASTIC_SIGMA, along rows then
 * columns (separable), the image's edge repeated; tmp holds rows x cols floats. */
static void smooth(float *field, float *tmp, int rows, int cols) {
    float kernel[2 * ELASTIC_RADIUS + 1], sum = 0.0f;
    for (int k = -ELASTIC_RADIUS; k <= ELASTIC_RADIUS; k++)
        sum += kernel[k + ELASTIC_RADIUS] = expf(-(float)(k * k) / (2.0f * ELASTIC_SIGMA * ELASTIC_SIGMA));
    for (int k = 0; k <= 2 * ELASTIC_RADIUS; k++) kernel[k] /= sum;
    for (int pass = 0; pass < 2; pass++) { /* pass 0 along x into tmp, pass 1 along y back */
        const float *from = pass ? tmp : field;
        float *to = pass ? field : tmp;
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++) {
                float v = 0.0f;
                for (int k = -ELASTIC_RADIUS; k <= ELASTIC_RADIUS; k++) {
                    int X = pass ? x : x + k, Y = pass ? y + k : y;
                    X = X < 0 ? 0 : X >= cols ? cols - 1 : X;
                    Y = Y < 0 ? 0 : Y >= rows ? rows - 1 : Y;
                    v += kernel[k + ELASTIC_RADIUS] * from[Y * cols + X];
                }
                to[y * cols + x] = v;
            }
    }
}

/* A displacement field of rows x cols: uniform in (-1, 1), smoothed, times alpha. */
static void elastic_field(nndl_rng *rng, float *field, float *tmp, int rows, int cols, float alpha) {
    size_t n = (size_t)rows * (size_t)cols;
    for (size_t i = 0; i < n; i++) field[i] = (float)(2.0 * nndl_rng_uniform(rng) - 1.0);
    smooth(field, tmp, rows, cols);
    for (size_t i = 0; i < n; i++) field[i] *= alpha;
}

void nndl_augment(nndl_rng *rng, float *out, const uint8_t *img, int rows, int cols, const nndl_hyper *h, float *warp) {
    double angle = (2.0 * nndl_rng_uniform(rng) - 1.0) * h->rotate * 3.14159265358979 / 180.0;
    float dx = (float)((2.0 * nndl_rng_uniform(rng) - 1.0) * h->shift);
    float dy = (float)((2.0 * nndl_rng_uniform(rng) - 1.0) * h->shift);
    /* the newer moves draw only when asked for, so that rotations and shifts alone are drawn
     * exactly as they always were */
    float slant = h->shear > 0.0f ? (float)((2.0 * nndl_rng_uniform(rng) - 1.0) * h->shear) : 0.0f;
    size_t n = (size_t)rows * (size_t)cols;
    float *ex = warp, *ey = warp + n, *tmp = warp + 2 * n;
    if (h->elastic > 0.0f) {
        elastic_field(rng, ex, tmp, rows, cols, h->elastic);
        elastic_field(rng, ey, tmp, rows, cols, h->elastic);
    }
    float c = (float)cos(angle), s = (float)sin(angle);
    float cx = 0.5f * (float)(cols - 1), cy = 0.5f * (float)(rows - 1);
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++) { /* where output pixel (x, y) comes from */
            float u = (float)x - cx - dx, v = (float)y - cy - dy;
            float sx = c * u + s * v, sy = -s * u + c * v;
            sx += slant * sy;
            if (h->elastic > 0.0f) sx += ex[y * cols + x], sy += ey[y * cols + x];
            out[y * cols + x] = sample(img, rows, cols, sx + cx, sy + cy);
        }
}

/* Whether h moves images at all. */
static int moves(const nndl_hyper *h) {
    return h && (h->rotate > 0.0f || h->shift > 0.0f || h->shear > 0.0f || h->elastic > 0.0f);
}

void nndl_gather(const nndl_dataset *data, const size_t *idx, size_t first, size_t m, float *x, float *y,
                 size_t n_out, uint8_t *labels, const nndl_hyper *h, nndl_rng *rng, float *warp) {
    size_t n0 = (size_t)nndl_dataset_input_size(data);
    const float *inputs = nndl_dataset_inputs(data), *targets = nndl_dataset_targets(data);
    const uint8_t *images = nndl_dataset_images(data), *all_labels = nndl_dataset_labels(data);
    int moved = images && moves(h);
    for (size_t i = 0; i < m; i++) {
        size_t e = idx ? idx[first + i] : first + i;
        float *yi = y + i * n_out;
        if (!images) { /* values and targets, as they are */
            memcpy(x + i * n0, inputs + e * n0, n0 * sizeof *x);
            memcpy(yi, targets + e * n_out, n_out * sizeof *yi);
            continue;
        }
        if (moved)
            nndl_augment(rng, x + i * n0, images + e * n0, nndl_dataset_rows(data), nndl_dataset_cols(data), h, warp);
        else
            nndl_bytes_to_unit(x + i * n0, images + e * n0, n0);
        for (size_t j = 0; j < n_out; j++) yi[j] = j == all_labels[e] ? 1.0f : 0.0f; /* the label's one-hot vector */
        labels[i] = all_labels[e];
    }
}

int nndl_dataset_augment(const nndl_dataset *data, size_t i, const nndl_hyper *h, uint64_t seed, float *out,
                         nndl_error *err) {
    if (!data || !h || !out) return nndl_fail(err, NNDL_E_INVALID, "augment needs a data set, hyper-parameters and room");
    if (!nndl_dataset_images(data)) return nndl_fail(err, NNDL_E_INVALID, "only images can be moved");
    if (i >= nndl_dataset_count(data)) return nndl_fail(err, NNDL_E_INVALID, "example %zu is not in a set of %zu", i, nndl_dataset_count(data));
    nndl_hyper moves_only = *h; /* the moves are checked; the mini-batch is not training's here */
    moves_only.mini_batch_size = 1;
    int status = nndl_hyper_check(&moves_only, 1, err);
    if (status != NNDL_OK) return status;
    size_t n0 = (size_t)nndl_dataset_input_size(data);
    float *warp = nndl_alloc(nndl_mul_size(3 * sizeof(float), n0), "the displacement fields", err);
    if (!warp) return NNDL_E_NOMEM;
    nndl_rng rng;
    nndl_rng_seed(&rng, seed);
    nndl_augment(&rng, out, nndl_dataset_images(data) + i * n0, nndl_dataset_rows(data), nndl_dataset_cols(data), h, warp);
    free(warp);
    return nndl_ok(err);
}
