/*
 * network_internal.h — the layout of nndl_network, shared by network.c (training) and model.c
 * (the model file). Not part of the public API: callers see an opaque type.
 */
#ifndef NNDL_NETWORK_INTERNAL_H
#define NNDL_NETWORK_INTERNAL_H

#include "nndl.h"
#include "rng.h"

struct nndl_network {
    nndl_spec spec;   /* layers, activations, cost, initialisation                          */
    nndl_hyper hyper; /* what it was last trained with (for the model file)                  */

    /* Parameters, gradients and (once momentum is used) velocities: one contiguous buffer
     * each, same layout (w^1, b^1, w^2, ...). */
    size_t num_params;
    size_t w_off[NNDL_MAX_LAYERS], b_off[NNDL_MAX_LAYERS]; /* index 0 unused */
    float *params, *grads, *velocity;

    /* Activations for a batch of up to `capacity` examples, one buffer: a^l (capacity x n_l) for
     * l = 0..L, then delta^l and the dropped-out activations d^l for l = 1..L. a^0 receives the
     * inputs gathered from a data set. `masks` holds the dropout masks of the hidden layers. */
    size_t capacity;
    float *acts;
    float *a[NNDL_MAX_LAYERS], *delta[NNDL_MAX_LAYERS], *dropped[NNDL_MAX_LAYERS];
    uint8_t *masks, *mask[NNDL_MAX_LAYERS];
    int masks_drawn; /* the last batch used dropout: mask[] is meaningful */
    uint8_t *labels; /* capacity labels of the batch in a^0 */

    /* The epoch's order of training examples, drawn by nndl_network_shuffle(). */
    size_t *order;
    size_t order_len;

    /* Chapter 5: the sum of ||nabla_b^l|| / m over the mini-batches since the last reset. */
    double speed_sum[NNDL_MAX_LAYERS];
    size_t speed_batches;

    nndl_rng rng;
};

/* Checks spec (sizes, activations, cost) and allocates a network for it with its parameters
 * zeroed (model.c fills them in). */
int nndl_network_alloc(nndl_network **out, const nndl_spec *spec, uint64_t seed,
                       nndl_error *err);

#endif
