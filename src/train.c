/*
 * train.c — mini-batch stochastic gradient descent, the body of network.py's SGD loop, in one
 * place: at an epoch's start the random order of the training examples (the book's
 * random.shuffle), then for each mini-batch the pass forward, backpropagation and the step
 * (pass.c, update.c). The network keeps where it is, so every caller drives the same loop: the
 * CLI a whole epoch at a time with a callback, a Web Worker a few mini-batches per time slice.
 * Also here: chapter 5's learning speeds. Not here: evaluation (evaluate.c), schedules
 * (schedule.c).
 */
#include "internal.h"
#include "network_internal.h"

#include <stdlib.h>
#include <string.h>

/* Starts an epoch over n examples: a fresh random order from the network's generator. */
static int start_epoch(nndl_network *net, size_t n, nndl_error *err) {
    nndl_position *p = &net->position;
    if (n != p->n) {
        size_t *order = nndl_alloc(nndl_mul_size(n, sizeof *order), "the epoch's order", err);
        if (!order) return NNDL_E_NOMEM;
        free(p->order);
        p->order = order;
        p->n = n;
    }
    for (size_t i = 0; i < n; i++) p->order[i] = i;
    nndl_rng_shuffle(&net->rng, p->order, n);
    p->next = 0;
    p->started = 1;
    return NNDL_OK;
}

/* Asks the cache for the pixels of the next mini-batch, whose order the hardware cannot guess,
 * while this one is trained. Compiles to nothing where there is no prefetch (WebAssembly). */
static void prefetch(const nndl_dataset *data, const size_t *idx, size_t first, size_t m) {
#if defined(__GNUC__) || defined(__clang__)
    size_t n0 = (size_t)nndl_dataset_input_size(data);
    const uint8_t *images = nndl_dataset_images(data);
    if (!images) return; /* values from arrays: small, and read in order of the index anyway */
    for (size_t i = 0; i < m; i++)
        for (size_t off = 0; off < n0; off += 64) __builtin_prefetch(images + idx[first + i] * n0 + off);
#else
    (void)data, (void)idx, (void)first, (void)m;
#endif
}

int nndl_network_train(nndl_network *net, const nndl_dataset *train, const nndl_hyper *h, size_t max_batches,
                       nndl_progress *progress, nndl_error *err) {
    /* Every argument is checked before the generator draws anything, so a refused call leaves
     * the network exactly as it was. */
    int status = nndl_check_data(net, train, err);
    size_t n = train ? nndl_dataset_count(train) : 0;
    if (status == NNDL_OK) status = nndl_hyper_check(h, n, err);
    if (status == NNDL_OK && max_batches == 0) status = nndl_fail(err, NNDL_E_INVALID, "no mini-batches asked for");
    nndl_workspace *ws = NULL;
    if (status == NNDL_OK) status = nndl_training_workspace(net, h->mini_batch_size, &ws, err);
    if (status == NNDL_OK) status = nndl_ensure_velocity(net, h, err);
    nndl_position *p = &net->position;
    if (status == NNDL_OK && (!p->started || p->n != n)) status = start_epoch(net, n, err);
    if (status != NNDL_OK) return status;
    net->hyper = *h;
    nndl_progress done = {0};
    for (size_t b = 0; b < max_batches && p->next < n; b++) {
        size_t m = n - p->next < h->mini_batch_size ? n - p->next : h->mini_batch_size;
        size_t n_out = (size_t)net->spec.sizes[net->spec.num_layers - 1];
        nndl_gather(train, p->order, p->next, m, ws->a[0], ws->targets, n_out, ws->labels, h, &net->rng, ws->warp);
        size_t after = p->next + m;
        if (after < n) prefetch(train, p->order, after, n - after < m ? n - after : m);
        /* forward, backward, update (the step fused into backpropagation: update.c) */
        nndl_forward(net, ws, ws->a[0], m, h->dropout, &net->rng);
        int within;
        done.cost += nndl_backward_step(net, ws, ws->a[0], ws->targets, m, h->dropout, h, n, &within);
        if (!within) return nndl_diverged(h->eta, err);
        net->speed_batches++;
        p->next = after;
        done.batches++;
        done.examples += m;
    }
    if (p->next == n) { /* the next call starts a new epoch */
        p->started = 0;
        p->epoch++;
        done.epoch_done = 1;
    }
    done.epoch = p->epoch, done.done = p->started ? p->next : n, done.total = n;
    if (progress) *progress = done;
    return nndl_ok(err);
}

int nndl_network_train_epoch(nndl_network *net, const nndl_dataset *train, const nndl_hyper *h,
                             nndl_progress_fn callback, size_t every, void *user, nndl_error *err) {
    size_t chunk = every && callback ? every : (size_t)-1;
    for (;;) {
        nndl_progress progress;
        int status = nndl_network_train(net, train, h, chunk, &progress, err);
        if (status != NNDL_OK) return status;
        if (callback && callback(user, &progress) && !progress.epoch_done)
            return nndl_fail(err, NNDL_E_STOPPED, "stopped by the callback after %zu of %zu examples; call again to go on",
                             progress.done, progress.total);
        if (progress.epoch_done) return nndl_ok(err);
    }
}

int nndl_network_resume(nndl_network *net, const nndl_dataset *train, uint32_t epoch, size_t done,
                        nndl_error *err) {
    int status = nndl_check_data(net, train, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(train);
    if (done >= n)
        return nndl_fail(err, NNDL_E_INVALID, "%zu examples done is not inside an epoch of %zu", done, n);
    status = start_epoch(net, n, err);
    if (status != NNDL_OK) return status;
    net->position.next = done;
    net->position.epoch = epoch;
    return nndl_ok(err);
}

size_t nndl_network_learning_speeds(nndl_network *net, float *speeds, int reset) {
    size_t batches = net->speed_batches;
    for (int l = 0; l < net->spec.num_layers; l++) {
        if (speeds) speeds[l] = l && batches ? (float)(net->speed_sum[l] / (double)batches) : 0.0f;
        if (reset) net->speed_sum[l] = 0.0;
    }
    if (reset) net->speed_batches = 0;
    return batches;
}
