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
     * each, same layout (w^1, b^1, w^2, ...). w^l is w_rows[l] x w_cols[l] (none for pooling). */
    size_t num_params;
    size_t w_off[NNDL_MAX_LAYERS], b_off[NNDL_MAX_LAYERS]; /* index 0 unused */
    size_t w_rows[NNDL_MAX_LAYERS], w_cols[NNDL_MAX_LAYERS];
    float *params, *grads, *velocity;

    /* Activations for a batch of up to `capacity` examples, one buffer: a^l for l = 0..L, then
     * delta^l for l = 1..L, then feed^l for the hidden layers that feed a fully connected layer.
     * a^0 receives the inputs gathered from a data set, an example per row. Fully connected
     * layers hold an example per row too (m x n_l); convolutional and pooling layers hold their
     * maps outermost (maps x m x rows x cols), so that one product makes a map for the whole
     * batch. feed^l is what layer l gives the fully connected layer after it: a^l with an
     * example per row, dropped out (d^l = a^l (.) mask / (1 - p)) when training with dropout.
     * `scratch` holds the unrolled receptive fields of a convolution (im2col) and other
     * temporaries; `masks` the dropout masks of the layers with a feed. */
    size_t capacity;
    float *acts, *scratch;
    float *a[NNDL_MAX_LAYERS], *delta[NNDL_MAX_LAYERS], *feed[NNDL_MAX_LAYERS];
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

/* Checks a spec and completes it: the shape of every layer from its kind and the layer before
 * (all-zero shapes are fully connected layers of sizes[]). NNDL_E_INVALID with a message naming
 * the layer if it is impossible. */
int nndl_spec_complete(nndl_spec *spec, nndl_error *err);
/* The rows and columns of w^l for a completed spec (0 for a pooling layer). */
size_t nndl_spec_weight_rows(const nndl_spec *spec, int l);
size_t nndl_spec_weight_cols(const nndl_spec *spec, int l);

/* Checks spec (sizes, activations, cost) and allocates a network for it with its parameters
 * zeroed (model.c fills them in). */
int nndl_network_alloc(nndl_network **out, const nndl_spec *spec, uint64_t seed,
                       nndl_error *err);

#endif
