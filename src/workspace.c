/*
 * workspace.c — the buffers a pass works in (nndl_workspace): their sizes, made for the most
 * that any writer of them asks for (every writer is listed in scratch_per_example, so that a new
 * one must be added here), a network's own training workspace, and evaluation's batch size. Not
 * here: what the pass computes in them (pass.c).
 */
#include "internal.h"
#include "network_internal.h"

#include <stdlib.h>
#include <string.h>

/* Examples fed forward at once by evaluation: up to 128, large enough for efficient products,
 * and fewer for convolutional networks, so that their buffers stay near 16 MB. */
enum { EVAL_CHUNK = 128, EVAL_FLOATS = 4 << 20 };

/* Floats of scratch one example needs: the most that any of its writers asks for, layer by
 * layer (every writer is listed, so that a new one must be added here):
 *   conv forward, conv backward  layer l's receptive fields unrolled (im2col), and the gradient
 *                                of those columns (w^T . delta): weight columns x positions of l;
 *   full backward                BP2 into a convolutional or pooling layer l - 1, an example
 *                                per row before it goes back maps outermost: n_{l-1}.
 * A convolutional layer that feeds a fully connected one needs both (the second is larger when
 * it has more maps than inputs per neuron: issue 9). */
static size_t scratch_per_example(const nndl_spec *s) {
    size_t most = 0;
    for (int l = 1; l < s->num_layers; l++) {
        size_t unrolled = s->kind[l] == NNDL_CONV ? nndl_spec_weight_cols(s, l) * nndl_positions(s, l) : 0;
        size_t bp2_rows = s->kind[l] == NNDL_FULL && nndl_is_spatial(s, l - 1) ? (size_t)s->sizes[l - 1] : 0;
        if (unrolled > most) most = unrolled;
        if (bp2_rows > most) most = bp2_rows;
    }
    return most;
}

/* Floats of activations, deltas and feeds one example needs. */
static size_t acts_per_example(const nndl_spec *s) {
    size_t per_example = 0;
    for (int l = 0; l < s->num_layers; l++)
        per_example += (size_t)s->sizes[l] * (size_t)(l ? 2 + nndl_feeds_full(s, l) : 1);
    return per_example;
}

/* The most biases of any layer, and the most weights of a convolutional layer: the room a
 * training step's nabla_b and a convolution's nabla_w need. */
static size_t most_biases(const nndl_spec *s) {
    size_t most = 0;
    for (int l = 1; l < s->num_layers; l++)
        if (nndl_spec_weight_rows(s, l) > most) most = nndl_spec_weight_rows(s, l);
    return most;
}

static size_t most_conv_weights(const nndl_spec *s) {
    size_t most = 0;
    for (int l = 1; l < s->num_layers; l++) {
        size_t count = s->kind[l] == NNDL_CONV ? nndl_spec_weight_rows(s, l) * nndl_spec_weight_cols(s, l) : 0;
        most = count > most ? count : most;
    }
    return most;
}

/* Whether ws was made for networks of net's layers. */
static int fits(const nndl_workspace *ws, const nndl_network *net) {
    const nndl_spec *a = &ws->spec, *b = &net->spec;
    if (a->num_layers != b->num_layers) return 0;
    for (int l = 0; l < a->num_layers; l++)
        if (a->sizes[l] != b->sizes[l] || a->kind[l] != b->kind[l] || a->maps[l] != b->maps[l] ||
            a->field_rows[l] != b->field_rows[l] || a->field_cols[l] != b->field_cols[l])
            return 0;
    return 1;
}

/* Into *ws the caller's workspace, checked, or a new one, also in *made (the caller frees it). */
int nndl_workspace_for(const nndl_network *net, nndl_workspace *given, nndl_workspace **ws,
                         nndl_workspace **made, nndl_error *err) {
    *ws = *made = NULL;
    if (!given) {
        int status = nndl_workspace_create(made, net, err);
        *ws = *made;
        return status;
    }
    if (!fits(given, net)) return nndl_fail(err, NNDL_E_INVALID, "the workspace was made for a network of other layers");
    *ws = given;
    return NNDL_OK;
}

size_t nndl_eval_chunk(const nndl_network *net) {
    size_t per_example = acts_per_example(&net->spec) + scratch_per_example(&net->spec);
    size_t chunk = EVAL_FLOATS / (per_example ? per_example : 1);
    return chunk < 1 ? 1 : chunk > EVAL_CHUNK ? EVAL_CHUNK : chunk;
}

int nndl_workspace_create(nndl_workspace **out, const nndl_network *net, nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new workspace");
    *out = NULL;
    if (!net) return nndl_fail(err, NNDL_E_INVALID, "a workspace needs the network it serves");
    nndl_workspace *ws = nndl_zalloc(sizeof *ws, "the workspace", err);
    if (!ws) return NNDL_E_NOMEM;
    ws->spec = net->spec;
    ws->warp = nndl_alloc(nndl_mul_size(3 * sizeof(float), (size_t)ws->spec.sizes[0]), "the displacement fields", err);
    ws->nabla_b = ws->warp ? nndl_alloc(most_biases(&ws->spec) * sizeof(float) + 1, "the bias gradients", err) : NULL;
    ws->nabla_w = ws->nabla_b ? nndl_alloc(most_conv_weights(&ws->spec) * sizeof(float) + 1, "the convolution's gradients", err) : NULL;
    if (!ws->nabla_w) {
        nndl_workspace_free(ws);
        return NNDL_E_NOMEM;
    }
    *out = ws;
    return nndl_ok(err);
}

void nndl_workspace_free(nndl_workspace *ws) {
    if (!ws) return;
    free(ws->acts);
    free(ws->scratch);
    free(ws->nabla_b);
    free(ws->nabla_w);
    free(ws->masks);
    free(ws->labels);
    free(ws->targets);
    free(ws->warp);
    free(ws);
}

/* Makes room for a batch of m examples: grows the buffers and recomputes the per-layer views. */
int nndl_workspace_reserve(nndl_workspace *ws, size_t m, nndl_error *err) {
    if (m == 0) return nndl_fail(err, NNDL_E_INVALID, "a batch needs at least one example");
    if (m <= ws->capacity) return NNDL_OK;
    const nndl_spec *s = &ws->spec;
    const int *sizes = s->sizes, layers = s->num_layers;
    size_t fed = 0;
    for (int l = 1; l < layers; l++) fed += nndl_feeds_full(s, l) ? (size_t)sizes[l] : 0;
    size_t bytes = nndl_mul_size(nndl_mul_size(m, acts_per_example(s)), sizeof(float));
    size_t scratch_bytes = nndl_mul_size(nndl_mul_size(m, scratch_per_example(s)), sizeof(float));
    float *acts = nndl_alloc(bytes, "the activations of a batch", err);
    float *scratch = acts ? nndl_alloc(scratch_bytes ? scratch_bytes : 1, "the unrolled receptive fields", err) : NULL;
    uint8_t *masks = scratch ? nndl_alloc(nndl_mul_size(m, fed) + 1, "the dropout masks", err) : NULL;
    uint8_t *labels = masks ? nndl_alloc(m, "the labels of a batch", err) : NULL;
    size_t target_bytes = nndl_mul_size(nndl_mul_size(m, (size_t)sizes[layers - 1]), sizeof(float));
    float *targets = labels ? nndl_alloc(target_bytes, "the targets of a batch", err) : NULL;
    if (!targets) {
        free(acts);
        free(scratch);
        free(masks);
        free(labels);
        return NNDL_E_NOMEM;
    }
    free(ws->acts);
    free(ws->scratch);
    free(ws->masks);
    free(ws->labels);
    free(ws->targets);
    ws->acts = acts, ws->scratch = scratch, ws->masks = masks, ws->labels = labels, ws->targets = targets;
    ws->capacity = m;
    ws->masks_drawn = 0;
    size_t at = 0, at_mask = 0; /* carve the views out of the buffers, in order */
    for (int l = 0; l < layers; at += m * (size_t)sizes[l], l++) ws->a[l] = acts + at;
    for (int l = 1; l < layers; at += m * (size_t)sizes[l], l++) ws->delta[l] = acts + at;
    for (int l = 1; l < layers; l++) {
        int fed_l = nndl_feeds_full(s, l);
        ws->feed[l] = fed_l ? acts + at : NULL;
        ws->mask[l] = fed_l ? masks + at_mask : NULL;
        if (fed_l) at += m * (size_t)sizes[l], at_mask += m * (size_t)sizes[l];
    }
    return NNDL_OK;
}

int nndl_training_workspace(nndl_network *net, size_t m, nndl_workspace **out, nndl_error *err) {
    int status = net->train ? NNDL_OK : nndl_workspace_create(&net->train, net, err);
    if (status == NNDL_OK) status = nndl_workspace_reserve(net->train, m, err);
    *out = status == NNDL_OK ? net->train : NULL;
    return status;
}

