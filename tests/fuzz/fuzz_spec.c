/*
 * fuzz_spec.c — the layer string, end to end. The input is the hidden activation (a byte), the
 * input image's rows and columns (a byte each, 1 to 32), then the string. A string the core
 * refuses says why; one it accepts formats to a string that parses to the same spec, and,
 * within the fuzz budget (fuzz.h), builds a network that runs a forward and backward pass of 3
 * examples with and without dropout, takes an SGD step with momentum, traces one example (its
 * last layer what feedforward gives), and predicts. This is
 * where a buffer sized for one pair of layer kinds and written by another shows (issue 9).
 */
#include "fuzz.h"

#include <math.h>
#include <string.h>

static void run(const nndl_spec *spec) {
    nndl_network *net = NULL;
    nndl_error err;
    if (nndl_network_create_spec(&net, spec, 3, &err) != NNDL_OK) {
        FUZZ_REQUIRE(net == NULL && err.message[0] != '\0');
        return;
    }
    size_t n0 = (size_t)spec->sizes[0], n_out = (size_t)spec->sizes[spec->num_layers - 1];
    float *x = malloc(3 * n0 * sizeof(float)), *out = malloc(3 * n_out * sizeof(float));
    for (size_t i = 0; i < 3 * n0; i++) x[i] = (float)(i % 7) / 7.0f;
    uint8_t y[3] = {0, (uint8_t)(1 % n_out), (uint8_t)(2 % n_out)};
    double cost;
    nndl_hyper h = nndl_hyper_default();
    h.eta = 0.01f, h.mu = 0.5f, h.lmbda = 0.1f;
    FUZZ_REQUIRE(nndl_network_backprop(net, x, y, 3, 0.0f, &cost, &err) == NNDL_OK);
    FUZZ_REQUIRE(nndl_network_backprop(net, x, y, 3, 0.5f, &cost, &err) == NNDL_OK);
    int status = nndl_network_sgd_step(net, &h, 3, 100, &err);
    FUZZ_REQUIRE(status == NNDL_OK || status == NNDL_E_DIVERGED);
    FUZZ_REQUIRE(nndl_network_feedforward(net, NULL, out, x, 3, &err) == NNDL_OK);
    /* a trace of the first example ends in what feedforward gave it (to rounding: one example
     * and three take the kernels' different paths), and leaves the network */
    size_t traced = nndl_network_trace_size(net);
    float *a = malloc(traced * sizeof *a), *delta = malloc(traced * sizeof *delta), *target = calloc(n_out, sizeof *target);
    target[0] = 1.0f;
    FUZZ_REQUIRE(nndl_network_trace(net, NULL, x, target, NULL, a, delta, NULL, &cost, &err) == NNDL_OK);
    for (size_t j = 0; j < n_out; j++) FUZZ_REQUIRE(fabsf(a[traced - n_out + j] - out[j]) <= 1e-4f * (1.0f + fabsf(out[j])));
    /* f'(z) of every layer's activations: a number for each, or a clear refusal (softmax, pooling) */
    float *prime = malloc(traced * sizeof *prime);
    for (int l = 1, at = 0; l < nndl_network_num_layers(net); at += nndl_network_layer_size(net, l), l++) {
        int got = nndl_network_activation_prime(net, l, a + at, (size_t)nndl_network_layer_size(net, l), prime + at, &err);
        FUZZ_REQUIRE(got == NNDL_OK || (got == NNDL_E_INVALID && err.message[0]));
    }
    free(prime);
    free(a);
    free(delta);
    free(target);
    int digit = nndl_network_predict(net, NULL, x, out, &err);
    FUZZ_REQUIRE(digit >= 0 && (size_t)digit < n_out);
    free(x);
    free(out);
    nndl_network_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    nndl_activation hidden = (nndl_activation)(fuzz_byte(&data, &size) % 5); /* softmax: refused */
    int rows = 1 + fuzz_byte(&data, &size) % 32, cols = 1 + fuzz_byte(&data, &size) % 32;
    char text[512];
    size_t n = size < sizeof text - 1 ? size : sizeof text - 1;
    memcpy(text, data, n);
    text[n] = '\0';
    nndl_spec spec, again;
    nndl_error err;
    if (nndl_spec_parse(&spec, text, rows, cols, hidden, &err) != NNDL_OK) {
        FUZZ_REQUIRE(err.message[0] != '\0');
        return 0;
    }
    size_t len = nndl_spec_format(&spec, NULL, 0);
    char *formatted = malloc(len + 1);
    FUZZ_REQUIRE(formatted && nndl_spec_format(&spec, formatted, len + 1) == len && strlen(formatted) == len);
    FUZZ_REQUIRE(nndl_spec_parse(&again, formatted, rows, cols, hidden, &err) == NNDL_OK);
    FUZZ_REQUIRE(memcmp(&spec, &again, sizeof spec) == 0);
    free(formatted);
    if (fuzz_affordable(&spec, 3)) run(&spec);
    return 0;
}
