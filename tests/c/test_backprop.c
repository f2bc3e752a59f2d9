/*
 * test_backprop.c — backpropagation and the SGD step checked against finite differences, for
 * every cost x activation combination, softmax with log-likelihood, dropout with its mask held
 * fixed, the L2 and L1 terms and momentum; and small cases worked by hand.
 *
 * The finite differences are taken of an independent double-precision forward pass in
 * reference.h (the same maths as network.py and network2.py, none of the library's code), on the float
 * parameters the network holds: central differences with h = 1e-6 in double are exact to about
 * 1e-9, so what the checks measure is the error of the library's float32 arithmetic alone.
 * Tolerance: relative error |g - fd| / max(|g|, |fd|, floor) < 1e-4 for every parameter, where
 * floor = 1e-3 x the largest |fd| of the network. Float32 rounding leaves an absolute error of
 * about 1e-7 x the size of the terms summed; below the floor a gradient is mostly that rounding,
 * and a relative error of it measures nothing.
 */
#include "check.h"
#include "nndl.h"
#include "reference.h"
#include "rng.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

static void describe(const problem *q, char *out, size_t len) {
    int k = snprintf(out, len, "[");
    for (int l = 0; l < q->spec.num_layers; l++) k += snprintf(out + k, len - (size_t)k, l ? ",%d" : "%d", q->spec.sizes[l]);
    snprintf(out + k, len - (size_t)k, "] %s hidden, %s output, %s cost, batch %zu", nndl_name(NNDL_NAMES_ACTIVATION, (int)(q->spec.activation[1])),
             nndl_name(NNDL_NAMES_ACTIVATION, (int)(q->spec.activation[q->spec.num_layers - 1])), nndl_name(NNDL_NAMES_COST, (int)(q->spec.cost)), q->m);
}

static problem make_problem(const int *sizes, int layers, nndl_activation hidden, nndl_activation output,
                            nndl_cost cost, size_t m, uint64_t seed) {
    problem q = {0};
    nndl_error err;
    nndl_spec_fully_connected(&q.spec, sizes, layers, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    for (int l = 1; l < layers - 1; l++) q.spec.activation[l] = hidden;
    q.spec.activation[layers - 1] = output;
    q.spec.cost = cost;
    q.spec.init = NNDL_INIT_SCALED;
    CHECK(nndl_network_create_spec(&q.net, &q.spec, seed, &err) == NNDL_OK, "%s", err.message);
    q.m = m;
    q.np = nndl_network_num_params(q.net);
    nndl_rng rng;
    nndl_rng_seed(&rng, seed + 100);
    q.x = malloc(m * (size_t)sizes[0] * sizeof(float));
    q.y = malloc(m);
    for (size_t i = 0; i < m * (size_t)sizes[0]; i++) q.x[i] = (float)nndl_rng_uniform(&rng);
    for (size_t i = 0; i < m; i++) q.y[i] = (uint8_t)nndl_rng_below(&rng, (uint64_t)sizes[layers - 1]);
    return q;
}

static void free_problem(problem *q) {
    nndl_network_free(q->net);
    free(q->x);
    free(q->y);
}

/* Backprop's gradients (and cost) against finite differences of the reference cost. */
static void gradient_check(problem *q, float dropout) {
    nndl_error err;
    double cost = 0;
    CHECK(nndl_network_backprop(q->net, q->x, q->y, q->m, dropout, &cost, &err) == NNDL_OK, "%s", err.message);
    q->keep = 1.0 / (1.0 - dropout);
    for (int l = 1; l < q->spec.num_layers - 1; l++) q->masks[l] = nndl_network_dropout_mask(q->net, l);
    char name[160];
    describe(q, name, sizeof name);
    if (dropout > 0) CHECK(q->masks[1] != NULL, "%s: no dropout mask", name);
    double *p = malloc(q->np * sizeof(double));
    for (size_t i = 0; i < q->np; i++) p[i] = nndl_network_params(q->net)[i];
    double ref = reference_cost(q, p);
    CHECK(fabs(cost - ref) <= 1e-5 * fabs(ref) + 1e-9, "%s: cost %.9g vs reference %.9g", name, cost, ref);
    double *fd = finite_differences(q, 0, 0, 0);
    size_t at = 0;
    double worst = worst_error(nndl_network_grads(q->net), fd, q->np, &at);
    printf("gradient check %s%s%s: worst relative error %.2e\n", name, dropout > 0 ? ", dropout 0.3" : "", q->temperature ? ", temperature 2.5" : "", worst);
    CHECK(worst < 1e-4, "%s: parameter %zu has backprop %.9g, finite difference %.9g (relative error %.2e)", name, at,
          nndl_network_grads(q->net)[at], fd[at], worst);
    free(p);
    free(fd);
}

static void all_combinations(void) {
    static const nndl_activation hidden[] = {NNDL_SIGMOID, NNDL_TANH, NNDL_RELU, NNDL_LINEAR};
    const int sizes[] = {11, 7, 5, 10};
    for (int h = 0; h < 3; h++) {
        for (int o = 0; o < 4; o++) { /* quadratic with every output activation but softmax */
            problem q = make_problem(sizes, 4, hidden[h], hidden[o], NNDL_QUADRATIC, 6, (uint64_t)(10 * h + o));
            gradient_check(&q, 0);
            free_problem(&q);
        }
        problem ce = make_problem(sizes, 4, hidden[h], NNDL_SIGMOID, NNDL_CROSS_ENTROPY, 6, (uint64_t)(40 + h));
        gradient_check(&ce, 0);
        free_problem(&ce);
        problem ll = make_problem(sizes, 4, hidden[h], NNDL_SOFTMAX, NNDL_LOG_LIKELIHOOD, 6, (uint64_t)(50 + h));
        gradient_check(&ll, 0);
        free_problem(&ll);
    }
    /* deeper and wider, network.py's own configuration, and a single layer */
    problem deep = make_problem((const int[]){17, 5, 5, 5, 10}, 5, NNDL_SIGMOID, NNDL_SIGMOID, NNDL_QUADRATIC, 11, 60);
    gradient_check(&deep, 0);
    free_problem(&deep);
    problem wide = make_problem((const int[]){40, 30, 10}, 3, NNDL_RELU, NNDL_SOFTMAX, NNDL_LOG_LIKELIHOOD, 10, 61);
    gradient_check(&wide, 0);
    free_problem(&wide);
    /* a calibrated output (temperature scaling): its activation sees z / T */
    for (int c = 0; c < 2; c++) {
        problem warm = c ? make_problem((const int[]){9, 7, 10}, 3, NNDL_TANH, NNDL_SIGMOID, NNDL_QUADRATIC, 5, 64)
                         : make_problem((const int[]){9, 7, 10}, 3, NNDL_RELU, NNDL_SOFTMAX, NNDL_LOG_LIKELIHOOD, 5, 63);
        warm.temperature = 2.5;
        CHECK(nndl_network_set_temperature(warm.net, 2.5f, NULL) == NNDL_OK, "temperature");
        gradient_check(&warm, 0);
        free_problem(&warm);
    }
    problem single = make_problem((const int[]){6, 10}, 2, NNDL_SIGMOID, NNDL_SIGMOID, NNDL_CROSS_ENTROPY, 3, 62);
    gradient_check(&single, 0);
    free_problem(&single);
}

static void dropout_with_fixed_mask(void) {
    static const nndl_activation hidden[] = {NNDL_SIGMOID, NNDL_TANH, NNDL_RELU};
    for (int h = 0; h < 3; h++) {
        problem q = make_problem((const int[]){9, 12, 8, 10}, 4, hidden[h], NNDL_SOFTMAX, NNDL_LOG_LIKELIHOOD, 5, (uint64_t)(70 + h));
        gradient_check(&q, 0.3f);
        size_t kept = 0, total = 5 * 12;
        for (size_t i = 0; i < total; i++) kept += q.masks[1][i];
        CHECK(kept > 0 && kept < total, "a dropout mask of p = 0.3 kept %zu of %zu", kept, total);
        free_problem(&q);
    }
}

/* After one SGD step w1 = w0 - eta * grad(regularised cost) (network2's rule); after a second
 * with momentum, w2 = w1 + mu (w1 - w0) - eta * grad at w1. The allowance adds, to the relative
 * 1e-4 of the step, the rounding of a float weight itself (2 FLT_EPSILON |w|). */
static void check_step(problem *q, const float *before, const double *g, double eta, double mu,
                       const float *older, const char *what) {
    const float *after = nndl_network_params(q->net);
    double floor = 1e-3 * largest(g, q->np), worst = 0;
    size_t at = 0;
    for (size_t i = 0; i < q->np; i++) {
        double expected = before[i] - eta * g[i] + (older ? mu * ((double)before[i] - older[i]) : 0.0);
        double allowed = 1e-4 * eta * fmax(fabs(g[i]), floor) + 2 * FLT_EPSILON * (fabs(before[i]) + fabs(expected));
        double rel = fabs(after[i] - expected) / allowed;
        if (rel > worst) worst = rel, at = i;
    }
    char name[160];
    describe(q, name, sizeof name);
    CHECK(worst <= 1.0, "%s, %s: parameter %zu is %.9g, expected %.9g", name, what, at, after[at],
          before[at] - eta * g[at]);
}

static void regularisation_and_momentum(void) {
    nndl_error err;
    const struct { float lmbda, l1, mu; int fused; const char *what; } cases[] = {
        {0.8f, 0, 0, 0, "L2, sgd_step"},   {0.8f, 0, 0, 1, "L2, fused training step"},
        {0, 0.5f, 0, 0, "L1, sgd_step"},   {0, 0.5f, 0, 1, "L1, fused training step"},
        {0.3f, 0.2f, 0.7f, 0, "L1 + L2 + momentum, sgd_step"}, {0.3f, 0.2f, 0.7f, 1, "L1 + L2 + momentum, fused"},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        problem q = make_problem((const int[]){8, 6, 10}, 3, NNDL_TANH, NNDL_SIGMOID, NNDL_CROSS_ENTROPY, 10, 80 + c);
        nndl_hyper h = nndl_hyper_default();
        h.mini_batch_size = (uint32_t)q.m;
        h.eta = 0.5f;
        h.lmbda = cases[c].lmbda;
        h.l1 = cases[c].l1;
        h.mu = cases[c].mu;
        /* the same m examples as a data set, for the fused path: one mini-batch of all of them */
        uint8_t *images = malloc(16 + q.m * 8), labels[8 + 10];
        const uint8_t head[16] = {0, 0, 8, 3, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0, 0, 4};
        const uint8_t lhead[8] = {0, 0, 8, 1, 0, 0, 0, 10};
        memcpy(images, head, 16);
        memcpy(labels, lhead, 8);
        for (size_t i = 0; i < q.m * 8; i++) {
            images[16 + i] = (uint8_t)(i * 37 % 256);
            q.x[i] = (float)images[16 + i] / 255.0f;
        }
        memcpy(labels + 8, q.y, q.m);
        nndl_dataset *data;
        CHECK(nndl_dataset_from_idx(&data, images, 16 + q.m * 8, labels, 18, &err) == NNDL_OK, "%s", err.message);
        float *w0 = malloc(q.np * sizeof(float)), *w1 = malloc(q.np * sizeof(float));
        for (int step = 0; step < (h.mu > 0 ? 2 : 1); step++) {
            memcpy(step ? w1 : w0, nndl_network_params(q.net), q.np * sizeof(float));
            double *g = finite_differences(&q, h.lmbda, h.l1, 1);
            if (cases[c].fused) {
                CHECK(nndl_network_train(q.net, data, &h, 1, NULL, &err) == NNDL_OK, "%s", err.message);
            } else {
                CHECK(nndl_network_backprop(q.net, q.x, q.y, q.m, 0, NULL, &err) == NNDL_OK, "%s", err.message);
                CHECK(nndl_network_sgd_step(q.net, &h, q.m, q.m, &err) == NNDL_OK, "%s", err.message);
            }
            check_step(&q, step ? w1 : w0, g, h.eta, h.mu, step ? w0 : NULL, cases[c].what);
            free(g);
        }
        free(w0);
        free(w1);
        free(images);
        nndl_dataset_free(data);
        free_problem(&q);
    }
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
    CHECK(nndl_network_backprop(net, &x, &y, 1, 0, &cost, &err) == NNDL_OK, "%s", err.message);
    CHECK(g[0] == -0.25f && g[1] == -0.125f, "nabla_w %g nabla_b %g, want -0.25 -0.125", g[0], g[1]);
    CHECK(cost == 0.125, "cost %g, want 0.125", cost);
    nndl_hyper h = nndl_hyper_default();
    h.eta = 1.0f;
    CHECK(nndl_network_sgd_step(net, &h, 1, 1, &err) == NNDL_OK, "%s", err.message);
    CHECK(p[0] == 0.25f && p[1] == 0.125f, "after a step w %g b %g, want 0.25 0.125", p[0], p[1]);
    nndl_network_free(net);

    /* The same neuron with the cross-entropy cost: delta = a - y = -1/2 (sigma' cancels),
     * nabla_w = -1, cost = -ln(1/2). */
    nndl_spec spec;
    nndl_spec_fully_connected(&spec, sizes, 2, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    spec.cost = NNDL_CROSS_ENTROPY;
    CHECK(nndl_network_create_spec(&net, &spec, 1, &err) == NNDL_OK, "%s", err.message);
    nndl_network_params(net)[0] = nndl_network_params(net)[1] = 0.0f;
    CHECK(nndl_network_backprop(net, &x, &y, 1, 0, &cost, &err) == NNDL_OK, "%s", err.message);
    g = nndl_network_grads(net);
    CHECK(g[0] == -1.0f && g[1] == -0.5f && fabs(cost - log(2.0)) < 1e-12, "cross-entropy by hand: %g %g %g", g[0], g[1], cost);
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
    CHECK(nndl_network_feedforward(net, NULL, out, in, 1, &err) == NNDL_OK, "%s", err.message);
    double h0 = 1 / (1 + exp(-(0.25 - 0.75))), h1 = 1 / (1 + exp(-(0.125 + 1.5 - 1)));
    double o0 = 1 / (1 + exp(-(3 * h0 + 0.5))), o1 = 1 / (1 + exp(-(-2 * h0 + h1)));
    CHECK(fabs(out[0] - o0) < 1e-6 && fabs(out[1] - o1) < 1e-6, "feedforward %g %g, want %g %g",
          out[0], out[1], o0, o1);
    nndl_network_free(net);
}

int main(void) {
    test_by_hand();
    all_combinations();
    dropout_with_fixed_mask();
    regularisation_and_momentum();
    return check_report("test_backprop");
}
