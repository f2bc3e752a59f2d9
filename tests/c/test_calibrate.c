/*
 * test_calibrate.c — temperature scaling: T changes a softmax's probabilities, never its
 * answers; the model file keeps it and refuses an impossible one; fitting T on held-out data
 * of an overconfident network makes its probabilities honest (a lower expected calibration
 * error on other held-out data). The gradient with T is checked in test_backprop.c.
 */
#include "check.h"
#include "internal.h"
#include "nndl.h"
#include "synthetic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void temperature_in_and_out(void) {
    nndl_spec spec;
    nndl_error err;
    nndl_network *net = NULL, *back = NULL;
    CHECK(nndl_spec_parse(&spec, "fc12:relu-softmax10", 4, 5, NNDL_RELU, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_create_spec(&net, &spec, 3, &err) == NNDL_OK, "%s", err.message);
    float x[20], cold[10], warm[10];
    for (int i = 0; i < 20; i++) x[i] = (float)(i % 7) / 7.0f;
    int d1 = nndl_network_predict(net, NULL, x, cold, &err);
    CHECK(nndl_network_set_temperature(net, 3.0f, &err) == NNDL_OK, "%s", err.message);
    int d2 = nndl_network_predict(net, NULL, x, warm, &err);
    CHECK(d1 == d2 && warm[d2] < cold[d1], "T = 3: answer %d -> %d, top %g -> %g", d1, d2, (double)cold[d1], (double)warm[d2]);
    for (int j = 0; j < 10; j++) /* softmax(z / T): ln a_j / ln a_k ratios scale by 1/T */
        CHECK(fabs((log(warm[j]) - log(warm[0])) - (log(cold[j]) - log(cold[0])) / 3.0) < 1e-4, "output %d", j);
    CHECK_ERROR(nndl_network_set_temperature(net, 0.0f, &err), NNDL_E_INVALID, err, "from 0.01 to 100");
    CHECK_ERROR(nndl_network_set_temperature(net, NAN, &err), NNDL_E_INVALID, err, "from 0.01 to 100");
    size_t len = nndl_network_saved_size(net);
    uint8_t *buf = malloc(len);
    CHECK(nndl_network_save(net, buf, len, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_load(&back, buf, len, 1, &err) == NNDL_OK && nndl_network_temperature(back) == 3.0f, "T after a round trip");
    nndl_network_free(back);
    /* an impossible temperature, the checksum made right: refused */
    size_t at = 12 + (size_t)(8 + 24) * 3 + 8 + 40;
    float zero = 0.0f;
    memcpy(buf + at, &zero, 4);
    uint32_t crc = nndl_crc32(0, buf, len - 4);
    for (int i = 0; i < 4; i++) buf[len - 4 + (size_t)i] = (uint8_t)(crc >> (8 * i));
    CHECK_ERROR(nndl_network_load(&back, buf, len, 1, &err), NNDL_E_FORMAT, err, "temperature 0 is impossible");
    free(buf);
    nndl_network_free(net);
}

/* A miscalibrated network: trained long on few examples, a third of them mislabelled, its
 * probabilities say little about how often it is right. Fitting T on one held-out set lowers
 * the calibration error on another, and changes no answer. */
static void fitting(void) {
    nndl_dataset *train = make_dataset(300, 4, 5, 21), *fit = make_dataset(2000, 4, 5, 22), *check = make_dataset(2000, 4, 5, 23);
    uint8_t *labels = (uint8_t *)(uintptr_t)nndl_dataset_labels(train); /* the test's own set */
    for (size_t i = 0; i < 300; i += 3) labels[i] = (uint8_t)((labels[i] + 1) % 10);
    nndl_spec spec;
    nndl_error err;
    nndl_network *net = NULL;
    CHECK(nndl_spec_parse(&spec, "fc40:relu-softmax10", 4, 5, NNDL_RELU, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_create_spec(&net, &spec, 4, &err) == NNDL_OK, "%s", err.message);
    nndl_hyper h = nndl_hyper_default();
    h.eta = 0.1f;
    for (int e = 0; e < 200; e++) nndl_network_train_epoch(net, train, &h, NULL, 0, NULL, &err);
    double before, after;
    float t;
    size_t right_before, right_after;
    nndl_network_evaluate(net, NULL, check, &right_before, &err);
    CHECK(nndl_network_calibration_error(net, NULL, check, 15, &before, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_fit_temperature(net, fit, &t, &err) == NNDL_OK, "%s", err.message);
    CHECK(nndl_network_calibration_error(net, NULL, check, 15, &after, &err) == NNDL_OK, "%s", err.message);
    nndl_network_evaluate(net, NULL, check, &right_after, &err);
    printf("miscalibrated network: T = %.3f, calibration error %.4f -> %.4f, %zu / 2000 right either way\n", (double)t, before, after, right_after);
    CHECK(t != 1.0f && after < before && right_before == right_after, "T %g, ECE %g -> %g, right %zu -> %zu", (double)t, before, after,
          right_before, right_after);
    nndl_network_free(net);
    nndl_dataset_free(train);
    nndl_dataset_free(fit);
    nndl_dataset_free(check);
}

int main(void) {
    temperature_in_and_out();
    fitting();
    return check_report("test_calibrate");
}
