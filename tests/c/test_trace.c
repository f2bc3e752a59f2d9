/*
 * test_trace.c — one example's every number (nndl_network_trace): z, a and delta of each layer
 * worked by hand from the book's equations on a [2, 3, 2] network (BP1, BP2), its gradient equal
 * to backpropagation's (BP3, BP4) and to finite differences, a convolutional network's layers
 * equal to what feedforward gives, the network untouched, and what it refuses; and the random
 * mini-batches the core draws for the noise of chapter 1 (nndl_dataset_sample).
 */
#include "check.h"
#include "internal.h"
#include "nndl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double sigmoid(double z) { return 1.0 / (1.0 + exp(-z)); }

static void by_hand(void) {
    nndl_network *net = NULL;
    nndl_error err;
    CHECK(nndl_network_create(&net, (const int[]){2, 3, 2}, 3, 7, &err) == NNDL_OK, "%s", err.message);
    const float *p = nndl_network_params(net);
    const float x[2] = {0.3f, -0.8f}, y[2] = {1.0f, 0.0f};
    size_t n = nndl_network_trace_size(net), np = nndl_network_num_params(net);
    CHECK(n == 5, "trace size %zu", n);
    float z[5], a[5], delta[5], *nabla = malloc(np * sizeof *nabla), *before = malloc(np * sizeof *before);
    memcpy(before, p, np * sizeof *before);
    double cost;
    CHECK(nndl_network_trace(net, NULL, x, y, z, a, delta, nabla, &cost, &err) == NNDL_OK, "%s", err.message);
    CHECK(!memcmp(before, nndl_network_params(net), np * sizeof *before), "the trace changed the network");
    /* forward: z^1 = w^1 x + b^1, a^1 = σ(z^1); z^2 = w^2 a^1 + b^2 */
    const float *w1 = p + nndl_network_weights_offset(net, 1), *b1 = p + nndl_network_biases_offset(net, 1);
    const float *w2 = p + nndl_network_weights_offset(net, 2), *b2 = p + nndl_network_biases_offset(net, 2);
    double hz[5], ha[5], hd[5], c = 0;
    for (int j = 0; j < 3; j++) hz[j] = b1[j] + w1[2 * j] * x[0] + w1[2 * j + 1] * x[1], ha[j] = sigmoid(hz[j]);
    for (int j = 0; j < 2; j++) {
        hz[3 + j] = b2[j];
        for (int k = 0; k < 3; k++) hz[3 + j] += w2[3 * j + k] * ha[k];
        ha[3 + j] = sigmoid(hz[3 + j]);
        hd[3 + j] = (ha[3 + j] - y[j]) * ha[3 + j] * (1 - ha[3 + j]); /* BP1, quadratic cost */
        c += 0.5 * (ha[3 + j] - y[j]) * (ha[3 + j] - y[j]);
    }
    for (int k = 0; k < 3; k++) /* BP2 */
        hd[k] = (w2[k] * hd[3] + w2[3 + k] * hd[4]) * ha[k] * (1 - ha[k]);
    for (int i = 0; i < 5; i++)
        CHECK(fabs(z[i] - hz[i]) < 1e-5 && fabs(a[i] - ha[i]) < 1e-6 && fabs(delta[i] - hd[i]) < 1e-6,
              "value %d: z %g (%g), a %g (%g), delta %g (%g)", i, (double)z[i], hz[i], (double)a[i], ha[i], (double)delta[i], hd[i]);
    CHECK(fabs(cost - c) < 1e-6, "cost %g, by hand %g", cost, c);
    /* BP3, BP4: the gradient is backprop's, and the cost's central difference */
    const uint8_t label = 0;
    CHECK(nndl_network_backprop(net, x, &label, 1, 0.0f, NULL, &err) == NNDL_OK, "%s", err.message);
    for (size_t i = 0; i < np; i++) {
        CHECK(fabsf(nabla[i] - nndl_network_grads(net)[i]) < 1e-7f, "parameter %zu: %g, backprop %g", i, (double)nabla[i],
              (double)nndl_network_grads(net)[i]);
        float *q = nndl_network_params(net), keep = q[i];
        double up, down, h = 1e-2;
        q[i] = keep + (float)h;
        nndl_network_trace(net, NULL, x, y, NULL, NULL, NULL, NULL, &up, &err);
        q[i] = keep - (float)h;
        nndl_network_trace(net, NULL, x, y, NULL, NULL, NULL, NULL, &down, &err);
        q[i] = keep;
        double fd = (up - down) / (2 * h);
        CHECK(fabs(fd - nabla[i]) < 1e-4 * fmax(1, fabs(fd)) + 1e-5, "parameter %zu: %g, finite difference %g", i, (double)nabla[i], fd);
    }
    CHECK_ERROR(nndl_network_trace(net, NULL, x, NULL, z, a, delta, NULL, NULL, &err), NNDL_E_INVALID, err, "need a target");
    free(nabla);
    free(before);
    nndl_network_free(net);
}

/* A convolutional network: every layer's a, and the last one what feedforward gives. */
static void convolutional(void) {
    nndl_spec spec;
    nndl_error err;
    nndl_network *net = NULL;
    CHECK(nndl_spec_parse(&spec, "conv3x3x3-pool2-fc5-softmax4", 8, 8, NNDL_RELU, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_create_spec(&net, &spec, 2, &err) == NNDL_OK, "%s", err.message);
    float x[64], y[4] = {0, 0, 1, 0}, out[4];
    for (int i = 0; i < 64; i++) x[i] = (float)((i * 13) % 17) / 17.0f;
    size_t n = nndl_network_trace_size(net);
    CHECK(n == 3 * 36 + 3 * 9 + 5 + 4, "trace size %zu", n);
    float *z = malloc(n * sizeof *z), *a = malloc(n * sizeof *a), *delta = malloc(n * sizeof *delta);
    CHECK(nndl_network_trace(net, NULL, x, y, z, a, delta, NULL, NULL, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_feedforward(net, NULL, out, x, 1, &err) == NNDL_OK, "%s", err.message);
    for (int j = 0; j < 4; j++) CHECK(a[n - 4 + j] == out[j], "output %d: %g, feedforward %g", j, (double)a[n - 4 + j], (double)out[j]);
    for (size_t i = 0; i < 108; i++) CHECK(a[i] == (z[i] > 0 ? z[i] : 0), "conv value %zu: relu(%g) is not %g", i, (double)z[i], (double)a[i]);
    for (size_t i = 108; i < 135; i++) CHECK(z[i] == a[i], "a pooling layer's z is its a");
    /* max-pooling: each output is the largest of its 2 x 2 block of the map before */
    for (int c = 0; c < 3; c++)
        for (int r = 0; r < 3; r++)
            for (int q = 0; q < 3; q++) {
                const float *m = a + c * 36;
                float top = fmaxf(fmaxf(m[(2 * r) * 6 + 2 * q], m[(2 * r) * 6 + 2 * q + 1]), fmaxf(m[(2 * r + 1) * 6 + 2 * q], m[(2 * r + 1) * 6 + 2 * q + 1]));
                CHECK(a[108 + c * 9 + r * 3 + q] == top, "pooled %d,%d,%d", c, r, q);
            }
    free(z);
    free(a);
    free(delta);
    nndl_network_free(net);
}

/* The gradient of a set of examples: the sum of their traces' gradients, in any order of chunks. */
static void gradient_of_a_set(void) {
    nndl_network *net = NULL;
    nndl_error err;
    CHECK(nndl_network_create(&net, (const int[]){6, 5, 10}, 3, 4, &err) == NNDL_OK, "%s", err.message);
    enum { N = 300 };
    static uint8_t images[N * 6], labels[N];
    for (int i = 0; i < N * 6; i++) images[i] = (uint8_t)((i * 37) % 256);
    for (int i = 0; i < N; i++) labels[i] = (uint8_t)(i % 10);
    uint8_t *copy = malloc(sizeof images);
    memcpy(copy, images, sizeof images);
    nndl_dataset *data = NULL;
    CHECK(nndl_dataset_adopt(&data, copy, N, 2, 3, labels, &err) == NNDL_OK, "%s", err.message);
    size_t np = nndl_network_num_params(net), pick[3] = {299, 7, 7};
    float *sum = calloc(np, sizeof *sum), *got = malloc(np * sizeof *got), *one = malloc(np * sizeof *one);
    double cost, total = 0, c;
    CHECK(nndl_network_gradient(net, data, NULL, N, got, &cost, &err) == NNDL_OK, "%s", err.message);
    for (int i = 0; i < N; i++) {
        float x[6], y[10] = {0};
        for (int k = 0; k < 6; k++) x[k] = images[i * 6 + k] / 255.0f;
        y[labels[i]] = 1;
        nndl_network_trace(net, NULL, x, y, NULL, NULL, NULL, one, &c, &err);
        for (size_t p = 0; p < np; p++) sum[p] += one[p];
        total += c;
    }
    double worst = 0;
    for (size_t p = 0; p < np; p++) worst = fmax(worst, fabs(got[p] - sum[p]) / fmax(1e-3, fabs(sum[p])));
    CHECK(worst < 1e-4 && fabs(cost - total) < 1e-6 * total, "gradient of the set vs summed traces: %g; cost %g vs %g", worst, cost, total);
    CHECK(nndl_network_gradient(net, data, pick, 3, got, NULL, &err) == NNDL_OK, "%s", err.message);
    size_t bad[1] = {300};
    CHECK_ERROR(nndl_network_gradient(net, data, bad, 1, got, NULL, &err), NNDL_E_INVALID, err, "example 300 is not in a set of 300");
    CHECK_ERROR(nndl_network_gradient(net, data, NULL, 301, got, NULL, &err), NNDL_E_INVALID, err, "301 examples asked");
    free(sum); free(got); free(one);
    nndl_dataset_free(data);
    nndl_network_free(net);
}

/* m different examples of the set, the same for a seed, others for another; all of them when m
 * is the set's size; none asked or more than there are refused. */
static void random_mini_batches(void) {
    enum { N = 50 };
    static uint8_t images[N * 4], labels[N];
    uint8_t *copy = malloc(sizeof images);
    memcpy(copy, images, sizeof images);
    nndl_dataset *data = NULL;
    nndl_error err;
    CHECK(nndl_dataset_adopt(&data, copy, N, 2, 2, labels, &err) == NNDL_OK, "%s", err.message);
    size_t a[N], b[N], c[10];
    CHECK(nndl_dataset_sample(data, 10, 7, a, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_sample(data, 10, 7, b, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_sample(data, 10, 8, c, &err) == NNDL_OK, "%s", err.message);
    CHECK(memcmp(a, b, 10 * sizeof *a) == 0, "the same seed drew another mini-batch");
    CHECK(memcmp(a, c, 10 * sizeof *a) != 0, "another seed drew the same mini-batch");
    for (int i = 0; i < 10; i++)
        for (int j = 0; j < i; j++) CHECK(a[i] != a[j] && a[i] < N, "example %zu drawn twice or out of the set", a[i]);
    CHECK(nndl_dataset_sample(data, N, 3, a, &err) == NNDL_OK, "%s", err.message);
    int seen[N] = {0};
    for (int i = 0; i < N; i++) seen[a[i]]++;
    for (int i = 0; i < N; i++) CHECK(seen[i] == 1, "a sample of the whole set holds example %d %d times", i, seen[i]);
    CHECK_ERROR(nndl_dataset_sample(data, N + 1, 3, a, &err), NNDL_E_INVALID, err, "51 examples asked of a set of 50");
    CHECK_ERROR(nndl_dataset_sample(data, 0, 3, a, &err), NNDL_E_INVALID, err, "0 examples asked");
    nndl_dataset_free(data);
}

/* f'(z) as backpropagation takes it, from a: each activation's rule at hand-picked values, and
 * what has no derivative of its own refused (softmax, pooling, a layer that is not there). */
static void activation_prime(void) {
    nndl_error err;
    nndl_spec spec;
    nndl_network *net = NULL;
    CHECK(nndl_spec_parse(&spec, "conv3x3x2-pool2-fc4-softmax3", 8, 8, NNDL_TANH, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_create_spec(&net, &spec, 1, &err) == NNDL_OK, "%s", err.message);
    const float a[3] = {0.5f, -0.6f, 0.0f};
    float prime[3];
    CHECK(nndl_network_activation_prime(net, 1, a, 3, prime, &err) == NNDL_OK, "%s", err.message);
    CHECK(prime[0] == 0.75f && fabsf(prime[1] - 0.64f) < 1e-7f && prime[2] == 1.0f, "tanh': %g %g %g", (double)prime[0], (double)prime[1], (double)prime[2]);
    CHECK_ERROR(nndl_network_activation_prime(net, 2, a, 3, prime, &err), NNDL_E_INVALID, err, "pooling has no activation");
    CHECK_ERROR(nndl_network_activation_prime(net, 4, a, 3, prime, &err), NNDL_E_INVALID, err, "softmax's derivative is a matrix");
    CHECK_ERROR(nndl_network_activation_prime(net, 5, a, 3, prime, &err), NNDL_E_INVALID, err, "there is no layer 5");
    CHECK_ERROR(nndl_network_activation_prime(net, 0, a, 3, prime, &err), NNDL_E_INVALID, err, "the input has no activation");
    nndl_network_free(net);
    CHECK(nndl_spec_parse(&spec, "fc3-fc2", 1, 2, NNDL_RELU, &err) == NNDL_OK, "%s", err.message);
    spec.activation[2] = NNDL_SIGMOID;
    CHECK(nndl_network_create_spec(&net, &spec, 1, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_activation_prime(net, 1, a, 3, prime, &err) == NNDL_OK, "%s", err.message);
    CHECK(prime[0] == 1.0f && prime[1] == 0.0f && prime[2] == 0.0f, "ReLU': %g %g %g", (double)prime[0], (double)prime[1], (double)prime[2]);
    CHECK(nndl_network_activation_prime(net, 2, a, 3, prime, &err) == NNDL_OK, "%s", err.message);
    CHECK(prime[0] == 0.25f && fabsf(prime[1] + 0.96f) < 1e-6f && prime[2] == 0.0f, "sigma': %g %g %g", (double)prime[0], (double)prime[1], (double)prime[2]);
    nndl_network_free(net);
}

int main(void) {
    activation_prime();
    random_mini_batches();
    gradient_of_a_set();
    by_hand();
    convolutional();
    return check_report("test_trace");
}
