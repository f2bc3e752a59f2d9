/*
 * fuzz_arrays.c — data sets of values and targets (nndl_dataset_from_arrays) and what trains on
 * them, end to end. The input is the input size (1 to 8), the target size (1 to 4), the output
 * activation and the cost (a byte each, any value), then float32 values as raw bits (little-
 * endian): the inputs, then the targets, as many whole examples as the bytes hold, up to 64. NaN,
 * infinities and huge values are as likely as any. A set the core refuses says why; one it takes
 * trains a [n_in, 5, n_out] network of that output and cost (when the core builds it) for an
 * epoch, diverging at worst, and is measured; evaluation, which counts digits, refuses it.
 */
#include "fuzz.h"

#include <string.h>

static void train_on(const nndl_dataset *data, int n_in, int n_out, nndl_activation output, nndl_cost cost) {
    nndl_spec spec;
    nndl_error err;
    nndl_network *net = NULL;
    FUZZ_REQUIRE(nndl_spec_fully_connected(&spec, (const int[]){n_in, 5, n_out}, 3, NNDL_TANH, NNDL_QUADRATIC, &err) == NNDL_OK);
    spec.activation[2] = output, spec.cost = cost;
    if (nndl_spec_check(&spec, &err) != NNDL_OK) { /* softmax with cross-entropy, an unknown name, ... */
        FUZZ_REQUIRE(err.message[0] != '\0');
        return;
    }
    FUZZ_REQUIRE(nndl_network_create_spec(&net, &spec, 5, &err) == NNDL_OK);
    nndl_hyper h = nndl_hyper_default();
    h.mini_batch_size = nndl_dataset_count(data) < 4 ? (uint32_t)nndl_dataset_count(data) : 4, h.eta = 0.1f, h.mu = 0.5f;
    int status = nndl_network_train_epoch(net, data, &h, NULL, 0, NULL, &err);
    FUZZ_REQUIRE(status == NNDL_OK || status == NNDL_E_DIVERGED);
    double total;
    size_t correct = 1;
    FUZZ_REQUIRE(nndl_network_total_cost(net, NULL, data, 0.1f, 0.0f, &total, &correct, &err) == NNDL_OK && correct == 0);
    FUZZ_REQUIRE(nndl_network_evaluate(net, NULL, data, &correct, &err) == NNDL_E_INVALID);
    nndl_network_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    int n_in = 1 + fuzz_byte(&data, &size) % 8, n_out = 1 + fuzz_byte(&data, &size) % 4;
    nndl_activation output = (nndl_activation)fuzz_byte(&data, &size);
    nndl_cost cost = (nndl_cost)fuzz_byte(&data, &size);
    size_t per = (size_t)(n_in + n_out) * sizeof(float), count = size / per;
    count = count > 64 ? 64 : count;
    float *x = malloc((count * (size_t)n_in + 1) * sizeof(float)), *y = malloc((count * (size_t)n_out + 1) * sizeof(float));
    memcpy(x, data, count * (size_t)n_in * sizeof(float));
    memcpy(y, data + count * (size_t)n_in * sizeof(float), count * (size_t)n_out * sizeof(float));
    nndl_dataset *set = NULL, *half = NULL;
    nndl_error err;
    if (nndl_dataset_from_arrays(&set, x, n_in, y, n_out, count, &err) != NNDL_OK) {
        FUZZ_REQUIRE(set == NULL && err.message[0] != '\0');
    } else {
        FUZZ_REQUIRE(nndl_dataset_count(set) == count && nndl_dataset_target_size(set) == n_out);
        FUZZ_REQUIRE(nndl_dataset_slice(&half, set, count / 2, count - count / 2, &err) == NNDL_OK);
        nndl_dataset_free(set); /* the slice keeps the values */
        train_on(half, n_in, n_out, output, cost);
        nndl_dataset_free(half);
    }
    free(x);
    free(y);
    return 0;
}
