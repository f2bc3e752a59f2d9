/*
 * reference.h — what the gradient checks share: a batch to backpropagate with the dropout masks
 * to hold fixed, and the activation functions in double precision, written from the book's
 * formulas rather than taken from the library. Each test writes its own forward pass on top.
 */
#ifndef NNDL_REFERENCE_H
#define NNDL_REFERENCE_H

#include "nndl.h"

#include <math.h>

/* A network, a batch of m inputs x with labels y, and (after a backprop) its dropout masks. */
typedef struct problem {
    nndl_network *net;
    nndl_spec spec;
    size_t m, np;
    float *x;
    uint8_t *y;
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

#endif
