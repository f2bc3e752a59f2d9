/*
 * test_augment.c — the images training sees when they are moved: the slant and Simard et al.'s
 * elastic distortion keep a digit's shape (on synthetic strokes, over many seeds, the centre of
 * mass stays within 2 pixels and the ink within the frame), a seed gives the same image every
 * time and different seeds different ones, moving nothing is the identity, and a fixed case
 * gives the checksum that tests/js/wasm.test.mjs expects of WebAssembly (native = WASM).
 * Not here: training with them (test_network.c).
 */
#include "check.h"
#include "internal.h"
#include "nndl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SIDE = 28, N = SIDE * SIDE };
#define AUGMENT_CHECKSUM 41689.874158 /* measured natively (x86-64, AVX2); wasm.test.mjs expects it too */

/* Synthetic strokes, centred like MNIST's digits: 0 a bar leaning right (a 1), 1 a 7, 2 the
 * diagonal bar of the checksum (also in wasm.test.mjs: 255 where |x - y| < 3, 4 <= x < 24). */
static void strokes(uint8_t *img, int kind) {
    memset(img, 0, N);
    for (int y = 0; y < SIDE; y++)
        for (int x = 0; x < SIDE; x++) {
            int on = kind == 0 ? y >= 5 && y < 23 && abs(x - (16 - (y - 5) / 3)) <= 1
                   : kind == 1 ? (y >= 6 && y < 9 && x >= 8 && x < 20) || (y >= 6 && y < 23 && abs(x - (19 - (y - 6) / 2)) <= 1)
                               : abs(x - y) < 3 && x >= 4 && x < 24;
            if (on) img[y * SIDE + x] = 255;
        }
}

static void centre(const float *img, double *cx, double *cy, double *ink) {
    double sx = 0, sy = 0, s = 0;
    for (int i = 0; i < N; i++) s += img[i], sx += img[i] * (i % SIDE), sy += img[i] * (i / SIDE);
    *cx = sx / s, *cy = sy / s, *ink = s;
}

static nndl_dataset *set_of(int kinds) {
    uint8_t *images = malloc((size_t)kinds * N), labels[3] = {1, 7, 1};
    for (int k = 0; k < kinds; k++) strokes(images + k * N, k);
    nndl_dataset *data = NULL;
    nndl_error err;
    CHECK(nndl_dataset_adopt(&data, images, (size_t)kinds, SIDE, SIDE, labels, &err) == NNDL_OK, "%s", err.message);
    return data;
}

static void keeps_the_shape(void) {
    nndl_dataset *data = set_of(2);
    nndl_hyper h = nndl_hyper_default();
    h.shear = 0.3f, h.elastic = 10.0f;
    float base[N], out[N], again[N];
    nndl_error err;
    double worst_move = 0, worst_border = 0, least_ink = 1;
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < N; i++) base[i] = nndl_dataset_images(data)[k * N + i] / 255.0f;
        double cx0, cy0, ink0;
        centre(base, &cx0, &cy0, &ink0);
        for (uint64_t seed = 1; seed <= 200; seed++) {
            CHECK(nndl_dataset_augment(data, (size_t)k, &h, seed, out, &err) == NNDL_OK, "%s", err.message);
            double cx, cy, ink, border = 0;
            centre(out, &cx, &cy, &ink);
            for (int i = 0; i < N; i++) {
                int x = i % SIDE, y = i / SIDE;
                if (x == 0 || y == 0 || x == SIDE - 1 || y == SIDE - 1) border += out[i];
            }
            worst_move = fmax(worst_move, hypot(cx - cx0, cy - cy0));
            worst_border = fmax(worst_border, border);
            least_ink = fmin(least_ink, ink / ink0);
        }
        CHECK(nndl_dataset_augment(data, (size_t)k, &h, 77, out, &err) == NNDL_OK &&
              nndl_dataset_augment(data, (size_t)k, &h, 77, again, &err) == NNDL_OK && !memcmp(out, again, sizeof out),
              "the same seed gave another image");
        CHECK(nndl_dataset_augment(data, (size_t)k, &h, 78, again, &err) == NNDL_OK && memcmp(out, again, sizeof out),
              "another seed gave the same image");
    }
    printf("slant 0.3 and elastic alpha 10 over 400 images: centre of mass moved at most %.2f px, ink kept at least %.0f%%, "
           "at most %.3f ink on the frame's edge\n", worst_move, 100 * least_ink, worst_border);
    CHECK(worst_move < 2.0, "the centre of mass moved %.2f px", worst_move);
    CHECK(least_ink > 0.7 && worst_border < 0.5, "ink left the frame: %.2f kept, %.3f on the edge", least_ink, worst_border);
    /* moving nothing is value/255 */
    nndl_hyper still = nndl_hyper_default();
    CHECK(nndl_dataset_augment(data, 0, &still, 5, out, &err) == NNDL_OK, "%s", err.message);
    for (int i = 0; i < N; i++) CHECK(out[i] == nndl_dataset_images(data)[i] / 255.0f, "pixel %d moved", i);
    h.elastic = 101;
    CHECK_ERROR(nndl_dataset_augment(data, 0, &h, 5, out, &err), NNDL_E_INVALID, err, "elastic");
    h.elastic = 1;
    CHECK_ERROR(nndl_dataset_augment(data, 2, &h, 5, out, &err), NNDL_E_INVALID, err, "example 2 is not in a set of 2");
    nndl_dataset_free(data);
}

/* The checksum wasm.test.mjs expects: the diagonal bar, rotate 10, shift 2, shear 0.3, elastic
 * 10, seed 7: sum of (i + 1) x pixel i. */
static void checksum(void) {
    nndl_dataset *data = set_of(3);
    nndl_hyper h = nndl_hyper_default();
    h.rotate = 10, h.shift = 2, h.shear = 0.3f, h.elastic = 10;
    float out[N];
    nndl_error err;
    CHECK(nndl_dataset_augment(data, 2, &h, 7, out, &err) == NNDL_OK, "%s", err.message);
    double sum = 0;
    for (int i = 0; i < N; i++) sum += (double)(i + 1) * out[i];
    printf("checksum of the moved diagonal bar: %.6f\n", sum);
    CHECK(fabs(sum - AUGMENT_CHECKSUM) < 1e-4 * AUGMENT_CHECKSUM, "checksum %.6f, expected %.6f", sum, AUGMENT_CHECKSUM);
    nndl_dataset_free(data);
}

int main(void) {
    keeps_the_shape();
    checksum();
    return check_report("test_augment");
}
