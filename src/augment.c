/*
 * augment.c — the images of a data set as a network reads them: value/255 like the book's
 * mnist_loader, or moved by chapter 3's on-the-fly expansion (a random rotation about the centre
 * and a random shift, bilinear, anew for every use), each with its target vector (a label's
 * one-hot vector, or a regression's values as they are). Not here: parsing data sets (dataset.c,
 * png.c) or the expanded data set of expand_mnist.py (dataset.c).
 */
#include "network_internal.h"

#include <math.h>
#include <string.h>

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

void nndl_augment(nndl_rng *rng, float *out, const uint8_t *img, int rows, int cols, float rotate, float shift) {
    double angle = (2.0 * nndl_rng_uniform(rng) - 1.0) * rotate * 3.14159265358979 / 180.0;
    float dx = (float)((2.0 * nndl_rng_uniform(rng) - 1.0) * shift);
    float dy = (float)((2.0 * nndl_rng_uniform(rng) - 1.0) * shift);
    float c = (float)cos(angle), s = (float)sin(angle);
    float cx = 0.5f * (float)(cols - 1), cy = 0.5f * (float)(rows - 1);
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++) { /* where output pixel (x, y) comes from */
            float u = (float)x - cx - dx, v = (float)y - cy - dy;
            out[y * cols + x] = sample(img, rows, cols, c * u + s * v + cx, -s * u + c * v + cy);
        }
}

void nndl_gather(const nndl_dataset *data, const size_t *idx, size_t first, size_t m, float *x, float *y,
                 size_t n_out, uint8_t *labels, const nndl_hyper *h, nndl_rng *rng) {
    size_t n0 = (size_t)nndl_dataset_input_size(data);
    const float *inputs = nndl_dataset_inputs(data), *targets = nndl_dataset_targets(data);
    const uint8_t *images = nndl_dataset_images(data), *all_labels = nndl_dataset_labels(data);
    int moved = images && h && (h->rotate > 0.0f || h->shift > 0.0f);
    for (size_t i = 0; i < m; i++) {
        size_t e = idx ? idx[first + i] : first + i;
        float *yi = y + i * n_out;
        if (!images) { /* values and targets, as they are */
            memcpy(x + i * n0, inputs + e * n0, n0 * sizeof *x);
            memcpy(yi, targets + e * n_out, n_out * sizeof *yi);
            continue;
        }
        if (moved)
            nndl_augment(rng, x + i * n0, images + e * n0, nndl_dataset_rows(data), nndl_dataset_cols(data), h->rotate, h->shift);
        else
            nndl_bytes_to_unit(x + i * n0, images + e * n0, n0);
        for (size_t j = 0; j < n_out; j++) yi[j] = j == all_labels[e] ? 1.0f : 0.0f; /* the label's one-hot vector */
        labels[i] = all_labels[e];
    }
}
