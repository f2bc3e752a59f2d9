/*
 * network.c — feedforward networks trained by backpropagation and mini-batch SGD: network.py,
 * network2.py and network3.py, with the batch in matrix form. In fully connected layers rows are
 * examples: a batch of m inputs is an m x n_0 matrix, so a layer's forward pass is one product
 * z = a . w^T and its backward pass two; convolutional layers keep their maps outermost and make
 * a map for the whole batch in one product over the unrolled receptive fields (im2col). The
 * products are in kernels.c, activations and costs in functions.c, specs in spec.c.
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

/* Examples fed forward at once by evaluate(): up to 128, large enough for efficient products,
 * and fewer for convolutional networks, so that their buffers stay near 16 MB. */
enum { EVAL_CHUNK = 128, EVAL_FLOATS = 4 << 20 };

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
    int status = nndl_spec_default(&spec, sizes, num_layers, err);
    return status == NNDL_OK ? nndl_network_create_spec(out, &spec, seed, err) : status;
}

void nndl_network_free(nndl_network *net) {
    if (!net) return;
    free(net->params);
    free(net->grads);
    free(net->velocity);
    free(net->acts);
    free(net->scratch);
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

/* Whether hidden layer l hands its activations to a fully connected layer (and so may drop
 * them out). */
static int feeds_full(const nndl_network *net, int l) {
    return l >= 1 && l < net->spec.num_layers - 1 && net->spec.kind[l + 1] == NNDL_FULL;
}

static int is_spatial(const nndl_network *net, int l) {
    return l >= 1 && net->spec.kind[l] != NNDL_FULL;
}

/* The positions of a map of layer l: rows x cols. */
static size_t positions(const nndl_network *net, int l) {
    return (size_t)net->spec.rows[l] * (size_t)net->spec.cols[l];
}

const uint8_t *nndl_network_dropout_mask(const nndl_network *net, int layer) {
    return net->masks_drawn && feeds_full(net, layer) ? net->mask[layer] : NULL;
}

/* ------------------------------------------------------------------ the batch buffers */

/* Floats of scratch one example needs: the most that any of its writers asks for, layer by
 * layer (every writer is listed, so that a new one must be added here):
 *   conv_forward, conv_backward  layer l's receptive fields unrolled (im2col), and the gradient
 *                                of those columns (w^T . delta): w_cols[l] x positions of l;
 *   full_backward                BP2 into a convolutional or pooling layer l - 1, an example
 *                                per row before it goes back maps outermost: n_{l-1}.
 * A convolutional layer that feeds a fully connected one needs both (the second is larger when
 * it has more maps than inputs per neuron). */
static size_t scratch_per_example(const nndl_network *net) {
    size_t most = 0;
    for (int l = 1; l < net->spec.num_layers; l++) {
        size_t unrolled = net->spec.kind[l] == NNDL_CONV ? net->w_cols[l] * positions(net, l) : 0;
        size_t bp2_rows = net->spec.kind[l] == NNDL_FULL && is_spatial(net, l - 1) ? (size_t)net->spec.sizes[l - 1] : 0;
        if (unrolled > most) most = unrolled;
        if (bp2_rows > most) most = bp2_rows;
    }
    return most;
}

/* Floats of activations, deltas and feeds one example needs. */
static size_t acts_per_example(const nndl_network *net) {
    size_t per_example = 0;
    for (int l = 0; l < net->spec.num_layers; l++)
        per_example += (size_t)net->spec.sizes[l] * (size_t)(l ? 2 + feeds_full(net, l) : 1);
    return per_example;
}

/* How many examples evaluation feeds forward at once. */
static size_t eval_chunk(const nndl_network *net) {
    size_t per_example = acts_per_example(net) + scratch_per_example(net);
    size_t chunk = EVAL_FLOATS / (per_example ? per_example : 1);
    return chunk < 1 ? 1 : chunk > EVAL_CHUNK ? EVAL_CHUNK : chunk;
}

/* Makes room for a batch of m examples: grows the activation buffers and recomputes the
 * per-layer views into them. */
static int reserve_batch(nndl_network *net, size_t m, nndl_error *err) {
    if (m == 0) return nndl_fail(err, NNDL_E_INVALID, "a batch needs at least one example");
    if (m <= net->capacity) return NNDL_OK;
    const int *sizes = net->spec.sizes;
    int layers = net->spec.num_layers;
    size_t fed = 0;
    for (int l = 1; l < layers; l++) fed += feeds_full(net, l) ? (size_t)sizes[l] : 0;
    size_t bytes = nndl_mul_size(nndl_mul_size(m, acts_per_example(net)), sizeof(float));
    size_t scratch_bytes = nndl_mul_size(nndl_mul_size(m, scratch_per_example(net)), sizeof(float));
    float *acts = nndl_alloc(bytes, "the activations of a batch", err);
    float *scratch = acts ? nndl_alloc(scratch_bytes ? scratch_bytes : 1, "the unrolled receptive fields", err) : NULL;
    uint8_t *masks = scratch ? nndl_alloc(nndl_mul_size(m, fed) + 1, "the dropout masks", err) : NULL;
    uint8_t *labels = masks ? nndl_alloc(m, "the labels of a batch", err) : NULL;
    if (!labels) {
        free(acts);
        free(scratch);
        free(masks);
        return NNDL_E_NOMEM;
    }
    free(net->acts);
    free(net->scratch);
    free(net->masks);
    free(net->labels);
    net->acts = acts;
    net->scratch = scratch;
    net->masks = masks;
    net->labels = labels;
    net->capacity = m;
    net->masks_drawn = 0;
    size_t at = 0, at_mask = 0; /* carve the views out of the buffers, in order */
    for (int l = 0; l < layers; at += m * (size_t)sizes[l], l++) net->a[l] = acts + at;
    for (int l = 1; l < layers; at += m * (size_t)sizes[l], l++) net->delta[l] = acts + at;
    for (int l = 1; l < layers; l++) {
        net->feed[l] = feeds_full(net, l) ? acts + at : NULL;
        net->mask[l] = feeds_full(net, l) ? masks + at_mask : NULL;
        if (feeds_full(net, l)) at += m * (size_t)sizes[l], at_mask += m * (size_t)sizes[l];
    }
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
    if (is_spatial(net, 1) && (nndl_dataset_rows(data) != net->spec.rows[0] || nndl_dataset_cols(data) != net->spec.cols[0]))
        return nndl_fail(err, NNDL_E_INVALID, "the data's images are %d x %d but the network's input is %d x %d",
                         nndl_dataset_rows(data), nndl_dataset_cols(data), net->spec.rows[0], net->spec.cols[0]);
    if (net->spec.sizes[L] != 10)
        return nndl_fail(err, NNDL_E_INVALID, "the output layer has %d neurons; digit labels need 10",
                         net->spec.sizes[L]);
    return NNDL_OK;
}

/* ------------------------------------------------------------------- forward and backward */

/* The input that layer l was fed in the last forward pass: x for layer 1; for a fully connected
 * layer the feed of the layer before when it has one in use (transposed or dropped out), else
 * that layer's activations. */
static const float *layer_input(const nndl_network *net, int l, const float *x) {
    if (l == 1) return x;
    if (net->spec.kind[l] == NNDL_FULL && (is_spatial(net, l - 1) || net->masks_drawn)) return net->feed[l - 1];
    return net->a[l - 1];
}

/* Where element (c, n, y, x) of layer l's input lives, and layer l's field: layer 0 holds an
 * example per row (maps inside), hidden layers maps outermost. */
static nndl_conv_shape conv_shape(const nndl_network *net, int l, size_t m) {
    const nndl_spec *s = &net->spec;
    size_t plane = (size_t)s->rows[l - 1] * (size_t)s->cols[l - 1];
    nndl_conv_shape g = {l == 1 ? plane : m * plane, l == 1 ? (size_t)s->sizes[0] : plane, m, s->maps[l - 1],
                         s->rows[l - 1], s->cols[l - 1], s->field_rows[l], s->field_cols[l]};
    return g;
}

/* Fully connected layer l for m examples (chapter 2 in matrix form, one row per example):
 * z^l = a^{l-1} . (w^l)^T + b^l, a^l = f(z^l). out is m x n_l, in is m x n_{l-1}. */
static void full_forward(const nndl_network *net, int l, float *out, const float *in, size_t m) {
    size_t n = (size_t)net->spec.sizes[l], n_in = (size_t)net->spec.sizes[l - 1];
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    nndl_gemm_nt(out, in, w, m, n, n_in, 0);
    for (size_t i = 0; i < m; i++) nndl_axpy(out + i * n, b, 1.0f, n);
    nndl_activate(net->spec.activation[l], out, m, n);
}

/* BP2 through fully connected layer l: delta^{l-1} = (delta^l . w^l) (.) f'(z^{l-1}), and
 * (.) mask / (1 - p) where layer l - 1's activations were dropped out. A convolutional or
 * pooling layer l - 1 gets it back in its own layout (maps outermost); a pooling layer has no f'. */
static void full_backward(nndl_network *net, int l, size_t m, float dropout) {
    size_t n = (size_t)net->spec.sizes[l], n_in = (size_t)net->spec.sizes[l - 1];
    int spatial = is_spatial(net, l - 1);
    float *rows = spatial ? net->scratch : net->delta[l - 1];
    nndl_gemm_nn(rows, net->delta[l], net->params + net->w_off[l], m, n_in, n, 0);
    if (!spatial) nndl_activation_backward(net->spec.activation[l - 1], rows, net->a[l - 1], m * n_in);
    if (net->masks_drawn) {
        float keep = 1.0f / (1.0f - dropout);
        for (size_t i = 0; i < m * n_in; i++) rows[i] = net->mask[l - 1][i] ? rows[i] * keep : 0.0f;
    }
    if (!spatial) return;
    size_t maps = (size_t)net->spec.maps[l - 1], plane = positions(net, l - 1);
    for (size_t c = 0; c < maps; c++)
        for (size_t i = 0; i < m; i++)
            memcpy(net->delta[l - 1] + (c * m + i) * plane, rows + i * n_in + c * plane, plane * sizeof(float));
    if (net->spec.kind[l - 1] == NNDL_CONV)
        nndl_activation_backward(net->spec.activation[l - 1], net->delta[l - 1], net->a[l - 1], m * n_in);
}

/* Convolutional layer l (chapter 6): every feature map f at every position (y, x) of every
 * example, z_f = b_f + sum w_f . (the receptive field at (y, x)), a = f(z). With the receptive
 * fields unrolled into the columns of A (im2col), the whole batch is one product z = w . A:
 * maps x (m positions), maps outermost. */
static void conv_forward(nndl_network *net, int l, float *out, const float *in, size_t m) {
    nndl_conv_shape g = conv_shape(net, l, m);
    size_t F = net->w_rows[l], K = net->w_cols[l], M = m * positions(net, l);
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    nndl_im2col(net->scratch, in, &g);
    for (size_t f = 0; f < F; f++)
        for (size_t i = 0; i < M; i++) out[f * M + i] = b[f];
    nndl_gemm_nn(out, w, net->scratch, F, M, K, 1);
    nndl_activate(net->spec.activation[l], out, F, M);
}

/* Backpropagation through convolutional layer l, its delta^l (= dC/dz^l) known. The shared
 * weights and biases sum their gradients over every position: BP3 nabla_b_f = sum delta_f,
 * BP4 nabla_w = delta^l . A^T. BP2 goes back through the unrolled fields: the gradient of A is
 * w^T . delta^l, and each entry of it is added to the input it was copied from (col2im);
 * then (.) f'(z^{l-1}) if layer l - 1 has an activation. */
static void conv_backward(nndl_network *net, int l, size_t m, const float *in) {
    nndl_conv_shape g = conv_shape(net, l, m);
    size_t F = net->w_rows[l], K = net->w_cols[l], M = m * positions(net, l);
    const float *delta = net->delta[l], *w = net->params + net->w_off[l];
    float *nabla_b = net->grads + net->b_off[l];
    for (size_t f = 0; f < F; f++) {
        double sum = 0.0;
        for (size_t i = 0; i < M; i++) sum += delta[f * M + i];
        nabla_b[f] = (float)sum;
    }
    nndl_im2col(net->scratch, in, &g);
    nndl_gemm_nt(net->grads + net->w_off[l], delta, net->scratch, F, K, M, 0);
    if (l == 1) return;
    nndl_gemm_tn(net->scratch, w, delta, K, M, F, 0);
    memset(net->delta[l - 1], 0, m * (size_t)net->spec.sizes[l - 1] * sizeof(float));
    nndl_col2im(net->delta[l - 1], net->scratch, &g);
    if (net->spec.kind[l - 1] == NNDL_CONV)
        nndl_activation_backward(net->spec.activation[l - 1], net->delta[l - 1], net->a[l - 1],
                                 m * (size_t)net->spec.sizes[l - 1]);
}

/* Where the largest value of a block of `plane` is (the first, if several tie); top is the
 * block's first element. network3.py's 2 x 2 blocks get a path of their own. */
static inline size_t block_max(const float *plane, size_t top, int cols, int fr, int fc) {
    if (fr == 2 && fc == 2) {
        size_t best = top, at[3] = {top + 1, top + (size_t)cols, top + (size_t)cols + 1};
        for (int k = 0; k < 3; k++) best = plane[at[k]] > plane[best] ? at[k] : best;
        return best;
    }
    size_t best = top;
    for (int i = 0; i < fr; i++)
        for (int j = 0; j < fc; j++) {
            size_t at = top + (size_t)i * (size_t)cols + (size_t)j;
            best = plane[at] > plane[best] ? at : best;
        }
    return best;
}

/* Max-pooling layer l: each output is the largest activation of its block. */
static void pool_forward(const nndl_network *net, int l, float *out, const float *in, size_t m) {
    nndl_conv_shape g = conv_shape(net, l, m);
    int rows = net->spec.rows[l], cols = net->spec.cols[l];
    for (int c = 0; c < g.maps; c++)
        for (size_t n = 0; n < m; n++) {
            const float *plane = in + (size_t)c * g.map_stride + n * g.example_stride;
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                    *out++ = plane[block_max(plane, (size_t)(y * g.fr) * (size_t)g.cols + (size_t)(x * g.fc), g.cols, g.fr, g.fc)];
        }
}

/* Backpropagation through max-pooling layer l: the maximum of a block is the only input that
 * moves its output, so it takes the whole delta (the first one, if several tie) and the others
 * get 0; then (.) f'(z^{l-1}). */
static void pool_backward(nndl_network *net, int l, size_t m) {
    nndl_conv_shape g = conv_shape(net, l, m);
    int rows = net->spec.rows[l], cols = net->spec.cols[l];
    const float *delta = net->delta[l];
    memset(net->delta[l - 1], 0, m * (size_t)net->spec.sizes[l - 1] * sizeof(float));
    for (int c = 0; c < g.maps; c++)
        for (size_t n = 0; n < m; n++) {
            size_t offset = (size_t)c * g.map_stride + n * g.example_stride;
            const float *plane = net->a[l - 1] + offset;
            float *back = net->delta[l - 1] + offset;
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                    back[block_max(plane, (size_t)(y * g.fr) * (size_t)g.cols + (size_t)(x * g.fc), g.cols, g.fr, g.fc)] = *delta++;
        }
    if (net->spec.kind[l - 1] == NNDL_CONV)
        nndl_activation_backward(net->spec.activation[l - 1], net->delta[l - 1], net->a[l - 1],
                                 m * (size_t)net->spec.sizes[l - 1]);
}

/* What hidden layer l gives the fully connected layer after it (chapter 3's dropout): each
 * activation kept with probability 1 - p, the kept ones scaled by 1/(1 - p) so that the
 * expected input of the next layer is unchanged and evaluation needs no rescaling. Writes the
 * mask and d^l = a^l (.) mask / (1 - p), an example per row (transposed from maps outermost
 * for a convolutional or pooling layer). */
static void feed_forward(nndl_network *net, int l, size_t m, float p) {
    size_t n = (size_t)net->spec.sizes[l], plane = positions(net, l), maps = (size_t)net->spec.maps[l];
    float *feed = net->feed[l];
    if (is_spatial(net, l))
        for (size_t i = 0; i < m; i++)
            for (size_t c = 0; c < maps; c++)
                memcpy(feed + i * n + c * plane, net->a[l] + (c * m + i) * plane, plane * sizeof(float));
    if (!net->masks_drawn) return;
    const float *a = is_spatial(net, l) ? feed : net->a[l];
    float keep = 1.0f / (1.0f - p);
    for (size_t i = 0; i < m * n; i++) {
        net->mask[l][i] = nndl_rng_uniform(&net->rng) >= p;
        feed[i] = net->mask[l][i] ? a[i] * keep : 0.0f;
    }
}

/* Feeds m rows of x through every layer into net->a[1..L], dropping out what hidden layers
 * feed fully connected ones with probability `dropout` (0: none). */
static void forward_batch(nndl_network *net, const float *x, size_t m, float dropout) {
    int L = net->spec.num_layers - 1;
    net->masks_drawn = dropout > 0.0f && L > 1;
    for (int l = 1; l <= L; l++) {
        const float *in = layer_input(net, l, x);
        switch (net->spec.kind[l]) {
        case NNDL_CONV: conv_forward(net, l, net->a[l], in, m); break;
        case NNDL_POOL: pool_forward(net, l, net->a[l], in, m); break;
        default: full_forward(net, l, net->a[l], in, m);
        }
        if (feeds_full(net, l) && (is_spatial(net, l) || net->masks_drawn)) feed_forward(net, l, m, dropout);
    }
}

/* The regularisation and momentum part of the update of layer l's weights (network2.py and
 * chapter 3), before the gradient term -(eta/m) nabla_w is added to `target`:
 *   plain SGD: w <- (1 - eta lmbda/n) w - (eta l1/n) sgn(w); target = w
 *   momentum:  v <- mu v - (eta lmbda/n) w - (eta l1/n) sgn(w); target = v, and w += v after. */
static float *regularise(nndl_network *net, int l, const nndl_hyper *h, size_t n) {
    size_t count = net->w_rows[l] * net->w_cols[l];
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
    size_t rows = net->w_rows[l], cols = net->w_cols[l];
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

/* Fully connected layer l's part of backpropagation: BP3, BP2 to layer l - 1, then BP4 either
 * into the gradients buffer (h NULL) or fused into the SGD step. */
static int full_layer_backward(nndl_network *net, int l, const float *x, size_t m, float dropout,
                               const nndl_hyper *h, size_t n) {
    size_t rows = (size_t)net->spec.sizes[l], cols = (size_t)net->spec.sizes[l - 1];
    const float *delta = net->delta[l], *a_in = layer_input(net, l, x);
    float *nabla_b = net->grads + net->b_off[l];
    memset(nabla_b, 0, rows * sizeof(float)); /* BP3: nabla_b = sum over the batch of delta */
    for (size_t i = 0; i < m; i++) nndl_axpy(nabla_b, delta + i * rows, 1.0f, rows);
    if (l > 1) full_backward(net, l, m, dropout);
    if (h) return update_layer(net, l, h, m, n, delta, a_in);
    nndl_gemm_tn(net->grads + net->w_off[l], delta, a_in, rows, cols, m, 0); /* BP4: delta^T . a^{l-1} */
    return 1;
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
        switch (net->spec.kind[l]) {
        case NNDL_CONV:
            conv_backward(net, l, m, layer_input(net, l, x));
            if (h) within &= update_layer(net, l, h, m, n, NULL, NULL);
            break;
        case NNDL_POOL:
            if (l > 1) pool_backward(net, l, m);
            break;
        default:
            within &= full_layer_backward(net, l, x, m, dropout, h, n);
        }
    }
    return within;
}

int nndl_network_feedforward(nndl_network *net, float *out, const float *in, size_t count,
                             nndl_error *err) {
    if (!net || !out || !in) return nndl_fail(err, NNDL_E_INVALID, "feedforward needs a network, input and output");
    int L = net->spec.num_layers - 1;
    size_t n_out = (size_t)net->spec.sizes[L], n0 = (size_t)net->spec.sizes[0];
    size_t chunk = eval_chunk(net);
    for (size_t done = 0; done < count; done += chunk) {
        size_t m = count - done < chunk ? count - done : chunk;
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
        for (size_t j = 0; j < net->w_rows[l]; j++) sq += (double)g[j] * g[j];
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
    size_t chunk = eval_chunk(net);
    for (size_t done = 0; done < n; done += chunk) {
        size_t m = n - done < chunk ? n - done : chunk;
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
    /* the weights are read only for a term that counts: callers measuring a data set in chunks
     * ask for the terms once */
    for (int l = 1; (lmbda != 0.0f || l1 != 0.0f) && l < net->spec.num_layers; l++) {
        const float *w = net->params + net->w_off[l];
        size_t count = net->w_rows[l] * net->w_cols[l];
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
