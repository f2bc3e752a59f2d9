/*
 * functions.c — activations and costs (chapter 3), forward and backward side by side.
 * Written for clarity over speed: they touch m x n values per layer, against the m x n x n_in
 * multiply-adds of the products in kernels.c.
 */
#include "functions.h"

#include <float.h>
#include <math.h>

/* ---------------------------------------------------------------------------- activations */

static float sigmoid(float z) { return 1.0f / (1.0f + expf(-z)); }

/* softmax of one row, shifted by its maximum so that no exponential overflows */
static void softmax_row(float *z, size_t n) {
    float top = z[0], sum = 0.0f;
    for (size_t j = 1; j < n; j++) top = z[j] > top ? z[j] : top;
    for (size_t j = 0; j < n; j++) sum += z[j] = expf(z[j] - top);
    for (size_t j = 0; j < n; j++) z[j] /= sum;
}

void nndl_activate(nndl_activation f, float *z, size_t m, size_t n) {
    size_t count = m * n;
    switch (f) {
    case NNDL_SIGMOID:
        for (size_t i = 0; i < count; i++) z[i] = sigmoid(z[i]);
        break;
    case NNDL_TANH:
        for (size_t i = 0; i < count; i++) z[i] = tanhf(z[i]);
        break;
    case NNDL_RELU:
        for (size_t i = 0; i < count; i++) z[i] = z[i] > 0.0f ? z[i] : 0.0f;
        break;
    case NNDL_SOFTMAX:
        for (size_t i = 0; i < m; i++) softmax_row(z + i * n, n);
        break;
    case NNDL_LINEAR: /* a = z */
        break;
    }
}

void nndl_activation_backward(nndl_activation f, float *delta, const float *a, size_t count) {
    switch (f) {
    case NNDL_SIGMOID: /* sigma' = sigma (1 - sigma) */
        for (size_t i = 0; i < count; i++) delta[i] *= a[i] * (1.0f - a[i]);
        break;
    case NNDL_TANH: /* tanh' = 1 - tanh^2 */
        for (size_t i = 0; i < count; i++) delta[i] *= 1.0f - a[i] * a[i];
        break;
    case NNDL_RELU: /* 1 where the neuron is active */
        for (size_t i = 0; i < count; i++) delta[i] = a[i] > 0.0f ? delta[i] : 0.0f;
        break;
    case NNDL_SOFTMAX: /* handled by the cost */
    case NNDL_LINEAR:  /* f' = 1 */
        break;
    }
}

/* ------------------------------------------------------------------------------------ costs */

/* -ln(x), with ln 0 taken as the most negative finite double (np.nan_to_num's choice). */
static double neg_log(double x) { return x > 0.0 ? -log(x) : DBL_MAX / 1e10; }

double nndl_example_cost(nndl_cost cost, const float *a, const float *y, size_t n) {
    double c = 0.0;
    switch (cost) {
    case NNDL_QUADRATIC:
        for (size_t j = 0; j < n; j++) {
            double d = (double)a[j] - (double)y[j];
            c += 0.5 * d * d;
        }
        break;
    case NNDL_CROSS_ENTROPY: /* a target of 0 or 1 (a label's) counts one term, as network2.py */
        for (size_t j = 0; j < n; j++) {
            double aj = a[j], yj = y[j];
            c += yj == 1.0 ? neg_log(aj) : yj == 0.0 ? neg_log(1.0 - aj) : yj * neg_log(aj) + (1.0 - yj) * neg_log(1.0 - aj);
        }
        break;
    case NNDL_LOG_LIKELIHOOD:
        for (size_t j = 0; j < n; j++)
            if (y[j] != 0.0f) c += (double)y[j] * neg_log((double)a[j]);
        break;
    }
    return c;
}

double nndl_output_error(nndl_cost cost, nndl_activation f, float *delta, const float *a,
                         const float *y, size_t m, size_t n) {
    double total = 0.0;
    for (size_t i = 0; i < m; i++) {
        const float *ai = a + i * n, *yi = y + i * n;
        float *di = delta + i * n;
        total += nndl_example_cost(cost, ai, yi, n);
        for (size_t j = 0; j < n; j++) di[j] = ai[j] - yi[j]; /* a - y */
    }
    if (cost == NNDL_QUADRATIC) nndl_activation_backward(f, delta, a, m * n); /* BP1 */
    return total;
}
