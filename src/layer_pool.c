/*
 * layer_pool.c — chapter 6's max-pooling layer: each output is the largest activation of its
 * p x q block of a map (rows and columns that do not fill a block are left out, as in
 * network3.py). It has no parameters and no activation, so no BP3 or BP4:
 *   forward  a^l_{c,y,x} = max over the block of a^{l-1}_c
 *   BP2      the block's maximum is the only input that moves its output: it takes the whole
 *            delta^l (the first one, if several tie), the others 0: dC/da^{l-1}, which the
 *            pass multiplies by f'(z^{l-1})
 * Not here: convolution (layer_conv.c), the activations (pass.c).
 */
#include "network_internal.h"
#include "threads.h"

#include <string.h>

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

/* A pooling layer's pass over maps first..end, for the threads that share it: a map's outputs
 * (and going back its inputs' deltas) are its own. */
typedef struct pooling {
    const nndl_network *net;
    nndl_workspace *ws;
    int l;
    const float *in;
    nndl_conv_shape g;
} pooling;

/* Maps first_map..end_map of examples first..end. */
static void pool_forward_block(const pooling *p, size_t first_map, size_t end_map, size_t first, size_t end) {
    const nndl_conv_shape g = p->g;
    int rows = p->net->spec.rows[p->l], cols = p->net->spec.cols[p->l];
    for (size_t c = first_map; c < end_map; c++)
        for (size_t n = first; n < end; n++) {
            float *out = p->ws->a[p->l] + (c * g.m + n) * (size_t)rows * (size_t)cols; /* maps outermost */
            const float *plane = p->in + c * g.map_stride + n * g.example_stride;
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                    *out++ = plane[block_max(plane, (size_t)(y * g.fr) * (size_t)g.cols + (size_t)(x * g.fc), g.cols, g.fr, g.fc)];
        }
}

static void pool_forward_maps(void *arg, size_t first, size_t end) {
    const pooling *p = arg;
    pool_forward_block(p, first, end, 0, p->g.m);
}

void nndl_pool_forward_part(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                            nndl_part part) {
    pooling p = {net, ws, l, in, nndl_layer_shape(&net->spec, l, m)};
    pool_forward_block(&p, part.map, part.map_end, part.example, part.example_end);
}

void nndl_pool_forward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m) {
    pooling p = {net, ws, l, in, nndl_layer_shape(&net->spec, l, m)};
    nndl_parallel((size_t)p.g.maps, 1, NNDL_WORK_SCALAR * (double)m * (double)net->spec.sizes[l - 1], pool_forward_maps, &p);
}

/* BP2 of one map of one example whose blocks are 2 x 2 (network3.py's): block by block along
 * each pair of input rows, the block zeroed and its maximum (block_max's) given delta while the
 * block is in the core's cache, rather than the whole plane zeroed first and the maxima scattered
 * over it afterwards (pooling's BP2 was 12.6% of a one-thread epoch's perf samples with
 * network3.py's CNN; the epoch is 1.3% shorter so). Only for 2 x 2: the same done for any block,
 * its zeroing a loop over fr x fc, made the epoch 8% longer instead. */
static void pool_backward_2x2(float *back, const float *plane, const float *delta, int rows, int cols, int in_rows,
                              int in_cols) {
    for (int y = 0; y < rows; y++) {
        size_t top = (size_t)(2 * y) * (size_t)in_cols;
        float *b0 = back + top, *b1 = b0 + in_cols;
        for (int x = 0; x < cols; x++) {
            size_t i = (size_t)(2 * x);
            b0[i] = b0[i + 1] = b1[i] = b1[i + 1] = 0.0f; /* the block, in the core's cache: then its maximum */
            back[block_max(plane, top + i, in_cols, 2, 2)] = *delta++;
        }
        for (int i = 2 * cols; i < in_cols; i++) b0[i] = b1[i] = 0.0f; /* a column no block takes */
    }
    if (2 * rows < in_rows) memset(back + (size_t)(2 * rows) * (size_t)in_cols, 0, (size_t)in_cols * sizeof *back);
}

/* BP2 for maps first_map..end_map of examples first..end. */
static void pool_backward_block(const pooling *p, size_t first_map, size_t end_map, size_t first, size_t end) {
    const nndl_conv_shape g = p->g;
    int rows = p->net->spec.rows[p->l], cols = p->net->spec.cols[p->l];
    for (size_t c = first_map; c < end_map; c++)
        for (size_t n = first; n < end; n++) {
            size_t offset = c * g.map_stride + n * g.example_stride;
            const float *plane = p->ws->a[p->l - 1] + offset;
            const float *delta = p->ws->delta[p->l] + (c * g.m + n) * (size_t)rows * (size_t)cols; /* maps outermost */
            float *back = p->ws->delta[p->l - 1] + offset;
            if (g.fr == 2 && g.fc == 2) {
                pool_backward_2x2(back, plane, delta, rows, cols, g.rows, g.cols);
                continue;
            }
            memset(back, 0, (size_t)g.rows * (size_t)g.cols * sizeof *back);
            for (int y = 0; y < rows; y++)
                for (int x = 0; x < cols; x++)
                    back[block_max(plane, (size_t)(y * g.fr) * (size_t)g.cols + (size_t)(x * g.fc), g.cols, g.fr, g.fc)] = *delta++;
        }
}

static void pool_backward_maps(void *arg, size_t first, size_t end) {
    const pooling *p = arg;
    pool_backward_block(p, first, end, 0, p->g.m);
}

void nndl_pool_backward_part(const nndl_network *net, nndl_workspace *ws, int l, size_t m, nndl_part part) {
    pooling p = {net, ws, l, NULL, nndl_layer_shape(&net->spec, l, m)};
    pool_backward_block(&p, part.map, part.map_end, part.example, part.example_end);
}

void nndl_pool_backward(const nndl_network *net, nndl_workspace *ws, int l, size_t m) {
    pooling p = {net, ws, l, NULL, nndl_layer_shape(&net->spec, l, m)};
    nndl_parallel((size_t)p.g.maps, 1, NNDL_WORK_SCALAR * (double)m * (double)net->spec.sizes[l - 1], pool_backward_maps, &p);
}
