/*
 * trace.c — the numbers training uses but does not keep, for the figures that show them: one
 * example's every number, for a reader who follows backpropagation step by step (chapter 2) or
 * looks at what each layer sees (chapter 6) — the same forward pass and backpropagation as
 * training, keeping z^l, a^l and delta^l of every layer and the example's gradient — and the
 * gradient of any set of examples (chapter 1's mini-batch noise), and f'(z) as backpropagation
 * takes it (chapter 5's terms). Not a faster path for anything:
 * training and evaluation never keep these (pass.c, train.c, evaluate.c).
 */
#include "functions.h"
#include "internal.h"
#include "network_internal.h"

#include <stdlib.h>
#include <string.h>

size_t nndl_network_trace_size(const nndl_network *net) {
    size_t total = 0;
    for (int l = 1; l < net->spec.num_layers; l++) total += (size_t)net->spec.sizes[l];
    return total;
}

/* Copies layer l's buffer of one example (an example's order: for m = 1 a spatial layer's maps
 * outermost are that order too) to `out` at its place, if out is not NULL. */
static void put_layer(float *out, size_t at, const float *layer, int n) {
    if (out) memcpy(out + at, layer, (size_t)n * sizeof *layer);
}

int nndl_network_trace(const nndl_network *net, nndl_workspace *given, const float *x, const float *y,
                       float *z, float *a, float *delta, float *nabla, double *cost, nndl_error *err) {
    if (!net || !x) return nndl_fail(err, NNDL_E_INVALID, "a trace needs a network and an input");
    if (!y && (delta || nabla || cost))
        return nndl_fail(err, NNDL_E_INVALID, "errors, gradients and the cost need a target y");
    nndl_workspace *ws, *made;
    int status = nndl_workspace_for(net, given, &ws, &made, err);
    if (status == NNDL_OK) status = nndl_workspace_reserve(ws, 1, err);
    const nndl_spec *s = &net->spec;
    int L = s->num_layers - 1;
    float *grads = y && !nabla && status == NNDL_OK ? nndl_alloc(net->num_params * sizeof(float), "the gradients", err) : NULL;
    if (status == NNDL_OK && y && !nabla && !grads) status = NNDL_E_NOMEM;
    if (status != NNDL_OK) {
        nndl_workspace_free(made);
        return status;
    }
    /* z^l is kept as each layer computes it; a pooling layer has none, and its a^l is put there */
    size_t at = 0;
    for (int l = 1; l <= L; l++) {
        ws->keep_z[l] = z && nndl_has_activation(s, l) ? z + at : NULL;
        at += (size_t)s->sizes[l];
    }
    nndl_forward(net, ws, x, 1, 0.0f, NULL);
    for (int l = 1; l <= L; l++) ws->keep_z[l] = NULL;
    double c = 0.0;
    if (y) c = nndl_backward_gradients(net, ws, x, y, 1, 0.0f, nabla ? nabla : grads);
    at = 0;
    for (int l = 1; l <= L; l++) {
        if (!nndl_has_activation(s, l)) put_layer(z, at, ws->a[l], s->sizes[l]);
        put_layer(a, at, ws->a[l], s->sizes[l]);
        if (y) put_layer(delta, at, ws->delta[l], s->sizes[l]);
        at += (size_t)s->sizes[l];
    }
    if (cost) *cost = c;
    free(grads);
    nndl_workspace_free(made);
    return nndl_ok(err);
}

int nndl_network_activation_prime(const nndl_network *net, int layer, const float *a, size_t count,
                                  float *prime, nndl_error *err) {
    if (!net || !a || !prime) return nndl_fail(err, NNDL_E_INVALID, "f' needs a network, activations and a place for it");
    const nndl_spec *s = &net->spec;
    if (layer == 0) return nndl_fail(err, NNDL_E_INVALID, "layer 0 is the input: the input has no activation");
    if (layer < 0 || layer >= s->num_layers)
        return nndl_fail(err, NNDL_E_INVALID, "there is no layer %d: the layers are 1..%d", layer, s->num_layers - 1);
    if (!nndl_has_activation(s, layer))
        return nndl_fail(err, NNDL_E_INVALID, "layer %d pools: pooling has no activation", layer);
    if (s->activation[layer] == NNDL_SOFTMAX)
        return nndl_fail(err, NNDL_E_INVALID, "softmax's derivative is a matrix: the cost gives its error delta^L directly");
    for (size_t i = 0; i < count; i++) prime[i] = 1.0f;
    nndl_activation_backward(s->activation[layer], prime, a, count); /* 1 (.) f'(z), f' from a */
    return nndl_ok(err);
}

enum { GRADIENT_CHUNK = 256 };

int nndl_network_gradient(nndl_network *net, const nndl_dataset *data, const size_t *examples, size_t m,
                          float *nabla, double *cost, nndl_error *err) {
    int status = nndl_check_data(net, data, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(data);
    if (!nabla || m == 0) return nndl_fail(err, NNDL_E_INVALID, "a gradient needs examples and a place for it");
    if (!examples && m > n) return nndl_fail(err, NNDL_E_INVALID, "%zu examples asked of a set of %zu", m, n);
    for (size_t i = 0; examples && i < m; i++)
        if (examples[i] >= n) return nndl_fail(err, NNDL_E_INVALID, "example %zu is not in a set of %zu", examples[i], n);
    size_t chunk = m < GRADIENT_CHUNK ? m : GRADIENT_CHUNK, np = net->num_params;
    nndl_workspace *ws;
    status = nndl_training_workspace(net, chunk, &ws, err);
    float *part = status == NNDL_OK ? nndl_alloc(np * sizeof *part, "a chunk's gradient", err) : NULL;
    if (status != NNDL_OK || !part) return status != NNDL_OK ? status : NNDL_E_NOMEM;
    const nndl_spec *s = &net->spec;
    size_t n_out = (size_t)s->sizes[s->num_layers - 1];
    memset(nabla, 0, np * sizeof *nabla);
    double total = 0.0;
    for (size_t first = 0; first < m; first += chunk) {
        size_t k = m - first < chunk ? m - first : chunk;
        nndl_gather(data, examples, first, k, ws->a[0], ws->targets, n_out, ws->labels, NULL, NULL, NULL);
        nndl_forward(net, ws, ws->a[0], k, 0.0f, NULL);
        total += nndl_backward_gradients(net, ws, ws->a[0], ws->targets, k, 0.0f, part);
        for (size_t i = 0; i < np; i++) nabla[i] += part[i];
    }
    free(part);
    if (cost) *cost = total;
    return nndl_ok(err);
}
