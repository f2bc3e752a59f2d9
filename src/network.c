/*
 * network.c — making a network: its parameters in one buffer with per-layer views, drawn as
 * network.py and network2.py draw them, and the accessors that read it. A network is what a
 * spec (spec.c) says, plus its parameters, its generator and where its training is; and what
 * every call that feeds it data checks first (nndl_check_data). Not here:
 * a pass through it (pass.c and the layers), training (train.c, update.c), evaluation
 * (evaluate.c), the model file (model.c).
 */
#include "internal.h"
#include "network_internal.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ----------------------------------------------------------------------- create / free */

int nndl_network_alloc(nndl_network **out, const nndl_spec *spec_in, uint64_t seed,
                       nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new network");
    *out = NULL;
    if (!spec_in) return nndl_fail(err, NNDL_E_INVALID, "no network spec given");
    nndl_spec spec = *spec_in;
    int status = nndl_spec_complete(&spec, err);
    if (status != NNDL_OK) return status;
    /* Counted in 64 bits: on wasm32 a size_t would wrap before the limit could catch it. */
    uint64_t count = 0;
    for (int l = 1; l < spec.num_layers; l++)
        count += (uint64_t)nndl_spec_weight_rows(&spec, l) * ((uint64_t)nndl_spec_weight_cols(&spec, l) + 1);
    if (count * sizeof(float) > NNDL_MAX_BYTES)
        return nndl_fail(err, NNDL_E_NOMEM,
                         "a network of these sizes has %llu parameters (%llu bytes), over the limit of %zu bytes",
                         (unsigned long long)count, (unsigned long long)(count * sizeof(float)),
                         (size_t)NNDL_MAX_BYTES);
    nndl_network *net = nndl_zalloc(sizeof *net, "the network", err);
    if (!net) return NNDL_E_NOMEM;
    net->spec = spec;
    net->hyper = nndl_hyper_default();
    net->temperature = 1.0f;
    size_t total = 0;
    for (int l = 1; l < spec.num_layers; l++) {
        net->w_rows[l] = nndl_spec_weight_rows(&spec, l);
        net->w_cols[l] = nndl_spec_weight_cols(&spec, l);
        net->w_off[l] = total;
        total += net->w_rows[l] * net->w_cols[l];
        net->b_off[l] = total;
        total += net->w_rows[l];
    }
    net->num_params = total;
    size_t bytes = total * sizeof(float);
    net->params = nndl_zalloc(bytes ? bytes : 1, "the parameters", err);
    net->grads = net->params ? nndl_zalloc(bytes ? bytes : 1, "the gradients", err) : NULL;
    if (!net->grads) {
        nndl_network_free(net);
        return NNDL_E_NOMEM;
    }
    nndl_rng_seed(&net->rng, seed);
    *out = net;
    return nndl_ok(err);
}

int nndl_network_create_spec(nndl_network **out, const nndl_spec *spec, uint64_t seed,
                             nndl_error *err) {
    int status = nndl_network_alloc(out, spec, seed, err);
    if (status != NNDL_OK) return status;
    nndl_network *net = *out;
    /* network.py and network2.py: biases then weights, each from N(0, 1), layer by layer;
     * network2 divides the weights by sqrt(n_in), n_in being a neuron's number of inputs (for
     * a convolutional neuron, its receptive field over every input map). */
    for (int l = 1; l < net->spec.num_layers; l++) {
        float *b = net->params + net->b_off[l];
        for (size_t j = 0; j < net->w_rows[l]; j++) b[j] = (float)nndl_rng_normal(&net->rng);
    }
    for (int l = 1; l < net->spec.num_layers; l++) {
        float *w = net->params + net->w_off[l];
        size_t n = net->w_rows[l] * net->w_cols[l];
        double scale = net->spec.init == NNDL_INIT_SCALED ? sqrt((double)net->w_cols[l]) : 1.0;
        for (size_t i = 0; i < n; i++) w[i] = (float)(nndl_rng_normal(&net->rng) / scale);
    }
    return NNDL_OK;
}

int nndl_network_create(nndl_network **out, const int *sizes, int num_layers, uint64_t seed,
                        nndl_error *err) {
    if (out) *out = NULL;
    nndl_spec spec;
    int status = nndl_spec_fully_connected(&spec, sizes, num_layers, NNDL_SIGMOID, NNDL_QUADRATIC, err);
    return status == NNDL_OK ? nndl_network_create_spec(out, &spec, seed, err) : status;
}

void nndl_network_free(nndl_network *net) {
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->velocity);
    nndl_workspace_free(net->train);
    free(net->position.order);
    nndl_threads_free(net->team);
    free(net);
}

int nndl_network_set_threads(nndl_network *net, int threads, nndl_error *err) {
    if (!net) return nndl_fail(err, NNDL_E_INVALID, "no network given");
    if (threads == 0) threads = nndl_cores();
    if (threads == nndl_threads_count(net->team)) return nndl_ok(err);
    nndl_threads *team = NULL;
    int status = threads == 1 ? NNDL_OK : nndl_threads_create(&team, threads, err);
    if (status != NNDL_OK) return status; /* the old team goes on */
    nndl_threads_free(net->team);
    net->team = team;
    return nndl_ok(err);
}

int nndl_network_threads(const nndl_network *net) { return nndl_threads_count(net->team); }

nndl_threads *nndl_network_team(const nndl_network *net) { return net->team; }

/* ---------------------------------------------------------------------------- accessors */

int nndl_network_num_layers(const nndl_network *net) { return net->spec.num_layers; }

int nndl_network_layer_size(const nndl_network *net, int layer) {
    return layer >= 0 && layer < net->spec.num_layers ? net->spec.sizes[layer] : 0;
}

void nndl_network_get_spec(const nndl_network *net, nndl_spec *spec) { *spec = net->spec; }
size_t nndl_network_num_params(const nndl_network *net) { return net->num_params; }
float *nndl_network_params(nndl_network *net) { return net->params; }
float *nndl_network_grads(nndl_network *net) { return net->grads; }
void nndl_network_set_hyper(nndl_network *net, const nndl_hyper *h) { net->hyper = *h; }
nndl_hyper nndl_network_get_hyper(const nndl_network *net) { return net->hyper; }

size_t nndl_network_weights_offset(const nndl_network *net, int layer) {
    return layer >= 1 && layer < net->spec.num_layers ? net->w_off[layer] : 0;
}

size_t nndl_network_biases_offset(const nndl_network *net, int layer) {
    return layer >= 1 && layer < net->spec.num_layers ? net->b_off[layer] : 0;
}

int nndl_check_data(const nndl_network *net, const nndl_dataset *data, nndl_error *err) {
    if (!net) return nndl_fail(err, NNDL_E_INVALID, "no network given");
    if (!data) return nndl_fail(err, NNDL_E_INVALID, "no data set given");
    const nndl_spec *s = &net->spec;
    int L = s->num_layers - 1;
    if (nndl_dataset_input_size(data) != s->sizes[0])
        return nndl_fail(err, NNDL_E_INVALID, "the data has %d values per example but the input layer has %d neurons",
                         nndl_dataset_input_size(data), s->sizes[0]);
    if (nndl_is_spatial(s, 1) && (nndl_dataset_rows(data) != s->rows[0] || nndl_dataset_cols(data) != s->cols[0]))
        return nndl_fail(err, NNDL_E_INVALID, "the data's images are %d x %d but the network's input is %d x %d",
                         nndl_dataset_rows(data), nndl_dataset_cols(data), s->rows[0], s->cols[0]);
    int targets = nndl_dataset_target_size(data);
    if (targets && s->sizes[L] != targets)
        return nndl_fail(err, NNDL_E_INVALID, "the data has %d target values per example but the output layer has %d neurons",
                         targets, s->sizes[L]);
    if (!targets && s->sizes[L] != 10)
        return nndl_fail(err, NNDL_E_INVALID, "the output layer has %d neurons; digit labels need 10", s->sizes[L]);
    return NNDL_OK;
}
