/*
 * test_shapes.c — every pair of layer kinds (conv, pool, fc, each after the input and after each
 * other), at both extremes of size: more feature maps than inputs per neuron and fewer, pooling
 * blocks that leave rows over, a fully connected layer wider than the one before and narrower.
 * Each network goes through every call that writes the batch buffers (training with and
 * without dropout and on-the-fly rotation, backprop, evaluate, classify, total_cost, feedforward,
 * predict) with mini-batches of 1, 3 and 7. Its assertions are few on purpose: the test is run
 * under AddressSanitizer, which stops at the first byte written outside a buffer (issue 9: a
 * conv layer feeding a fully connected one overflowed its scratch by a third).
 */
#include "check.h"
#include "nndl.h"
#include "synthetic.h"

#include <math.h>
#include <stdlib.h>

/* Small images keep the run short; 9 x 7 keeps every shape below odd. */
enum { ROWS = 9, COLS = 7, EXAMPLES = 23 };

static const char *const NETWORKS[] = {
    /* after the input */
    "conv30x3x3-softmax10", "conv2x5x4-softmax10", "pool2-softmax10", "pool3x2-fc4-softmax10", "fc300-softmax10",
    "fc2-fc10:sigmoid",
    /* conv after conv, pool after conv, conv after pool, pool after pool */
    "conv3x2x2-conv40x3x3-softmax10", "conv40x2x2-conv2x3x3-fc5-softmax10", "conv7x2x2-pool2-softmax10",
    "conv2x3x3-pool2x3-fc50-softmax10", "pool2-conv30x2x2-softmax10", "pool2-pool2-softmax10",
    "conv5x3x3:tanh-pool3-conv9x1x1:relu-fc8-softmax10",
    /* fc after fc, every activation */
    "conv12x4x4:relu-fc200:tanh-fc3:relu-fc10:sigmoid", "fc40:relu-fc40:tanh-fc40-softmax10",
};

static void exercise(const char *layers, nndl_dataset *data, const float *inputs) {
    nndl_error err;
    nndl_spec spec;
    int status = nndl_spec_parse(&spec, layers, ROWS, COLS, NNDL_SIGMOID, &err);
    CHECK(status == NNDL_OK, "%s: %s", layers, err.message);
    if (status != NNDL_OK) return;
    nndl_network *net = NULL;
    CHECK(nndl_network_create_spec(&net, &spec, 5, &err) == NNDL_OK, "%s: %s", layers, err.message);
    if (!net) return;
    const uint32_t batches[] = {1, 3, 7};
    for (size_t b = 0; b < sizeof batches / sizeof batches[0]; b++) {
        for (int variant = 0; variant < 3; variant++) {
            nndl_hyper h = nndl_hyper_default();
            h.mini_batch_size = batches[b];
            h.eta = 0.05f;
            h.dropout = variant == 1 ? 0.5f : 0.0f;
            h.rotate = variant == 2 ? 10.0f : 0.0f;
            h.mu = variant == 2 ? 0.5f : 0.0f;
            status = nndl_network_train_epoch(net, data, &h, NULL, 0, NULL, &err);
            CHECK(status == NNDL_OK, "%s, batch %u, variant %d: %s", layers, batches[b], variant, err.message);
        }
        uint8_t labels[7] = {0, 1, 2, 3, 4, 5, 6};
        double cost = 0;
        status = nndl_network_backprop(net, inputs, labels, batches[b], 0.25f, &cost, &err);
        CHECK(status == NNDL_OK && isfinite(cost), "%s: backprop of %u: %s", layers, batches[b], err.message);
    }
    size_t right = 0;
    uint8_t predictions[EXAMPLES];
    double cost = 0;
    CHECK(nndl_network_evaluate(net, NULL, data, &right, &err) == NNDL_OK && right <= EXAMPLES, "%s: %s", layers, err.message);
    CHECK(nndl_network_classify(net, NULL, data, predictions, &err) == NNDL_OK, "%s: %s", layers, err.message);
    CHECK(nndl_network_total_cost(net, NULL, data, 1.0f, 0.5f, &cost, &right, &err) == NNDL_OK, "%s: %s", layers, err.message);
    float out[7 * 10];
    CHECK(nndl_network_feedforward(net, NULL, out, inputs, 7, &err) == NNDL_OK, "%s: %s", layers, err.message);
    float one[10];
    int digit = nndl_network_predict(net, NULL, inputs, one, &err);
    CHECK(digit >= 0 && digit < 10 && one[digit] == out[digit], "%s: predict gave %d", layers, digit);
    nndl_network_free(net);
}

int main(void) {
    nndl_dataset *data = make_dataset(EXAMPLES, ROWS, COLS, 3);
    float inputs[7 * ROWS * COLS];
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++)
        inputs[i] = (float)nndl_dataset_images(data)[i] / 255.0f;
    for (size_t k = 0; k < sizeof NETWORKS / sizeof NETWORKS[0]; k++) exercise(NETWORKS[k], data, inputs);
    nndl_dataset_free(data);
    return check_report("test_shapes");
}
