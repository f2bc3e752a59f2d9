/*
 * evaluate.c — what a trained network answers, without changing it: the forward pass of
 * examples in chunks on a workspace (the caller's, or one made for the call), counting the
 * right answers, the digits chosen and network2.py's total_cost. The network is read only, so
 * threads may evaluate one network at once, each with its own workspace. Not here: training.
 */
#include "internal.h"
#include "network_internal.h"

#include "functions.h"

#include <math.h>
#include <string.h>

static int argmax(const float *v, int n) {
    int best = 0;
    for (int j = 1; j < n; j++)
        if (v[j] > v[best]) best = j;
    return best;
}

/* Feeds data forward in chunks; counts the right answers into *correct, writes each example's
 * chosen digit to predictions if it is not NULL, and adds each example's cost to *cost if that
 * is not NULL. */
static int classify(const nndl_network *net, nndl_workspace *given, const nndl_dataset *data, uint8_t *predictions,
                    size_t *correct, double *cost, nndl_error *err) {
    nndl_workspace *made = NULL, *ws = NULL;
    int status = nndl_check_data(net, data, err);
    if (status == NNDL_OK) status = nndl_workspace_for(net, given, &ws, &made, err);
    if (status != NNDL_OK) return status;
    size_t n = nndl_dataset_count(data), right = 0, chunk = nndl_eval_chunk(net);
    int L = net->spec.num_layers - 1, n_out = net->spec.sizes[L], labelled = nndl_dataset_labels(data) != NULL;
    for (size_t done = 0; done < n && status == NNDL_OK; done += chunk) {
        size_t m = n - done < chunk ? n - done : chunk;
        status = nndl_workspace_reserve(ws, m, err);
        if (status != NNDL_OK) break;
        nndl_gather(data, NULL, done, m, ws->a[0], ws->targets, (size_t)n_out, ws->labels, NULL, NULL, NULL);
        nndl_forward(net, ws, ws->a[0], m, 0.0f, NULL);
        for (size_t i = 0; i < m; i++) {
            const float *out = ws->a[L] + i * (size_t)n_out;
            int digit = argmax(out, n_out);
            right += labelled && digit == ws->labels[i];
            if (predictions) predictions[done + i] = (uint8_t)digit;
            if (cost) *cost += nndl_example_cost(net->spec.cost, out, ws->targets + i * (size_t)n_out, (size_t)n_out);
        }
    }
    nndl_workspace_free(made);
    if (status != NNDL_OK) return status;
    *correct = right;
    return nndl_ok(err);
}

static int no_labels(nndl_error *err) {
    return nndl_fail(err, NNDL_E_INVALID, "the data set has targets, not digit labels, so there are no right answers to "
                                          "count: measure it by its cost");
}

int nndl_network_evaluate(const nndl_network *net, nndl_workspace *ws, const nndl_dataset *data, size_t *correct,
                          nndl_error *err) {
    if (!correct) return nndl_fail(err, NNDL_E_INVALID, "no place given for the count");
    if (data && !nndl_dataset_labels(data)) return no_labels(err);
    return classify(net, ws, data, NULL, correct, NULL, err);
}

int nndl_network_classify(const nndl_network *net, nndl_workspace *ws, const nndl_dataset *data,
                          uint8_t *predictions, nndl_error *err) {
    if (!predictions) return nndl_fail(err, NNDL_E_INVALID, "no place given for the predictions");
    if (data && !nndl_dataset_labels(data)) return no_labels(err);
    size_t correct;
    return classify(net, ws, data, predictions, &correct, NULL, err);
}

int nndl_network_total_cost(const nndl_network *net, nndl_workspace *ws, const nndl_dataset *data, float lmbda,
                            float l1, double *cost, size_t *correct, nndl_error *err) {
    if (!cost) return nndl_fail(err, NNDL_E_INVALID, "no place given for the cost");
    double sum = 0.0;
    size_t right;
    int status = classify(net, ws, data, NULL, &right, &sum, err);
    if (status != NNDL_OK) return status;
    double n = (double)nndl_dataset_count(data), sq = 0.0, abs_sum = 0.0;
    /* the weights are read only for a term that counts: callers measuring a data set in chunks
     * ask for the terms once */
    for (int l = 1; (lmbda != 0.0f || l1 != 0.0f) && l < net->spec.num_layers; l++) {
        const float *w = net->params + net->w_off[l];
        size_t count = net->w_rows[l] * net->w_cols[l];
        for (size_t i = 0; i < count; i++) {
            sq += (double)w[i] * w[i];
            abs_sum += fabs((double)w[i]);
        }
    }
    *cost = sum / n + 0.5 * (double)lmbda / n * sq + (double)l1 / n * abs_sum;
    if (correct) *correct = right;
    return NNDL_OK;
}

int nndl_network_feedforward(const nndl_network *net, nndl_workspace *given, float *out, const float *in,
                             size_t count, nndl_error *err) {
    if (!net || !out || !in) return nndl_fail(err, NNDL_E_INVALID, "feedforward needs a network, input and output");
    nndl_workspace *made, *ws;
    int status = nndl_workspace_for(net, given, &ws, &made, err);
    if (status != NNDL_OK) return status;
    int L = net->spec.num_layers - 1;
    size_t n_out = (size_t)net->spec.sizes[L], n0 = (size_t)net->spec.sizes[0], chunk = nndl_eval_chunk(net);
    for (size_t done = 0; done < count && status == NNDL_OK; done += chunk) {
        size_t m = count - done < chunk ? count - done : chunk;
        status = nndl_workspace_reserve(ws, m, err);
        if (status != NNDL_OK) break;
        nndl_forward(net, ws, in + done * n0, m, 0.0f, NULL);
        memcpy(out + done * n_out, ws->a[L], m * n_out * sizeof(float));
    }
    nndl_workspace_free(made);
    return status == NNDL_OK ? nndl_ok(err) : status;
}

int nndl_network_predict(const nndl_network *net, nndl_workspace *ws, const float *input, float *activations,
                         nndl_error *err) {
    if (!net || !input) return nndl_fail(err, NNDL_E_INVALID, "predict needs a network and an input");
    int L = net->spec.num_layers - 1, n_out = net->spec.sizes[L];
    float scratch[256], *out = activations ? activations : n_out <= 256 ? scratch : NULL;
    if (!out) return nndl_fail(err, NNDL_E_INVALID, "predict needs a place for the %d output activations", n_out);
    int status = nndl_network_feedforward(net, ws, out, input, 1, err);
    return status == NNDL_OK ? argmax(out, n_out) : status;
}
