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

void nndl_conv_backward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                        float *nabla_w, float *nabla_b) {
    nndl_conv_shape g = nndl_layer_shape(&net->spec, l, m);
    size_t F = net->w_rows[l], K = net->w_cols[l], M = m * nndl_positions(&net->spec, l);
    const float *delta = ws->delta[l], *w = net->params + net->w_off[l];
    for (size_t f = 0; f < F; f++) { /* BP3 */
        double sum = 0.0;
        for (size_t i = 0; i < M; i++) sum += delta[f * M + i];
        nabla_b[f] = (float)sum;
    }
    nndl_im2col(ws->scratch, in, &g); /* BP4 */
    nndl_gemm_nt(nabla_w, delta, ws->scratch, F, K, M, 0);
    if (l == 1) return;
    nndl_gemm_tn(ws->scratch, w, delta, K, M, F, 0); /* BP2 */
    memset(ws->delta[l - 1], 0, m * (size_t)net->spec.sizes[l - 1] * sizeof(float));
    nndl_col2im(ws->delta[l - 1], ws->scratch, &g);
}
