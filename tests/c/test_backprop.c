/*
 * test_backprop.c — backpropagation checked against finite differences, and by hand.
 *
 * The finite differences are taken of an independent double-precision forward pass written
 * here (the same maths as network.py, none of the library's code), on the float parameters the
 * network holds: central differences with h = 1e-6 in double are exact to about 1e-9, so what
 * the check measures is the error of the library's float32 gradient alone.
 * Tolerance: relative error |g - fd| / max(|g|, |fd|, floor) < 1e-4 for every parameter, where
 * floor = 1e-3 x the largest |fd| of the network. Float32 rounding leaves an absolute error of
 * about 1e-7 x the size of the terms summed; below the floor a gradient is mostly that rounding,
 * and a relative error of it measures nothing.
 */
#include "check.h"
#include "nndl.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

/* Quadratic cost of a batch, summed over its examples, in double. */
static double reference_cost(const nndl_network *net, const double *p, const float *x,
                             const uint8_t *y, size_t m) {
    int L = nndl_network_num_layers(net) - 1;
    double cost = 0, act[2][4096];
    for (size_t i = 0; i < m; i++) {
        int n0 = nndl_network_layer_size(net, 0);
        for (int k = 0; k < n0; k++) act[0][k] = x[i * (size_t)n0 + k];
        for (int l = 1; l <= L; l++) {
            int n = nndl_network_layer_size(net, l), n_in = nndl_network_layer_size(net, l - 1);
            const double *w = p + nndl_network_weights_offset(net, l), *b = p + nndl_network_biases_offset(net, l);
            const double *in = act[(l - 1) & 1];
            double *out = act[l & 1];
            for (int j = 0; j < n; j++) {
                double z = b[j];
                for (int k = 0; k < n_in; k++) z += w[(size_t)j * n_in + k] * in[k];
                out[j] = 1.0 / (1.0 + exp(-z));
            }
        }
        for (int j = 0; j < nndl_network_layer_size(net, L); j++) {
            double d = act[L & 1][j] - (j == y[i] ? 1.0 : 0.0);
            cost += 0.5 * d * d;
        }
    }
    return cost;
}

static void gradient_check(const int *sizes, int num_layers, size_t m, uint64_t seed) {
    nndl_error err;
    nndl_network *net;
    CHECK(nndl_network_create(&net, sizes, num_layers, seed, &err) == NNDL_OK, "%s", err.message);
    nndl_rng rng;
    nndl_rng_seed(&rng, seed + 100);
    size_t n0 = (size_t)sizes[0];
    float *x = malloc(m * n0 * sizeof(float));
    uint8_t *y = malloc(m);
    for (size_t i = 0; i < m * n0; i++) x[i] = (float)nndl_rng_uniform(&rng);
    for (size_t i = 0; i < m; i++) y[i] = (uint8_t)nndl_rng_below(&rng, (uint64_t)sizes[num_layers - 1]);

    double cost = 0;
    CHECK(nndl_network_backprop(net, x, y, m, &cost, &err) == NNDL_OK, "%s", err.message);
    size_t np = nndl_network_num_params(net);
    const float *params = nndl_network_params(net), *grads = nndl_network_grads(net);
    double *p = malloc(np * sizeof(double)), *fd = malloc(np * sizeof(double));
    for (size_t i = 0; i < np; i++) p[i] = params[i];
    double ref = reference_cost(net, p, x, y, m);
    CHECK(fabs(cost - ref) <= 1e-5 * ref + 1e-9, "cost %.9g vs reference %.9g", cost, ref);

    const double h = 1e-6;
    double largest = 0;
    for (size_t i = 0; i < np; i++) {
        double keep = p[i];
        p[i] = keep + h;
        double up = reference_cost(net, p, x, y, m);
        p[i] = keep - h;
        double down = reference_cost(net, p, x, y, m);
        p[i] = keep;
        fd[i] = (up - down) / (2 * h);
        if (fabs(fd[i]) > largest) largest = fabs(fd[i]);
    }
    double worst = 0;
    size_t worst_i = 0;
    for (size_t i = 0; i < np; i++) {
        double denom = fmax(fmax(fabs(grads[i]), fabs(fd[i])), 1e-3 * largest);
        double rel = fabs(grads[i] - fd[i]) / denom;
        if (rel > worst) worst = rel, worst_i = i;
    }
    char shape[64] = "";
    for (int l = 0; l < num_layers; l++)
        snprintf(shape + strlen(shape), sizeof shape - strlen(shape), l ? ",%d" : "%d", sizes[l]);
    printf("gradient check [%s] batch %zu: %zu parameters, worst relative error %.2e\n", shape, m, np, worst);
    CHECK(worst < 1e-4, "[%s] batch %zu: parameter %zu has backprop %.9g, finite difference %.9g (relative error %.2e)",
          shape, m, worst_i, grads[worst_i], fd[worst_i], worst);
    free(p);
    free(fd);
    free(x);
    free(y);
    nndl_network_free(net);
}

/* A network of one neuron, w = 0, b = 0, input 2, label 0 (desired output 1):
 * a = sigma(0) = 1/2, delta = (a - y) sigma'(0) = (-1/2)(1/4) = -1/8,
 * nabla_b = -1/8, nabla_w = delta * x = -1/4, cost = (1/2)(1/2)^2 = 1/8.
 * One SGD step with eta = 1, m = 1: b = 1/8, w = 1/4. All exact in binary. */
static void test_by_hand(void) {
    nndl_error err;
    nndl_network *net;
    const int sizes[] = {1, 1};
    CHECK(nndl_network_create(&net, sizes, 2, 1, &err) == NNDL_OK, "%s", err.message);
    float *p = nndl_network_params(net);
    const float *g = nndl_network_grads(net);
    p[0] = 0.0f; /* w */
    p[1] = 0.0f; /* b */
    const float x = 2.0f;
    const uint8_t y = 0;
    double cost;
    CHECK(nndl_network_backprop(net, &x, &y, 1, &cost, &err) == NNDL_OK, "%s", err.message);
    CHECK(g[0] == -0.25f && g[1] == -0.125f, "nabla_w %g nabla_b %g, want -0.25 -0.125", g[0], g[1]);
    CHECK(cost == 0.125, "cost %g, want 0.125", cost);
    CHECK(nndl_network_sgd_step(net, 1.0f, 1, &err) == NNDL_OK, "%s", err.message);
    CHECK(p[0] == 0.25f && p[1] == 0.125f, "after a step w %g b %g, want 0.25 0.125", p[0], p[1]);
    nndl_network_free(net);

    /* [2,2,2] with hand-set weights: the forward pass is sigma(w a + b), layer by layer. */
    const int sizes2[] = {2, 2, 2};
    CHECK(nndl_network_create(&net, sizes2, 3, 1, &err) == NNDL_OK, "%s", err.message);
    p = nndl_network_params(net);
    const float w1[] = {1, -1, 0.5f, 2}, b1[] = {0, -1}, w2[] = {3, 0, -2, 1}, b2[] = {0.5f, 0};
    memcpy(p + nndl_network_weights_offset(net, 1), w1, sizeof w1);
    memcpy(p + nndl_network_biases_offset(net, 1), b1, sizeof b1);
    memcpy(p + nndl_network_weights_offset(net, 2), w2, sizeof w2);
    memcpy(p + nndl_network_biases_offset(net, 2), b2, sizeof b2);
    const float in[] = {0.25f, 0.75f};
    float out[2];
    CHECK(nndl_network_feedforward(net, out, in, 1, &err) == NNDL_OK, "%s", err.message);
    double h0 = 1 / (1 + exp(-(0.25 - 0.75))), h1 = 1 / (1 + exp(-(0.125 + 1.5 - 1)));
    double o0 = 1 / (1 + exp(-(3 * h0 + 0.5))), o1 = 1 / (1 + exp(-(-2 * h0 + h1)));
    CHECK(fabs(out[0] - o0) < 1e-6 && fabs(out[1] - o1) < 1e-6, "feedforward %g %g, want %g %g",
          out[0], out[1], o0, o1);
    nndl_network_free(net);
}

int main(void) {
    test_by_hand();
    gradient_check((const int[]){1, 1}, 2, 1, 1);
    gradient_check((const int[]){6, 10}, 2, 3, 2);
    gradient_check((const int[]){3, 4, 2}, 3, 1, 3);
    gradient_check((const int[]){5, 7, 3, 4}, 4, 7, 4);
    gradient_check((const int[]){13, 9, 10}, 3, 10, 5);
    gradient_check((const int[]){17, 5, 5, 5, 10}, 5, 11, 6);
    gradient_check((const int[]){40, 30, 10}, 3, 10, 7);
    return check_report("test_backprop");
}
