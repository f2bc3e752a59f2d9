/*
 * reference.h — what the gradient checks share: a batch to backpropagate with the dropout masks
 * to hold fixed, an independent double-precision forward pass written from the book's formulas
 * (none of the library's code), its cost and regularised cost, and their central differences.
 * Not a second implementation to train with: it is slow on purpose, one example and one weight
 * at a time.
 */
#ifndef NNDL_REFERENCE_H
#define NNDL_REFERENCE_H

#include "nndl.h"

#include <math.h>
#include <stdlib.h>

/* A network, a batch of m inputs x with labels y (or target vectors t, m x n_L, if t is not
 * NULL), and (after a backprop) its dropout masks. */
typedef struct problem {
    nndl_network *net;
    nndl_spec spec;
    size_t m, np;
    float *x;
    uint8_t *y;
    const float *t;
    double temperature; /* the output's T (0 taken as 1) */
    const uint8_t *masks[NNDL_MAX_LAYERS]; /* dropout masks to apply, or NULL */
    double keep;                           /* 1 / (1 - p) */
} problem;

/* f(z) in double; softmax is left to the caller, which normalises a whole layer. */
static inline double reference_activation(nndl_activation f, double z) {
    switch (f) {
    case NNDL_SIGMOID: return 1.0 / (1.0 + exp(-z));
    case NNDL_TANH: return tanh(z);
    case NNDL_RELU: return z > 0 ? z : 0;
    default: return z;
    }
}

/* One layer of one example in double, maps x rows x cols in (c, y, x) order: the book's
 * formulas for fully connected, convolutional and max-pooling layers. */
static inline void reference_layer(const problem *q, const double *p, int l, const double *in, double *out) {
    const nndl_spec *s = &q->spec;
    const double *w = p + nndl_network_weights_offset(q->net, l), *b = p + nndl_network_biases_offset(q->net, l);
    int R = s->rows[l - 1], C = s->cols[l - 1], fr = s->field_rows[l], fc = s->field_cols[l];
    if (s->kind[l] == NNDL_FULL) {
        double top = -1e300, sum = 0;
        for (int j = 0; j < s->sizes[l]; j++) {
            double z = b[j];
            for (int k = 0; k < s->sizes[l - 1]; k++) z += w[(size_t)j * s->sizes[l - 1] + k] * in[k];
            if (l == s->num_layers - 1 && q->temperature) z /= q->temperature;
            out[j] = reference_activation(s->activation[l], z);
            top = fmax(top, z);
        }
        if (s->activation[l] == NNDL_SOFTMAX) {
            for (int j = 0; j < s->sizes[l]; j++) sum += out[j] = exp(out[j] - top);
            for (int j = 0; j < s->sizes[l]; j++) out[j] /= sum;
        }
        return;
    }
    for (int f = 0; f < s->maps[l]; f++)
        for (int y = 0; y < s->rows[l]; y++)
            for (int x = 0; x < s->cols[l]; x++) {
                double v;
                if (s->kind[l] == NNDL_CONV) {
                    v = b[f];
                    for (int c = 0; c < s->maps[l - 1]; c++)
                        for (int i = 0; i < fr; i++)
                            for (int j = 0; j < fc; j++)
                                v += w[(((size_t)f * s->maps[l - 1] + c) * fr + i) * fc + j] * in[((size_t)c * R + y + i) * C + x + j];
                    v = reference_activation(s->activation[l], v);
                } else {
                    v = -1e300;
                    for (int i = 0; i < fr; i++)
                        for (int j = 0; j < fc; j++) v = fmax(v, in[((size_t)f * R + y * fr + i) * C + x * fc + j]);
                }
                out[((size_t)f * s->rows[l] + y) * s->cols[l] + x] = v;
            }
}

/* The summed cost of the batch for parameters p (laid out as the network's), in double, the
 * dropout masks in q applied. */
static inline double reference_cost(const problem *q, const double *p) {
    const nndl_spec *s = &q->spec;
    int L = s->num_layers - 1;
    double cost = 0, a[2][2048];
    for (size_t i = 0; i < q->m; i++) {
        for (int k = 0; k < s->sizes[0]; k++) a[0][k] = q->x[i * (size_t)s->sizes[0] + k];
        for (int l = 1; l <= L; l++) {
            double *out = a[l & 1];
            reference_layer(q, p, l, a[(l - 1) & 1], out);
            if (q->masks[l])
                for (int j = 0; j < s->sizes[l]; j++) out[j] = q->masks[l][i * (size_t)s->sizes[l] + j] ? out[j] * q->keep : 0;
        }
        const double *o = a[L & 1];
        for (int j = 0; j < s->sizes[L]; j++) {
            double yj = q->t ? q->t[i * (size_t)s->sizes[L] + j] : j == q->y[i];
            if (s->cost == NNDL_QUADRATIC) cost += 0.5 * (o[j] - yj) * (o[j] - yj);
            if (s->cost == NNDL_CROSS_ENTROPY) cost -= yj * log(o[j]) + (1 - yj) * log(1 - o[j]);
            if (s->cost == NNDL_LOG_LIKELIHOOD) cost -= yj * log(o[j]);
        }
    }
    return cost;
}

/* Mean cost plus network2's regularisation terms over the weights, as the update minimises. */
static inline double regularised_cost(const problem *q, const double *p, double lmbda, double l1) {
    double c = reference_cost(q, p) / (double)q->m, sq = 0, abs_sum = 0;
    for (int l = 1; l < q->spec.num_layers; l++)
        for (size_t i = nndl_network_weights_offset(q->net, l); i < nndl_network_biases_offset(q->net, l); i++)
            sq += p[i] * p[i], abs_sum += fabs(p[i]);
    return c + 0.5 * lmbda / (double)q->m * sq + l1 / (double)q->m * abs_sum;
}

/* Central differences (h = 1e-6) at the network's parameters of the summed cost, or with mean
 * of the mean cost regularised by lmbda and l1. The caller frees the array. */
static inline double *finite_differences(const problem *q, double lmbda, double l1, int mean) {
    const float *params = nndl_network_params(q->net);
    double *p = malloc(q->np * sizeof(double)), *fd = malloc(q->np * sizeof(double));
    for (size_t i = 0; i < q->np; i++) p[i] = params[i];
    const double h = 1e-6;
    for (size_t i = 0; i < q->np; i++) {
        double keep = p[i];
        p[i] = keep + h;
        double up = mean ? regularised_cost(q, p, lmbda, l1) : reference_cost(q, p);
        p[i] = keep - h;
        double down = mean ? regularised_cost(q, p, lmbda, l1) : reference_cost(q, p);
        p[i] = keep;
        fd[i] = (up - down) / (2 * h);
    }
    free(p);
    return fd;
}

static inline double largest(const double *v, size_t n) {
    double top = 0;
    for (size_t i = 0; i < n; i++) top = fmax(top, fabs(v[i]));
    return top;
}

/* The worst relative error of got against the finite differences fd: |g - fd| / max(|g|, |fd|,
 * floor), floor = 1e-3 x the largest |fd| (below it a float32 gradient is mostly rounding). */
static inline double worst_error(const float *got, const double *fd, size_t n, size_t *at) {
    double floor = 1e-3 * largest(fd, n), worst = 0;
    for (size_t i = 0; i < n; i++) {
        double rel = fabs(got[i] - fd[i]) / fmax(fmax(fabs(got[i]), fabs(fd[i])), floor);
        if (rel > worst) worst = rel, *at = i;
    }
    return worst;
}

#endif
