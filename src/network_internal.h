/*
 * network_internal.h — the layout of nndl_network, shared by network.c (training) and model.c
 * (the model file). Not part of the public API: callers see an opaque type.
 */
#ifndef NNDL_NETWORK_INTERNAL_H
#define NNDL_NETWORK_INTERNAL_H

#include "nndl.h"
#include "rng.h"

struct nndl_network {
    int num_layers;
    int sizes[NNDL_MAX_LAYERS];

    /* Parameters and gradients: one contiguous buffer each, same layout (w^1, b^1, w^2, ...). */
    size_t num_params;
    size_t w_off[NNDL_MAX_LAYERS], b_off[NNDL_MAX_LAYERS]; /* index 0 unused */
    float *params, *grads;

    /* Activations for a batch of up to `capacity` examples, one buffer: a^l (capacity x n_l) for
     * l = 0..L, then delta^l for l = 1..L. a^0 receives the inputs gathered from a data set. */
    size_t capacity;
    float *acts;
    float *a[NNDL_MAX_LAYERS], *delta[NNDL_MAX_LAYERS];
    uint8_t *labels; /* capacity labels of the batch in a^0 */

    /* The epoch's order of training examples, drawn by nndl_network_shuffle(). */
    size_t *order;
    size_t order_len;

    nndl_rng rng;
};

/* Allocates a network of the given sizes with its parameters zeroed (model.c fills them). */
int nndl_network_alloc(nndl_network **out, const int *sizes, int num_layers, uint64_t seed,
                       nndl_error *err);

#endif
