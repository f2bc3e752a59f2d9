/*
 * test_network.c — networks as a user meets them: N(0,1) initialisation that a seed repeats,
 * training that learns and repeats bit for bit, evaluation, progress and stopping, and every
 * bad argument refused with a message.
 */
#include "check.h"
#include "nndl.h"
#include "synthetic.h"

#include <math.h>

/* Hyper-parameters of plain SGD with mini-batch m and learning rate e. */
#define HP(m, e) (&(nndl_hyper){.mini_batch_size = (m), .eta = (e)})

static nndl_network *make(const int *sizes, int n, uint64_t seed) {
    nndl_error err;
    nndl_network *net = NULL;
    int status = nndl_network_create(&net, sizes, n, seed, &err);
    CHECK(status == NNDL_OK, "create: %s", err.message);
    return net;
}

static void test_initialisation(void) {
    const int sizes[] = {784, 30, 10};
    nndl_network *a = make(sizes, 3, 5), *b = make(sizes, 3, 5), *c = make(sizes, 3, 6);
    size_t n = nndl_network_num_params(a);
    CHECK(n == 784 * 30 + 30 + 30 * 10 + 10, "num_params %zu", n);
    CHECK(nndl_network_weights_offset(a, 1) == 0 && nndl_network_biases_offset(a, 1) == 23520 &&
              nndl_network_weights_offset(a, 2) == 23550 && nndl_network_biases_offset(a, 2) == 23850,
          "parameter layout");
    CHECK(!memcmp(nndl_network_params(a), nndl_network_params(b), n * sizeof(float)), "same seed, other weights");
    CHECK(memcmp(nndl_network_params(a), nndl_network_params(c), n * sizeof(float)), "other seed, same weights");
    double sum = 0, sq = 0;
    const float *p = nndl_network_params(a);
    for (size_t i = 0; i < n; i++) sum += p[i], sq += (double)p[i] * p[i];
    double mean = sum / (double)n, var = sq / (double)n - mean * mean;
    CHECK(fabs(mean) < 0.03 && fabs(var - 1) < 0.03, "weights N(0,1)? mean %g variance %g", mean, var);
    nndl_network_free(a);
    nndl_network_free(b);
    nndl_network_free(c);
}

typedef struct counter {
    int calls;
    size_t last;
    int stop_at;
} counter;

static int count_progress(void *user, const nndl_progress *p) {
    size_t done = p->done, total = p->total;
    counter *c = user;
    c->calls++;
    CHECK(done > c->last && done <= total, "progress went from %zu to %zu of %zu", c->last, done, total);
    c->last = done;
    return c->stop_at && c->calls >= c->stop_at;
}

static void test_training(void) {
    nndl_error err;
    nndl_dataset *train = make_dataset(2003, 4, 5, 11), *test = make_dataset(500, 4, 5, 12);
    const int sizes[] = {20, 15, 10};
    nndl_network *a = make(sizes, 3, 9), *b = make(sizes, 3, 9);
    size_t before = 0, after = 0;
    CHECK(nndl_network_evaluate(a, NULL, test, &before, &err) == NNDL_OK, "%s", err.message);
    for (int epoch = 0; epoch < 5; epoch++) {
        counter progress = {0, 0, 0};
        /* 2003 examples in mini-batches of 10: the last one is short (3). */
        CHECK(nndl_network_train_epoch(a, train, HP(10, 3.0f), count_progress, 50, &progress, &err) == NNDL_OK,
              "%s", err.message);
        CHECK(progress.calls == 5 && progress.last == 2003, "%d progress calls, last %zu", progress.calls, progress.last);
        CHECK(nndl_network_train_epoch(b, train, HP(10, 3.0f), NULL, 0, NULL, &err) == NNDL_OK, "%s", err.message);
    }
    CHECK(nndl_network_evaluate(a, NULL, test, &after, &err) == NNDL_OK, "%s", err.message);
    printf("synthetic data: %zu / 500 before training, %zu / 500 after 5 epochs\n", before, after);
    CHECK(after >= 480, "only %zu / 500 after 5 epochs", after);
    CHECK(!memcmp(nndl_network_params(a), nndl_network_params(b), nndl_network_num_params(a) * sizeof(float)),
          "same seed, same data, different weights after training");

    /* predict agrees with feedforward and with the argmax evaluate uses */
    float x[20], out[10], act[10];
    for (int k = 0; k < 20; k++) x[k] = nndl_dataset_images(test)[k] / 255.0f;
    CHECK(nndl_network_feedforward(a, NULL, out, x, 1, &err) == NNDL_OK, "%s", err.message);
    int digit = nndl_network_predict(a, NULL, x, act, &err);
    CHECK(digit >= 0 && digit <= 9 && !memcmp(out, act, sizeof out), "predict %d disagrees with feedforward", digit);

    /* stopping from the callback */
    counter stop = {0, 0, 2};
    CHECK_ERROR(nndl_network_train_epoch(a, train, HP(10, 3.0f), count_progress, 20, &stop, &err), NNDL_E_STOPPED, err, "stopped");

    /* a Worker's chunks of mini-batches are the same as a whole epoch, and end with it */
    nndl_network *c = make(sizes, 3, 21), *d = make(sizes, 3, 21);
    CHECK(nndl_network_train_epoch(c, train, HP(7, 0.5f), NULL, 0, NULL, &err) == NNDL_OK, "%s", err.message);
    nndl_progress p = {0};
    int calls = 0;
    while (!p.epoch_done && calls++ < 100) {
        CHECK(nndl_network_train(d, train, HP(7, 0.5f), 33, &p, &err) == NNDL_OK, "%s", err.message);
        CHECK(p.batches == (p.epoch_done ? 23 : 33) && p.total == 2003, "%zu mini-batches of %zu", p.batches, p.total);
    }
    CHECK(calls == 9 && p.epoch == 1 && p.done == 2003, "%d calls for an epoch of 287 mini-batches", calls);
    CHECK(!memcmp(nndl_network_params(c), nndl_network_params(d), nndl_network_num_params(c) * sizeof(float)),
          "training in chunks differs from a whole epoch");

    /* resuming an epoch interrupted after 700 examples (a reloaded page): the rest of a fresh
     * order, then the epoch ends, counted after the epochs said to be complete */
    CHECK(nndl_network_resume(d, train, 4, 700, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_train(d, train, HP(7, 0.5f), 1000, &p, &err) == NNDL_OK, "%s", err.message);
    CHECK(p.examples == 2003 - 700 && p.epoch_done && p.epoch == 5 && p.done == 2003,
          "resumed: %zu examples, epoch %u", p.examples, (unsigned)p.epoch);
    CHECK_ERROR(nndl_network_resume(d, train, 0, 2003, &err), NNDL_E_INVALID, err, "not inside an epoch of 2003");
    CHECK_ERROR(nndl_network_resume(d, NULL, 0, 1, &err), NNDL_E_INVALID, err, "no data set");
    nndl_network_free(a);
    nndl_network_free(b);
    nndl_network_free(c);
    nndl_network_free(d);
    nndl_dataset_free(train);
    nndl_dataset_free(test);
}

/* Training fuses the weight step into backpropagation; it must agree with the plain path,
 * backprop into the gradients buffer then sgd_step, up to rounding. */
static void test_fused_step(void) {
    nndl_error err;
    nndl_dataset *data = make_dataset(10, 4, 5, 8);
    const int sizes[] = {20, 12, 7, 10};
    nndl_network *fused = make(sizes, 4, 30), *plain = make(sizes, 4, 30);
    float x[10 * 20];
    double cost = -1, plain_cost = -2;
    for (int i = 0; i < 10 * 20; i++) x[i] = nndl_dataset_images(data)[i] / 255.0f;
    nndl_progress p;
    CHECK(nndl_network_train(fused, data, HP(10, 2.5f), 1, &p, &err) == NNDL_OK, "%s", err.message);
    cost = p.cost;
    CHECK(nndl_network_backprop(plain, x, nndl_dataset_labels(data), 10, 0, &plain_cost, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_sgd_step(plain, HP(10, 2.5f), 10, 10, &err) == NNDL_OK, "%s", err.message);
    CHECK(fabs(cost - plain_cost) < 1e-5 * plain_cost, "training cost %.9g, backprop cost %.9g", cost, plain_cost);
    const float *a = nndl_network_params(fused), *b = nndl_network_params(plain);
    float worst = 0;
    for (size_t i = 0; i < nndl_network_num_params(plain); i++)
        worst = fmaxf(worst, fabsf(a[i] - b[i]) / (1.0f + fabsf(b[i])));
    CHECK(worst < 1e-6f, "fused and plain SGD steps differ by %g", worst);
    nndl_network_free(fused);
    nndl_network_free(plain);
    nndl_dataset_free(data);
}

static void test_divergence(void) {
    nndl_error err;
    nndl_dataset *train = make_dataset(100, 4, 5, 3);
    const int sizes[] = {20, 8, 10};
    nndl_network *net = make(sizes, 3, 4);
    nndl_network_params(net)[5] = NAN; /* as if an absurd learning rate had got there */
    CHECK_ERROR(nndl_network_train_epoch(net, train, HP(10, 3.0f), NULL, 0, NULL, &err), NNDL_E_DIVERGED, err,
                "smaller learning rate");
    nndl_network_free(net);

    /* eta = 1e30 throws the weights past NNDL_MAX_WEIGHT at once; eta = 100 fails quietly
     * (saturated neurons, weights near 10) and is not divergence. */
    net = make(sizes, 3, 4);
    CHECK_ERROR(nndl_network_train_epoch(net, train, HP(10, 1e30f), NULL, 0, NULL, &err), NNDL_E_DIVERGED, err,
                "eta = 1e+30");
    nndl_network_free(net);
    net = make(sizes, 3, 4);
    for (int epoch = 0; epoch < 5; epoch++)
        CHECK(nndl_network_train_epoch(net, train, HP(10, 100.0f), NULL, 0, NULL, &err) == NNDL_OK, "eta 100: %s", err.message);
    /* the plain path reports it too */
    nndl_network_params(net)[7] = 2e6f;
    const float x[20] = {0};
    const uint8_t y = 3;
    CHECK(nndl_network_backprop(net, x, &y, 1, 0, NULL, &err) == NNDL_OK, "%s", err.message);
    CHECK_ERROR(nndl_network_sgd_step(net, HP(1, 0.0f), 1, 1, &err), NNDL_E_DIVERGED, err, "went past 1e+06");
    nndl_network_free(net);
    nndl_dataset_free(train);
}

static void test_bad_arguments(void) {
    nndl_error err;
    nndl_network *net = NULL;
    CHECK_ERROR(nndl_network_create(&net, (const int[]){784, 0, 10}, 3, 1, &err), NNDL_E_INVALID, err, "layer 1 has 0");
    CHECK(net == NULL, "a failed create left a network");
    CHECK_ERROR(nndl_network_create(&net, (const int[]){784, 100000, 10}, 3, 1, &err), NNDL_E_INVALID, err, "100000");
    CHECK_ERROR(nndl_network_create(&net, (const int[]){784}, 1, 1, &err), NNDL_E_INVALID, err, "2 to 64 layers");
    CHECK_ERROR(nndl_network_create(&net, NULL, 3, 1, &err), NNDL_E_INVALID, err, "sizes");
    /* 65536 x 65536 x 63 layers would be over a terabyte: refused as too big, not attempted */
    int huge[NNDL_MAX_LAYERS];
    for (int l = 0; l < NNDL_MAX_LAYERS; l++) huge[l] = NNDL_MAX_LAYER_SIZE;
    CHECK_ERROR(nndl_network_create(&net, huge, NNDL_MAX_LAYERS, 1, &err), NNDL_E_NOMEM, err, "limit");

    nndl_dataset *train = make_dataset(100, 4, 5, 3), *wrong = make_dataset(100, 5, 5, 3);
    net = make((const int[]){20, 8, 10}, 3, 4);
    CHECK_ERROR(nndl_network_train_epoch(net, train, HP(0, 3.0f), NULL, 0, NULL, &err), NNDL_E_INVALID, err, "mini-batch size");
    CHECK_ERROR(nndl_network_train_epoch(net, train, HP(101, 3.0f), NULL, 0, NULL, &err), NNDL_E_INVALID, err, "mini-batch size");
    CHECK_ERROR(nndl_network_train_epoch(net, train, HP(10, NAN), NULL, 0, NULL, &err), NNDL_E_INVALID, err, "eta");
    CHECK_ERROR(nndl_network_train_epoch(net, train, HP(10, -1.0f), NULL, 0, NULL, &err), NNDL_E_INVALID, err, "eta");
    CHECK_ERROR(nndl_network_train_epoch(net, wrong, HP(10, 1.0f), NULL, 0, NULL, &err), NNDL_E_INVALID, err, "25 values");
    nndl_network *fresh = make((const int[]){20, 8, 10}, 3, 4);
    CHECK(!memcmp(nndl_network_params(fresh), nndl_network_params(net), nndl_network_num_params(net) * sizeof(float)),
          "failed calls changed the weights");
    CHECK_ERROR(nndl_network_train(fresh, train, HP(10, 1.0f), 0, NULL, &err), NNDL_E_INVALID, err, "no mini-batches");
    nndl_network_free(fresh);
    size_t right;
    CHECK_ERROR(nndl_network_evaluate(net, NULL, wrong, &right, &err), NNDL_E_INVALID, err, "input layer");
    const float x[20] = {0};
    const uint8_t y = 10;
    CHECK_ERROR(nndl_network_backprop(net, x, &y, 1, 0, NULL, &err), NNDL_E_INVALID, err, "label 10");
    CHECK_ERROR(nndl_network_sgd_step(net, HP(10, INFINITY), 10, 10, &err), NNDL_E_INVALID, err, "eta");
    nndl_network *not_digits = make((const int[]){20, 8, 3}, 3, 4);
    CHECK_ERROR(nndl_network_evaluate(not_digits, NULL, train, &right, &err), NNDL_E_INVALID, err, "need 10");
    CHECK(strcmp(nndl_status_name(NNDL_E_DIVERGED), "training diverged") == 0, "status name");
    nndl_network_free(not_digits);
    nndl_network_free(net);
    nndl_network_free(NULL);
    nndl_dataset_free(train);
    nndl_dataset_free(wrong);
}

/* Specs that cannot work are refused with a reason. */
static void test_specs(void) {
    nndl_error err;
    nndl_network *net = NULL;
    nndl_spec spec;
    const int sizes[] = {20, 8, 10};
    nndl_spec_fully_connected(&spec, sizes, 3, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    spec.activation[1] = NNDL_SOFTMAX;
    CHECK_ERROR(nndl_network_create_spec(&net, &spec, 1, &err), NNDL_E_INVALID, err, "output layer only");
    nndl_spec_fully_connected(&spec, sizes, 3, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    spec.cost = NNDL_LOG_LIKELIHOOD;
    CHECK_ERROR(nndl_network_create_spec(&net, &spec, 1, &err), NNDL_E_INVALID, err, "go together");
    spec.cost = NNDL_CROSS_ENTROPY;
    spec.activation[2] = NNDL_RELU;
    CHECK_ERROR(nndl_network_create_spec(&net, &spec, 1, &err), NNDL_E_INVALID, err, "needs sigmoid outputs");
    spec.activation[2] = (nndl_activation)9;
    CHECK_ERROR(nndl_network_create_spec(&net, &spec, 1, &err), NNDL_E_INVALID, err, "unknown activation");
    CHECK(net == NULL, "a refused spec left a network");
    CHECK(nndl_name_parse(NNDL_NAMES_COST, "cross-entropy") == NNDL_CROSS_ENTROPY && nndl_name_parse(NNDL_NAMES_ACTIVATION, "relu") == NNDL_RELU &&
              nndl_name_parse(NNDL_NAMES_INIT, "scaled") == NNDL_INIT_SCALED && nndl_name_parse(NNDL_NAMES_COST, "mse") == -1,
          "names");

    /* network2's initialisation: weights N(0, 1/n_in) */
    const int big[] = {400, 300, 10};
    nndl_spec_fully_connected(&spec, big, 3, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    spec.init = NNDL_INIT_SCALED;
    CHECK(nndl_network_create_spec(&net, &spec, 3, &err) == NNDL_OK, "%s", err.message);
    const float *w = nndl_network_params(net);
    double sq = 0;
    for (size_t i = 0; i < 400 * 300; i++) sq += (double)w[i] * w[i];
    CHECK(fabs(sq / (400 * 300) - 1.0 / 400) < 0.05 / 400, "scaled weights have variance %g, not 1/400", sq / (400 * 300));
    nndl_spec back;
    nndl_network_get_spec(net, &back);
    CHECK(back.init == NNDL_INIT_SCALED && back.sizes[1] == 300, "get_spec");
    nndl_network_free(net);
}

/* Chapter 3's techniques each train the synthetic set, and report what they should. */
static void test_chapter3_training(void) {
    nndl_error err;
    nndl_dataset *train = make_dataset(2000, 4, 5, 11), *test = make_dataset(500, 4, 5, 12);
    nndl_spec spec;
    nndl_spec_fully_connected(&spec, (const int[]){20, 16, 16, 10}, 4, NNDL_SIGMOID, NNDL_QUADRATIC, NULL);
    spec.activation[1] = spec.activation[2] = NNDL_RELU;
    spec.activation[3] = NNDL_SOFTMAX;
    spec.cost = NNDL_LOG_LIKELIHOOD;
    spec.init = NNDL_INIT_SCALED;
    const struct { nndl_hyper h; const char *what; } runs[] = {
        {{10, 0.1f, 0, 0, 0, 0, 0, 0, 0, 0}, "plain"},
        {{10, 0.1f, 5.0f, 0, 0, 0, 0, 0, 0, 0}, "L2"},
        {{10, 0.1f, 0, 1.0f, 0, 0, 0, 0, 0, 0}, "L1"},
        {{10, 0.05f, 0, 0, 0.9f, 0, 0, 0, 0, 0}, "momentum"},
        {{10, 0.1f, 0, 0, 0, 0.3f, 0, 0, 0, 0}, "dropout"},
        {{10, 0.1f, 0, 0, 0, 0, 10.0f, 0.5f, 0, 0}, "rotations and shifts"},
        {{10, 0.1f, 0, 0, 0, 0, 0, 0, 0.1f, 2.0f}, "slant and elastic distortion (mild: 4 x 5 pixels)"},
    };
    for (size_t r = 0; r < sizeof runs / sizeof runs[0]; r++) {
        nndl_network *net;
        CHECK(nndl_network_create_spec(&net, &spec, 5, &err) == NNDL_OK, "%s", err.message);
        for (int epoch = 0; epoch < 4; epoch++)
            CHECK(nndl_network_train_epoch(net, train, &runs[r].h, NULL, 0, NULL, &err) == NNDL_OK, "%s: %s", runs[r].what, err.message);
        size_t right = 0;
        CHECK(nndl_network_evaluate(net, NULL, test, &right, &err) == NNDL_OK, "%s", err.message);
        printf("chapter 3 on synthetic data, %s: %zu / 500\n", runs[r].what, right);
        CHECK(right >= 450, "%s learnt only %zu / 500", runs[r].what, right);
        nndl_hyper saved = nndl_network_get_hyper(net);
        CHECK(saved.lmbda == runs[r].h.lmbda && saved.dropout == runs[r].h.dropout, "%s: hyper-parameters not recorded", runs[r].what);
        double cost_plain = 0, cost_l2 = 0;
        size_t right_too = 0;
        CHECK(nndl_network_total_cost(net, NULL, test, 0, 0, &cost_plain, &right_too, &err) == NNDL_OK &&
                  nndl_network_total_cost(net, NULL, test, 5.0f, 0, &cost_l2, NULL, &err) == NNDL_OK,
              "%s", err.message);
        CHECK(right_too == right, "total_cost counts %zu right, evaluate %zu", right_too, right);
        CHECK(cost_plain > 0 && cost_l2 > cost_plain, "total cost %g, with L2 %g", cost_plain, cost_l2);
        nndl_network_free(net);
    }
    nndl_dataset_free(train);
    nndl_dataset_free(test);
}

static void test_learning_speeds(void) {
    nndl_error err;
    nndl_dataset *train = make_dataset(500, 4, 5, 1);
    nndl_network *net = make((const int[]){20, 6, 6, 6, 10}, 5, 7);
    float speeds[5];
    CHECK(nndl_network_learning_speeds(net, speeds, 1) == 0 && speeds[1] == 0.0f, "speeds before training");
    CHECK(nndl_network_train_epoch(net, train, HP(10, 1.0f), NULL, 0, NULL, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_learning_speeds(net, speeds, 0) == 50, "speeds average 50 mini-batches");
    CHECK(speeds[0] == 0.0f && speeds[1] > 0.0f && speeds[4] > 0.0f, "speeds %g %g %g", speeds[0], speeds[1], speeds[4]);
    printf("learning speeds of [20,6,6,6,10], sigmoid: %.3g %.3g %.3g %.3g\n", speeds[1], speeds[2], speeds[3], speeds[4]);
    CHECK(speeds[1] < speeds[3], "the vanishing gradient: the first hidden layer learns slower than the last");
    CHECK(nndl_network_learning_speeds(net, speeds, 1) == 50 && nndl_network_learning_speeds(net, speeds, 0) == 0,
          "reset");
    nndl_network_free(net);
    nndl_dataset_free(train);
}

static void test_expand(void) {
    nndl_error err;
    nndl_dataset *d = make_dataset(3, 4, 5, 2), *e = NULL;
    CHECK(nndl_dataset_expand(&e, d, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_dataset_count(e) == 15 && nndl_dataset_labels(e)[7] == nndl_dataset_labels(d)[1], "expanded shape");
    const uint8_t *src = nndl_dataset_images(d), *x = nndl_dataset_images(e);
    CHECK(!memcmp(x, src, 20), "the first copy is the image itself");
    int down = 1, up = 1, right = 1, left = 1;
    for (int y = 0; y < 4; y++)
        for (int c = 0; c < 5; c++) {
            down &= x[20 + y * 5 + c] == (y > 0 ? src[(y - 1) * 5 + c] : 0);
            up &= x[40 + y * 5 + c] == (y < 3 ? src[(y + 1) * 5 + c] : 0);
            right &= x[60 + y * 5 + c] == (c > 0 ? src[y * 5 + c - 1] : 0);
            left &= x[80 + y * 5 + c] == (c < 4 ? src[y * 5 + c + 1] : 0);
        }
    CHECK(down && up && right && left, "shifts: down %d up %d right %d left %d", down, up, right, left);
    nndl_dataset_free(e);
    nndl_dataset_free(d);
}

static void test_schedule(void) {
    nndl_error err;
    nndl_schedule s;
    CHECK_ERROR(nndl_schedule_init(&s, NNDL_SCHEDULE_HALVE_ETA, 0, 0.5f, &err), NNDL_E_INVALID, err, "patience");
    CHECK(nndl_schedule_init(&s, NNDL_SCHEDULE_EARLY_STOP, 2, 0.5f, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_schedule_update(&s, 0.90) == NNDL_CONTINUE && nndl_schedule_update(&s, 0.95) == NNDL_CONTINUE &&
              nndl_schedule_update(&s, 0.94) == NNDL_CONTINUE && nndl_schedule_update(&s, 0.95) == NNDL_STOP,
          "early stopping after 2 epochs without improvement");
    CHECK(s.best_epoch == 1 && s.best == 0.95, "best epoch %d", s.best_epoch);
    CHECK(nndl_schedule_init(&s, NNDL_SCHEDULE_HALVE_ETA, 1, 0.5f, &err) == NNDL_OK, "%s", err.message);
    nndl_schedule_update(&s, 0.9);
    int halvings = 0;
    nndl_schedule_action a;
    while ((a = nndl_schedule_update(&s, 0.8)) == NNDL_ETA_HALVED) halvings++;
    CHECK(a == NNDL_STOP && halvings == 6 && s.eta == 0.5f / 128, "halved %d times to %g before stopping", halvings, (double)s.eta);
    CHECK(nndl_schedule_init(&s, NNDL_SCHEDULE_NONE, 0, 1.0f, &err) == NNDL_OK, "%s", err.message);
    for (int i = 0; i < 50; i++) CHECK(nndl_schedule_update(&s, 0.5) == NNDL_CONTINUE, "none never stops");
}

static void test_json(void) {
    nndl_network *net = make((const int[]){3, 2, 10}, 3, 4);
    size_t len = nndl_network_to_json(net, NULL, 0);
    char *text = malloc(len + 1), small[16];
    CHECK(nndl_network_to_json(net, text, len + 1) == len && strlen(text) == len, "json length");
    const char *start = "{\"layers\":\"fc2:sigmoid-fc10:sigmoid\",\"input\":[3,1,1],\"sizes\":[3,2,10],\"activations\":[\"sigmoid\",\"sigmoid\"],\"cost\":\"quadratic\",";
    CHECK(!strncmp(text, start, strlen(start)), "json starts %.80s", text);
    char first[32];
    snprintf(first, sizeof first, "\"weights\":[[[%.9g,", (double)nndl_network_params(net)[0]);
    CHECK(strstr(text, first) != NULL, "json weights: want %s in %s", first, text);
    CHECK(text[len - 1] == '}' && nndl_network_to_json(net, small, sizeof small) == len && strlen(small) == 15, "json truncation");
    free(text);
    nndl_network_free(net);
}

int main(void) {
    test_initialisation();
    test_training();
    test_fused_step();
    test_divergence();
    test_bad_arguments();
    test_specs();
    test_chapter3_training();
    test_learning_speeds();
    test_expand();
    test_schedule();
    test_json();
    return check_report("test_network");
}
