/*
 * functions.h — the activation functions and costs of chapter 3, each forward beside its
 * derivative, applied to a batch (m rows of n values). Not a registry of arbitrary functions:
 * the five activations and three costs of nndl.h.
 */
#ifndef NNDL_FUNCTIONS_H
#define NNDL_FUNCTIONS_H

#include "nndl.h"

/* a = f(z) in place over m rows of n (softmax normalises each row). */
void nndl_activate(nndl_activation f, float *z, size_t m, size_t n);

/* delta <- delta (.) f'(z), with f'(z) computed from a = f(z) (every f here allows it):
 * sigmoid a(1 - a), tanh 1 - a^2, ReLU [a > 0], linear 1. Not for softmax, whose output error the costs
 * give directly. */
void nndl_activation_backward(nndl_activation f, float *delta, const float *a, size_t count);

/* The output error delta^L (BP1) of m examples with targets y (m x n: a label's one-hot vector,
 * or a regression's values), and the cost summed over them:
 *   quadratic      delta = (a - y) (.) f'(z)
 *   cross-entropy  delta = a - y              (sigmoid output: sigma' cancels)
 *   log-likelihood delta = a - y              (softmax output)
 * Costs of a saturated output (ln 0) are counted as the largest finite double would allow, as
 * network2.py's np.nan_to_num does; they stay finite. */
double nndl_output_error(nndl_cost cost, nndl_activation f, float *delta, const float *a,
                         const float *y, size_t m, size_t n);

/* The cost of one example's output a (n values) for its target y (n values). */
double nndl_example_cost(nndl_cost cost, const float *a, const float *y, size_t n);

#endif
