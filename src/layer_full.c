/*
 * layer_full.c — the fully connected layer of chapters 1 to 3, in matrix form over a mini-batch
 * (the book's chapter 2 exercise): the examples of a batch are the rows, so each step is one
 * matrix product. With w^l of n_l x n_{l-1} and a^{l-1} of m x n_{l-1}:
 *   forward  z^l = a^{l-1} . (w^l)^T + b^l         (then the pass makes a^l = f(z^l))
 *   BP3      dC/db^l = sum over the batch of delta^l
 *   BP4      dC/dw^l = (delta^l)^T . a^{l-1}
 *   BP2      dC/da^{l-1} = delta^l . w^l           (the pass multiplies by f'(z^{l-1}))
 * (BP1, the output error, is the cost's: functions.c.) Here too, chapter 3's dropout of what a
 * hidden layer feeds a fully connected one: the feed d^l = a^l (.) mask / (1 - p), and BP2
 * through it. Not here: the activations (pass.c), the step the gradients make (update.c).
 */
#include "network_internal.h"

#include <string.h>

void nndl_full_forward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m) {
    size_t n = (size_t)net->spec.sizes[l], n_in = (size_t)net->spec.sizes[l - 1];
    const float *w = net->params + net->w_off[l], *b = net->params + net->b_off[l];
    float *out = ws->a[l];
    nndl_gemm_nt(out, in, w, m, n, n_in, 0);
    for (size_t i = 0; i < m; i++) nndl_axpy(out + i * n, b, 1.0f, n);
}

void nndl_full_backward(const nndl_network *net, nndl_workspace *ws, int l, const float *in, size_t m,
                        float dropout, float *nabla_w, float *nabla_b) {
    const nndl_spec *s = &net->spec;
    size_t n = (size_t)s->sizes[l], n_in = (size_t)s->sizes[l - 1];
    const float *delta = ws->delta[l];
    memset(nabla_b, 0, n * sizeof(float)); /* BP3 */
    for (size_t i = 0; i < m; i++) nndl_axpy(nabla_b, delta + i * n, 1.0f, n);
    if (nabla_w) nndl_gemm_tn(nabla_w, delta, in, n, n_in, m, 0); /* BP4, unless the step is fused */
    if (l == 1) return;
    /* BP2, an example per row; a convolutional or pooling layer l - 1 gets it back maps
     * outermost, through scratch */
    int spatial = nndl_is_spatial(s, l - 1);
    float *rows = spatial ? ws->scratch : ws->delta[l - 1];
    nndl_gemm_nn(rows, delta, net->params + net->w_off[l], m, n_in, n, 0);
    if (ws->masks_drawn) { /* a dropped neuron passes no error back; a kept one its share */
        float keep = 1.0f / (1.0f - dropout);
        for (size_t i = 0; i < m * n_in; i++) rows[i] = ws->mask[l - 1][i] ? rows[i] * keep : 0.0f;
    }
    if (spatial) {
        size_t maps = (size_t)s->maps[l - 1], plane = nndl_positions(s, l - 1);
        for (size_t c = 0; c < maps; c++)
            for (size_t i = 0; i < m; i++)
                memcpy(ws->delta[l - 1] + (c * m + i) * plane, rows + i * n_in + c * plane, plane * sizeof(float));
    }
}

/* What hidden layer l gives the fully connected layer after it (chapter 3's dropout): each
 * activation kept with probability 1 - p, the kept ones scaled by 1/(1 - p) so that the
 * expected input of the next layer is unchanged and evaluation needs no rescaling. Writes the
 * mask and d^l = a^l (.) mask / (1 - p), an example per row (transposed from maps outermost
 * for a convolutional or pooling layer). */
void nndl_full_feed(const nndl_network *net, nndl_workspace *ws, int l, size_t m, float p, nndl_rng *rng) {
    const nndl_spec *s = &net->spec;
    size_t n = (size_t)s->sizes[l], plane = nndl_positions(s, l), maps = (size_t)s->maps[l];
    float *feed = ws->feed[l];
    int spatial = nndl_is_spatial(s, l);
    if (spatial)
        for (size_t i = 0; i < m; i++)
            for (size_t c = 0; c < maps; c++)
                memcpy(feed + i * n + c * plane, ws->a[l] + (c * m + i) * plane, plane * sizeof(float));
    if (!ws->masks_drawn) return;
    const float *a = spatial ? feed : ws->a[l];
    float keep = 1.0f / (1.0f - p);
    for (size_t i = 0; i < m * n; i++) {
        ws->mask[l][i] = nndl_rng_uniform(rng) >= p;
        feed[i] = ws->mask[l][i] ? a[i] * keep : 0.0f;
    }
}
