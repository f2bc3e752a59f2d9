/*
 * test_threads.c — evaluation reads a network and writes only its workspace (issue 10): two
 * threads evaluate, classify and predict with one network at once, each with its own workspace,
 * and get exactly what one thread gets, the network untouched. Run under ASan like the rest.
 */
#include "check.h"
#include "nndl.h"
#include "synthetic.h"

#include <pthread.h>
#include <string.h>

typedef struct job {
    const nndl_network *net;
    const nndl_dataset *data;
    size_t correct;
    uint8_t predictions[300];
    int status;
} job;

static void *evaluate(void *arg) {
    job *j = arg;
    nndl_workspace *ws = NULL;
    nndl_error err;
    j->status = nndl_workspace_create(&ws, j->net, &err);
    for (int round = 0; round < 20 && j->status == NNDL_OK; round++) {
        j->status = nndl_network_evaluate(j->net, ws, j->data, &j->correct, &err);
        if (j->status == NNDL_OK) j->status = nndl_network_classify(j->net, ws, j->data, j->predictions, &err);
    }
    nndl_workspace_free(ws);
    return NULL;
}

int main(void) {
    nndl_error err;
    nndl_dataset *data = make_dataset(300, 8, 8, 4);
    nndl_spec spec;
    nndl_network *net = NULL;
    CHECK(nndl_spec_parse(&spec, "conv4x3x3-pool2-fc20:relu-softmax10", 8, 8, NNDL_RELU, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_create_spec(&net, &spec, 7, &err) == NNDL_OK, "%s", err.message);
    nndl_hyper h = nndl_hyper_default();
    h.eta = 0.1f;
    CHECK(nndl_network_train_epoch(net, data, &h, NULL, 0, NULL, &err) == NNDL_OK, "%s", err.message);
    size_t n = nndl_network_num_params(net);
    float *before = malloc(n * sizeof(float));
    memcpy(before, nndl_network_params(net), n * sizeof(float));

    job alone = {net, data, 0, {0}, 0};
    evaluate(&alone);
    job jobs[2] = {{net, data, 0, {0}, 0}, {net, data, 0, {0}, 0}};
    pthread_t threads[2];
    for (int t = 0; t < 2; t++) pthread_create(&threads[t], NULL, evaluate, &jobs[t]);
    for (int t = 0; t < 2; t++) pthread_join(threads[t], NULL);
    for (int t = 0; t < 2; t++) {
        CHECK(jobs[t].status == NNDL_OK, "thread %d failed", t);
        CHECK(jobs[t].correct == alone.correct, "thread %d: %zu right, alone %zu", t, jobs[t].correct, alone.correct);
        CHECK(!memcmp(jobs[t].predictions, alone.predictions, 300), "thread %d classified otherwise", t);
    }
    CHECK(!memcmp(before, nndl_network_params(net), n * sizeof(float)), "evaluation changed the network");
    /* a workspace made for another network is refused, not misused */
    nndl_network *other = NULL;
    nndl_workspace *ws = NULL;
    CHECK(nndl_network_create(&other, (const int[]){64, 5, 10}, 3, 1, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_workspace_create(&ws, other, &err) == NNDL_OK, "%s", err.message);
    size_t right;
    CHECK_ERROR(nndl_network_evaluate(net, ws, data, &right, &err), NNDL_E_INVALID, err, "made for a network of other layers");
    /* the status is the call's own, whether or not the caller asks for the message */
    CHECK(nndl_network_evaluate(net, ws, data, &right, NULL) == NNDL_E_INVALID, "a NULL error record changed the status");
    printf("two threads evaluated one network: %zu / 300 each, as one thread alone\n", alone.correct);
    nndl_workspace_free(ws);
    nndl_network_free(other);
    nndl_network_free(net);
    nndl_dataset_free(data);
    free(before);
    return check_report("test_threads");
}
