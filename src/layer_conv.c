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

#include <string.h>

void nndl_conv_forward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m) {
    nndl_conv_shape g = nndl_layer_shape(&net->spec, l, m);
    size_t F = net->w_rows[l], K = net->w_cols[l], M = m * nndl_positions(&net->spec, l);
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    float *out = ws->a[l];
    if (nndl_conv_forward_in_place(out, w, in, b, F, &g)) return; /* the input read in place */
    nndl_im2col(ws->scratch, in, &g);
    nndl_gemm_nn_bias(out, w, ws->scratch, b, F, M, K);
}

/* BP3 for maps first..end: each map's sum stays in one thread, in one order. */
typedef struct bias_sums {
    const float *delta;
    float *nabla_b;
    size_t M;
} bias_sums;

static void bp3_maps(void *arg, size_t first, size_t end) {
    const bias_sums *b = arg;
    for (size_t f = first; f < end; f++) {
        double sum = 0.0;
        for (size_t i = 0; i < b->M; i++) sum += b->delta[f * b->M + i];
        b->nabla_b[f] = (float)sum;
    }
}

void nndl_conv_backward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                        float *nabla_w, float *nabla_b) {
    nndl_conv_shape g = nndl_layer_shape(&net->spec, l, m);
    size_t F = net->w_rows[l], K = net->w_cols[l], M = m * nndl_positions(&net->spec, l);
    const float *delta = ws->delta[l], *w = net->params + net->w_off[l];
    bias_sums bp3 = {delta, nabla_b, M};
    nndl_parallel(F, NNDL_WORK_SCALAR * (double)F * (double)M, bp3_maps, &bp3);
    nndl_im2col(ws->scratch, in, &g); /* BP4 */
    nndl_gemm_nt(nabla_w, delta, ws->scratch, F, K, M, 0);
    if (l == 1) return;
    nndl_gemm_tn(ws->scratch, w, delta, K, M, F, 0); /* BP2 */
    memset(ws->delta[l - 1], 0, m * (size_t)net->spec.sizes[l - 1] * sizeof(float));
    nndl_col2im(ws->delta[l - 1], ws->scratch, &g);
}
