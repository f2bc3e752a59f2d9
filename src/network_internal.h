/*
 * network_internal.h — the layout of nndl_network and nndl_workspace, and the functions the
 * core's files call in one another, in one direction: one pass of a batch (pass.c) is made of
 * layers (layer_full.c, layer_conv.c, layer_pool.c), each forward beside its backward, which
 * read the spec's geometry (spec.c) and never call back into the pass; the update rule
 * (update.c), training (train.c), evaluation (evaluate.c) and traces (trace.c) use the pass.
 * tests/js/structure.test.mjs checks that no two files call each other in a circle. Not part of
 * the public API: callers see opaque types.
 */
#ifndef NNDL_NETWORK_INTERNAL_H
#define NNDL_NETWORK_INTERNAL_H

#include "kernels.h"
#include "nndl.h"
#include "rng.h"

/* Where training is: the epoch's order of examples, drawn at its start, and the next example
 * of it (counted in examples, so the mini-batch size may change between calls). */
typedef struct nndl_position {
    size_t *order, n;      /* the order of the n training examples of this epoch             */
    size_t next;           /* the first example of the next mini-batch                       */
    int started;           /* 0: the next call draws a new epoch's order                      */
    uint32_t epoch;        /* epochs completed                                                */
} nndl_position;

struct nndl_network {
    nndl_spec spec;   /* layers, activations, cost, initialisation                          */
    nndl_hyper hyper; /* what it was last trained with (for the model file)                  */
    float temperature; /* the output's T: its activation sees z^L / T (calibration); 1 as made */

    /* Parameters, gradients and (once momentum is used) velocities: one contiguous buffer
     * each, same layout (w^1, b^1, w^2, ...). w^l is w_rows[l] x w_cols[l] (none for pooling).
     * grads holds nabla_w, nabla_b of the last nndl_network_backprop() and nothing else. */
    size_t num_params;
    size_t w_off[NNDL_MAX_LAYERS], b_off[NNDL_MAX_LAYERS]; /* index 0 unused */
    size_t w_rows[NNDL_MAX_LAYERS], w_cols[NNDL_MAX_LAYERS];
    float *params, *grads, *velocity;

    nndl_workspace *train; /* the batch buffers of training and backprop, made on first use  */
    nndl_position position;

    /* Chapter 5: the sum of ||nabla_b^l|| / m over the mini-batches since the last reset. */
    double speed_sum[NNDL_MAX_LAYERS];
    size_t speed_batches;

    nndl_rng rng;
    struct nndl_threads *team; /* the helpers of its passes (threads.c); NULL: one thread       */
};

/* The buffers of a batch of up to `capacity` examples, for networks of one spec. One buffer of
 * activations: a^l for l = 0..L, then delta^l for l = 1..L, then feed^l for the hidden layers
 * that feed a fully connected layer. a^0 receives the inputs, an example per row. Fully
 * connected layers hold an example per row too (m x n_l); convolutional and pooling layers hold
 * their maps outermost (maps x m x rows x cols), so that one product makes a map for the whole
 * batch. feed^l is what layer l gives the fully connected layer after it: a^l with an example
 * per row, dropped out (d^l = a^l (.) mask / (1 - p)) when training with dropout. `scratch`
 * holds the unrolled receptive fields of a convolution (im2col) and BP2's rows into a spatial
 * layer; nabla_b and nabla_w a training step's gradients of one layer (nabla_w only for a
 * convolution: see nndl_backward), so that training never writes the gradients buffer; masks
 * the dropout masks of the layers with a feed. */
struct nndl_workspace {
    nndl_spec spec;    /* the networks it serves: the same layers                            */
    size_t capacity;
    float *acts, *scratch, *nabla_b, *nabla_w;
    float *a[NNDL_MAX_LAYERS], *delta[NNDL_MAX_LAYERS], *feed[NNDL_MAX_LAYERS];
    uint8_t *masks, *mask[NNDL_MAX_LAYERS];
    int masks_drawn;   /* the last pass dropped out: mask[] is meaningful                    */
    uint8_t *labels;   /* capacity labels of the batch in a^0 (a set of images)              */
    float *targets;    /* capacity x n_L targets of the batch: y in C(a^L, y)                */
    float *keep_z[NNDL_MAX_LAYERS]; /* where a trace keeps z^l (one example), else NULL        */
    float *warp;       /* 3 x n_0 floats: the displacement fields of an elastic distortion      */
};

/* ------------------------------------------------------------------------ specs (spec.c) */

/* Checks a spec and completes it: the shape of every layer from its kind and the layer before
 * (all-zero shapes are fully connected layers of sizes[]). NNDL_E_INVALID with a message naming
 * the layer if it is impossible. */
int nndl_spec_complete(nndl_spec *spec, nndl_error *err);
/* The rows and columns of w^l for a completed spec (0 for a pooling layer). */
size_t nndl_spec_weight_rows(const nndl_spec *spec, int l);
size_t nndl_spec_weight_cols(const nndl_spec *spec, int l);

/* Whether hidden layer l hands its activations to a fully connected layer (and so may drop
 * them out), and whether layer l is convolutional or pooling (kept maps outermost). */
int nndl_feeds_full(const nndl_spec *s, int l);
int nndl_is_spatial(const nndl_spec *s, int l);
/* Whether layer l applies an activation to a weighted input z^l (a pooling layer does neither). */
int nndl_has_activation(const nndl_spec *s, int l);
/* The positions of a map of layer l: rows x cols. */
size_t nndl_positions(const nndl_spec *s, int l);
/* Where element (c, n, y, x) of layer l's input lives for a batch of m, and layer l's field or
 * block: the input layer holds an example per row (maps inside), hidden layers maps outermost. */
nndl_conv_shape nndl_layer_shape(const nndl_spec *s, int l, size_t m);

/* ------------------------------------------------------------- networks (network.c) */

/* Checks spec (sizes, activations, cost) and allocates a network for it with its parameters
 * zeroed (model.c fills them in). */
int nndl_network_alloc(nndl_network **out, const nndl_spec *spec, uint64_t seed, nndl_error *err);

/* The team of net's passes (NULL: one thread): what a page's helper Workers join. */
struct nndl_threads *nndl_network_team(const nndl_network *net);

/* What every call that feeds data to a network checks first (training, evaluation, traces,
 * calibration): a network and data given, inputs that fit the input layer, and 10 outputs for
 * labels or as many as the targets. */
int nndl_check_data(const nndl_network *net, const nndl_dataset *data, nndl_error *err);

/* --------------------------------------------------------------- the pass (pass.c) */

/* Into *ws the caller's workspace, checked to fit net, or a new one, also in *made (the caller
 * frees it): what every read-only call on a network starts with. */
int nndl_workspace_for(const nndl_network *net, nndl_workspace *given, nndl_workspace **ws, nndl_workspace **made,
                       nndl_error *err);
/* Makes room in ws for a batch of m examples of net's shape. */
int nndl_workspace_reserve(nndl_workspace *ws, size_t m, nndl_error *err);
/* How many examples evaluation feeds forward at once with net. */
size_t nndl_eval_chunk(const nndl_network *net);
/* Where training and backprop keep their batch: net->train, made on first use, with room for m. */
int nndl_training_workspace(nndl_network *net, size_t m, nndl_workspace **out, nndl_error *err);

/* Feeds m rows of x through every layer into ws->a[1..L], dropping out what hidden layers feed
 * fully connected ones with probability `dropout` drawn from rng (NULL with dropout 0). Where
 * ws->keep_z[l] is set (a trace), z^l is kept there before its activation. */
void nndl_forward(const nndl_network *net, nndl_workspace *ws, const float *x, size_t m, float dropout,
                  nndl_rng *rng);

/* Backpropagates the batch of targets y whose forward pass is in ws (BP1 to BP4): nabla_w and
 * nabla_b into `grads` (the network's layout); the network is only read. Returns the batch's
 * summed cost. */
double nndl_backward_gradients(const nndl_network *net, nndl_workspace *ws, const float *x, const float *y,
                               size_t m, float dropout, float *grads);
/* The same backpropagation, each layer taking the SGD step of `step` (m of a training set of
 * n) as soon as BP2 has used its weights (the fused step, see update.c), its nabla_b kept in
 * ws->nabla_b, and chapter 5's speeds summed. Returns the summed cost; *within turns 0 if a
 * parameter diverged. */
double nndl_backward_step(nndl_network *net, nndl_workspace *ws, const float *x, const float *y, size_t m,
                          float dropout, const nndl_hyper *step, size_t n, int *within);

/* ---------------------------------------------------------------------- layers */

/* Each layer kind, forward and backward (BP2 into layer l - 1, and BP3/BP4 into nabla_b and
 * nabla_w when they are not NULL). */
void nndl_full_forward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m);
void nndl_full_backward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                        float dropout, float *nabla_w, float *nabla_b);
void nndl_full_feed(const nndl_network *net, nndl_workspace *ws, int l, size_t m, float dropout, nndl_rng *rng);
void nndl_conv_forward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m);
void nndl_conv_backward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                        float *nabla_w, float *nabla_b);
void nndl_pool_forward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m);
/* A job's part of a spatial layer's batch: maps map..map_end of examples example..example_end.
 * A job of the pass takes either examples (every map) or maps (every example), made by
 * nndl_part_of from the range of units the threads handed it. */
typedef struct nndl_part {
    size_t map, map_end, example, example_end;
} nndl_part;

static inline nndl_part nndl_part_of(int by_maps, size_t first, size_t end, size_t maps, size_t m) {
    return by_maps ? (nndl_part){first, end, 0, m} : (nndl_part){0, maps, first, end};
}

/* Whether convolutional layer l goes map by map on the threads, from its forward pass to BP4,
 * rather than example by example: see layer_conv.c. */
int nndl_conv_by_maps(const nndl_spec *s, int l, size_t m);
/* Only a part of the batch, by this thread: a job of the pass that takes a part from z through
 * f(z) to its pooling while it is in the thread's cache (pass.c). The convolution's part exists
 * where its input is read in place (nndl_conv_in_place_fits); it returns 0 elsewhere. */
int nndl_conv_forward_part(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                           nndl_part part);
void nndl_pool_forward_part(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                            nndl_part part);
void nndl_pool_backward(const nndl_network *net, nndl_workspace *ws, int l, size_t m);
/* Going back, the same: a part of pooling layer l's BP2, by this thread (pass.c applies
 * f'(z^{l-1}) to it in the same job). */
void nndl_pool_backward_part(const nndl_network *net, nndl_workspace *ws, int l, size_t m, nndl_part part);

/* ------------------------------------------------------------- the update (update.c) */

/* The SGD step of layer l (network2.py's update with chapter 3's L2, L1 and momentum) from
 * nabla_b and either nabla_w, or (nabla_w NULL: the fused step) delta^l and a^{l-1}, so that
 * nabla_w = delta^T a^{l-1} is added to the weights as it is computed and never written out.
 * m is the batch's size, n the training set's. Returns 0 if a parameter diverged. */
int nndl_update_layer(nndl_network *net, int l, const nndl_hyper *h, size_t m, size_t n, const float *nabla_w,
                      const float *nabla_b, const float *delta, const float *a_in);
/* Momentum needs a velocity for every parameter, zero to start with. */
int nndl_ensure_velocity(nndl_network *net, const nndl_hyper *h, nndl_error *err);
/* The divergence message, NNDL_E_DIVERGED. */
int nndl_diverged(float eta, nndl_error *err);

/* ---------------------------------------------------------------- data (augment.c) */

/* One image moved as h asks (rotate, shift, shear, elastic: see nndl_hyper), as values in 0..1;
 * warp holds 3 x rows x cols floats of scratch (the displacement fields). */
void nndl_augment(nndl_rng *rng, float *out, const uint8_t *img, int rows, int cols, const nndl_hyper *h, float *warp);

/* Copies examples idx[first..first+m) of data (first..first+m without idx) into x, an example
 * per row, as value/255 or moved as h asks (NULL: not moved; warp: nndl_augment's scratch), their
 * targets into y (m x n_out:
 * a label's one-hot vector) and their labels into `labels` (a set of images only). */
void nndl_gather(const nndl_dataset *data, const size_t *idx, size_t first, size_t m, float *x, float *y,
                 size_t n_out, uint8_t *labels, const nndl_hyper *h, nndl_rng *rng, float *warp);

#endif
