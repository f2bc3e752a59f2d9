/*
 * network.c — a feedforward network of sigmoid neurons with the quadratic cost, trained by
 * backpropagation and mini-batch SGD: network.py, with the batch in matrix form.
 * Rows are examples: a batch of m inputs is an m x n_0 matrix, so a layer's forward pass is one
 * product z = a . w^T and its backward pass two, all in kernels.c.
 * Not here: other costs, activations or regularisation (chapter 3), the model file (model.c).
 */
#include "internal.h"
#include "kernels.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Examples fed forward at once by evaluate(): large enough for efficient products, small
 * enough that the activation buffer stays a few megabytes. */
enum { EVAL_CHUNK = 128 };

/* ----------------------------------------------------------------------- create / free */

int nndl_network_alloc(nndl_network **out, const int *sizes, int num_layers, uint64_t seed,
                       nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new network");
    *out = NULL;
    if (!sizes) return nndl_fail(err, NNDL_E_INVALID, "no layer sizes given");
    if (num_layers < 2 || num_layers > NNDL_MAX_LAYERS)
        return nndl_fail(err, NNDL_E_INVALID,
                         "a network needs 2 to %d layers (input and output at least), got %d",
                         NNDL_MAX_LAYERS, num_layers);
    for (int l = 0; l < num_layers; l++)
        if (sizes[l] < 1 || sizes[l] > NNDL_MAX_LAYER_SIZE)
            return nndl_fail(err, NNDL_E_INVALID, "layer %d has %d neurons; sizes must be 1 to %d",
                             l, sizes[l], NNDL_MAX_LAYER_SIZE);

    /* Counted in 64 bits: on wasm32 a size_t would wrap before the limit could catch it. */
    uint64_t count = 0;
    for (int l = 1; l < num_layers; l++) count += (uint64_t)sizes[l] * ((uint64_t)sizes[l - 1] + 1);
    if (count * sizeof(float) > NNDL_MAX_BYTES)
        return nndl_fail(err, NNDL_E_NOMEM,
                         "a network of these sizes has %llu parameters (%llu bytes), over the limit of %zu bytes",
                         (unsigned long long)count, (unsigned long long)(count * sizeof(float)),
                         (size_t)NNDL_MAX_BYTES);
    nndl_network *net = nndl_zalloc(sizeof *net, "the network", err);
    if (!net) return NNDL_E_NOMEM;
    net->num_layers = num_layers;
    size_t total = 0;
    for (int l = 0; l < num_layers; l++) net->sizes[l] = sizes[l];
    for (int l = 1; l < num_layers; l++) {
        net->w_off[l] = total;
        total += (size_t)sizes[l] * (size_t)sizes[l - 1];
        net->b_off[l] = total;
        total += (size_t)sizes[l];
    }
    net->num_params = total;
    size_t bytes = total * sizeof(float);
    net->params = nndl_zalloc(bytes, "the parameters", err);
    net->grads = net->params ? nndl_zalloc(bytes, "the gradients", err) : NULL;
    if (!net->grads) {
        nndl_network_free(net);
        return NNDL_E_NOMEM;
    }
    nndl_rng_seed(&net->rng, seed);
    *out = net;
    return nndl_ok(err);
}

int nndl_network_create(nndl_network **out, const int *sizes, int num_layers, uint64_t seed,
                        nndl_error *err) {
    int status = nndl_network_alloc(out, sizes, num_layers, seed, err);
    if (status != NNDL_OK) return status;
    nndl_network *net = *out;
    /* network.py: biases then weights, each from N(0, 1), layer by layer. */
    for (int l = 1; l < num_layers; l++) {
        float *b = net->params + net->b_off[l];
        for (int j = 0; j < sizes[l]; j++) b[j] = (float)nndl_rng_normal(&net->rng);
    }
    for (int l = 1; l < num_layers; l++) {
        float *w = net->params + net->w_off[l];
        size_t n = (size_t)sizes[l] * (size_t)sizes[l - 1];
        for (size_t i = 0; i < n; i++) w[i] = (float)nndl_rng_normal(&net->rng);
    }
    return NNDL_OK;
}

void nndl_network_free(nndl_network *net) {
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->acts);
    free(net->labels);
    free(net->order);
    free(net);
}

/* ---------------------------------------------------------------------------- accessors */

int nndl_network_num_layers(const nndl_network *net) { return net->num_layers; }

int nndl_network_layer_size(const nndl_network *net, int layer) {
    return layer >= 0 && layer < net->num_layers ? net->sizes[layer] : 0;
}

size_t nndl_network_num_params(const nndl_network *net) { return net->num_params; }
float *nndl_network_params(nndl_network *net) { return net->params; }
float *nndl_network_grads(nndl_network *net) { return net->grads; }

size_t nndl_network_weights_offset(const nndl_network *net, int layer) {
    return layer >= 1 && layer < net->num_layers ? net->w_off[layer] : 0;
}

size_t nndl_network_biases_offset(const nndl_network *net, int layer) {
    return layer >= 1 && layer < net->num_layers ? net->b_off[layer] : 0;
}

/* ------------------------------------------------------------------ the batch buffers */

/* Makes room for a batch of m examples: grows the activation buffer and recomputes the
 * per-layer views into it. */
static int reserve_batch(nndl_network *net, size_t m, nndl_error *err) {
    if (m == 0) return nndl_fail(err, NNDL_E_INVALID, "a batch needs at least one example");
    if (m <= net->capacity) return NNDL_OK;
    size_t per_example = 0;
    for (int l = 0; l < net->num_layers; l++) per_example += (size_t)net->sizes[l] * (l ? 2 : 1);
    size_t bytes = nndl_mul_size(nndl_mul_size(m, per_example), sizeof(float));
    float *acts = nndl_alloc(bytes, "the activations of a batch", err);
    uint8_t *labels = acts ? nndl_alloc(m, "the labels of a batch", err) : NULL;
    if (!labels) {
        free(acts);
        return NNDL_E_NOMEM;
    }
    free(net->acts);
    free(net->labels);
    net->acts = acts;
    net->labels = labels;
    net->capacity = m;
    float *p = acts;
    for (int l = 0; l < net->num_layers; l++) {
        net->a[l] = p;
        p += m * (size_t)net->sizes[l];
    }
    for (int l = 1; l < net->num_layers; l++) {
        net->delta[l] = p;
        p += m * (size_t)net->sizes[l];
    }
    return NNDL_OK;
}

/* Copies examples idx[0..m) of data into a^0 (as value/255) and the batch's labels. */
static void gather(nndl_network *net, const nndl_dataset *data, const size_t *idx, size_t first,
                   size_t m) {
    size_t n0 = (size_t)net->sizes[0];
    const uint8_t *images = nndl_dataset_images(data), *labels = nndl_dataset_labels(data);
    for (size_t i = 0; i < m; i++) {
        size_t e = idx ? idx[first + i] : first + i;
        nndl_bytes_to_unit(net->a[0] + i * n0, images + e * n0, n0);
        net->labels[i] = labels[e];
    }
}

/* Asks the cache for the pixels of examples idx[first..first+m): the order is random, so the
 * hardware cannot guess it, and a mini-batch's images arrive while the one before is trained.
 * Compiles to nothing where there is no prefetch instruction (WebAssembly). */
static void prefetch(const nndl_network *net, const nndl_dataset *data, const size_t *idx,
                     size_t first, size_t m) {
#if defined(__GNUC__) || defined(__clang__)
    size_t n0 = (size_t)net->sizes[0];
    const uint8_t *images = nndl_dataset_images(data);
    for (size_t i = 0; i < m; i++)
        for (size_t off = 0; off < n0; off += 64) __builtin_prefetch(images + idx[first + i] * n0 + off);
#else
    (void)net, (void)data, (void)idx, (void)first, (void)m;
#endif
}

static int check_data(const nndl_network *net, const nndl_dataset *data, nndl_error *err) {
    if (!data) return nndl_fail(err, NNDL_E_INVALID, "no data set given");
    if (nndl_dataset_input_size(data) != net->sizes[0])
        return nndl_fail(err, NNDL_E_INVALID,
                         "the data has %d values per example but the input layer has %d neurons",
                         nndl_dataset_input_size(data), net->sizes[0]);
    if (net->sizes[net->num_layers - 1] != 10)
        return nndl_fail(err, NNDL_E_INVALID,
                         "the output layer has %d neurons; digit labels need 10",
                         net->sizes[net->num_layers - 1]);
    return NNDL_OK;
}

/* ------------------------------------------------------------------- forward and backward */

static float sigmoid(float z) { return 1.0f / (1.0f + expf(-z)); }

/* Forward pass of layer l for m examples: z^l = a^{l-1} . (w^l)^T + b^l, a^l = sigma(z^l).
 * out is m x n_l, in is m x n_{l-1}. */
static void layer_forward(const nndl_network *net, int l, float *out, const float *in, size_t m) {
    size_t n = (size_t)net->sizes[l], n_in = (size_t)net->sizes[l - 1];
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    nndl_gemm_nt(out, in, w, m, n, n_in, 0);
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) out[i * n + j] = sigmoid(out[i * n + j] + b[j]);
}

/* Backward pass of layer l for m examples, given delta^l (m x n_l):
 *   nabla_b^l = sum over the batch of delta^l                          (BP3)
 *   nabla_w^l = (delta^l)^T . a^{l-1}                                  (BP4)
 *   delta^{l-1} = (delta^l . w^l) (.) sigma'(z^{l-1}), l > 1           (BP2)
 * with sigma'(z) = sigma(z)(1 - sigma(z)) = a(1 - a) read from the stored activations.
 * With step NULL the gradients go to the gradients buffer. With *step = -eta/m this is also the SGD
 * step of the layer (w -> w - (eta/m) nabla_w, likewise b), fused: nabla_w is added to the weights
 * as it is made instead of being written out and read back, and delta^{l-1} is computed first,
 * from the weights before the step, as BP2 requires. Returns 0 if a parameter went past
 * NNDL_MAX_WEIGHT or became NaN. */
static int layer_backward(nndl_network *net, int l, float *delta_in, const float *delta,
                          const float *a_in, size_t m, const float *step) {
    size_t n = (size_t)net->sizes[l], n_in = (size_t)net->sizes[l - 1];
    float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    float *nabla_w = net->grads + net->w_off[l], *nabla_b = net->grads + net->b_off[l];
    memset(nabla_b, 0, n * sizeof(float));
    for (size_t i = 0; i < m; i++) nndl_axpy(nabla_b, delta + i * n, 1.0f, n);
    if (delta_in) {
        nndl_gemm_nn(delta_in, delta, w, m, n_in, n, 0);
        for (size_t i = 0; i < m * n_in; i++) delta_in[i] *= a_in[i] * (1.0f - a_in[i]);
    }
    if (!step) {
        nndl_gemm_tn(nabla_w, delta, a_in, n, n_in, m, 0);
        return 1;
    }
    int within = nndl_gemm_tn_update(w, delta, a_in, n, n_in, m, *step, NNDL_MAX_WEIGHT);
    return nndl_axpy_bounded(b, nabla_b, *step, n, NNDL_MAX_WEIGHT) && within;
}

/* Output error of the quadratic cost C = ||a^L - y||^2 / 2 for the batch:
 *   delta^L = (a^L - y) (.) sigma'(z^L)                                 (BP1)
 * Returns the cost summed over the batch. */
static double output_error(float *delta, const float *a, const uint8_t *y, size_t m, size_t n) {
    double cost = 0.0;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < n; j++) {
            float aj = a[i * n + j], diff = aj - (j == y[i] ? 1.0f : 0.0f);
            cost += 0.5 * (double)diff * (double)diff;
            delta[i * n + j] = diff * aj * (1.0f - aj);
        }
    return cost;
}

/* Feeds m rows of x through every layer into net->a[1..L]. */
static void forward_batch(nndl_network *net, const float *x, size_t m) {
    const float *in = x;
    for (int l = 1; l < net->num_layers; l++) {
        layer_forward(net, l, net->a[l], in, m);
        in = net->a[l];
    }
}

/* Backpropagates the batch whose forward pass is in net->a; see layer_backward for `step`.
 * Writes the batch's summed cost to *cost; returns 0 if a parameter diverged. */
static int backward_batch(nndl_network *net, const float *x, const uint8_t *y, size_t m,
                          const float *step, double *cost) {
    int L = net->num_layers - 1, within = 1;
    *cost = output_error(net->delta[L], net->a[L], y, m, (size_t)net->sizes[L]);
    for (int l = L; l >= 1; l--) {
        const float *a_in = l > 1 ? net->a[l - 1] : x;
        within &= layer_backward(net, l, l > 1 ? net->delta[l - 1] : NULL, net->delta[l], a_in, m, step);
    }
    return within;
}

int nndl_network_feedforward(nndl_network *net, float *out, const float *in, size_t count,
                             nndl_error *err) {
    if (!net || !out || !in) return nndl_fail(err, NNDL_E_INVALID, "feedforward needs a network, input and output");
    size_t n_out = (size_t)net->sizes[net->num_layers - 1], n0 = (size_t)net->sizes[0];
    for (size_t done = 0; done < count; done += EVAL_CHUNK) {
        size_t m = count - done < EVAL_CHUNK ? count - done : EVAL_CHUNK;
        int status = reserve_batch(net, m, err);
        if (status != NNDL_OK) return status;
        forward_batch(net, in + done * n0, m);
        memcpy(out + done * n_out, net->a[net->num_layers - 1], m * n_out * sizeof(float));
    }
    return nndl_ok(err);
}

static int check_labels(const nndl_network *net, const uint8_t *y, size_t m, nndl_error *err) {
    int n_out = net->sizes[net->num_layers - 1];
    for (size_t i = 0; i < m; i++)
        if (y[i] >= n_out)
            return nndl_fail(err, NNDL_E_INVALID, "label %d of example %zu is not below %d outputs",
                             y[i], i, n_out);
    return NNDL_OK;
}

int nndl_network_backprop(nndl_network *net, const float *x, const uint8_t *y, size_t m,
                          double *cost, nndl_error *err) {
    if (!net || !x || !y) return nndl_fail(err, NNDL_E_INVALID, "backprop needs a network, inputs and labels");
    int status = check_labels(net, y, m, err);
    if (status == NNDL_OK) status = reserve_batch(net, m, err);
    if (status != NNDL_OK) return status;
    forward_batch(net, x, m);
    double c;
    backward_batch(net, x, y, m, NULL, &c);
    if (cost) *cost = c;
    return nndl_ok(err);
}

static int check_eta(float eta, nndl_error *err) {
    if (!(eta >= 0.0f) || !isfinite(eta))
        return nndl_fail(err, NNDL_E_INVALID, "the learning rate eta must be a finite number >= 0, got %g",
                         (double)eta);
    return NNDL_OK;
}

static int diverged(float eta, nndl_error *err) {
    return nndl_fail(err, NNDL_E_DIVERGED,
                     "training diverged: with eta = %g a weight went past %g (or became NaN); "
                     "try a smaller learning rate",
                     (double)eta, (double)NNDL_MAX_WEIGHT);
}

static int check_batch_size(size_t mini_batch_size, size_t n, nndl_error *err) {
    if (mini_batch_size == 0 || mini_batch_size > n)
        return nndl_fail(err, NNDL_E_INVALID, "the mini-batch size must be 1 to %zu (the training set), got %zu",
                         n, mini_batch_size);
    return NNDL_OK;
}

int nndl_network_sgd_step(nndl_network *net, float eta, size_t m, nndl_error *err) {
    int status = check_eta(eta, err);
    if (status != NNDL_OK) return status;
    if (m == 0) return nndl_fail(err, NNDL_E_INVALID, "the mini-batch size must be at least 1");
    /* w -> w - (eta/m) nabla_w, b -> b - (eta/m) nabla_b: one loop over all parameters. */
    if (!nndl_axpy_bounded(net->params, net->grads, -eta / (float)m, net->num_params, NNDL_MAX_WEIGHT))
        return diverged(eta, err);
    return nndl_ok(err);
}

int nndl_network_update_mini_batch(nndl_network *net, const float *x, const uint8_t *y, size_t m,
                                   float eta, nndl_error *err) {
    int status = check_eta(eta, err);
    if (status == NNDL_OK) status = nndl_network_backprop(net, x, y, m, NULL, err);
    if (status == NNDL_OK) status = nndl_network_sgd_step(net, eta, m, err);
    return status;
}

/* ------------------------------------------------------------------------------ training */

int nndl_network_shuffle(nndl_network *net, size_t n, nndl_error *err) {
    if (n == 0) return nndl_fail(err, NNDL_E_INVALID, "there is nothing to shuffle: no training examples");
    if (n != net->order_len) {
        size_t *order = nndl_alloc(nndl_mul_size(n, sizeof *order), "the epoch's order", err);
        if (!order) return NNDL_E_NOMEM;
        free(net->order);
        net->order = order;
        net->order_len = n;
    }
    for (size_t i = 0; i < n; i++) net->order[i] = i;
    nndl_rng_shuffle(&net->rng, net->order, n);
    return nndl_ok(err);
}

int nndl_network_train_batches(nndl_network *net, const nndl_dataset *train, size_t first,
                               size_t count, size_t mini_batch_size, float eta, double *cost,
                               nndl_error *err) {
    int status = check_data(net, train, err);
    if (status == NNDL_OK) status = check_eta(eta, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(train);
    status = check_batch_size(mini_batch_size, n, err);
    if (status != NNDL_OK) return status;
    if (net->order_len != n)
        return nndl_fail(err, NNDL_E_INVALID,
                         "the epoch's order is for %zu examples but the training set has %zu: "
                         "call nndl_network_shuffle first", net->order_len, n);
    size_t batches = (n + mini_batch_size - 1) / mini_batch_size;
    if (first > batches || count > batches - first)
        return nndl_fail(err, NNDL_E_INVALID, "mini-batches %zu..%zu are past the epoch's %zu",
                         first, first + count, batches);
    status = reserve_batch(net, mini_batch_size, err);
    if (status != NNDL_OK) return status;
    double total = 0.0;
    for (size_t b = first; b < first + count; b++) {
        size_t start = b * mini_batch_size;
        size_t m = n - start < mini_batch_size ? n - start : mini_batch_size;
        gather(net, train, net->order, start, m);
        if (start + m < n)
            prefetch(net, train, net->order, start + m, n - start - m < m ? n - start - m : m);
        forward_batch(net, net->a[0], m);
        double batch_cost;
        float step = -eta / (float)m;
        if (!backward_batch(net, net->a[0], net->labels, m, &step, &batch_cost)) return diverged(eta, err);
        total += batch_cost;
    }
    if (cost) *cost = total;
    return nndl_ok(err);
}

int nndl_network_train_epoch(nndl_network *net, const nndl_dataset *train,
                             size_t mini_batch_size, float eta, nndl_progress_fn progress,
                             size_t every, void *user, nndl_error *err) {
    /* Every argument is checked before the shuffle draws from the generator, so a refused call
     * leaves the network exactly as it was. */
    int status = check_data(net, train, err);
    if (status == NNDL_OK) status = check_eta(eta, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(train);
    status = check_batch_size(mini_batch_size, n, err);
    if (status != NNDL_OK) return status;
    status = nndl_network_shuffle(net, n, err);
    if (status != NNDL_OK) return status;
    size_t batches = (n + mini_batch_size - 1) / mini_batch_size;
    size_t chunk = every && progress ? every : batches;
    for (size_t b = 0; b < batches; b += chunk) {
        size_t count = batches - b < chunk ? batches - b : chunk;
        status = nndl_network_train_batches(net, train, b, count, mini_batch_size, eta, NULL, err);
        if (status != NNDL_OK) return status;
        size_t done = (b + count) * mini_batch_size;
        if (progress && progress(user, done < n ? done : n, n))
            return nndl_fail(err, NNDL_E_STOPPED, "stopped by the progress callback after %zu of %zu examples",
                             done < n ? done : n, n);
    }
    return nndl_ok(err);
}

/* ---------------------------------------------------------------------------- evaluation */

static int argmax(const float *v, int n) {
    int best = 0;
    for (int j = 1; j < n; j++)
        if (v[j] > v[best]) best = j;
    return best;
}

/* Feeds data forward in chunks; counts the right answers into *correct and, if predictions is
 * not NULL, writes each example's chosen digit there. */
static int classify(nndl_network *net, const nndl_dataset *data, uint8_t *predictions,
                    size_t *correct, nndl_error *err) {
    int status = check_data(net, data, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(data), right = 0;
    int L = net->num_layers - 1, n_out = net->sizes[L];
    for (size_t done = 0; done < n; done += EVAL_CHUNK) {
        size_t m = n - done < EVAL_CHUNK ? n - done : EVAL_CHUNK;
        status = reserve_batch(net, m, err);
        if (status != NNDL_OK) return status;
        gather(net, data, NULL, done, m);
        forward_batch(net, net->a[0], m);
        for (size_t i = 0; i < m; i++) {
            int digit = argmax(net->a[L] + i * (size_t)n_out, n_out);
            right += digit == net->labels[i];
            if (predictions) predictions[done + i] = (uint8_t)digit;
        }
    }
    *correct = right;
    return nndl_ok(err);
}

int nndl_network_evaluate(nndl_network *net, const nndl_dataset *data, size_t *correct,
                          nndl_error *err) {
    if (!correct) return nndl_fail(err, NNDL_E_INVALID, "no place given for the count");
    return classify(net, data, NULL, correct, err);
}

int nndl_network_classify(nndl_network *net, const nndl_dataset *data, uint8_t *predictions,
                          nndl_error *err) {
    if (!predictions) return nndl_fail(err, NNDL_E_INVALID, "no place given for the predictions");
    size_t correct;
    return classify(net, data, predictions, &correct, err);
}

int nndl_network_predict(nndl_network *net, const float *input, float *activations,
                         nndl_error *err) {
    if (!net || !input) return nndl_fail(err, NNDL_E_INVALID, "predict needs a network and an input");
    int status = reserve_batch(net, 1, err);
    if (status != NNDL_OK) return status;
    int L = net->num_layers - 1;
    forward_batch(net, input, 1);
    if (activations) memcpy(activations, net->a[L], (size_t)net->sizes[L] * sizeof(float));
    nndl_ok(err);
    return argmax(net->a[L], net->sizes[L]);
}
