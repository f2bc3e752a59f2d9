/*
 * test_team.c — a network's threads (issue 28): training and evaluating on 1, 2 and 3 threads
 * give the same bits (parameters after an epoch with dropout, momentum and L2; predictions;
 * costs), the passes were really shared (the team split jobs), two threads evaluating one
 * network with a team get what one gets, teams made and freed at once end (no lost wake-up), a
 * stalled helper's work is taken over by the caller, and a bad count is refused leaving the team
 * as it was.
 * Built under ThreadSanitizer too (src/build.sh tsan), where it must report no race.
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime */
#include "check.h"
#include "network_internal.h"
#include "nndl.h"
#include "synthetic.h"
#include "threads.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { EXAMPLES = 240 };

typedef struct outcome {
    float *params;
    size_t num_params;
    uint8_t predictions[EXAMPLES];
    double cost;
    unsigned long jobs, taken;
} outcome;

/* An epoch of training, then evaluation, on `threads` threads, from the same seed. */
static outcome train_on(const char *layers, int threads, const nndl_dataset *data, const nndl_hyper *h) {
    nndl_error err;
    nndl_spec spec;
    nndl_network *net = NULL;
    outcome out = {0};
    CHECK(nndl_spec_parse(&spec, layers, 28, 28, NNDL_RELU, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_create_spec(&net, &spec, 11, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_set_threads(net, threads, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_threads(net) == threads, "%d threads asked, %d in use", threads, nndl_network_threads(net));
    CHECK(nndl_network_train_epoch(net, data, h, NULL, 0, NULL, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_classify(net, NULL, data, out.predictions, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_total_cost(net, NULL, data, h->lmbda, 0, &out.cost, NULL, &err) == NNDL_OK, "%s", err.message);
    out.num_params = nndl_network_num_params(net);
    out.params = malloc(out.num_params * sizeof(float));
    memcpy(out.params, nndl_network_params(net), out.num_params * sizeof(float));
    out.jobs = nndl_threads_jobs(net->team);
    out.taken = nndl_threads_taken(net->team);
    nndl_network_free(net);
    return out;
}

static void same_bits(const char *layers, const nndl_dataset *data, const nndl_hyper *h) {
    outcome alone = train_on(layers, 1, data, h);
    unsigned long taken = 0;
    for (int threads = 2; threads <= 3; threads++) {
        outcome shared = train_on(layers, threads, data, h);
        CHECK(shared.jobs > 0, "%s on %d threads: no pass was shared", layers, threads);
        CHECK(shared.num_params == alone.num_params && !memcmp(shared.params, alone.params, alone.num_params * sizeof(float)),
              "%s: the parameters after an epoch on %d threads differ from one thread's", layers, threads);
        CHECK(!memcmp(shared.predictions, alone.predictions, EXAMPLES), "%s: %d threads classify otherwise", layers, threads);
        CHECK(shared.cost == alone.cost, "%s: cost %.17g on %d threads, %.17g alone", layers, shared.cost, threads, alone.cost);
        taken += shared.taken;
        free(shared.params);
    }
    /* which thread made what varies from run to run (pieces taken from a slower thread's range):
     * the bits may not */
    printf("%s, mini-batches of %u: one epoch on 1, 2 and 3 threads, the same bits (%lu pieces taken over)\n", layers,
           (unsigned)h->mini_batch_size, taken);
    free(alone.params);
}

typedef struct evaluation {
    const nndl_network *net;
    const nndl_dataset *data;
    uint8_t predictions[EXAMPLES];
    int status;
} evaluation;

static void *classify(void *arg) {
    evaluation *e = arg;
    nndl_error err;
    for (int round = 0; round < 5 && e->status == NNDL_OK; round++)
        e->status = nndl_network_classify(e->net, NULL, e->data, e->predictions, &err);
    return NULL;
}

/* nndl_parallel by itself: a helper that stalls after taking its first piece (a core the system
 * lent elsewhere) holds up no one. The caller makes its own range, then the rest of the helper's
 * from its end, and every unit is made once. */
enum { UNITS = 64 };

typedef struct stall {
    pthread_t caller;
    _Atomic int made[UNITS];
    _Atomic int by_helper, finished;
} stall;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void stall_range(void *arg, size_t first, size_t end) {
    stall *s = arg;
    int helper = !pthread_equal(pthread_self(), s->caller);
    /* the helper's first piece waits until every other unit is made (for 10 s at most: a team
     * that cannot take work over fails this test instead of hanging it) */
    int stalls = helper && atomic_load(&s->by_helper) == 0;
    for (double start = seconds(); stalls && atomic_load(&s->finished) < UNITS - (int)(end - first) && seconds() - start < 10;)
        sched_yield();
    for (size_t u = first; u < end; u++) atomic_fetch_add(&s->made[u], 1);
    if (helper) atomic_fetch_add(&s->by_helper, (int)(end - first));
    atomic_fetch_add(&s->finished, (int)(end - first));
}

static void stalled_helper(void) {
    nndl_threads *team = NULL;
    nndl_error err;
    CHECK(nndl_threads_create(&team, 2, &err) == NNDL_OK, "%s", err.message);
    while (nndl_threads_ready(team) < 1) sched_yield(); /* a job is split among those who came */
    static stall s;
    s.caller = pthread_self();
    int entered = nndl_threads_enter(team);
    CHECK(entered, "the team was not entered");
    nndl_parallel(UNITS, 1, 1e12, stall_range, &s);
    nndl_threads_leave(team, entered);
    int once = 1;
    for (int u = 0; u < UNITS; u++) once &= atomic_load(&s.made[u]) == 1;
    CHECK(once, "a unit was made twice or never");
    int helper = atomic_load(&s.by_helper);
    unsigned long taken = nndl_threads_taken(team);
    CHECK(helper <= 1, "the stalled helper made %d units: its range was not taken over", helper);
    CHECK(taken == (unsigned long)(UNITS / 2 - helper), "%lu pieces taken from the helper's range, not %d", taken, UNITS / 2 - helper);
    printf("a stalled helper: the caller made %d of %d units, %lu of them from the helper's range\n", UNITS - helper, UNITS, taken);
    nndl_threads_free(team);
}

int main(void) {
    stalled_helper();
    nndl_error err;
    nndl_dataset *data = make_dataset(EXAMPLES, 28, 28, 5);
    nndl_hyper h = {.mini_batch_size = 20, .eta = 0.05f, .lmbda = 0.5f, .mu = 0.5f, .dropout = 0.2f};
    same_bits("conv8x5x5-pool2-conv12x3x3:relu-pool2-fc40:relu-softmax10", data, &h);
    same_bits("fc120:sigmoid-fc10:sigmoid", data, &h);
    /* a mini-batch large enough that the fully connected layers' products are shared too */
    nndl_hyper large = h;
    large.mini_batch_size = 80;
    same_bits("fc120:sigmoid-fc10:sigmoid", data, &large);

    /* two threads classifying with one network that has a team: the second works alone */
    nndl_network *net = NULL;
    nndl_spec spec;
    CHECK(nndl_spec_parse(&spec, "conv8x5x5-pool2-fc30-softmax10", 28, 28, NNDL_RELU, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_create_spec(&net, &spec, 3, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_set_threads(net, 2, &err) == NNDL_OK, "%s", err.message);
    evaluation alone = {net, data, {0}, NNDL_OK}, both[2] = {{net, data, {0}, NNDL_OK}, {net, data, {0}, NNDL_OK}};
    classify(&alone);
    pthread_t threads[2];
    for (int t = 0; t < 2; t++) pthread_create(&threads[t], NULL, classify, &both[t]);
    for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
    for (int t = 0; t < 2; t++) {
        CHECK(both[t].status == NNDL_OK, "thread %d failed", t);
        CHECK(!memcmp(both[t].predictions, alone.predictions, EXAMPLES), "thread %d classified otherwise", t);
    }

    /* teams made and freed at once, or as their helpers go to sleep: every helper hears the end
     * (a lost wake-up hung here) */
    for (int round = 0; round < 400; round++) {
        CHECK(nndl_network_set_threads(net, 2 + round % 3, &err) == NNDL_OK, "%s", err.message);
        for (volatile long spin = 0; spin < (round % 40) * 2000L; spin++) {}
        CHECK(nndl_network_set_threads(net, 1, &err) == NNDL_OK, "%s", err.message);
    }
    CHECK(nndl_network_set_threads(net, 2, &err) == NNDL_OK, "%s", err.message);

    /* counts: 0 is one per core; a bad one is refused and the team stays */
    CHECK_ERROR(nndl_network_set_threads(net, NNDL_MAX_THREADS + 1, &err), NNDL_E_INVALID, err, "threads must be 1 to 64");
    CHECK_ERROR(nndl_network_set_threads(net, -1, &err), NNDL_E_INVALID, err, "got -1");
    CHECK(nndl_network_threads(net) == 2, "a refused count changed the team (%d threads)", nndl_network_threads(net));
    CHECK(nndl_network_set_threads(net, 0, &err) == NNDL_OK && nndl_network_threads(net) == nndl_cores(),
          "0 threads: %d in use, %d cores", nndl_network_threads(net), nndl_cores());
    CHECK(nndl_network_set_threads(net, 1, &err) == NNDL_OK && nndl_network_threads(net) == 1, "back to one thread");
    CHECK(nndl_cores() >= 1 && nndl_cores() <= NNDL_MAX_THREADS, "%d cores", nndl_cores());
    nndl_network_free(net);
    nndl_dataset_free(data);
    return check_report("test_team");
}
