/*
 * network.c — feedforward networks trained by backpropagation and mini-batch SGD: network.py
 * and network2.py, with the batch in matrix form. Rows are examples: a batch of m inputs is an
 * m x n_0 matrix, so a layer's forward pass is one product z = a . w^T and its backward pass two,
 * all in kernels.c; activations and costs are in functions.c.
 * Here too: chapter 3's regularisation (L2, L1, dropout), momentum, on-the-fly expansion of the
 * training images, and chapter 5's learning speeds. Not here: the model file (model.c).
 */
#include "functions.h"
#include "internal.h"
#include "kernels.h"
#include "network_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Examples fed forward at once by evaluate(): large enough for efficient products, small
 * enough that the activation buffer stays a few megabytes. */
enum { EVAL_CHUNK = 128 };

/* ------------------------------------------------------------------------------- specs */

static const char *const ACTIVATIONS[] = {"sigmoid", "tanh", "relu", "softmax"};
static const char *const COSTS[] = {"quadratic", "cross-entropy", "log-likelihood"};
static const char *const INITS[] = {"large", "scaled"};

static int find(const char *const *names, int count, const char *name) {
    for (int i = 0; name && i < count; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

const char *nndl_activation_name(nndl_activation a) { return (unsigned)a < 4 ? ACTIVATIONS[a] : "unknown"; }
const char *nndl_cost_name(nndl_cost c) { return (unsigned)c < 3 ? COSTS[c] : "unknown"; }
const char *nndl_init_name(nndl_init i) { return (unsigned)i < 2 ? INITS[i] : "unknown"; }
int nndl_activation_parse(const char *name) { return find(ACTIVATIONS, 4, name); }
int nndl_cost_parse(const char *name) { return find(COSTS, 3, name); }
int nndl_init_parse(const char *name) { return find(INITS, 2, name); }

static int check_layer_count(int num_layers, nndl_error *err) {
    if (num_layers < 2 || num_layers > NNDL_MAX_LAYERS)
        return nndl_fail(err, NNDL_E_INVALID,
                         "a network needs 2 to %d layers (input and output at least), got %d",
                         NNDL_MAX_LAYERS, num_layers);
    return NNDL_OK;
}

int nndl_spec_default(nndl_spec *spec, const int *sizes, int num_layers, nndl_error *err) {
    if (!spec || !sizes) return nndl_fail(err, NNDL_E_INVALID, "no layer sizes given");
    int status = check_layer_count(num_layers, err);
    if (status != NNDL_OK) return status;
    memset(spec, 0, sizeof *spec);
    spec->num_layers = num_layers;
    for (int l = 0; l < num_layers; l++) {
        spec->sizes[l] = sizes[l];
        spec->activation[l] = NNDL_SIGMOID;
    }
    spec->cost = NNDL_QUADRATIC;
    spec->init = NNDL_INIT_LARGE;
    return nndl_ok(err);
}

static int check_spec(const nndl_spec *spec, nndl_error *err) {
    if (!spec) return nndl_fail(err, NNDL_E_INVALID, "no network spec given");
    int L = spec->num_layers - 1, status = check_layer_count(spec->num_layers, err);
    if (status != NNDL_OK) return status;
    for (int l = 0; l <= L; l++)
        if (spec->sizes[l] < 1 || spec->sizes[l] > NNDL_MAX_LAYER_SIZE)
            return nndl_fail(err, NNDL_E_INVALID, "layer %d has %d neurons; sizes must be 1 to %d",
                             l, spec->sizes[l], NNDL_MAX_LAYER_SIZE);
    for (int l = 1; l <= L; l++) {
        if ((unsigned)spec->activation[l] > NNDL_SOFTMAX)
            return nndl_fail(err, NNDL_E_INVALID, "layer %d has an unknown activation (%d)", l, (int)spec->activation[l]);
        if (spec->activation[l] == NNDL_SOFTMAX && l != L)
            return nndl_fail(err, NNDL_E_INVALID, "softmax is for the output layer only, not layer %d", l);
    }
    if ((unsigned)spec->cost > NNDL_LOG_LIKELIHOOD || (unsigned)spec->init > NNDL_INIT_SCALED)
        return nndl_fail(err, NNDL_E_INVALID, "unknown cost (%d) or initialisation (%d)", (int)spec->cost, (int)spec->init);
    nndl_activation out = spec->activation[L];
    if ((spec->cost == NNDL_LOG_LIKELIHOOD) != (out == NNDL_SOFTMAX))
        return nndl_fail(err, NNDL_E_INVALID, "the log-likelihood cost and a softmax output layer go together (cost %s, output %s)",
                         nndl_cost_name(spec->cost), nndl_activation_name(out));
    if (spec->cost == NNDL_CROSS_ENTROPY && out != NNDL_SIGMOID)
        return nndl_fail(err, NNDL_E_INVALID, "the cross-entropy cost needs sigmoid outputs (in 0..1), not %s",
                         nndl_activation_name(out));
    return NNDL_OK;
}

/* ----------------------------------------------------------------------- create / free */

int nndl_network_alloc(nndl_network **out, const nndl_spec *spec, uint64_t seed,
                       nndl_error *err) {
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "no place given for the new network");
    *out = NULL;
    int status = check_spec(spec, err);
    if (status != NNDL_OK) return status;
    const int *sizes = spec->sizes;
    int num_layers = spec->num_layers;
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
    net->spec = *spec;
    net->hyper = nndl_hyper_default();
    size_t total = 0;
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

int nndl_network_create_spec(nndl_network **out, const nndl_spec *spec, uint64_t seed,
                             nndl_error *err) {
    int status = nndl_network_alloc(out, spec, seed, err);
    if (status != NNDL_OK) return status;
    nndl_network *net = *out;
    const int *sizes = spec->sizes;
    /* network.py and network2.py: biases then weights, each from N(0, 1), layer by layer;
     * network2 divides the weights by sqrt(n_in). */
    for (int l = 1; l < spec->num_layers; l++) {
        float *b = net->params + net->b_off[l];
        for (int j = 0; j < sizes[l]; j++) b[j] = (float)nndl_rng_normal(&net->rng);
    }
    for (int l = 1; l < spec->num_layers; l++) {
        float *w = net->params + net->w_off[l];
        size_t n = (size_t)sizes[l] * (size_t)sizes[l - 1];
        double scale = spec->init == NNDL_INIT_SCALED ? sqrt((double)sizes[l - 1]) : 1.0;
        for (size_t i = 0; i < n; i++) w[i] = (float)(nndl_rng_normal(&net->rng) / scale);
    }
    return NNDL_OK;
}

int nndl_network_create(nndl_network **out, const int *sizes, int num_layers, uint64_t seed,
                        nndl_error *err) {
    if (out) *out = NULL;
    nndl_spec spec;
    int status = nndl_spec_default(&spec, sizes, num_layers, err);
    return status == NNDL_OK ? nndl_network_create_spec(out, &spec, seed, err) : status;
}

void nndl_network_free(nndl_network *net) {
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->velocity);
    free(net->acts);
    free(net->masks);
    free(net->labels);
    free(net->order);
    free(net);
}

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

const uint8_t *nndl_network_dropout_mask(const nndl_network *net, int layer) {
    return net->masks_drawn && layer >= 1 && layer < net->spec.num_layers - 1 ? net->mask[layer] : NULL;
}

/* ------------------------------------------------------------------ the batch buffers */

/* Makes room for a batch of m examples: grows the activation buffer and recomputes the
 * per-layer views into it. */
static int reserve_batch(nndl_network *net, size_t m, nndl_error *err) {
    if (m == 0) return nndl_fail(err, NNDL_E_INVALID, "a batch needs at least one example");
    if (m <= net->capacity) return NNDL_OK;
    const int *sizes = net->spec.sizes;
    int layers = net->spec.num_layers;
    size_t per_example = 0, hidden = 0;
    for (int l = 0; l < layers; l++) per_example += (size_t)sizes[l] * (l ? 3 : 1);
    for (int l = 1; l < layers - 1; l++) hidden += (size_t)sizes[l];
    size_t bytes = nndl_mul_size(nndl_mul_size(m, per_example), sizeof(float));
    float *acts = nndl_alloc(bytes, "the activations of a batch", err);
    uint8_t *masks = acts ? nndl_alloc(nndl_mul_size(m, hidden), "the dropout masks", err) : NULL;
    uint8_t *labels = masks ? nndl_alloc(m, "the labels of a batch", err) : NULL;
    if (!labels) {
        free(acts);
        free(masks);
        return NNDL_E_NOMEM;
    }
    free(net->acts);
    free(net->masks);
    free(net->labels);
    net->acts = acts;
    net->masks = masks;
    net->labels = labels;
    net->capacity = m;
    net->masks_drawn = 0;
    size_t at = 0, at_mask = 0; /* carve the views out of the two buffers, in order */
    for (int l = 0; l < layers; at += m * (size_t)sizes[l], l++) net->a[l] = acts + at;
    for (int l = 1; l < layers; at += m * (size_t)sizes[l], l++) net->delta[l] = acts + at;
    for (int l = 1; l < layers; at += m * (size_t)sizes[l], l++) net->dropped[l] = acts + at;
    for (int l = 1; l < layers - 1; at_mask += m * (size_t)sizes[l], l++) net->mask[l] = masks + at_mask;
    return NNDL_OK;
}

/* Bilinear sample of a rows x cols byte image at (x, y), 0 outside, as a value in 0..1. */
static float sample(const uint8_t *img, int rows, int cols, float x, float y) {
    int x0 = (int)floorf(x), y0 = (int)floorf(y);
    float fx = x - (float)x0, fy = y - (float)y0, v = 0.0f;
    for (int dy = 0; dy <= 1; dy++)
        for (int dx = 0; dx <= 1; dx++) {
            int X = x0 + dx, Y = y0 + dy;
            if (X < 0 || Y < 0 || X >= cols || Y >= rows) continue;
            v += (dx ? fx : 1.0f - fx) * (dy ? fy : 1.0f - fy) * (float)img[Y * cols + X];
        }
    return v / 255.0f;
}

/* One training image moved by a random rotation of up to +-rotate degrees about its centre and
 * a random shift of up to +-shift pixels: the on-the-fly expansion of chapter 3. */
static void augment(nndl_network *net, float *out, const uint8_t *img, int rows, int cols,
                    float rotate, float shift) {
    double angle = (2.0 * nndl_rng_uniform(&net->rng) - 1.0) * rotate * 3.14159265358979 / 180.0;
    float dx = (float)((2.0 * nndl_rng_uniform(&net->rng) - 1.0) * shift);
    float dy = (float)((2.0 * nndl_rng_uniform(&net->rng) - 1.0) * shift);
    float c = (float)cos(angle), s = (float)sin(angle);
    float cx = 0.5f * (float)(cols - 1), cy = 0.5f * (float)(rows - 1);
    for (int y = 0; y < rows; y++)
        for (int x = 0; x < cols; x++) { /* where output pixel (x, y) comes from */
            float u = (float)x - cx - dx, v = (float)y - cy - dy;
            out[y * cols + x] = sample(img, rows, cols, c * u + s * v + cx, -s * u + c * v + cy);
        }
}

/* Copies examples idx[first..first+m) of data (or first..first+m without idx) into a^0, as
 * value/255 or moved as h asks, and the batch's labels. */
static void gather(nndl_network *net, const nndl_dataset *data, const size_t *idx, size_t first,
                   size_t m, const nndl_hyper *h) {
    size_t n0 = (size_t)net->spec.sizes[0];
    const uint8_t *images = nndl_dataset_images(data), *labels = nndl_dataset_labels(data);
    int moved = h && (h->rotate > 0.0f || h->shift > 0.0f);
    for (size_t i = 0; i < m; i++) {
        size_t e = idx ? idx[first + i] : first + i;
        if (moved)
            augment(net, net->a[0] + i * n0, images + e * n0, nndl_dataset_rows(data), nndl_dataset_cols(data),
                    h->rotate, h->shift);
        else
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
    size_t n0 = (size_t)net->spec.sizes[0];
    const uint8_t *images = nndl_dataset_images(data);
    for (size_t i = 0; i < m; i++)
        for (size_t off = 0; off < n0; off += 64) __builtin_prefetch(images + idx[first + i] * n0 + off);
#else
    (void)net, (void)data, (void)idx, (void)first, (void)m;
#endif
}

static int check_data(const nndl_network *net, const nndl_dataset *data, nndl_error *err) {
    if (!data) return nndl_fail(err, NNDL_E_INVALID, "no data set given");
    int L = net->spec.num_layers - 1;
    if (nndl_dataset_input_size(data) != net->spec.sizes[0])
        return nndl_fail(err, NNDL_E_INVALID,
                         "the data has %d values per example but the input layer has %d neurons",
                         nndl_dataset_input_size(data), net->spec.sizes[0]);
    if (net->spec.sizes[L] != 10)
        return nndl_fail(err, NNDL_E_INVALID, "the output layer has %d neurons; digit labels need 10",
                         net->spec.sizes[L]);
    return NNDL_OK;
}

/* ------------------------------------------------------------------- forward and backward */

/* The input that layer l was fed in the last forward pass. */
static const float *layer_input(const nndl_network *net, int l, const float *x) {
    if (l == 1) return x;
    return net->masks_drawn ? net->dropped[l - 1] : net->a[l - 1];
}

/* Forward pass of layer l for m examples: z^l = a^{l-1} . (w^l)^T + b^l, a^l = f(z^l).
 * out is m x n_l, in is m x n_{l-1}. */
static void layer_forward(const nndl_network *net, int l, float *out, const float *in, size_t m) {
    size_t n = (size_t)net->spec.sizes[l], n_in = (size_t)net->spec.sizes[l - 1];
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    nndl_gemm_nt(out, in, w, m, n, n_in, 0);
    for (size_t i = 0; i < m; i++) nndl_axpy(out + i * n, b, 1.0f, n);
    nndl_activate(net->spec.activation[l], out, m, n);
}

/* Dropout of hidden layer l (chapter 3): each neuron kept with probability 1 - p, the kept ones
 * scaled by 1/(1 - p) so that the expected input of the next layer is unchanged and evaluation
 * needs no rescaling. Writes the mask and d^l = a^l (.) mask / (1 - p). */
static void dropout_forward(nndl_network *net, int l, size_t m, float p) {
    size_t count = m * (size_t)net->spec.sizes[l];
    float keep = 1.0f / (1.0f - p);
    for (size_t i = 0; i < count; i++) {
        net->mask[l][i] = nndl_rng_uniform(&net->rng) >= p;
        net->dropped[l][i] = net->mask[l][i] ? net->a[l][i] * keep : 0.0f;
    }
}

/* Feeds m rows of x through every layer into net->a[1..L], dropping hidden neurons with
 * probability `dropout` (0: none). */
static void forward_batch(nndl_network *net, const float *x, size_t m, float dropout) {
    int L = net->spec.num_layers - 1;
    net->masks_drawn = dropout > 0.0f && L > 1;
    for (int l = 1; l <= L; l++) {
        layer_forward(net, l, net->a[l], layer_input(net, l, x), m);
        if (net->masks_drawn && l < L) dropout_forward(net, l, m, dropout);
    }
}

/* delta^{l-1} = (delta^l . w^l) (.) f'(z^{l-1}) (BP2), and (.) mask / (1 - p) under dropout. */
static void backpropagate_delta(nndl_network *net, int l, size_t m, float dropout) {
    size_t n = (size_t)net->spec.sizes[l], n_in = (size_t)net->spec.sizes[l - 1];
    float *delta_in = net->delta[l - 1];
    nndl_gemm_nn(delta_in, net->delta[l], net->params + net->w_off[l], m, n_in, n, 0);
    nndl_activation_backward(net->spec.activation[l - 1], delta_in, net->a[l - 1], m * n_in);
    if (net->masks_drawn) {
        float keep = 1.0f / (1.0f - dropout);
        for (size_t i = 0; i < m * n_in; i++) delta_in[i] = net->mask[l - 1][i] ? delta_in[i] * keep : 0.0f;
    }
}

/* The regularisation and momentum part of the update of layer l's weights (network2.py and
 * chapter 3), before the gradient term -(eta/m) nabla_w is added to `target`:
 *   plain SGD: w <- (1 - eta lmbda/n) w - (eta l1/n) sgn(w); target = w
 *   momentum:  v <- mu v - (eta lmbda/n) w - (eta l1/n) sgn(w); target = v, and w += v after. */
static float *regularise(nndl_network *net, int l, const nndl_hyper *h, size_t n) {
    size_t count = (size_t)net->spec.sizes[l] * (size_t)net->spec.sizes[l - 1];
    float *w = net->params + net->w_off[l];
    float decay = h->eta * h->lmbda / (float)n, l1 = h->eta * h->l1 / (float)n;
    float *v = h->mu > 0.0f ? net->velocity + net->w_off[l] : NULL;
    if (!v) {
        if (decay != 0.0f)
            for (size_t i = 0; i < count; i++) w[i] *= 1.0f - decay;
        if (l1 != 0.0f)
            for (size_t i = 0; i < count; i++) w[i] -= w[i] > 0.0f ? l1 : w[i] < 0.0f ? -l1 : 0.0f;
        return w;
    }
    for (size_t i = 0; i < count; i++)
        v[i] = h->mu * v[i] - decay * w[i] - (w[i] > 0.0f ? l1 : w[i] < 0.0f ? -l1 : 0.0f);
    return v;
}

/* The SGD step of layer l with nabla_b in the gradients buffer and nabla_w either there
 * (delta NULL) or made on the spot from delta^l and a^{l-1} (BP4 fused into the step: nabla_w is
 * never written out and read back). Returns 0 if a parameter diverged. */
static int update_layer(nndl_network *net, int l, const nndl_hyper *h, size_t m, size_t n,
                        const float *delta, const float *a_in) {
    size_t rows = (size_t)net->spec.sizes[l], cols = (size_t)net->spec.sizes[l - 1];
    float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    const float *nabla_w = net->grads + net->w_off[l], *nabla_b = net->grads + net->b_off[l];
    float step = -h->eta / (float)m;
    float *target = regularise(net, l, h, n);
    /* velocities may grow large before they settle; only the parameters have a limit */
    float limit = target == w ? NNDL_MAX_WEIGHT : 1e18f;
    int within = delta ? nndl_gemm_tn_update(target, delta, a_in, rows, cols, m, step, limit)
                       : nndl_axpy_bounded(target, nabla_w, step, rows * cols, limit);
    if (target != w) {
        within &= nndl_axpy_bounded(w, target, 1.0f, rows * cols, NNDL_MAX_WEIGHT);
        float *vb = net->velocity + net->b_off[l];
        for (size_t j = 0; j < rows; j++) vb[j] *= h->mu;
        nndl_axpy(vb, nabla_b, step, rows);
        return nndl_axpy_bounded(b, vb, 1.0f, rows, NNDL_MAX_WEIGHT) && within;
    }
    return nndl_axpy_bounded(b, nabla_b, step, rows, NNDL_MAX_WEIGHT) && within;
}

/* Backpropagates the batch whose forward pass is in net->a (BP1 to BP4). With h NULL the
 * gradients go to the gradients buffer; otherwise each layer takes its SGD step as soon as
 * delta^{l-1} has been computed from its weights (BP2 needs them before the step), n being the
 * size of the training set. Writes the batch's summed cost to *cost; returns 0 if a parameter
 * diverged. */
static int backward_batch(nndl_network *net, const float *x, const uint8_t *y, size_t m,
                          float dropout, const nndl_hyper *h, size_t n, double *cost) {
    int L = net->spec.num_layers - 1, within = 1;
    *cost = nndl_output_error(net->spec.cost, net->spec.activation[L], net->delta[L], net->a[L], y, m,
                              (size_t)net->spec.sizes[L]);
    for (int l = L; l >= 1; l--) {
        size_t rows = (size_t)net->spec.sizes[l], cols = (size_t)net->spec.sizes[l - 1];
        const float *delta = net->delta[l], *a_in = layer_input(net, l, x);
        float *nabla_b = net->grads + net->b_off[l];
        memset(nabla_b, 0, rows * sizeof(float)); /* BP3: nabla_b = sum over the batch of delta */
        for (size_t i = 0; i < m; i++) nndl_axpy(nabla_b, delta + i * rows, 1.0f, rows);
        if (l > 1) backpropagate_delta(net, l, m, dropout);
        if (h)
            within &= update_layer(net, l, h, m, n, delta, a_in);
        else /* BP4: nabla_w = delta^T . a^{l-1} */
            nndl_gemm_tn(net->grads + net->w_off[l], delta, a_in, rows, cols, m, 0);
    }
    return within;
}

int nndl_network_feedforward(nndl_network *net, float *out, const float *in, size_t count,
                             nndl_error *err) {
    if (!net || !out || !in) return nndl_fail(err, NNDL_E_INVALID, "feedforward needs a network, input and output");
    int L = net->spec.num_layers - 1;
    size_t n_out = (size_t)net->spec.sizes[L], n0 = (size_t)net->spec.sizes[0];
    for (size_t done = 0; done < count; done += EVAL_CHUNK) {
        size_t m = count - done < EVAL_CHUNK ? count - done : EVAL_CHUNK;
        int status = reserve_batch(net, m, err);
        if (status != NNDL_OK) return status;
        forward_batch(net, in + done * n0, m, 0.0f);
        memcpy(out + done * n_out, net->a[L], m * n_out * sizeof(float));
    }
    return nndl_ok(err);
}

static int check_labels(const nndl_network *net, const uint8_t *y, size_t m, nndl_error *err) {
    int n_out = net->spec.sizes[net->spec.num_layers - 1];
    for (size_t i = 0; i < m; i++)
        if (y[i] >= n_out)
            return nndl_fail(err, NNDL_E_INVALID, "label %d of example %zu is not below %d outputs",
                             y[i], i, n_out);
    return NNDL_OK;
}

static int check_dropout(float dropout, nndl_error *err) {
    if (!(dropout >= 0.0f && dropout < 1.0f))
        return nndl_fail(err, NNDL_E_INVALID, "dropout must be a probability from 0 up to (not including) 1, got %g", (double)dropout);
    return NNDL_OK;
}

int nndl_network_backprop(nndl_network *net, const float *x, const uint8_t *y, size_t m,
                          float dropout, double *cost, nndl_error *err) {
    if (!net || !x || !y) return nndl_fail(err, NNDL_E_INVALID, "backprop needs a network, inputs and labels");
    int status = check_labels(net, y, m, err);
    if (status == NNDL_OK) status = check_dropout(dropout, err);
    if (status == NNDL_OK) status = reserve_batch(net, m, err);
    if (status != NNDL_OK) return status;
    forward_batch(net, x, m, dropout);
    double c;
    backward_batch(net, x, y, m, dropout, NULL, 0, &c);
    if (cost) *cost = c;
    return nndl_ok(err);
}

/* ------------------------------------------------------------------------ hyper-parameters */

nndl_hyper nndl_hyper_default(void) {
    return (nndl_hyper){.mini_batch_size = 10, .eta = 3.0f};
}

static int check_range(const char *name, float v, float lo, float hi, int hi_open, nndl_error *err) {
    if (!(v >= lo && (hi_open ? v < hi : v <= hi)))
        return nndl_fail(err, NNDL_E_INVALID, "%s must be from %g to %g%s, got %g", name, (double)lo, (double)hi,
                         hi_open ? " (not included)" : "", (double)v);
    return NNDL_OK;
}

/* Every field of h but the mini-batch size. */
static int check_update_rule(const nndl_hyper *h, nndl_error *err) {
    if (!h) return nndl_fail(err, NNDL_E_INVALID, "no hyper-parameters given");
    if (!(h->eta >= 0.0f) || !isfinite(h->eta))
        return nndl_fail(err, NNDL_E_INVALID, "the learning rate eta must be a finite number >= 0, got %g", (double)h->eta);
    int status = NNDL_OK;
    if (status == NNDL_OK) status = check_range("lmbda (L2)", h->lmbda, 0.0f, 1e9f, 0, err);
    if (status == NNDL_OK) status = check_range("l1", h->l1, 0.0f, 1e9f, 0, err);
    if (status == NNDL_OK) status = check_range("momentum mu", h->mu, 0.0f, 1.0f, 1, err);
    if (status == NNDL_OK) status = check_dropout(h->dropout, err);
    if (status == NNDL_OK) status = check_range("rotate (degrees)", h->rotate, 0.0f, 180.0f, 0, err);
    if (status == NNDL_OK) status = check_range("shift (pixels)", h->shift, 0.0f, 14.0f, 0, err);
    return status;
}

int nndl_hyper_check(const nndl_hyper *h, size_t n, nndl_error *err) {
    if (h && (h->mini_batch_size == 0 || h->mini_batch_size > n))
        return nndl_fail(err, NNDL_E_INVALID, "the mini-batch size must be 1 to %zu (the training set), got %u",
                         n, (unsigned)h->mini_batch_size);
    return check_update_rule(h, err);
}

static int diverged(float eta, nndl_error *err) {
    return nndl_fail(err, NNDL_E_DIVERGED,
                     "training diverged: with eta = %g a weight went past %g (or became NaN); "
                     "try a smaller learning rate",
                     (double)eta, (double)NNDL_MAX_WEIGHT);
}

/* Momentum needs a velocity for every parameter, zero to start with. */
static int ensure_velocity(nndl_network *net, const nndl_hyper *h, nndl_error *err) {
    if (h->mu == 0.0f || net->velocity) return NNDL_OK;
    net->velocity = nndl_zalloc(net->num_params * sizeof(float), "the velocities", err);
    return net->velocity ? NNDL_OK : NNDL_E_NOMEM;
}

int nndl_network_sgd_step(nndl_network *net, const nndl_hyper *h, size_t m, size_t n,
                          nndl_error *err) {
    if (!net) return nndl_fail(err, NNDL_E_INVALID, "no network given");
    if (m == 0 || n == 0) return nndl_fail(err, NNDL_E_INVALID, "the batch and the training set need examples");
    int status = check_update_rule(h, err); /* m is given: h's mini-batch size plays no part */
    if (status == NNDL_OK) status = ensure_velocity(net, h, err);
    if (status != NNDL_OK) return status;
    int within = 1;
    for (int l = 1; l < net->spec.num_layers; l++) within &= update_layer(net, l, h, m, n, NULL, NULL);
    return within ? nndl_ok(err) : diverged(h->eta, err);
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

/* Chapter 5: adds ||nabla_b^l|| / m of the batch just trained to the running sums. */
static void record_speeds(nndl_network *net, size_t m) {
    for (int l = 1; l < net->spec.num_layers; l++) {
        const float *g = net->grads + net->b_off[l];
        double sq = 0.0;
        for (int j = 0; j < net->spec.sizes[l]; j++) sq += (double)g[j] * g[j];
        net->speed_sum[l] += sqrt(sq) / (double)m;
    }
    net->speed_batches++;
}

int nndl_network_train_batches(nndl_network *net, const nndl_dataset *train, size_t first,
                               size_t count, const nndl_hyper *h, double *cost,
                               nndl_error *err) {
    int status = check_data(net, train, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(train);
    status = nndl_hyper_check(h, n, err);
    if (status != NNDL_OK) return status;
    if (net->order_len != n)
        return nndl_fail(err, NNDL_E_INVALID,
                         "the epoch's order is for %zu examples but the training set has %zu: "
                         "call nndl_network_shuffle first", net->order_len, n);
    size_t mbs = h->mini_batch_size, batches = (n + mbs - 1) / mbs;
    if (first > batches || count > batches - first)
        return nndl_fail(err, NNDL_E_INVALID, "mini-batches %zu..%zu are past the epoch's %zu",
                         first, first + count, batches);
    status = reserve_batch(net, mbs, err);
    if (status == NNDL_OK) status = ensure_velocity(net, h, err);
    if (status != NNDL_OK) return status;
    net->hyper = *h;
    double total = 0.0;
    for (size_t b = first; b < first + count; b++) {
        size_t start = b * mbs;
        size_t m = n - start < mbs ? n - start : mbs;
        gather(net, train, net->order, start, m, h);
        if (start + m < n) prefetch(net, train, net->order, start + m, n - start - m < m ? n - start - m : m);
        forward_batch(net, net->a[0], m, h->dropout);
        double batch_cost;
        if (!backward_batch(net, net->a[0], net->labels, m, h->dropout, h, n, &batch_cost)) return diverged(h->eta, err);
        record_speeds(net, m);
        total += batch_cost;
    }
    if (cost) *cost = total;
    return nndl_ok(err);
}

int nndl_network_train_epoch(nndl_network *net, const nndl_dataset *train, const nndl_hyper *h,
                             nndl_progress_fn progress, size_t every, void *user,
                             nndl_error *err) {
    /* Every argument is checked before the shuffle draws from the generator, so a refused call
     * leaves the network exactly as it was. */
    int status = check_data(net, train, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(train);
    status = nndl_hyper_check(h, n, err);
    if (status == NNDL_OK) status = nndl_network_shuffle(net, n, err);
    if (status != NNDL_OK) return status;
    size_t batches = (n + h->mini_batch_size - 1) / h->mini_batch_size;
    size_t chunk = every && progress ? every : batches;
    for (size_t b = 0; b < batches; b += chunk) {
        size_t count = batches - b < chunk ? batches - b : chunk;
        status = nndl_network_train_batches(net, train, b, count, h, NULL, err);
        if (status != NNDL_OK) return status;
        size_t done = (b + count) * h->mini_batch_size;
        if (progress && progress(user, done < n ? done : n, n))
            return nndl_fail(err, NNDL_E_STOPPED, "stopped by the progress callback after %zu of %zu examples",
                             done < n ? done : n, n);
    }
    return nndl_ok(err);
}

size_t nndl_network_learning_speeds(nndl_network *net, float *speeds, int reset) {
    size_t batches = net->speed_batches;
    for (int l = 0; l < net->spec.num_layers; l++) {
        if (speeds) speeds[l] = l && batches ? (float)(net->speed_sum[l] / (double)batches) : 0.0f;
        if (reset) net->speed_sum[l] = 0.0;
    }
    if (reset) net->speed_batches = 0;
    return batches;
}

/* ---------------------------------------------------------------------------- evaluation */

static int argmax(const float *v, int n) {
    int best = 0;
    for (int j = 1; j < n; j++)
        if (v[j] > v[best]) best = j;
    return best;
}

/* Feeds data forward in chunks; counts the right answers into *correct, writes each example's
 * chosen digit to predictions if it is not NULL, and adds each example's cost to *cost if that
 * is not NULL. */
static int classify(nndl_network *net, const nndl_dataset *data, uint8_t *predictions,
                    size_t *correct, double *cost, nndl_error *err) {
    int status = check_data(net, data, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(data), right = 0;
    int L = net->spec.num_layers - 1, n_out = net->spec.sizes[L];
    for (size_t done = 0; done < n; done += EVAL_CHUNK) {
        size_t m = n - done < EVAL_CHUNK ? n - done : EVAL_CHUNK;
        status = reserve_batch(net, m, err);
        if (status != NNDL_OK) return status;
        gather(net, data, NULL, done, m, NULL);
        forward_batch(net, net->a[0], m, 0.0f);
        for (size_t i = 0; i < m; i++) {
            const float *out = net->a[L] + i * (size_t)n_out;
            int digit = argmax(out, n_out);
            right += digit == net->labels[i];
            if (predictions) predictions[done + i] = (uint8_t)digit;
            if (cost) *cost += nndl_example_cost(net->spec.cost, out, net->labels[i], (size_t)n_out);
        }
    }
    *correct = right;
    return nndl_ok(err);
}

int nndl_network_evaluate(nndl_network *net, const nndl_dataset *data, size_t *correct,
                          nndl_error *err) {
    if (!correct) return nndl_fail(err, NNDL_E_INVALID, "no place given for the count");
    return classify(net, data, NULL, correct, NULL, err);
}

int nndl_network_classify(nndl_network *net, const nndl_dataset *data, uint8_t *predictions,
                          nndl_error *err) {
    if (!predictions) return nndl_fail(err, NNDL_E_INVALID, "no place given for the predictions");
    size_t correct;
    return classify(net, data, predictions, &correct, NULL, err);
}

int nndl_network_total_cost(nndl_network *net, const nndl_dataset *data, float lmbda, float l1,
                            double *cost, size_t *correct, nndl_error *err) {
    if (!cost) return nndl_fail(err, NNDL_E_INVALID, "no place given for the cost");
    double sum = 0.0;
    size_t right;
    int status = classify(net, data, NULL, &right, &sum, err);
    if (status != NNDL_OK) return status;
    double n = (double)nndl_dataset_count(data), sq = 0.0, abs_sum = 0.0;
    for (int l = 1; l < net->spec.num_layers; l++) {
        const float *w = net->params + net->w_off[l];
        size_t count = (size_t)net->spec.sizes[l] * (size_t)net->spec.sizes[l - 1];
        for (size_t i = 0; i < count; i++) {
            sq += (double)w[i] * w[i];
            abs_sum += fabs((double)w[i]);
        }
    }
    *cost = sum / n + 0.5 * (double)lmbda / n * sq + (double)l1 / n * abs_sum;
    if (correct) *correct = right;
    return NNDL_OK;
}

int nndl_network_predict(nndl_network *net, const float *input, float *activations,
                         nndl_error *err) {
    if (!net || !input) return nndl_fail(err, NNDL_E_INVALID, "predict needs a network and an input");
    int status = reserve_batch(net, 1, err);
    if (status != NNDL_OK) return status;
    int L = net->spec.num_layers - 1;
    forward_batch(net, input, 1, 0.0f);
    if (activations) memcpy(activations, net->a[L], (size_t)net->spec.sizes[L] * sizeof(float));
    nndl_ok(err);
    return argmax(net->a[L], net->spec.sizes[L]);
}
