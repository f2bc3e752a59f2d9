/*
 * test_regression.c — data sets of values and target vectors (nndl_dataset_from_arrays) and the
 * linear output neuron: what the loader refuses, slices, the gradient of a training step against
 * finite differences for every cost with real-valued targets, evaluation that refuses to count
 * digits it has not got, and chapter 4's goal function learnt by a [1, N, 1] network.
 * Not here: digit labels (test_backprop.c, test_network.c).
 */
#include "check.h"
#include "nndl.h"
#include "reference.h"
#include "rng.h"

#include <math.h>
#include <stdlib.h>

static void refusals(void) {
    nndl_error err;
    nndl_dataset *d = NULL;
    float x[4] = {0, 0.5f, 1, 2}, y[4] = {1, 2, 3, 4};
    CHECK_ERROR(nndl_dataset_from_arrays(&d, x, 1, y, 1, 0, &err), NNDL_E_INVALID, err, "at least one example");
    CHECK_ERROR(nndl_dataset_from_arrays(&d, x, 0, y, 1, 4, &err), NNDL_E_INVALID, err, "each must be 1..");
    CHECK_ERROR(nndl_dataset_from_arrays(&d, x, 1, y, 70000, 4, &err), NNDL_E_INVALID, err, "each must be 1..");
    CHECK_ERROR(nndl_dataset_from_arrays(&d, NULL, 1, y, 1, 4, &err), NNDL_E_INVALID, err, "no inputs");
    x[2] = NAN;
    CHECK_ERROR(nndl_dataset_from_arrays(&d, x, 2, y, 2, 2, &err), NNDL_E_INVALID, err, "input 0 of example 1 is not a finite");
    x[2] = 1;
    y[3] = INFINITY;
    CHECK_ERROR(nndl_dataset_from_arrays(&d, x, 2, y, 2, 2, &err), NNDL_E_INVALID, err, "target 1 of example 1");
    CHECK(d == NULL, "a refused set was made");
    y[3] = 4;

    /* two examples of two values and two targets; a slice shares them */
    CHECK(nndl_dataset_from_arrays(&d, x, 2, y, 2, 2, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_count(d) == 2 && nndl_dataset_input_size(d) == 2 && nndl_dataset_target_size(d) == 2,
          "count %zu, inputs %d, targets %d", nndl_dataset_count(d), nndl_dataset_input_size(d), nndl_dataset_target_size(d));
    CHECK(!nndl_dataset_images(d) && !nndl_dataset_labels(d), "a set of values has no images or labels");
    x[0] = 9; /* copied: the caller's arrays are the caller's */
    CHECK(nndl_dataset_inputs(d)[0] == 0.0f, "the inputs were not copied");
    CHECK_ERROR(nndl_dataset_set_shape(d, 3, 1, &err), NNDL_E_INVALID, err, "3 x 1 is not a shape of 2 values");
    CHECK(nndl_dataset_set_shape(d, 2, 1, &err) == NNDL_OK && nndl_dataset_rows(d) == 2 && nndl_dataset_cols(d) == 1, "shape 2 x 1");
    nndl_dataset *tail = NULL, *big = NULL;
    CHECK(nndl_dataset_slice(&tail, d, 1, 1, &err) == NNDL_OK, "%s", err.message);
    nndl_dataset_free(d); /* the slice keeps the values */
    CHECK(nndl_dataset_inputs(tail)[1] == 2.0f && nndl_dataset_targets(tail)[0] == 3.0f, "the slice reads %g, %g",
          (double)nndl_dataset_inputs(tail)[1], (double)nndl_dataset_targets(tail)[0]);
    CHECK_ERROR(nndl_dataset_expand(&big, tail, &err), NNDL_E_INVALID, err, "only a data set of images");

    /* a network whose output does not match the targets, and counting digits, are refused */
    nndl_network *net = NULL;
    CHECK(nndl_network_create(&net, (const int[]){2, 3, 1}, 3, 1, &err) == NNDL_OK, "%s", err.message);
    nndl_hyper h = nndl_hyper_default();
    h.mini_batch_size = 1;
    CHECK_ERROR(nndl_network_train(net, tail, &h, 1, NULL, &err), NNDL_E_INVALID, err, "2 target values per example");
    nndl_network_free(net);
    CHECK(nndl_network_create(&net, (const int[]){2, 3, 2}, 3, 1, &err) == NNDL_OK, "%s", err.message);
    size_t correct = 7;
    uint8_t digit;
    CHECK_ERROR(nndl_network_evaluate(net, NULL, tail, &correct, &err), NNDL_E_INVALID, err, "not digit labels");
    CHECK_ERROR(nndl_network_classify(net, NULL, tail, &digit, &err), NNDL_E_INVALID, err, "not digit labels");
    double cost = -1;
    CHECK(nndl_network_total_cost(net, NULL, tail, 0, 0, &cost, &correct, &err) == NNDL_OK, "%s", err.message);
    CHECK(correct == 0 && cost > 0, "total cost %g, correct %zu", cost, correct);
    nndl_network_free(net);
    nndl_dataset_free(tail);
}

/* One full-batch step of the training loop with eta = m moves the parameters by minus the
 * summed gradient: compared with central differences of the reference cost (reference.h), for
 * a network of the given output and cost, on targets in (0, 1) that sum to 1. */
static void training_gradient(nndl_activation hidden, nndl_activation output, nndl_cost cost, uint64_t seed) {
    const int sizes[] = {3, 6, 4, 2};
    const size_t m = 5;
    problem q = {0};
    nndl_error err;
    nndl_spec_fully_connected(&q.spec, sizes, 4, hidden, NNDL_QUADRATIC, NULL);
    q.spec.activation[3] = output;
    q.spec.cost = cost;
    q.spec.init = NNDL_INIT_SCALED;
    CHECK(nndl_network_create_spec(&q.net, &q.spec, seed, &err) == NNDL_OK, "%s", err.message);
    q.m = m, q.np = nndl_network_num_params(q.net);
    float x[5 * 3], t[5 * 2];
    nndl_rng rng;
    nndl_rng_seed(&rng, seed);
    for (size_t i = 0; i < m * 3; i++) x[i] = (float)(2 * nndl_rng_uniform(&rng) - 1);
    for (size_t i = 0; i < m; i++) { /* in (0, 1) and summing to 1: a target every cost takes */
        float u = (float)(0.1 + 0.8 * nndl_rng_uniform(&rng));
        t[2 * i] = u, t[2 * i + 1] = 1 - u;
    }
    q.x = x, q.t = t;
    double *fd = finite_differences(&q, 0, 0, 0);
    float *before = malloc(q.np * sizeof *before), *got = malloc(q.np * sizeof *got);
    for (size_t i = 0; i < q.np; i++) before[i] = nndl_network_params(q.net)[i];
    nndl_dataset *data = NULL;
    CHECK(nndl_dataset_from_arrays(&data, x, 3, t, 2, m, &err) == NNDL_OK, "%s", err.message);
    nndl_hyper h = nndl_hyper_default();
    h.mini_batch_size = (uint32_t)m, h.eta = (float)m;
    nndl_progress p;
    CHECK(nndl_network_train(q.net, data, &h, 1, &p, &err) == NNDL_OK, "%s", err.message);
    for (size_t i = 0; i < q.np; i++) got[i] = before[i] - nndl_network_params(q.net)[i];
    size_t at = 0;
    double worst = worst_error(got, fd, q.np, &at);
    const char *o = nndl_name(NNDL_NAMES_ACTIVATION, (int)output), *c = nndl_name(NNDL_NAMES_COST, (int)cost);
    printf("training step on targets, %s output, %s cost: worst relative error %.2e\n", o, c, worst);
    /* 1e-3: the step is a float difference of parameters near 1, a few ulps of them */
    CHECK(worst < 1e-3, "%s/%s: parameter %zu moved %.9g, the gradient is %.9g", o, c, at, (double)got[at], fd[at]);
    double *start = malloc(q.np * sizeof *start);
    for (size_t i = 0; i < q.np; i++) start[i] = before[i];
    double ref = reference_cost(&q, start); /* the batch's cost, taken before its step */
    CHECK(fabs(p.cost - ref) <= 1e-5 * fabs(ref), "%s/%s: cost %.9g, reference %.9g", o, c, p.cost, ref);
    free(start);
    free(fd);
    free(before);
    free(got);
    nndl_dataset_free(data);
    nndl_network_free(q.net);
}

/* The book's goal function of chapter 4. */
static double goal(double x) { return 0.2 + 0.4 * x * x + 0.3 * x * sin(15 * x) + 0.05 * cos(50 * x); }

/* Chapter 4 by learning: [1, 30, 1] with sigmoid hidden neurons and a linear output, trained by
 * online SGD with momentum from N(0, 1) weights on 500 samples of f (the figure's defaults),
 * comes within 0.05 of f on average (the book's measure) in a few thousand epochs. */
static void learns_the_goal_function(void) {
    enum { N = 500, GRID = 1001 };
    static float x[N], y[N], grid[GRID], out[GRID];
    for (int i = 0; i < N; i++) x[i] = (float)i / (N - 1), y[i] = (float)goal(x[i]);
    for (int i = 0; i < GRID; i++) grid[i] = (float)i / (GRID - 1);
    nndl_error err;
    nndl_spec spec;
    nndl_network *net = NULL;
    nndl_dataset *data = NULL;
    CHECK(nndl_spec_parse(&spec, "fc30-fc1:linear", 1, 1, NNDL_SIGMOID, &err) == NNDL_OK, "%s", err.message);
    spec.init = NNDL_INIT_LARGE;
    CHECK(nndl_network_create_spec(&net, &spec, 3, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_from_arrays(&data, x, 1, y, 1, N, &err) == NNDL_OK, "%s", err.message);
    nndl_hyper h = nndl_hyper_default();
    h.mini_batch_size = 1, h.eta = 0.03f, h.mu = 0.9f;
    double deviation = 1;
    int epoch = 0;
    for (; epoch < 8000 && deviation >= 0.05; epoch++) {
        CHECK(nndl_network_train_epoch(net, data, &h, NULL, 0, NULL, &err) == NNDL_OK, "%s", err.message);
        if (epoch % 50) continue;
        CHECK(nndl_network_feedforward(net, NULL, out, grid, GRID, &err) == NNDL_OK, "%s", err.message);
        deviation = 0;
        for (int i = 0; i < GRID; i++) deviation += fabs(out[i] - goal(grid[i])) / GRID;
    }
    printf("[1,30,1] on chapter 4's f: average deviation %.4f after %d epochs\n", deviation, epoch);
    CHECK(deviation < 0.05, "average deviation %.4f", deviation);
    nndl_dataset_free(data);
    nndl_network_free(net);
}

int main(void) {
    refusals();
    training_gradient(NNDL_SIGMOID, NNDL_LINEAR, NNDL_QUADRATIC, 1);
    training_gradient(NNDL_TANH, NNDL_LINEAR, NNDL_QUADRATIC, 2);
    training_gradient(NNDL_RELU, NNDL_TANH, NNDL_QUADRATIC, 3);
    training_gradient(NNDL_SIGMOID, NNDL_SIGMOID, NNDL_CROSS_ENTROPY, 4);
    training_gradient(NNDL_TANH, NNDL_SOFTMAX, NNDL_LOG_LIKELIHOOD, 5);
    learns_the_goal_function();
    return check_report("test_regression");
}
