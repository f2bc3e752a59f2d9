/*
 * pass.c — one pass of a batch through a network, in the order the book reads it: the forward
 * pass layer by layer, then backpropagation from the output error back to layer 1, in the
 * buffers of a workspace (workspace.c). Each layer kind (layer_full.c, layer_conv.c,
 * layer_pool.c) computes its weighted input z^l and, going back, dC/da^{l-1}; this file
 * applies the activations: a^l = f(z^l) forward, and the last factor of BP2, (.) f'(z^{l-1}),
 * backward, once for every kind. The layers never call back into it. What the gradients become
 * is update.c's. Not here: choosing the batches (train.c), reading the answers (evaluate.c), or
 * sizing the buffers (workspace.c).
 */
#include "internal.h"
#include "network_internal.h"

#include "functions.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------- the pass */

/* The input that layer l was fed in the last forward pass (x for layer 1). */
static const float *layer_input(const nndl_workspace *ws, int l, const float *x) {
    if (l == 1) return x;
    /* a fully connected layer reads the feed of the layer before when it has one in use
     * (transposed from maps outermost, or dropped out) */
    if (ws->spec.kind[l] == NNDL_FULL && (nndl_is_spatial(&ws->spec, l - 1) || ws->masks_drawn)) return ws->feed[l - 1];
    return ws->a[l - 1];
}

/* An activation, or its derivative's factor in BP2, over chunks of a layer's values for the
 * threads that share it: each value is its own. */
enum { CHUNK = 4096 };
typedef struct elementwise {
    nndl_activation f;
    float *z;
    const float *a;
    size_t count;
} elementwise;

static void activate_chunks(void *arg, size_t first, size_t end) {
    const elementwise *e = arg;
    size_t from = first * CHUNK, to = end * CHUNK < e->count ? end * CHUNK : e->count;
    nndl_activate(e->f, e->z + from, 1, to - from);
}

static void activation_backward_chunks(void *arg, size_t first, size_t end) {
    const elementwise *e = arg;
    size_t from = first * CHUNK, to = end * CHUNK < e->count ? end * CHUNK : e->count;
    nndl_activation_backward(e->f, e->z + from, e->a + from, to - from);
}

/* a^l = f(z^l) in place, for a layer with an activation (a pooling layer has none): the output's
 * z^L / T once calibrated; a trace keeps z^l on the way. */
static void activate(const nndl_network *net, nndl_workspace *ws, int l, size_t m) {
    const nndl_spec *s = &net->spec;
    if (!nndl_has_activation(s, l)) return;
    float *z = ws->a[l];
    size_t n = (size_t)s->sizes[l];
    if (l == s->num_layers - 1 && net->temperature != 1.0f)
        for (size_t i = 0; i < m * n; i++) z[i] /= net->temperature;
    if (ws->keep_z[l]) memcpy(ws->keep_z[l], z, m * n * sizeof *z);
    if (s->activation[l] == NNDL_SOFTMAX) { /* row by row, only ever on a full output */
        nndl_activate(s->activation[l], z, m, n);
        return;
    }
    elementwise e = {s->activation[l], z, NULL, m * n};
    nndl_parallel((e.count + CHUNK - 1) / CHUNK, 1, NNDL_WORK_SCALAR * (double)e.count, activate_chunks, &e);
}

/* BP2's last factor for layer l's m examples: delta^l (.)= f'(z^l), read from a^l. */
static void activation_backward(const nndl_network *net, nndl_workspace *ws, int l, size_t m) {
    elementwise e = {net->spec.activation[l], ws->delta[l], ws->a[l], m * (size_t)net->spec.sizes[l]};
    nndl_parallel((e.count + CHUNK - 1) / CHUNK, 1, NNDL_WORK_SCALAR * (double)e.count, activation_backward_chunks, &e);
}

/* A convolutional layer l and the pooling layer after it, a part of the batch at a time: its
 * z^l, a^l = f(z^l) and pooled a^{l+1} made by one thread while in its cache, one job where there
 * were three (each value is its own in all three: the same bits). The part is a range of
 * examples, so that the next convolution, by examples too, reads what the same thread made, or
 * for the first layer a range of maps, kept on their threads through the backward pass
 * (nndl_conv_by_maps). */
typedef struct conv_pool {
    const nndl_network *net;
    nndl_workspace *ws;
    int l, by_maps;
    const float *in;
    size_t m;
} conv_pool;

static void conv_pool_part(void *arg, size_t first, size_t end) {
    const conv_pool *j = arg;
    size_t P = nndl_positions(&j->net->spec, j->l), n = j->m * P;
    nndl_part part = nndl_part_of(j->by_maps, first, end, j->net->w_rows[j->l], j->m);
    nndl_conv_forward_part(j->net, j->ws, j->l, j->in, j->m, part);
    for (size_t f = part.map; f < part.map_end; f++) /* maps outermost: a run of the examples' values per map */
        nndl_activate(j->net->spec.activation[j->l], j->ws->a[j->l] + f * n + part.example * P, 1,
                      (part.example_end - part.example) * P);
    nndl_pool_forward_part(j->net, j->ws, j->l + 1, j->ws->a[j->l], j->m, part);
}

/* A job over a spatial layer's batch, split among the threads by maps (`maps` of them, in pieces
 * of at least a register tile's rows) or by examples (m). */
static void parallel_parts(int by_maps, size_t maps, size_t m, double work, nndl_range_fn *fn, void *job) {
    if (by_maps) nndl_parallel(maps, nndl_conv_maps_grain(), work, fn, job);
    else nndl_parallel(m, 1, work, fn, job);
}

/* Whether layers l and l + 1 go forward as one job: a convolution read in place, with an
 * activation of its own values (not the output's softmax), whose z no trace keeps, pooled next. */
static int conv_pool_fuses(const nndl_network *net, const nndl_workspace *ws, int l, size_t m) {
    const nndl_spec *s = &net->spec;
    if (s->kind[l] != NNDL_CONV || l + 1 >= s->num_layers || s->kind[l + 1] != NNDL_POOL) return 0;
    nndl_conv_shape g = nndl_layer_shape(s, l, m);
    return !ws->keep_z[l] && s->activation[l] != NNDL_SOFTMAX && nndl_conv_in_place_fits(&g);
}

/* A fully connected layer at a mini-batch's size stays on the thread that runs the pass: each of
 * its weights serves only m multiply-adds in each product, and the threads would split the
 * weights by rows going forward but by columns in BP2 and the step, so that half of them moved
 * between the cores' caches twice a mini-batch (at a mini-batch of 10, network3.py's layer of
 * 100 took 85 Mcycles over 500 mini-batches for its BP2 and step on 2 threads, 49 on one).
 * Evaluation's larger batches share it, as every other layer's products. Returns the team, for
 * nndl_threads_rejoin after layer l. */
enum { FULL_SHARED_BATCH = 64 };

static nndl_threads *alone_if_full(const nndl_spec *s, int l, size_t m) {
    nndl_threads *team = nndl_threads_alone();
    if (s->kind[l] != NNDL_FULL || m >= FULL_SHARED_BATCH) nndl_threads_rejoin(team);
    return team;
}

/* Layer l forward with its activation, or layers l and l + 1 as one job; returns the last layer
 * made. */
static int forward_layer(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m) {
    const nndl_spec *s = &net->spec;
    if (conv_pool_fuses(net, ws, l, m)) {
        /* by maps only where a backward pass follows, in the network's training workspace;
         * evaluation goes by examples, which split finer */
        int by_maps = ws == net->train && nndl_conv_by_maps(s, l, m);
        conv_pool job = {net, ws, l, by_maps, in, m};
        size_t F = net->w_rows[l], n = m * nndl_positions(s, l);
        double work = (double)F * (double)n * (double)net->w_cols[l] + 2 * NNDL_WORK_SCALAR * (double)F * (double)n;
        parallel_parts(by_maps, F, m, work, conv_pool_part, &job);
        return l + 1; /* a pooling layer has no activation */
    }
    switch (s->kind[l]) {
    case NNDL_CONV: nndl_conv_forward(net, ws, l, in, m); break;
    case NNDL_POOL: nndl_pool_forward(net, ws, l, in, m); break;
    default: {
        nndl_threads *team = alone_if_full(s, l, m);
        nndl_full_forward(net, ws, l, in, m);
        nndl_threads_rejoin(team);
    }
    }
    activate(net, ws, l, m);
    return l;
}

void nndl_forward(const nndl_network *net, nndl_workspace *ws, const float *x, size_t m, float dropout,
                  nndl_rng *rng) {
    const nndl_spec *s = &net->spec;
    int L = s->num_layers - 1, entered = nndl_threads_enter(net->team);
    ws->masks_drawn = dropout > 0.0f && L > 1;
    for (int l = 1; l <= L; l++) {
        l = forward_layer(net, ws, l, layer_input(ws, l, x), m);
        if (nndl_feeds_full(s, l) && (nndl_is_spatial(s, l) || ws->masks_drawn)) nndl_full_feed(net, ws, l, m, dropout, rng);
    }
    nndl_threads_leave(net->team, entered);
}

/* BP1: the output error delta^L, and the batch's cost. */
static double output_error(const nndl_network *net, nndl_workspace *ws, const float *y, size_t m) {
    const nndl_spec *s = &net->spec;
    int L = s->num_layers - 1;
    double cost = nndl_output_error(s->cost, s->activation[L], ws->delta[L], ws->a[L], y, m, (size_t)s->sizes[L]);
    if (net->temperature != 1.0f) /* a calibrated output's activation saw z / T: dC/dz has 1/T */
        for (size_t i = 0; i < m * (size_t)s->sizes[L]; i++) ws->delta[L][i] /= net->temperature;
    return cost;
}

/* A pooling layer l going back and the activation of the convolution before it, a part of the
 * batch at a time, in the same job: each part's dC/da^{l-1} and f'(z^{l-1}) by the thread whose
 * cache holds its a^{l-1} from the forward pass (the same part: conv_pool_part). */
typedef struct pool_back {
    const nndl_network *net;
    nndl_workspace *ws;
    int l, by_maps;
    size_t m;
} pool_back;

static void pool_back_part(void *arg, size_t first, size_t end) {
    const pool_back *j = arg;
    int c = j->l - 1;
    size_t P = nndl_positions(&j->net->spec, c), n = j->m * P;
    nndl_part part = nndl_part_of(j->by_maps, first, end, (size_t)j->net->spec.maps[c], j->m);
    nndl_pool_backward_part(j->net, j->ws, j->l, j->m, part);
    for (size_t f = part.map; f < part.map_end; f++)
        nndl_activation_backward(j->net->spec.activation[c], j->ws->delta[c] + f * n + part.example * P,
                                 j->ws->a[c] + f * n + part.example * P, (part.example_end - part.example) * P);
}

/* Whether pooling layer l and the activation before it go back as one job by examples: the
 * layer before is a convolution with an activation of its own values. */
static int pool_back_fuses(const nndl_spec *s, int l) {
    return l > 1 && s->kind[l] == NNDL_POOL && s->kind[l - 1] == NNDL_CONV && nndl_has_activation(s, l - 1) &&
           s->activation[l - 1] != NNDL_SOFTMAX;
}

/* Layer l going back: BP3 and BP4 into nabla_b and nabla_w (nabla_w NULL for a fully connected
 * layer whose step is fused: update.c), then BP2, delta^{l-1} = dC/da^{l-1} (.) f'(z^{l-1}): the
 * layer gives dC/da^{l-1}, in the layout of layer l - 1, and the pass the factor f'(z^{l-1}),
 * the one place it is applied (a pooling layer has no activation: its delta is dC/da). */
static void backward_layer(const nndl_network *net, nndl_workspace *ws, const float *x, int l, size_t m,
                           float dropout, float *nabla_w, float *nabla_b) {
    const nndl_spec *s = &net->spec;
    const float *in = layer_input(ws, l, x);
    if (pool_back_fuses(s, l)) {
        int by_maps = nndl_conv_by_maps(s, l - 1, m);
        pool_back job = {net, ws, l, by_maps, m};
        double work = 2 * NNDL_WORK_SCALAR * (double)m * (double)s->sizes[l - 1];
        parallel_parts(by_maps, (size_t)s->maps[l - 1], m, work, pool_back_part, &job);
        return;
    }
    switch (s->kind[l]) {
    case NNDL_CONV: nndl_conv_backward(net, ws, l, in, m, nabla_w, nabla_b); break;
    case NNDL_POOL: if (l > 1) nndl_pool_backward(net, ws, l, m); break;
    default: {
        nndl_threads *team = alone_if_full(s, l, m);
        nndl_full_backward(net, ws, l, in, m, dropout, nabla_w, nabla_b);
        nndl_threads_rejoin(team);
    }
    }
    if (l > 1 && nndl_has_activation(s, l - 1)) activation_backward(net, ws, l - 1, m);
}

double nndl_backward_gradients(const nndl_network *net, nndl_workspace *ws, const float *x, const float *y,
                               size_t m, float dropout, float *grads) {
    double cost = output_error(net, ws, y, m);
    int entered = nndl_threads_enter(net->team);
    for (int l = net->spec.num_layers - 1; l >= 1; l--) {
        int has_params = nndl_spec_weight_rows(&net->spec, l) > 0;
        backward_layer(net, ws, x, l, m, dropout, has_params ? grads + net->w_off[l] : NULL,
                       has_params ? grads + net->b_off[l] : NULL);
    }
    nndl_threads_leave(net->team, entered);
    return cost;
}

double nndl_backward_step(nndl_network *net, nndl_workspace *ws, const float *x, const float *y, size_t m,
                          float dropout, const nndl_hyper *step, size_t n, int *within) {
    const nndl_spec *s = &net->spec;
    double cost = output_error(net, ws, y, m);
    int entered = nndl_threads_enter(net->team);
    *within = 1;
    for (int l = s->num_layers - 1; l >= 1; l--) {
        /* BP2 uses layer l's weights of the forward pass, so the layer steps after it */
        float *nabla_w = s->kind[l] == NNDL_CONV ? ws->nabla_w : NULL;
        backward_layer(net, ws, x, l, m, dropout, nabla_w, ws->nabla_b);
        if (!nndl_spec_weight_rows(s, l)) continue; /* no parameters: nothing to step */
        double sq = 0.0; /* chapter 5's speed of learning: ||nabla_b^l|| / m */
        for (size_t j = 0; j < net->w_rows[l]; j++) sq += (double)ws->nabla_b[j] * ws->nabla_b[j];
        net->speed_sum[l] += sqrt(sq) / (double)m;
        const float *in = layer_input(ws, l, x);
        nndl_threads *team = alone_if_full(s, l, m);
        *within &= nndl_update_layer(net, l, step, m, n, nabla_w, ws->nabla_b, nabla_w ? NULL : ws->delta[l], in);
        nndl_threads_rejoin(team);
    }
    nndl_threads_leave(net->team, entered);
    return cost;
}

/* ------------------------------------------------------------------- the public pass */

int nndl_network_backprop(nndl_network *net, const float *x, const uint8_t *y, size_t m, float dropout,
                          double *cost, nndl_error *err) {
    if (!net || !x || !y) return nndl_fail(err, NNDL_E_INVALID, "backprop needs a network, inputs and labels");
    int n_out = net->spec.sizes[net->spec.num_layers - 1];
    for (size_t i = 0; i < m; i++)
        if (y[i] >= n_out)
            return nndl_fail(err, NNDL_E_INVALID, "label %d of example %zu is not below %d outputs", y[i], i, n_out);
    if (!(dropout >= 0.0f && dropout < 1.0f))
        return nndl_fail(err, NNDL_E_INVALID, "dropout must be a probability from 0 up to (not including) 1, got %g",
                         (double)dropout);
    nndl_workspace *ws;
    int status = nndl_training_workspace(net, m, &ws, err);
    if (status != NNDL_OK) return status;
    for (size_t i = 0; i < m; i++) /* the labels' one-hot vectors */
        for (int j = 0; j < n_out; j++) ws->targets[i * (size_t)n_out + (size_t)j] = j == y[i] ? 1.0f : 0.0f;
    nndl_forward(net, ws, x, m, dropout, &net->rng);
    double c = nndl_backward_gradients(net, ws, x, ws->targets, m, dropout, net->grads);
    if (cost) *cost = c;
    return nndl_ok(err);
}

const uint8_t *nndl_network_dropout_mask(const nndl_network *net, int layer) {
    const nndl_workspace *ws = net->train;
    return ws && ws->masks_drawn && nndl_feeds_full(&net->spec, layer) ? ws->mask[layer] : NULL;
}
