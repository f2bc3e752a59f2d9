/*
 * synthetic.h — small IDX files built in memory for the tests: valid ones to break on purpose,
 * and an easy ten-class data set a network can learn in a few epochs. Not MNIST: the C tests
 * need no downloaded data.
 */
#ifndef NNDL_SYNTHETIC_H
#define NNDL_SYNTHETIC_H

#include "nndl.h"
#include "rng.h"

#include <stdlib.h>

typedef struct idx_pair {
    uint8_t *images, *labels;
    size_t images_len, labels_len;
} idx_pair;

static inline void put_be32(uint8_t *p, uint32_t v) {
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* count images of rows x cols: class c = i % 10 lights pixels c and c + 10 (wrapping) on a
 * background of noise below 40, so the classes are easy to tell apart. */
static inline idx_pair make_idx(uint32_t count, uint32_t rows, uint32_t cols, uint64_t seed) {
    idx_pair f;
    size_t dim = (size_t)rows * cols;
    f.images_len = 16 + count * dim;
    f.labels_len = 8 + count;
    f.images = malloc(f.images_len);
    f.labels = malloc(f.labels_len);
    put_be32(f.images, 0x803);
    put_be32(f.images + 4, count);
    put_be32(f.images + 8, rows);
    put_be32(f.images + 12, cols);
    put_be32(f.labels, 0x801);
    put_be32(f.labels + 4, count);
    nndl_rng rng;
    nndl_rng_seed(&rng, seed);
    for (uint32_t i = 0; i < count; i++) {
        uint8_t label = (uint8_t)nndl_rng_below(&rng, 10);
        uint8_t *img = f.images + 16 + i * dim;
        for (size_t k = 0; k < dim; k++) img[k] = (uint8_t)nndl_rng_below(&rng, 40);
        img[label % dim] = 255;
        img[(label + 10) % dim] = 255;
        f.labels[8 + i] = label;
    }
    return f;
}

static inline void free_idx(idx_pair *f) {
    free(f->images);
    free(f->labels);
}

static inline nndl_dataset *make_dataset(uint32_t count, uint32_t rows, uint32_t cols, uint64_t seed) {
    idx_pair f = make_idx(count, rows, cols, seed);
    nndl_dataset *d = NULL;
    nndl_dataset_from_idx(&d, f.images, f.images_len, f.labels, f.labels_len, NULL);
    free_idx(&f);
    return d;
}

#endif
