/*
 * layer_conv.c — chapter 6's convolutional layer: F feature maps of shared weights over r x c
 * local receptive fields (stride 1, no padding), for the whole mini-batch at once. With the
 * receptive fields unrolled into the columns of A (im2col, kernels.c), every map at every
 * position of every example is one product, maps outermost:
 *   forward  z^l = w^l . A + b^l  (z_{f,y,x} = b_f + sum_{m,i,j} w_{f,m,i,j} a^{l-1}_{m,y+i,x+j});
 *            the pass makes a^l = f(z^l)
 *   BP3      dC/db_f = sum over positions and examples of delta^l_f (the weights are shared)
 *   BP4      dC/dw^l = delta^l . A^T
 *   BP2      the gradient of A is (w^l)^T . delta^l; each entry goes back to the input it was
 *            copied from (col2im): dC/da^{l-1}, which the pass multiplies by f'(z^{l-1})
 * Not here: pooling (layer_pool.c), the activations (pass.c), the step the gradients make
 * (update.c).
 */
#include "network_internal.h"
#include "threads.h"


void nndl_conv_forward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m) {
    nndl_conv_shape g = nndl_layer_shape(&net->spec, l, m);
    size_t F = net->w_rows[l], K = net->w_cols[l], M = m * nndl_positions(&net->spec, l);
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    float *out = ws->a[l];
    if (nndl_conv_forward_in_place(out, w, in, b, F, &g)) return; /* the input read in place */
    nndl_im2col(ws->scratch, in, &g);
    nndl_gemm_nn_bias(out, w, ws->scratch, b, F, M, K);
}

int nndl_conv_forward_part(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                           nndl_part part) {
    nndl_conv_shape g = nndl_layer_shape(&net->spec, l, m);
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    return nndl_conv_forward_in_place_block(ws->a[l], w, in, b, net->w_rows[l], &g, part.map, part.map_end,
                                            part.example, part.example_end);
}

/* The first layer's maps stay each on one thread, from z through pooling and back to BP4: its
 * backward needs no BP2, so each step of it (the pooling's BP2, f', BP3 and BP4 read in place)
 * reads only the map's own values, those the same thread made. Taken by examples instead, as
 * the layers after it are, every thread's BP3 and BP4 read every example's delta, half of it
 * made on the other core (460 KB a mini-batch of 10 with network3.py's 20 maps of 24 x 24). */
int nndl_conv_by_maps(const nndl_spec *s, int l, size_t m) {
    if (l != 1 || s->kind[l] != NNDL_CONV) return 0;
    nndl_conv_shape g = nndl_layer_shape(s, l, m);
    return nndl_conv_in_place_fits(&g);
}

/* BP3 for maps first..end: each map's sum stays in one thread, in one order. */
typedef struct bias_sums {
    const float *delta;
    float *nabla_b;
    size_t M;
} bias_sums;

static void bias_sums_of(const bias_sums *b, size_t first, size_t end) {
    for (size_t f = first; f < end; f++) {
        double sum = 0.0;
        for (size_t i = 0; i < b->M; i++) sum += b->delta[f * b->M + i];
        b->nabla_b[f] = (float)sum;
    }
}

static void bp3_maps(void *arg, size_t first, size_t end) { bias_sums_of(arg, first, end); }

/* A job of the backward pass takes a band of fields (rows of the unrolled matrix) at a time,
 * about 128 KB of it: unrolled or made, then used at once, while it is in the core's cache.
 * Bands of about a multiple of 12 fields fill gemm_nt's tiles of 3 or 4 columns. A band is also
 * the least a thread takes of a job at once (threads.h's grain): less would read delta again
 * for fewer fields. */
enum { BAND_FLOATS = 32768, BAND_STEP = 12 };

/* BP4's band, in fields of M positions each. */
static size_t bp4_band(size_t M) {
    size_t band = BAND_FLOATS / M / BAND_STEP * BAND_STEP;
    return band ? band : BAND_STEP;
}

/* BP2's band, in input maps of `fields` x M values each. */
static size_t bp2_band(size_t fields, size_t M) {
    size_t band = BAND_FLOATS / (fields * M);
    return band ? band : 1;
}

/* How many bands of about `band` units a range of `units` is cut into, of equal sizes: a range
 * one unit longer than a band stays one band (each band of BP4 reads all of delta once). */
static size_t bands_of(size_t units, size_t band) {
    size_t bands = (units + band / 2) / band;
    return bands ? bands : 1;
}

/* Where band i of `bands` over first..end starts. */
static size_t band_start(size_t first, size_t end, size_t i, size_t bands) { return first + (end - first) * i / bands; }

typedef struct conv_job {
    const float *delta, *w, *in;
    float *nabla_w, *scratch, *delta_in;
    size_t F, K, M;
    nndl_conv_shape g;
} conv_job;

/* Whether BP4 reads the fields in place rather than unrolling a band of them first, where the
 * shape allows (nndl_conv_in_place_fits). Natively it is faster: 508 against 665 us a mini-batch
 * for network3.py's second convolution, 111 against 130 for its first. In WebAssembly (V8) the
 * unrolled product is: 618 against 737 us, and 128 against 154, so there only the first layer,
 * which goes by maps (nndl_conv_by_maps) and needs no unrolled copy per thread, reads in place. */
#if defined(__wasm__)
enum { BP4_IN_PLACE = 0 };
#else
enum { BP4_IN_PLACE = 1 };
#endif

/* BP4 for fields first..end: read in place (BP4_IN_PLACE), or a band's rows of A unrolled, then
 * its columns of delta . A^T. */
static void bp4_fields(void *arg, size_t first, size_t end) {
    const conv_job *j = arg;
    if (BP4_IN_PLACE && nndl_conv_weight_gradient_block(j->nabla_w, j->delta, j->in, &j->g, 0, j->F, first, end)) return;
    size_t bands = bands_of(end - first, bp4_band(j->M));
    for (size_t i = 0; i < bands; i++) {
        size_t r = band_start(first, end, i, bands), to = band_start(first, end, i + 1, bands);
        nndl_im2col_rows(j->scratch, j->in, &j->g, r, to);
        nndl_gemm_nt_ldc(j->nabla_w + r, j->K, j->delta, j->scratch + r * j->M, j->F, to - r, j->M);
    }
}

/* BP2 for input maps first..end: a band of maps' rows of w^T . delta, then folded back onto
 * those maps' inputs (col2im); a map's inputs get only its own rows, so maps are independent. */
static void bp2_maps(void *arg, size_t first, size_t end) {
    const conv_job *j = arg;
    size_t fields = (size_t)j->g.fr * (size_t)j->g.fc, bands = bands_of(end - first, bp2_band(fields, j->M));
    for (size_t i = 0; i < bands; i++) {
        size_t c = band_start(first, end, i, bands), to = band_start(first, end, i + 1, bands), row = c * fields;
        nndl_gemm_tn_lda(j->scratch + row * j->M, j->w + row, j->K, j->delta, (to - c) * fields, j->M, j->F);
        nndl_col2im_maps(j->delta_in, j->scratch, &j->g, c, to);
    }
}

/* BP3 and BP4 of maps first..end, the fields read in place: the first layer's (nndl_conv_by_maps). */
typedef struct map_gradients {
    bias_sums bp3;
    const float *in;
    float *nabla_w;
    size_t K;
    nndl_conv_shape g;
} map_gradients;

static void bp34_maps(void *arg, size_t first, size_t end) {
    const map_gradients *j = arg;
    bias_sums_of(&j->bp3, first, end);
    nndl_conv_weight_gradient_block(j->nabla_w, j->bp3.delta, j->in, &j->g, first, end, 0, j->K);
}

void nndl_conv_backward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                        float *nabla_w, float *nabla_b) {
    nndl_conv_shape g = nndl_layer_shape(&net->spec, l, m);
    size_t F = net->w_rows[l], K = net->w_cols[l], M = m * nndl_positions(&net->spec, l);
    const float *delta = ws->delta[l], *w = net->params + net->w_off[l];
    bias_sums bp3 = {delta, nabla_b, M};
    if (nndl_conv_by_maps(&net->spec, l, m)) {
        map_gradients job = {bp3, in, nabla_w, K, g};
        nndl_parallel(F, nndl_conv_maps_grain(), (double)F * (double)K * (double)M, bp34_maps, &job);
        return;
    }
    nndl_parallel(F, 1, NNDL_WORK_SCALAR * (double)F * (double)M, bp3_maps, &bp3);
    conv_job job = {delta, w, in, nabla_w, ws->scratch, ws->delta[l - 1], F, K, M, g};
    double product = (double)F * (double)K * (double)M, copy = NNDL_WORK_COPY * (double)K * (double)M;
    nndl_parallel(K, bp4_band(M), product + copy, bp4_fields, &job);
    if (l == 1) return;
    nndl_parallel((size_t)g.maps, bp2_band((size_t)g.fr * (size_t)g.fc, M), product + copy, bp2_maps, &job);
}
