/*
 * seeds.c — writes the fuzzers' seed corpora (tests/fuzz/corpus/NAME/: small valid inputs, made
 * by the library itself, cut as fuzz.h says) and the reproducers of the bugs issue 9 found
 * (tests/fuzz/regressions/NAME/), which ctest replays under ASan and UBSan. Run from the
 * repository's root after changing a format:
 *   build/native/nndl_fuzz_seeds tests/fuzz
 * Inputs the fuzzers find later are saved beside these by hand (see the README). Not a test.
 */
#define _POSIX_C_SOURCE 200809L
#include "fuzz.h"
#include "nndl.h"
#include "pngs.h"
#include "synthetic.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char *root;
static int failures;

/* Writes root/kind/name/file: the prefix bytes, then the body. */
static void put(const char *kind, const char *name, const char *file, const uint8_t *prefix, size_t prefix_len,
                const uint8_t *body, size_t body_len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, kind);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/%s", root, kind, name);
    mkdir(path, 0777);
    snprintf(path, sizeof path, "%s/%s/%s/%s", root, kind, name, file);
    uint8_t *bytes = malloc(prefix_len + body_len + 1);
    memcpy(bytes, prefix, prefix_len);
    if (body_len) memcpy(bytes + prefix_len, body, body_len);
    nndl_error err;
    if (nndl_file_write(path, bytes, prefix_len + body_len, &err) != NNDL_OK) {
        fprintf(stderr, "seeds: %s\n", err.message);
        failures++;
    }
    free(bytes);
}

static void model_seed(const char *file, const char *layers, int rows, int cols) {
    nndl_spec spec;
    nndl_network *net = NULL;
    nndl_error err;
    if (nndl_spec_parse(&spec, layers, rows, cols, NNDL_RELU, &err) != NNDL_OK ||
        nndl_network_create_spec(&net, &spec, 1, &err) != NNDL_OK) {
        fprintf(stderr, "seeds: %s: %s\n", layers, err.message);
        failures++;
        return;
    }
    size_t len = nndl_network_saved_size(net);
    uint8_t *bytes = malloc(len);
    nndl_network_save(net, bytes, len, &err);
    put("corpus", "model", file, NULL, 0, bytes, len);
    free(bytes);
    nndl_network_free(net);
}

/* An IDX pair as fuzz_idx reads it: the image file's length, the image file, the label file. */
static void idx_seed(const char *file, uint32_t count, uint32_t rows, uint32_t cols) {
    idx_pair f = make_idx(count, rows, cols, count);
    uint8_t *both = malloc(f.images_len + f.labels_len);
    memcpy(both, f.images, f.images_len);
    memcpy(both + f.images_len, f.labels, f.labels_len);
    uint8_t prefix[2] = {(uint8_t)(f.images_len >> 8), (uint8_t)f.images_len};
    put("corpus", "idx", file, prefix, 2, both, f.images_len + f.labels_len);
    free(both);
    free_idx(&f);
}

/* A sheet as fuzz_png reads it: tile rows and columns, the label file's length, the labels, the
 * PNG. */
static void png_input(const char *kind, const char *file, int rows, int cols, const idx_pair *f, const buffer *png) {
    uint8_t prefix[4] = {(uint8_t)(rows - 1), (uint8_t)(cols - 1), (uint8_t)(f->labels_len >> 8), (uint8_t)f->labels_len};
    uint8_t *both = malloc(f->labels_len + png->len);
    memcpy(both, f->labels, f->labels_len);
    memcpy(both + f->labels_len, png->bytes, png->len);
    put(kind, "png", file, prefix, 4, both, f->labels_len + png->len);
    free(both);
}

/* A layer string as fuzz_spec reads it: hidden activation, input rows and columns, the string. */
static void spec_input(const char *kind, const char *file, int hidden, int rows, int cols, const char *layers) {
    uint8_t prefix[3] = {(uint8_t)hidden, (uint8_t)(rows - 1), (uint8_t)(cols - 1)};
    put(kind, "spec", file, prefix, 3, (const uint8_t *)layers, strlen(layers));
}

/* A set of values and targets: n_in, n_out, output activation, cost, then the floats. */
static void arrays_seed(const char *file, int n_in, int n_out, nndl_activation output, nndl_cost cost, size_t count) {
    uint8_t prefix[4] = {(uint8_t)(n_in - 1), (uint8_t)(n_out - 1), (uint8_t)output, (uint8_t)cost};
    size_t n = count * (size_t)(n_in + n_out);
    float *v = malloc(n * sizeof(float));
    for (size_t i = 0; i < n; i++) v[i] = (float)((i * 37) % 101) / 100.0f; /* in [0, 1]: every cost takes it */
    put("corpus", "arrays", file, prefix, 4, (const uint8_t *)v, n * sizeof(float));
    free(v);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: nndl_fuzz_seeds DIR   (DIR: tests/fuzz)\n");
        return 2;
    }
    root = argv[1];
    model_seed("fc", "fc4-fc3:sigmoid", 3, 2);
    model_seed("conv", "conv2x3x3-pool2-fc3-softmax10", 8, 8);
    model_seed("conv-tanh", "conv3x2x3:tanh-conv2x2x2-pool2x1-softmax4", 6, 7);

    arrays_seed("regression", 1, 1, NNDL_LINEAR, NNDL_QUADRATIC, 16);
    arrays_seed("two-by-two", 2, 2, NNDL_SIGMOID, NNDL_CROSS_ENTROPY, 9);
    arrays_seed("softmax", 3, 4, NNDL_SOFTMAX, NNDL_LOG_LIKELIHOOD, 5);

    idx_seed("small", 3, 4, 3);
    idx_seed("one", 1, 2, 2);

    idx_pair f = make_idx(7, 4, 3, 5);
    buffer png = sheet(&f, 4, 3, 3, 3);
    png_input("corpus", "sheet", 4, 3, &f, &png);
    free(png.bytes);

    const char *specs[] = {"conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10", "fc30-fc10:sigmoid", "pool2-fc10:relu",
                           "conv3x2x2:tanh-pool2x3-fc5-softmax10", "conv8x3-conv4x1x2:sigmoid-fc6:tanh-tanh10"};
    for (int i = 0; i < (int)(sizeof specs / sizeof specs[0]); i++) {
        char file[16];
        snprintf(file, sizeof file, "spec%d", i);
        spec_input("corpus", file, i % 3, i ? 9 + i : 28, i ? 7 + i : 28, specs[i]);
    }

    /* issue 9's reproducers: a conv layer with more maps than inputs per neuron feeding a fully
     * connected one overflowed its scratch (ASan on 28 x 28; a segfault with 4096 maps) */
    spec_input("regressions", "conv30x5x5-softmax10", 0, 28, 28, "conv30x5x5-softmax10");
    spec_input("regressions", "conv4096x5x5-softmax10", 2, 5, 5, "conv4096x5x5-softmax10");
    spec_input("regressions", "conv100x1x1-pool2-fc7", 1, 12, 12, "conv100x1x1-pool2-fc7");
    /* PNGs that made stb_image allocate by what their header or chunks claimed */
    uint8_t tiny[4] = {0x78, 0x9C, 0x03, 0x00};
    buffer lie = crafted(8400, 8400, 16, 6, 0, tiny, 4, 4);
    png_input("regressions", "rgba16-8400x8400", 28, 28, &f, &lie);
    free(lie.bytes);
    lie = crafted(20, 20, 8, 0, 0, tiny, 4, 0x7FFFFFF0u);
    png_input("regressions", "idat-claims-2gb", 4, 3, &f, &lie);
    free(lie.bytes);
    lie = crafted(4000, 4000, 8, 0, 0, tiny, 4, 4);
    png_input("regressions", "4000x4000-from-4-bytes", 4, 3, &f, &lie);
    free(lie.bytes);
    buffer bomb = zlib_rows(3, 200000, 0); /* 800 KB of rows for 9 x 12 pixels */
    lie = crafted(9, 12, 8, 0, 0, bomb.bytes, (uint32_t)bomb.len, (uint32_t)bomb.len);
    png_input("regressions", "deflate-bomb", 4, 3, &f, &lie);
    free(lie.bytes);
    free(bomb.bytes);
    free_idx(&f);
    if (!failures) printf("seeds: written under %s/corpus and %s/regressions\n", root, root);
    return failures ? 1 : 0;
}
